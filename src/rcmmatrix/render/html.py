"""The comparative matrices as one self-contained HTML file (inline CSS and JS, works offline).

All Jinja2 for HTML lives here. Templates get a small explicit context of plain values, autoescape is on and
undefined names fail, so country text is never markup and a missing field is a bug, not a blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..matrix import CHANGE_LABELS, STATE_LABELS, SYMBOLS, MatrixView, summary
from ..members import country_name
from ..scores import score_text
from .excel import TEXT

HTML_TEXT = {
    "es": {
        "filter_group": "Grupo",
        "filter_country": "Países",
        "search": "Buscar",
        "all": "Todos",
        "footnotes": "Citas y observaciones",
        "print_note": "Las citas figuran como notas al pie al imprimir.",
        "summary": "Resumen",
    },
    "en": {
        "filter_group": "Group",
        "filter_country": "Countries",
        "search": "Search",
        "all": "All",
        "footnotes": "Citations and notes",
        "print_note": "Citations appear as footnotes when printed.",
        "summary": "Summary",
    },
}


@dataclass(slots=True)
class HtmlCell:
    """One matrix cell as the template needs it (attribute access is the fast path in Jinja2)."""

    country: str
    css: str
    state: str
    symbol: str
    text: str
    details: str
    note: int | None
    change_label: str


@dataclass(slots=True)
class Footnote:
    n: int
    country: str
    indicator: str
    text: str
    url: str


def environment(extra_dir: Path | None = None) -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    loaders: list[Any] = [FileSystemLoader(str(extra_dir))] if extra_dir else []
    loaders.append(PackageLoader("rcmmatrix", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


def _l(lang: str) -> str:
    return lang if lang in TEXT else "en"


def context(views: Sequence[MatrixView], lang: str, schema_version: str, generated: dt.date) -> dict[str, Any]:
    t = {**TEXT[_l(lang)], **HTML_TEXT[_l(lang)]}
    labels = STATE_LABELS[_l(lang)]
    first = views[0]
    matrices = []
    note_no = 0
    for view in views:
        counts = summary(view)
        groups: list[dict[str, Any]] = []
        footnotes: list[Footnote] = []
        for ind_id, cells in view.frame.iterrows():
            ind = view.matrix.by_id[str(ind_id)]
            if not groups or groups[-1]["id"] != ind.group:
                groups.append({"id": ind.group, "title": view.matrix.group(ind.group).title.get(lang), "rows": []})
            row_cells = []
            for iso3, c in cells.items():
                details = []
                if c.citation:
                    details.append(f"{t['citation']}: {c.citation}")
                if c.notes:
                    details.append(f"{t['notes']}: {c.notes}")
                if c.change in ("changed", "withdrawn") and c.previous:
                    details.append(f"{t['previous']}: {c.previous}")
                if c.file:
                    details.append(
                        f"{t['source']}: {c.file} {c.where or ''}".strip()
                        + (f", {t['received']} {c.received.date().isoformat()}" if c.received else "")
                    )
                note = None
                if details:
                    note_no += 1
                    note = note_no
                    footnotes.append(
                        Footnote(
                            note,
                            country_name(str(iso3), lang),
                            ind.label.get(lang),
                            " · ".join(details),
                            c.source_url or "",
                        )
                    )
                changed = c.change if c.change and c.change != "unchanged" else ""
                row_cells.append(
                    HtmlCell(
                        str(iso3),
                        f"cell {c.state} chg-{changed}" if changed else f"cell {c.state}",
                        c.state,
                        SYMBOLS[c.state],
                        c.text,
                        "\n".join(details),
                        note,
                        CHANGE_LABELS[_l(lang)][changed] if changed else "",
                    )
                )
            groups[-1]["rows"].append(
                {
                    "id": ind.id,
                    "label": ind.label.get(lang),
                    "ref": ind.ref,
                    "cells": row_cells,
                    "counts": counts[ind.id],
                }
            )
        matrices.append(
            {
                "id": view.matrix.id,
                "title": view.matrix.title.get(lang),
                "groups": groups,
                "footnotes": footnotes,
                "footnotes_html": footnotes_html(footnotes),
                "countries": [{"code": c, "name": country_name(c, lang)} for c in view.countries],
                "missing": [country_name(c, lang) for c in view.missing],
                "scores": None
                if view.scores is None
                else [score_text(*view.scores.get(c, (None, None))) for c in view.countries],
            }
        )
    return {
        "lang": _l(lang),
        "t": t,
        "title": t["title"],
        "round": first.round.name,
        "deadline": first.round.deadline.isoformat(),
        "since": first.since or "",
        "schema_version": schema_version,
        "generated": generated.isoformat(),
        "matrices": matrices,
        "legend": [
            {"state": s, "symbol": SYMBOLS[s], "label": labels[s]}
            for s in ("yes", "partial", "no", "not_applicable", "no_answer", "not_submitted")
        ],
        "summary_labels": [labels["yes"], labels["partial"], labels["no"]],
    }


def footnotes_html(notes: Sequence[Footnote]) -> Any:
    """The numbered notes as one <li> each. Built here rather than in a template loop (tens of thousands of items
    for a large matrix); every piece of text is escaped with markupsafe, exactly as autoescape would."""
    from markupsafe import Markup, escape

    parts = []
    for n in notes:
        url = f" <span>{escape(n.url)}</span>" if n.url else ""
        parts.append(
            f'<li id="fn-{n.n}" value="{n.n}"><strong>{escape(n.country)}</strong> — '
            f"{escape(n.indicator)}: {escape(n.text)}{url}</li>"
        )
    return Markup("\n".join(parts))


def write_html(
    views: Sequence[MatrixView],
    path: Path,
    lang: str,
    schema_version: str,
    generated: dt.date | None = None,
    templates: Path | None = None,
) -> Path:
    env = environment(templates)
    html = env.get_template("matrix.html.j2").render(
        **context(views, lang, schema_version, generated or dt.date.today())
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
