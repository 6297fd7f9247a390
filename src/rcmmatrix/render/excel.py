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


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never "f", whatever the text starts with
    else:
        cell.value = value
    return cell


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


def write_excel(
    views: Sequence[MatrixView], path: Path, lang: str, schema_version: str, generated: dt.date | None = None
) -> Path:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    t = TEXT[_l(lang)]
    labels = STATE_LABELS[_l(lang)]
    wb = Workbook()
    about = wb.active
    about.title = t["about"]
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    first = views[0]
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
    for r, (k, v) in enumerate(rows, 1):
        _put(about, r, 1, k).font = bold
        _put(about, r, 2, v)
    about["A1"].font = Font(bold=True, size=14)
    r = len(rows) + 2
    _put(about, r, 1, t["legend"]).font = bold
    for state in ("yes", "partial", "no", "not_applicable", "no_answer", "not_submitted"):
        r += 1
        c = _put(about, r, 1, f"{SYMBOLS[state]} {labels[state]}")
        c.fill = PatternFill("solid", fgColor=FILLS[state])
        c.border = border
    about.column_dimensions["A"].width = 60
    about.column_dimensions["B"].width = 80
    changes: list[list[Any]] = []
    for view in views:
        ws = wb.create_sheet(_sheet_name(view, lang, wb.sheetnames))
        header = [
            t["group"],
            t["indicator"],
            t["ref"],
            *[country_name(c, lang) for c in view.countries],
            labels["yes"],
            labels["partial"],
            labels["no"],
        ]
        for col, value in enumerate(header, 1):
            cell = _put(ws, 1, col, value)
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = border
        counts = summary(view)
        by_id = view.matrix.by_id
        row = 2
        current_group = None
        ncols = len(header)
        for ind_id, cells in view.frame.iterrows():
            ind = by_id[str(ind_id)]
            if ind.group != current_group:
                current_group = ind.group
                gcell = _put(ws, row, 1, view.matrix.group(ind.group).title.get(lang))
                gcell.font = Font(bold=True, color="FFFFFF")
                for col in range(1, ncols + 1):
                    ws.cell(row=row, column=col).fill = PatternFill("solid", fgColor="2F5597")
                row += 1
            _put(ws, row, 1, view.matrix.group(ind.group).title.get(lang))
            _put(ws, row, 2, ind.label.get(lang)).alignment = Alignment(wrap_text=True, vertical="top")
            _put(ws, row, 3, ind.ref).alignment = Alignment(wrap_text=True, vertical="top")
            for col, (iso3, c) in enumerate(cells.items(), 4):
                xc = _put(ws, row, col, cell_text(c, lang))
                xc.fill = PatternFill("solid", fgColor=FILLS[c.state])
                xc.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
                xc.border = border
                if c.change in ("new", "changed", "withdrawn"):
                    xc.font = Font(bold=True, italic=True)
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
                    xc.comment = Comment(note[:30000], "rcmmatrix", width=300, height=150)
            k = counts[str(ind_id)]
            for col, key in enumerate(("yes", "partial", "no"), len(view.countries) + 4):
                _put(ws, row, col, k[key]).alignment = Alignment(horizontal="center")
            row += 1
        if view.scores is not None:
            _put(ws, row, 2, t["score"]).font = bold
            _put(ws, row, 3, t["score_note"])
            for col, iso3 in enumerate(view.countries, 4):
                met, unknown = view.scores.get(iso3, (None, None))
                xc = _put(
                    ws,
                    row,
                    col,
                    "—" if met is None else f"{100 * met:.0f}%" + (f" (?{100 * unknown:.0f}%)" if unknown else ""),
                )
                xc.font = bold
                xc.alignment = Alignment(horizontal="center")
            row += 1
        ws.freeze_panes = "D2"
        ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{row - 1}"
        ws.column_dimensions["A"].hidden = False
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 55
        ws.column_dimensions["C"].width = 22
        for col in range(4, ncols + 1):
            ws.column_dimensions[get_column_letter(col)].width = 14 if col < ncols - 2 else 8
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = "1:1"
        ws.print_title_cols = "B:B"
    if first.since:
        ch = wb.create_sheet(t["changes"])
        head = [
            "Matrix" if lang == "en" else "Matriz",
            t["country"],
            t["indicator"],
            t["change"],
            t["before"],
            t["now"],
        ]
        for col, value in enumerate(head, 1):
            _put(ch, 1, col, value).font = bold
        for r, values in enumerate(changes, 2):
            for col, value in enumerate(values, 1):
                _put(ch, r, col, value)
        for col, width in zip("ABCDEF", (30, 18, 60, 12, 30, 30), strict=True):
            ch.column_dimensions[col].width = width
        ch.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _sheet_name(view: MatrixView, lang: str, taken: list[str]) -> str:
    names = {"trafficking": {"es": "Trata", "en": "Trafficking"}, "smuggling": {"es": "Tráfico", "en": "Smuggling"}}
    name = names.get(view.matrix.id, {}).get(_l(lang), view.matrix.id)[:31]
    return name if name not in taken else f"{name[:28]}_{len(taken)}"
