"""Regenerate the ILLUSTRATIVE sample submissions in sample_data/ (run: make samples).

Every value written here is invented to show rcmmatrix at work. None of it is an assessment of any country's law
or statistics, and the law names are deliberately fictitious ("Ley ejemplo …").

Round 2017: nine of the eleven members submit (Belize and Nicaragua do not, as at the 2017 meeting), in the forms
countries really use: the workbook layout, a workbook a country made itself (title rows, no id column), an .ods
file, a CSV saved by a Spanish-locale Excel (cp1252, ';', decimal commas), English files. Honduras' file holds
deliberate mistakes for the demo. Round 2016: an earlier round for four members, so `compare --since` has changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from rcmmatrix.schema import Indicator, load_schema  # noqa: E402

SCHEMA = load_schema("rcm")
NOTICE = {
    "es": "EJEMPLO ILUSTRATIVO: valores inventados, no son una evaluación de la legislación de ningún país.",
    "en": "ILLUSTRATIVE EXAMPLE: invented values, not an assessment of any country's law.",
}
HEAD = {
    "es": ["Código", "Indicador", "Respuesta", "Ley", "Artículo", "Observaciones", "URL de la fuente"],
    "en": ["Id", "Indicator", "Answer", "Law", "Article", "Notes", "Source URL"],
}
SHEET = {
    "es": {"trafficking": "Trata", "smuggling": "Tráfico", "statistics": "Estadísticas", "identity": "Identificación"},
    "en": {"trafficking": "Trafficking", "smuggling": "Smuggling", "statistics": "Statistics", "identity": "Identity"},
}
IDENTITY = {
    "es": ["País", "Ronda", "Esquema", "Versión de la plantilla", "Institución", "Contacto", "Fecha", "Idioma"],
    "en": ["Country", "Round", "Schema", "Template version", "Institution", "Contact", "Date", "Language"],
}
YESNO = {
    "es": {"yes": "Sí", "no": "No", "partial": "Parcial", "not_applicable": "No aplica"},
    "en": {"yes": "Yes", "no": "No", "partial": "Partial", "not_applicable": "Not applicable"},
}


def answer(ind: Indicator, rng: random.Random, lang: str) -> tuple[object, str, str, str]:
    """(answer, law, article, notes) — invented."""
    law = "Ley ejemplo 1/2009 (ilustrativa)" if lang == "es" else "Example Act 2009 (illustrative)"
    art = f"art. {rng.randint(1, 90)}"
    if ind.type == "yesno":
        key = rng.choices(["yes", "partial", "no", "not_applicable"], [6, 2, 2, 1])[0]
        cited = key in ("yes", "partial")
        return YESNO[lang][key], law if cited else "", art if cited else "", ""
    if ind.type == "integer":
        return 18, law, art, ""
    if ind.type == "number":
        low = rng.choice([2, 4, 5, 6, 8])
        return (low + (10 if "max" in ind.id else 0)), law, art, ""
    if ind.type == "date":
        return dt.date(rng.randint(2002, 2012), rng.randint(1, 12), rng.randint(1, 28)), "", "", ""
    if ind.type == "choice":
        assert ind.choices is not None
        term = rng.choice(ind.choices.terms)
        return term.label.get(lang), law, art, ""
    if ind.type == "citation":
        return law, law, art, ""
    return ("Texto ilustrativo" if lang == "es" else "Illustrative text"), "", "", ""


def matrix_rows(matrix_id: str, iso3: str, round_name: str, lang: str) -> list[list[object]]:
    """The same answers every round, except about one in ten that change in 2017 (so `--since` has something to show)."""
    rng = random.Random(f"{iso3}-{matrix_id}")
    drift = random.Random(f"{iso3}-{matrix_id}-{round_name}")
    m = SCHEMA.matrix(matrix_id)
    rows: list[list[object]] = []
    for group in m.groups:
        rows.append(["", group.title.get(lang).upper(), "", "", "", "", ""])
        for ind in m.indicators:
            if ind.group == group.id:
                value, law, art, notes = answer(ind, rng, lang)
                if round_name != "2016" and drift.random() < 0.1:
                    value, law, art, notes = answer(ind, drift, lang)
                rows.append([ind.id, ind.label.get(lang), value, law, art, notes, ""])
    return rows


_WS = None


def _workspace():
    """A throw-away workspace with rounds 2016 and 2017, to make real templates from."""
    global _WS
    if _WS is None:
        import tempfile

        from rcmmatrix.workspace import Workspace

        root = Path(tempfile.mkdtemp()) / "ws"
        _WS = Workspace.init(root, "2016", dt.date(2016, 7, 22))
        _WS.add_round("2017", dt.date(2017, 7, 21))
    return _WS


def workbook(path: Path, iso3: str, round_name: str, lang: str, datasets: tuple[str, ...], mutate=None) -> None:
    """A real blank template for the member, filled in as an official would."""
    from openpyxl import load_workbook

    from rcmmatrix.template import TemplateRequest, stat_rows, write_template

    ws = _workspace()
    req = TemplateRequest(iso3, ws.round(round_name), lang, datasets, blank=True)
    write_template(ws, req, path)
    wb = load_workbook(path)
    names = {"es": ("Instrucciones", "Identificación"), "en": ("Instructions", "Identity")}[lang]
    wb[names[0]]["A2"] = NOTICE[lang]
    ident = wb[names[1]]
    ident["B7"] = "Ministerio ejemplo (ilustrativo)" if lang == "es" else "Example Ministry (illustrative)"
    ident["B8"] = "Enlace ejemplo" if lang == "es" else "Example liaison"
    ident["B10"] = dt.datetime(int(round_name), 7, 10)
    ident["D1"] = NOTICE[lang]
    for ds in datasets:
        if ds == "statistics":
            sheet = wb[{"es": "Estadísticas", "en": "Statistics"}[lang]]
            rng = random.Random(f"{iso3}-stats-{round_name}")
            rows = stat_rows(SCHEMA, lang)
            figures: list[list[object]] = [
                ["<5" if 0 < n < 5 else n for n in (rng.randint(0, 60), rng.randint(0, 60))] for _ in rows
            ]
            for i, (ind_id, _, breakdown) in enumerate(rows):  # totals equal their sex breakdown where none is <5
                if not breakdown:
                    parts = [figures[j] for j, (other, _, b) in enumerate(rows) if other == ind_id and "sex" in b]
                    for y in range(2):
                        if parts and all(isinstance(p[y], int) for p in parts):
                            figures[i][y] = sum(p[y] for p in parts)  # type: ignore[misc]
            for r, values in enumerate(figures, 2):
                for c, v in zip((7, 8), values, strict=True):
                    sheet.cell(row=r, column=c, value=v)
            continue
        sheet = wb[SHEET[lang][ds]]
        answers = {row[0]: row for row in matrix_rows(ds, iso3, round_name, lang) if row[0]}
        for r in range(2, sheet.max_row + 1):
            row = answers.get(sheet.cell(row=r, column=1).value)
            if row:
                for c in range(3, 7):
                    sheet.cell(row=r, column=c, value=row[c - 1] if row[c - 1] != "" else None)
    if mutate:
        mutate(wb)
    wb.save(path)


def country_made(path: Path, iso3_name: str, round_name: str, mistakes: bool) -> None:
    """A workbook a country made itself: title rows, labels but no id column, 'si' and 'X', blank rows."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Matriz trata"
    sheet.append([f"MATRIZ COMPARATIVA - {iso3_name.upper()} - {round_name}"])
    sheet.append([NOTICE["es"]])
    sheet.append([])
    sheet.append(["Indicador", "Respuesta", "Ley / norma", "Artículo", "Observaciones"])
    rng = random.Random(f"{iso3_name}-matrix")
    for i, ind in enumerate(SCHEMA.matrix("trafficking").indicators):
        value, law, art, notes = answer(ind, rng, "es")
        if ind.type == "yesno":
            value = rng.choice(["si", "X", "Sí", "no", "Parcial"]) if value != "No aplica" else "N/A"
            law, art = ("Ley ejemplo 1/2009 (ilustrativa)", f"art. {i + 1}") if value not in ("no", "N/A") else ("", "")
        if mistakes and ind.id == "tip_attempt":
            value = "quizás"
        if mistakes and ind.id == "tip_child_age_threshold":
            value = "dieciocho"
        sheet.append([ind.label.es, value, law, art, notes])
        if i % 10 == 9:
            sheet.append([])
    sheet.append([])
    sheet.append(["Elaborado por: Unidad ejemplo (ilustrativo)"])
    wb.save(path)


def csv_spanish_excel(path: Path, iso3: str, round_name: str) -> None:
    """What a Spanish-locale Excel saves as CSV: cp1252, ';' separators, decimal commas."""
    rows = [[f"# {NOTICE['es']}"], [f"# País: {iso3}  Ronda: {round_name}"], HEAD["es"]]
    for row in matrix_rows("smuggling", iso3, round_name, "es"):
        row = ["" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else v) for v in row]
        rows.append([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    with open(path, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)


def ods(path: Path, iso3: str, round_name: str) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="odf") as writer:
        ident = [
            [NOTICE["es"], ""],
            ["País", iso3],
            ["Ronda", round_name],
            ["Esquema", "rcm"],
            ["Versión de la plantilla", "1.0"],
        ]
        pd.DataFrame(ident).to_excel(writer, sheet_name="Identificación", header=False, index=False)
        for ds in ("trafficking", "smuggling"):
            rows = matrix_rows(ds, iso3, round_name, "es")
            rows = [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows]
            pd.DataFrame(rows, columns=HEAD["es"]).to_excel(writer, sheet_name=SHEET["es"][ds], index=False)


def _leave_blanks(wb) -> None:
    """Panama's trafficking sheet leaves three required answers blank: accepted, but incomplete."""
    sheet = wb["Trata"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in ("tip_attempt", "tip_accomplice", "tip_privacy_identity"):
            row[2].value = None


def main() -> None:
    for sub in ("2016", "2017", "2017_late"):
        folder = HERE / sub
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    full = ("trafficking", "smuggling", "statistics")
    r17 = HERE / "2017"
    workbook(r17 / "GTM_2017.xlsx", "GTM", "2017", "es", full)
    workbook(r17 / "CRI_2017.xlsx", "CRI", "2017", "es", full)
    workbook(HERE / "2017_late" / "SLV_2017.xlsx", "SLV", "2017", "es", ("trafficking", "smuggling"))
    workbook(r17 / "DOM_2017.xlsx", "DOM", "2017", "es", full)
    workbook(r17 / "USA_2017.xlsx", "USA", "2017", "en", full)
    workbook(r17 / "CAN_2017.xlsx", "CAN", "2017", "en", ("trafficking", "smuggling"))
    ods(r17 / "MEX_2017.ods", "MEX", "2017")
    csv_spanish_excel(r17 / "PAN_trafico_2017.csv", "PAN", "2017")
    workbook(r17 / "PAN_2017.xlsx", "PAN", "2017", "es", ("trafficking",), mutate=_leave_blanks)
    country_made(r17 / "Matriz Honduras 2017.xlsx", "Honduras", "2017", mistakes=True)
    r16 = HERE / "2016"
    for iso3 in ("GTM", "CRI", "MEX", "USA"):
        lang = "en" if iso3 == "USA" else "es"
        workbook(r16 / f"{iso3}_2016.xlsx", iso3, "2016", lang, ("trafficking", "smuggling"))
    country_made(r16 / "Matriz Honduras 2016.xlsx", "Honduras", "2016", mistakes=False)


if __name__ == "__main__":
    main()
