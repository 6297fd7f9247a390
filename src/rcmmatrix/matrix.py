"""build_matrix(): the comparative matrix of one round, indicator × country, as a pandas DataFrame of Cells.

Six states for yes/no indicators — yes, partial, no, not applicable, no answer, not submitted — so a meeting
never sees "No" where a country did not answer. Other types show the value as given ("value"). With ``since``,
each cell also says whether it is new, changed, unchanged or withdrawn against that round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .normalize import as_text
from .schema import Indicator, Matrix, Schema
from .store import Store, StoredAnswer
from .workspace import Round, Workspace

if TYPE_CHECKING:
    import pandas as pd

STATES = ("yes", "partial", "no", "not_applicable", "value", "no_answer", "not_submitted")
CHANGES = ("new", "changed", "unchanged", "withdrawn")

STATE_LABELS = {
    "es": {
        "yes": "Sí",
        "partial": "Parcial",
        "no": "No",
        "not_applicable": "No aplica",
        "value": "Valor",
        "no_answer": "Sin respuesta",
        "not_submitted": "No presentado",
    },
    "en": {
        "yes": "Yes",
        "partial": "Partial",
        "no": "No",
        "not_applicable": "Not applicable",
        "value": "Value",
        "no_answer": "No answer",
        "not_submitted": "Not submitted",
    },
}
SYMBOLS = {
    "yes": "✔",
    "partial": "◐",
    "no": "✘",
    "not_applicable": "—",
    "value": "",
    "no_answer": "?",
    "not_submitted": "∅",
}
CHANGE_LABELS = {
    "es": {"new": "nuevo", "changed": "cambió", "unchanged": "sin cambios", "withdrawn": "retirado"},
    "en": {"new": "new", "changed": "changed", "unchanged": "unchanged", "withdrawn": "withdrawn"},
}


@dataclass(slots=True)
class Cell:
    state: str
    text: str = ""  # what the meeting reads: localised answer or the value as given
    value: Any = None
    law: str | None = None
    article: str | None = None
    notes: str | None = None
    source_url: str | None = None
    file: str | None = None
    where: str | None = None  # sheet!cell in the country's file
    received: dt.datetime | None = None
    change: str | None = None
    previous: str | None = None  # text of the earlier round's answer, when changed or withdrawn

    @property
    def citation(self) -> str:
        return ", ".join(x for x in (self.law, self.article) if x)


@dataclass(slots=True)
class MatrixView:
    """One matrix of one round, ready for a renderer: the frame plus what labels it needs."""

    matrix: Matrix
    round: Round
    since: str | None
    lang: str
    frame: pd.DataFrame  # index: indicator ids (schema order); columns: ISO3 codes; values: Cell
    countries: list[str]
    missing: list[str] = field(default_factory=list)  # members with no accepted submission for this matrix
    scores: dict[str, tuple[float | None, float | None]] | None = None  # iso3 → (met, unknown), with --scores


def display(schema: Schema, indicator: Indicator, value: Any, lang: str) -> str:
    vocabulary = schema.vocabulary_for(indicator)
    if vocabulary is not None and isinstance(value, str):
        try:
            return vocabulary.term(value).label.get(lang)
        except KeyError:
            return value
    return as_text(value)


def _cell(schema: Schema, indicator: Indicator, stored: StoredAnswer | None, submitted: bool, lang: str) -> Cell:
    if not submitted:
        return Cell("not_submitted", STATE_LABELS[_l(lang)]["not_submitted"])
    if stored is None or stored.answer.value is None:
        a = stored.answer if stored else None
        return Cell(
            "no_answer",
            STATE_LABELS[_l(lang)]["no_answer"],
            law=a.law if a else None,
            article=a.article if a else None,
            notes=a.notes if a else None,
            file=stored.file_name if stored else None,
            received=stored.received_at if stored else None,
        )
    a = stored.answer
    state = a.value if indicator.type == "yesno" and a.value in STATES else "value"
    return Cell(
        state,
        display(schema, indicator, a.value, lang),
        a.value,
        a.law,
        a.article,
        a.notes,
        a.source_url,
        stored.file_name,
        f"{a.sheet}!{a.cell}" if a.sheet else None,
        stored.received_at,
    )


def _l(lang: str) -> str:
    return lang if lang in STATE_LABELS else "en"


def _answers(
    store: Store, round_name: str, matrix: str, countries: Sequence[str]
) -> tuple[dict[tuple[str, str], StoredAnswer], set[str]]:
    found: dict[tuple[str, str], StoredAnswer] = {}
    submitted: set[str] = set()
    for stored in store.accepted_answers(round_name, matrix, countries):
        found[(stored.answer.indicator, stored.country)] = stored
        submitted.add(stored.country)
    return found, submitted


def build_matrix(
    ws: Workspace,
    matrix_id: str,
    round_name: str | None = None,
    countries: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    lang: str = "es",
    since: str | None = None,
) -> MatrixView:
    import pandas as pd

    schema = ws.schema
    matrix = schema.matrix(matrix_id)
    rnd = ws.round(round_name)
    codes = [ws.member(c).iso3 for c in countries] if countries else [m.iso3 for m in ws.members]
    if groups:
        unknown = [g for g in groups if g not in {x.id for x in matrix.groups}]
        if unknown:
            from .errors import RcmmatrixError

            raise RcmmatrixError(
                f"unknown group(s) {', '.join(unknown)} in matrix '{matrix.id}' "
                f"(groups: {', '.join(g.id for g in matrix.groups)})"
            )
    indicators = [i for i in matrix.indicators if not groups or i.group in groups]
    with Store.open(ws.db_path) as store:
        now, submitted = _answers(store, rnd.name, matrix.id, codes)
        before, submitted_before = _answers(store, ws.round(since).name, matrix.id, codes) if since else ({}, set())
    data: dict[str, list[Cell]] = {}
    for iso3 in codes:
        column = []
        for ind in indicators:
            cell = _cell(schema, ind, now.get((ind.id, iso3)), iso3 in submitted, lang)
            if since and iso3 in submitted:
                old = _cell(schema, ind, before.get((ind.id, iso3)), iso3 in submitted_before, lang)
                cell.change, cell.previous = _change(cell, old)
            column.append(cell)
        data[iso3] = column
    frame = pd.DataFrame(data, index=pd.Index([i.id for i in indicators], name="indicator"), columns=codes)
    return MatrixView(matrix, rnd, since, lang, frame, codes, [c for c in codes if c not in submitted])


def _answered(cell: Cell) -> bool:
    return cell.state not in ("no_answer", "not_submitted")


def _change(now: Cell, old: Cell) -> tuple[str, str | None]:
    if _answered(now) and not _answered(old):
        return "new", None
    if not _answered(now) and _answered(old):
        return "withdrawn", old.text
    if not _answered(now):
        return "unchanged", None
    if (now.value, now.law or "", now.article or "") != (old.value, old.law or "", old.article or ""):
        return "changed", f"{old.text}" + (f" ({old.citation})" if old.citation else "")
    return "unchanged", None


def summary(view: MatrixView) -> dict[str, dict[str, int]]:
    """indicator id → counts of yes / partial / no across countries."""
    out: dict[str, dict[str, int]] = {}
    for ind, row in view.frame.iterrows():
        counts = {"yes": 0, "partial": 0, "no": 0}
        for cell in row:
            if cell.state in counts:
                counts[cell.state] += 1
        out[str(ind)] = counts
    return out


def long_rows(views: Sequence[MatrixView]) -> list[dict[str, Any]]:
    """CSV/JSON long format: one row per matrix × country × indicator (columns documented in the README)."""
    rows: list[dict[str, Any]] = []
    for view in views:
        by_id = view.matrix.by_id
        for ind_id, row in view.frame.iterrows():
            ind = by_id[str(ind_id)]
            for iso3, cell in row.items():
                rows.append(
                    {
                        "round": view.round.name,
                        "matrix": view.matrix.id,
                        "country": iso3,
                        "indicator": ind.id,
                        "group": ind.group,
                        "ref": ind.ref,
                        "label": ind.label.get(view.lang),
                        "state": cell.state,
                        "value": as_text(cell.value) if cell.value is not None else "",
                        "display": cell.text,
                        "law": cell.law or "",
                        "article": cell.article or "",
                        "notes": cell.notes or "",
                        "source_url": cell.source_url or "",
                        "file": cell.file or "",
                        "cell": cell.where or "",
                        "received_at": cell.received.isoformat() if cell.received else "",
                        "change": cell.change or "",
                        "previous": cell.previous or "",
                    }
                )
    return rows
