"""Compliance scores: Excel with a colour scale, HTML heat map (countries × groups) and per-country breakdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..members import country_name
from ..scores import ScoreReport, percent
from ..workspace import Workspace

TEXT = {
    "es": {
        "title": "Indicadores de cumplimiento de los Protocolos",
        "country": "País",
        "overall": "Global",
        "unknown": "Desconocido",
        "change": "Cambio desde",
        "methodology": "Metodología",
        "round": "Ronda",
        "not_met": "Disposiciones aún no cumplidas",
        "generated": "Generado",
        "partial": "parcial",
        "no": "no",
        "caption": "Proporción de disposiciones cumplidas por grupo (0–100 %)",
        "none": "ninguna",
        "label": "Ayuda para el seguimiento, no una evaluación jurídica.",
        "not_submitted": "matriz no presentada: todo desconocido",
    },
    "en": {
        "title": "Protocol compliance indicators",
        "country": "Country",
        "overall": "Overall",
        "unknown": "Unknown",
        "change": "Change since",
        "methodology": "Methodology",
        "round": "Round",
        "not_met": "Provisions not yet met",
        "generated": "Generated",
        "partial": "partial",
        "no": "no",
        "caption": "Share of provisions met by group (0–100%)",
        "none": "none",
        "label": "A monitoring aid, not a legal assessment.",
        "not_submitted": "no matrix submitted: all unknown",
    },
}


def _group_title(ws: Workspace, key: tuple[str, str], lang: str) -> str:
    m = ws.schema.matrix(key[0])
    return f"{'TIP' if key[0] == 'trafficking' else 'SOM' if key[0] == 'smuggling' else key[0]} · {m.group(key[1]).title.get(lang)}"


def context(ws: Workspace, report: ScoreReport, lang: str, method: list[str], day: dt.date) -> dict[str, Any]:
    t = TEXT[lang]
    rows = []
    for c in report.countries:
        change = report.change(c.country)
        cells = []
        for key in report.groups:
            g = c.groups.get(key)
            met = g.met if g else None
            shade = "none" if met is None else f"s{min(4, int((met or 0) * 5))}"
            cells.append({"met": percent(met), "unknown": percent(g.unknown_share if g else None), "shade": shade})
        not_met = [
            {
                "indicator": ws.schema.matrix(m).by_id[i].label.get(lang),
                "state": t.get(state, state),
                "ref": ref,
            }
            for (m, _), g in c.groups.items()
            for (i, state, ref) in g.not_met
        ]
        rows.append(
            {
                "country": country_name(c.country, lang),
                "code": c.country,
                "cells": cells,
                "overall": percent(c.overall()),
                "unknown": percent(c.unknown()),
                "change": "" if change is None else f"{100 * change:+.0f} pp",
                "not_met": not_met,
                "submitted": c.submitted,
            }
        )
    return {
        "lang": lang,
        "t": t,
        "round": report.round,
        "since": report.since or "",
        "generated": day.isoformat(),
        "groups": [_group_title(ws, k, lang) for k in report.groups],
        "rows": rows,
        "methodology": method,
    }


def write_html(ws: Workspace, report: ScoreReport, path: Path, lang: str, method: list[str], day: dt.date) -> Path:
    from .html import environment

    html = environment().get_template("scores.html.j2").render(**context(ws, report, lang, method, day))
    path.write_text(html, encoding="utf-8")
    return path


def write_excel(ws: Workspace, report: ScoreReport, path: Path, lang: str, method: list[str], day: dt.date) -> Path:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    t = TEXT[lang]
    wb = Workbook()
    sheet = wb.active
    sheet.title = t["title"][:31]
    sheet["A1"], sheet["A1"].font = f"{t['title']} — {t['round']} {report.round}", Font(bold=True, size=13)
    sheet["A2"] = t["label"]
    head = [t["country"], *[_group_title(ws, k, lang) for k in report.groups], t["overall"], t["unknown"]]
    if report.since:
        head.append(f"{t['change']} {report.since}")
    for col, value in enumerate(head, 1):
        cell = sheet.cell(row=4, column=col, value=value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, c in enumerate(report.countries, 5):
        sheet.cell(row=r, column=1, value=country_name(c.country, lang))
        values = [c.groups[k].met if k in c.groups else None for k in report.groups]
        values += [c.overall(), c.unknown()]
        if report.since:
            values.append(report.change(c.country))
        for col, v in enumerate(values, 2):
            cell = sheet.cell(row=r, column=col, value=None if v is None else round(v, 4))
            cell.number_format = "0%"
    last = 4 + len(report.countries)
    end = get_column_letter(len(report.groups) + 2)
    sheet.conditional_formatting.add(
        f"B5:{end}{last}",
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="F8696B",
            mid_type="num",
            mid_value=0.5,
            mid_color="FFEB84",
            end_type="num",
            end_value=1,
            end_color="63BE7B",
        ),
    )
    sheet.column_dimensions["A"].width = 24
    for col in range(2, len(head) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 16
    sheet.row_dimensions[4].height = 60
    sheet.freeze_panes = "B5"
    m = wb.create_sheet(t["methodology"])
    for r, line in enumerate(method, 1):
        m.cell(row=r, column=1, value=line).alignment = Alignment(wrap_text=True)
    m.column_dimensions["A"].width = 140
    detail = wb.create_sheet(t["not_met"][:31])
    detail.append([t["country"], "Indicator" if lang == "en" else "Indicador", "", "Ref."])
    for c in report.countries:
        for (mid, _), g in c.groups.items():
            for ind_id, state, ref in g.not_met:
                detail.append(
                    [
                        country_name(c.country, lang),
                        ws.schema.matrix(mid).by_id[ind_id].label.get(lang),
                        t.get(state, state),
                        ref,
                    ]
                )
    wb.save(path)
    return path
