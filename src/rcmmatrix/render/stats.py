"""Statistics tables: Excel (one sheet per indicator with a native chart), HTML (tables and SVG charts drawn with
matplotlib, embedded inline so the page works offline), CSV/JSON long format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..members import country_name
from ..stats import UNODC, Discrepancy, StatTable

TEXT = {
    "es": {
        "title": "Estadísticas sobre trata de personas y tráfico ilícito de migrantes",
        "country": "País",
        "source": "Fuente",
        "own": "País (informe propio)",
        "unodc": "UNODC (GLOTIP)",
        "year": "Año",
        "discrepancies": "Diferencias entre la cifra del país y la de UNODC",
        "indicator": "Indicador",
        "breakdown": "Desagregación",
        "none": "Sin diferencias.",
        "generated": "Generado",
        "note": "Vacío: sin dato (no es cero). «<5»: cifra suprimida por ser menor de 5. Fuente de referencia: UNODC, Global Report on Trafficking in Persons (GLOTIP), datos por país.",
        "about": "Acerca de",
        "discrepancy_sheet": "Diferencias",
    },
    "en": {
        "title": "Statistics on trafficking in persons and migrant smuggling",
        "country": "Country",
        "source": "Source",
        "own": "Country (own report)",
        "unodc": "UNODC (GLOTIP)",
        "year": "Year",
        "discrepancies": "Differences between the country's figure and UNODC's",
        "indicator": "Indicator",
        "breakdown": "Breakdown",
        "none": "No differences.",
        "generated": "Generated",
        "note": "Blank: no figure (not zero). '<5': suppressed because under 5. Reference source: UNODC, Global Report on Trafficking in Persons (GLOTIP), country data.",
        "about": "About",
        "discrepancy_sheet": "Differences",
    },
}


def _l(lang: str) -> str:
    return lang if lang in TEXT else "en"


def _sources(tables: Sequence[StatTable]) -> list[str]:
    found = {k[0] for t in tables for k in t.cells}
    return [s for s in ("country", UNODC) if s in found] or ["country"]


def _rows(table: StatTable, source: str) -> list[tuple[str, list[Any]]]:
    rows = []
    for c in table.countries:
        values = [table.cells.get((source, c, y)) for y in table.years]
        if any(v is not None for v in values):
            rows.append((c, values))
    return rows


def write_excel(
    tables: Sequence[StatTable], diffs: Sequence[Discrepancy], path: Path, lang: str, generated: dt.date
) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference
    from openpyxl.styles import Font

    t = TEXT[_l(lang)]
    wb = Workbook()
    about = wb.active
    about.title = t["about"]
    about["A1"], about["A1"].font = t["title"], Font(bold=True, size=14)
    about["A2"] = f"{t['generated']}: {generated.isoformat()}"
    about["A3"] = t["note"]
    about.column_dimensions["A"].width = 140
    for table in tables:
        sheet = wb.create_sheet(table.indicator[:31])
        sheet["A1"], sheet["A1"].font = table.label, Font(bold=True, size=12)
        row = 3
        for source in _sources(tables):
            rows = _rows(table, source)
            if not rows:
                continue
            sheet.cell(row=row, column=1, value=t["own"] if source == "country" else t["unodc"]).font = Font(bold=True)
            row += 1
            sheet.cell(row=row, column=1, value=t["country"]).font = Font(bold=True)
            for c, year in enumerate(table.years, 2):
                sheet.cell(row=row, column=c, value=str(year)).font = Font(bold=True)
            head = row
            for iso3, values in rows:
                row += 1
                sheet.cell(row=row, column=1, value=country_name(iso3, lang))
                for c, fig in enumerate(values, 2):
                    if fig is not None:
                        sheet.cell(row=row, column=c, value=fig.value if fig.value is not None else fig.shown)
            if table.years:
                chart = LineChart()
                chart.title = f"{table.label} — {t['own'] if source == 'country' else t['unodc']}"
                chart.y_axis.title, chart.x_axis.title = table.label[:40], t["year"]
                data = Reference(sheet, min_col=1, max_col=len(table.years) + 1, min_row=head + 1, max_row=row)
                chart.add_data(data, from_rows=True, titles_from_data=True)
                chart.set_categories(
                    Reference(sheet, min_col=2, max_col=len(table.years) + 1, min_row=head, max_row=head)
                )
                chart.width, chart.height = 22, 9
                sheet.add_chart(chart, f"A{row + 2}")
                row += 20
            row += 2
        sheet.column_dimensions["A"].width = 26
    diff_sheet = wb.create_sheet(t["discrepancy_sheet"])
    _discrepancy_rows(diff_sheet, diffs, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _discrepancy_rows(sheet: Any, diffs: Sequence[Discrepancy], lang: str) -> None:
    t = TEXT[_l(lang)]
    sheet.append([t["country"], t["indicator"], t["year"], t["breakdown"], t["own"], t["unodc"]])
    for d in diffs:
        sheet.append([country_name(d.country, lang), d.indicator, d.year, d.breakdown, d.country_value, d.unodc_value])


def chart_svg(table: StatTable, source: str, lang: str) -> str:
    """One line per country over the years, as inline SVG (matplotlib, no network, deterministic ids)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = _rows(table, source)
    fig, ax = plt.subplots(figsize=(8, 3.2), dpi=100)
    for iso3, values in rows:
        xs = [y for y, f in zip(table.years, values, strict=True) if f is not None and f.value is not None]
        ys = [f.value for f in values if f is not None and f.value is not None]
        if xs:
            ax.plot(xs, ys, marker="o", linewidth=1.5, label=country_name(iso3, lang))
    ax.set_title(
        f"{table.label} — {TEXT[_l(lang)]['own'] if source == 'country' else TEXT[_l(lang)]['unodc']}", fontsize=10
    )
    ax.set_xlabel(TEXT[_l(lang)]["year"])
    ax.grid(alpha=0.3)
    if rows:
        ax.legend(fontsize=7, ncol=4, loc="upper left", frameon=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    buf = io.StringIO()
    matplotlib.rcParams["svg.hashsalt"] = f"{table.indicator}-{source}"
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def write_html(
    tables: Sequence[StatTable], diffs: Sequence[Discrepancy], path: Path, lang: str, generated: dt.date
) -> Path:
    from markupsafe import Markup

    from .html import environment

    t = TEXT[_l(lang)]
    sources = _sources(tables)
    ctx_tables = []
    for table in tables:
        blocks = []
        for source in sources:
            rows = _rows(table, source)
            blocks.append(
                {
                    "source": t["own"] if source == "country" else t["unodc"],
                    "rows": [
                        {"country": country_name(c, lang), "cells": [f.shown if f else "" for f in values]}
                        for c, values in rows
                    ],
                    "chart": Markup(chart_svg(table, source, lang)) if rows else None,
                }
            )
        ctx_tables.append({"id": table.indicator, "label": table.label, "years": table.years, "blocks": blocks})
    html = (
        environment()
        .get_template("stats.html.j2")
        .render(
            lang=_l(lang),
            t=t,
            tables=ctx_tables,
            generated=generated.isoformat(),
            diffs=[
                {
                    "country": country_name(d.country, lang),
                    "indicator": d.indicator,
                    "year": d.year,
                    "breakdown": d.breakdown,
                    "own": d.country_value,
                    "unodc": d.unodc_value,
                }
                for d in diffs
            ],
            show_diffs=len(sources) == 2,
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def write_long(rows: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        return path
    fields = [
        "source",
        "country",
        "year",
        "indicator",
        "sex",
        "age_group",
        "citizenship",
        "exploitation_form",
        "value",
        "flag",
    ]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path
