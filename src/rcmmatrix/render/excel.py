"""The comparative matrices as an Excel workbook: one sheet per matrix, a legend/about sheet, a changes sheet.

All openpyxl styling lives here. Country text is always written as a string cell: a value that starts with
"=", "+", "-" or "@" never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..matrix import CHANGE_LABELS, STATE_LABELS, SYMBOLS, Cell, MatrixView, summary
from ..members import country_name
from ..scores import score_text

FILLS = {
    "yes": "C6EFCE",
    "partial": "FFEB9C",
    "no": "FFC7CE",
    "not_applicable": "E7E6E6",
    "value": "FFFFFF",
    "no_answer": "FFFFFF",
    "not_submitted": "D9D9D9",
}
TEXT = {
    "es": {
        "about": "Acerca de",
        "changes": "Cambios",
        "group": "Grupo",
        "indicator": "Indicador",
        "ref": "Referencia",
        "round": "Ronda",
        "deadline": "Plazo",
        "schema": "Versión del esquema",
        "generated": "Generado",
        "missing": "Miembros sin matriz presentada",
        "legend": "Leyenda",
        "since": "Cambios desde la ronda",
        "country": "País",
        "before": "Antes",
        "now": "Ahora",
        "change": "Cambio",
        "citation": "Cita",
        "notes": "Observaciones",
        "source": "Fuente",
        "received": "Recibido",
        "previous": "Antes",
        "title": "Matrices comparativas de la CRM",
        "none": "ninguno",
        "score": "Cumplimiento de las disposiciones puntuadas",
        "score_note": "Ayuda de seguimiento, no evaluación jurídica; (?) desconocido",
    },
    "en": {
        "about": "About",
        "changes": "Changes",
        "group": "Group",
        "indicator": "Indicator",
        "ref": "Reference",
        "round": "Round",
        "deadline": "Deadline",
        "schema": "Schema version",
        "generated": "Generated",
        "missing": "Members with no matrix submitted",
        "legend": "Legend",
        "since": "Changes since round",
        "country": "Country",
        "before": "Before",
        "now": "Now",
        "change": "Change",
        "citation": "Citation",
        "notes": "Notes",
        "source": "Source",
        "received": "Received",
        "previous": "Before",
        "title": "RCM comparative matrices",
        "none": "none",
        "score": "Scored provisions met",
        "score_note": "Monitoring aid, not a legal assessment; (?) unknown",
    },
}


def cell_text(c: Cell, lang: str) -> str:
    symbol = SYMBOLS[c.state]
    return f"{symbol} {c.text}".strip() if symbol else c.text


def comment_text(c: Cell, lang: str) -> str:
    t = TEXT.get(lang, TEXT["en"])
    parts = []
    if c.citation:
        parts.append(f"{t['citation']}: {c.citation}")
    if c.notes:
        parts.append(f"{t['notes']}: {c.notes}")
    if c.source_url:
        parts.append(c.source_url)
    if c.change and c.change != "unchanged":
        parts.append(
            f"{t['change']}: {CHANGE_LABELS[_l(lang)][c.change]}"
            + (f" ({t['previous']}: {c.previous})" if c.previous else "")
        )
    if c.file:
        parts.append(
            f"{t['source']}: {c.file}"
            + (f" {c.where}" if c.where else "")
            + (f", {t['received']} {c.received.date().isoformat()}" if c.received else "")
        )
    return "\n".join(parts)


def _l(lang: str) -> str:
    return lang if lang in TEXT else "en"


class _Formats:
    """XlsxWriter formats, made once per workbook (one per state x changed)."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.bold = wb.add_format({"bold": True})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.head = wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "border_color": "#BFBFBF",
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.group = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#2F5597"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.center = wb.add_format({"align": "center"})
        self.bold_center = wb.add_format({"bold": True, "align": "center"})
        self._cells: dict[tuple[str, bool], Any] = {}

    def cell(self, state: str, changed: bool = False) -> Any:
        key = (state, changed)
        if key not in self._cells:
            spec: dict[str, Any] = {
                "bg_color": "#" + FILLS[state],
                "border": 1,
                "border_color": "#BFBFBF",
                "text_wrap": True,
                "valign": "top",
                "align": "center",
            }
            if changed:
                spec.update({"bold": True, "italic": True})
            self._cells[key] = self.wb.add_format(spec)
        return self._cells[key]


def _text(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Strings always as strings: a country's text that starts with '=' is never a formula."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def write_excel(
    views: Sequence[MatrixView], path: Path, lang: str, schema_version: str, generated: dt.date | None = None
) -> Path:
    import xlsxwriter

    t = TEXT[_l(lang)]
    labels = STATE_LABELS[_l(lang)]
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    f = _Formats(wb)
    first = views[0]
    about = wb.add_worksheet(t["about"][:31])
    rows: list[tuple[str, Any]] = [
        (t["title"], ""),
        (t["round"], first.round.name),
        (t["deadline"], first.round.deadline.isoformat()),
        (t["schema"], schema_version),
        (t["generated"], (generated or dt.date.today()).isoformat()),
    ]
    for view in views:
        missing = ", ".join(f"{c} ({country_name(c, lang)})" for c in view.missing) or t["none"]
        rows.append((f"{t['missing']} — {view.matrix.title.get(lang)}", missing))
    if first.since:
        rows.append((t["since"], first.since))
    for r, (k, v) in enumerate(rows):
        _text(about, r, 0, k, f.title if r == 0 else f.bold)
        _text(about, r, 1, v)
    r = len(rows) + 1
    _text(about, r, 0, t["legend"], f.bold)
    for state in ("yes", "partial", "no", "not_applicable", "no_answer", "not_submitted"):
        r += 1
        _text(about, r, 0, f"{SYMBOLS[state]} {labels[state]}", f.cell(state))
    about.set_column(0, 0, 60)
    about.set_column(1, 1, 80)
    changes: list[list[Any]] = []
    taken: list[str] = [about.name]
    for view in views:
        name = _sheet_name(view, lang, taken)
        taken.append(name)
        ws = wb.add_worksheet(name)
        countries = [country_name(c, lang) for c in view.countries]
        header = [t["group"], t["indicator"], t["ref"], *countries, labels["yes"], labels["partial"], labels["no"]]
        for col, value in enumerate(header):
            _text(ws, 0, col, value, f.head)
        counts = summary(view)
        by_id = view.matrix.by_id
        row = 1
        current_group = None
        ncols = len(header)
        for ind_id, cells in view.frame.iterrows():
            ind = by_id[str(ind_id)]
            group_title = view.matrix.group(ind.group).title.get(lang)
            if ind.group != current_group:
                current_group = ind.group
                _text(ws, row, 0, group_title, f.group)
                for col in range(1, ncols):
                    ws.write_blank(row, col, None, f.group)
                row += 1
            _text(ws, row, 0, group_title)
            _text(ws, row, 1, ind.label.get(lang), f.wrap)
            _text(ws, row, 2, ind.ref, f.wrap)
            for col, (iso3, c) in enumerate(cells.items(), 3):
                changed = c.change in ("new", "changed", "withdrawn")
                _text(ws, row, col, cell_text(c, lang), f.cell(c.state, changed))
                if changed:
                    changes.append(
                        [
                            view.matrix.title.get(lang),
                            country_name(str(iso3), lang),
                            ind.label.get(lang),
                            CHANGE_LABELS[_l(lang)][c.change],
                            c.previous or "",
                            c.text,
                        ]
                    )
                note = comment_text(c, lang)
                if note:
                    ws.write_comment(row, col, note[:30000], {"author": "rcmmatrix", "x_scale": 2.2, "y_scale": 2})
            k = counts[str(ind_id)]
            for col, key in enumerate(("yes", "partial", "no"), len(view.countries) + 3):
                ws.write_number(row, col, k[key], f.center)
            row += 1
        if view.scores is not None:
            _text(ws, row, 1, t["score"], f.bold)
            _text(ws, row, 2, t["score_note"], f.wrap)
            for col, iso3 in enumerate(view.countries, 3):
                met, unknown = view.scores.get(iso3, (None, None))
                _text(ws, row, col, score_text(met, unknown), f.bold_center)
            row += 1
        ws.freeze_panes(1, 3)
        ws.autofilter(0, 0, row - 1, ncols - 1)
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 55)
        ws.set_column(2, 2, 22)
        ws.set_column(3, ncols - 4, 14)
        ws.set_column(ncols - 3, ncols - 1, 8)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.repeat_columns(1)
    if first.since:
        ch = wb.add_worksheet(t["changes"][:31])
        head = [
            "Matrix" if lang == "en" else "Matriz",
            t["country"],
            t["indicator"],
            t["change"],
            t["before"],
            t["now"],
        ]
        for col, value in enumerate(head):
            _text(ch, 0, col, value, f.bold)
        for r, values in enumerate(changes, 1):
            for col, value in enumerate(values):
                _text(ch, r, col, value)
        for col, width in enumerate((30, 18, 60, 12, 30, 30)):
            ch.set_column(col, col, width)
        ch.freeze_panes(1, 0)
    wb.close()
    return path


def _sheet_name(view: MatrixView, lang: str, taken: list[str]) -> str:
    names = {"trafficking": {"es": "Trata", "en": "Trafficking"}, "smuggling": {"es": "Tráfico", "en": "Smuggling"}}
    name = names.get(view.matrix.id, {}).get(_l(lang), view.matrix.id)[:31]
    return name if name not in taken else f"{name[:28]}_{len(taken)}"
