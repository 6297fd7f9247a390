"""The fill-in workbook sent to each member: instructions, identity, one sheet per matrix, statistics.

It follows the country-workbook contract that ingest reads (see layout.py): matrix sheets with the columns id,
label, answer, law, article, notes, source URL; an identity sheet with the template and schema versions. Answers
come pre-filled with the member's last accepted values, so officials confirm or correct instead of retyping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RcmmatrixError
from .normalize import as_text
from .schema import Indicator, Matrix, Schema
from .store import Answer, Store
from .text import long_date
from .workspace import Round, Workspace

TEMPLATE_LANGS = ("es", "en", "fr")

T: dict[str, dict[str, Any]] = {
    "es": {
        "instructions": "Instrucciones",
        "identity": "Identificación",
        "statistics": "Estadísticas",
        "sheets": {"trafficking": "Trata", "smuggling": "Tráfico"},
        "columns": [
            "Código",
            "Indicador",
            "Respuesta",
            "Ley",
            "Artículo",
            "Observaciones",
            "URL de la fuente",
            "Referencia",
            "Sin cambios desde",
        ],
        "identity_rows": [
            "País",
            "Ronda",
            "Esquema",
            "Versión de la plantilla",
            "Versión del esquema",
            "Idioma",
            "Institución",
            "Contacto",
            "Correo electrónico",
            "Fecha",
        ],
        "stat_columns": ["Código", "Indicador", "Sexo", "Grupo de edad", "Nacionalidad", "Forma de explotación"],
        "unchanged": "sin cambios desde {round}",
        "changed": "modificado",
        "title": "Matrices comparativas de la Conferencia Regional sobre Migración (CRM)",
        "lines": [
            "País: {country}. Ronda: {round}. Fecha límite: {deadline}.",
            "1. Complete la hoja «{identity}» (institución, contacto, fecha). País, ronda y versiones no se modifican.",
            "2. En cada hoja de matriz, elija la respuesta en la lista desplegable de la columna «Respuesta»: {vocab}.",
            "   «No aplica» solo cuando la disposición no corresponde a su país; si no sabe, deje la celda vacía (no escriba «No»).",
            "3. Para cada «Sí» o «Parcial», cite la ley en «Ley» (nombre oficial y número) y el artículo en «Artículo» (p. ej. «art. 202 ter»).",
            "   Use «Observaciones» para matices y «URL de la fuente» para el enlace al texto oficial.",
            "4. Las respuestas vienen completadas con lo que su país informó en la ronda anterior: confírmelas o corríjalas.",
            "   La columna «Sin cambios desde» le muestra qué celdas ha modificado.",
            "5. Estadísticas: una fila por indicador y desagregación, una columna por año. Deje vacío lo que no tenga (vacío no es cero);",
            "   escriba «<5» para cifras suprimidas por ser menores de 5 y «n/d» si el dato no está disponible.",
            "6. No cambie los nombres de las hojas ni el orden de las columnas. Guarde como Excel (.xlsx) o LibreOffice (.ods).",
            "7. Envíe el archivo a: {send_to}.",
        ],
        "prompt": {
            "yesno": "Elija de la lista: {vocab}",
            "choice": "Elija de la lista",
            "integer": "Número entero",
            "number": "Número (use coma o punto decimal)",
            "date": "Fecha (dd/mm/aaaa)",
        },
    },
    "en": {
        "instructions": "Instructions",
        "identity": "Identity",
        "statistics": "Statistics",
        "sheets": {"trafficking": "Trafficking", "smuggling": "Smuggling"},
        "columns": [
            "Id",
            "Indicator",
            "Answer",
            "Law",
            "Article",
            "Notes",
            "Source URL",
            "Reference",
            "Unchanged since",
        ],
        "identity_rows": [
            "Country",
            "Round",
            "Schema",
            "Template version",
            "Schema version",
            "Language",
            "Institution",
            "Contact",
            "E-mail",
            "Date",
        ],
        "stat_columns": ["Id", "Indicator", "Sex", "Age group", "Citizenship", "Form of exploitation"],
        "unchanged": "unchanged since {round}",
        "changed": "changed",
        "title": "Comparative matrices of the Regional Conference on Migration (RCM)",
        "lines": [
            "Country: {country}. Round: {round}. Deadline: {deadline}.",
            "1. Fill in the '{identity}' sheet (institution, contact, date). Country, round and versions are fixed.",
            "2. On each matrix sheet, pick the answer from the drop-down in the 'Answer' column: {vocab}.",
            "   'Not applicable' only where the provision does not apply to your country; if unsure, leave it blank (do not write 'No').",
            "3. For each 'Yes' or 'Partial', cite the law under 'Law' (official name and number) and the article under 'Article' (e.g. 's. 279.01').",
            "   Use 'Notes' for nuances and 'Source URL' for a link to the official text.",
            "4. Answers come pre-filled with what your country reported last round: confirm or correct them.",
            "   The 'Unchanged since' column shows which cells you have changed.",
            "5. Statistics: one row per indicator and breakdown, one column per year. Leave blank what you do not have (blank is not zero);",
            "   write '<5' for figures suppressed because they are under 5 and 'n/a' where the figure is not available.",
            "6. Do not rename sheets or reorder columns. Save as Excel (.xlsx) or LibreOffice (.ods).",
            "7. Send the file to: {send_to}.",
        ],
        "prompt": {
            "yesno": "Pick from the list: {vocab}",
            "choice": "Pick from the list",
            "integer": "Whole number",
            "number": "Number",
            "date": "Date (dd/mm/yyyy)",
        },
    },
    "fr": {
        "instructions": "Consignes",
        "identity": "Identification",
        "statistics": "Statistiques",
        "sheets": {"trafficking": "Traite", "smuggling": "Trafic"},
        "columns": [
            "Code",
            "Indicateur",
            "Réponse",
            "Loi",
            "Article",
            "Observations",
            "URL de la source",
            "Référence",
            "Inchangé depuis",
        ],
        "identity_rows": [
            "Pays",
            "Cycle",
            "Schéma",
            "Version du modèle",
            "Version du schéma",
            "Langue",
            "Institution",
            "Contact",
            "Courriel",
            "Date",
        ],
        "stat_columns": ["Code", "Indicateur", "Sexe", "Groupe d'âge", "Nationalité", "Forme d'exploitation"],
        "unchanged": "inchangé depuis {round}",
        "changed": "modifié",
        "title": "Matrices comparatives de la Conférence régionale sur la migration (CRM)",
        "lines": [
            "Pays : {country}. Cycle : {round}. Date limite : {deadline}.",
            "1. Remplissez la feuille « {identity} » (institution, contact, date). Pays, cycle et versions sont fixes.",
            "2. Dans chaque feuille de matrice, choisissez la réponse dans la liste de la colonne « Réponse » : {vocab}.",
            "   « Sans objet » seulement si la disposition ne s'applique pas ; en cas de doute, laissez vide (n'écrivez pas « Non »).",
            "3. Pour chaque « Oui » ou « Partiel », citez la loi (« Loi ») et l'article (« Article »).",
            "   Utilisez « Observations » pour les nuances et « URL de la source » pour le lien vers le texte officiel.",
            "4. Les réponses reprennent ce que votre pays a déclaré au cycle précédent : confirmez-les ou corrigez-les.",
            "   La colonne « Inchangé depuis » montre les cellules que vous avez modifiées.",
            "5. Statistiques : une ligne par indicateur et ventilation, une colonne par année. Laissez vide ce que vous n'avez pas (vide n'est pas zéro) ;",
            "   écrivez « <5 » pour les chiffres masqués car inférieurs à 5 et « n/d » si la donnée n'est pas disponible.",
            "6. Ne renommez pas les feuilles et ne changez pas l'ordre des colonnes. Enregistrez en Excel (.xlsx) ou LibreOffice (.ods).",
            "7. Envoyez le fichier à : {send_to}.",
        ],
        "prompt": {
            "yesno": "Choisissez dans la liste : {vocab}",
            "choice": "Choisissez dans la liste",
            "integer": "Nombre entier",
            "number": "Nombre",
            "date": "Date (jj/mm/aaaa)",
        },
    },
}
LISTS = "_lists"


@dataclass(slots=True)
class TemplateRequest:
    country: str
    round: Round
    lang: str
    matrices: tuple[str, ...]
    blank: bool = False


def template_name(iso3: str, round_name: str, lang: str) -> str:
    return f"{iso3}_{round_name}_{lang}.xlsx"


def _datasets(schema: Schema, matrix: str) -> tuple[str, ...]:
    if matrix == "all":
        return schema.dataset_ids
    if matrix not in schema.dataset_ids:
        raise RcmmatrixError(f"unknown matrix '{matrix}' (choose from: {', '.join(schema.dataset_ids)}, all)")
    return (matrix,)


def write_templates(
    ws: Workspace,
    countries: Sequence[str],
    out: Path,
    round_name: str | None = None,
    matrix: str = "all",
    lang: str | None = None,
    blank: bool = False,
) -> list[Path]:
    """One workbook per country; ``out`` is a folder (several) or a file path (one country)."""
    rnd = ws.round(round_name)
    datasets = _datasets(ws.schema, matrix)
    if lang is not None and lang not in TEMPLATE_LANGS:
        raise RcmmatrixError(f"language '{lang}' has no template (es, en, fr)")
    written = []
    for country in countries:
        member = ws.member(country)
        chosen = lang or (member.language if member.language in TEMPLATE_LANGS else "en")
        target = (
            out
            if out.suffix.lower() == ".xlsx" and len(countries) == 1
            else out / template_name(member.iso3, rnd.name, chosen)
        )
        written.append(write_template(ws, TemplateRequest(member.iso3, rnd, chosen, datasets, blank), target))
    return written


def write_template(ws: Workspace, req: TemplateRequest, path: Path) -> Path:
    from openpyxl import Workbook

    schema = ws.schema
    t = T[req.lang]
    wb = Workbook()
    lists = _lists_sheet(wb, schema, req.lang)
    _instructions(wb.active, ws, req)
    _identity(wb.create_sheet(t["identity"]), ws, req)
    prefill: dict[str, tuple[str, dict[str, Answer]]] = {}
    if not req.blank:
        prefill = _last_answers(ws, req)
    for ds in req.matrices:
        if ds in schema.matrix_ids:
            _matrix_sheet(wb.create_sheet(t["sheets"][ds]), schema, schema.matrix(ds), req, prefill.get(ds), lists)
        elif schema.statistics and ds == schema.statistics.id:
            _statistics_sheet(wb.create_sheet(t["statistics"]), schema, req)
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _last_answers(ws: Workspace, req: TemplateRequest) -> dict[str, tuple[str, dict[str, Answer]]]:
    names = [r.name for r in ws.rounds]
    upto = names[: names.index(req.round.name) + 1]
    out = {}
    with Store.open(ws.db_path) as store:
        for ds in req.matrices:
            found = store.latest_accepted(req.country, ds, upto)
            if found:
                out[ds] = (found[0], {a.indicator: a for a in found[1]})
    return out


def _lists_sheet(wb: Any, schema: Schema, lang: str) -> dict[str, str]:
    """Vocabularies as ranges on a hidden, protected sheet (inline lists break past 255 characters)."""
    sheet = wb.create_sheet(LISTS)
    ranges: dict[str, str] = {}
    col = 1
    vocabularies = {"yesno": schema.vocabularies["yesno"]}
    for _, ind in schema.all_indicators():
        if ind.type == "choice" and ind.choices is not None:
            vocabularies[ind.id] = ind.choices
    from openpyxl.utils import get_column_letter

    for key, vocab in vocabularies.items():
        letter = get_column_letter(col)
        for row, label in enumerate(vocab.labels(lang), 1):
            sheet.cell(row=row, column=col, value=label)
        ranges[key] = f"'{LISTS}'!${letter}$1:${letter}${len(vocab.terms)}"
        col += 1
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    return ranges


def _instructions(sheet: Any, ws: Workspace, req: TemplateRequest) -> None:
    from openpyxl.styles import Alignment, Font

    from .members import country_name

    t = T[req.lang]
    sheet.title = t["instructions"]
    vocab = " / ".join(ws.schema.vocabularies["yesno"].labels(req.lang))
    sec = ws.secretariat
    send_to = sec.email or sec.name
    fields = {
        "country": f"{country_name(req.country, req.lang)} ({req.country})",
        "round": req.round.name,
        "deadline": long_date(req.round.deadline_for(req.country), req.lang),
        "identity": t["identity"],
        "vocab": vocab,
        "send_to": send_to,
    }
    sheet["A1"] = t["title"]
    sheet["A1"].font = Font(bold=True, size=14)
    for row, line in enumerate(t["lines"], 3):
        cell = sheet.cell(row=row, column=1, value=line.format(**fields))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 130
    sheet.protection.sheet = True


def _identity(sheet: Any, ws: Workspace, req: TemplateRequest) -> None:
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from .members import country_name

    t = T[req.lang]
    member = ws.member(req.country)
    fp = member.focal_point
    values: list[Any] = [
        req.country,
        req.round.name,
        ws.schema.id,
        ws.schema.template_version,
        ws.schema.version,
        req.lang,
        fp.institution,
        fp.name,
        fp.email,
        None,
    ]
    locked = 6
    for row, (label, value) in enumerate(zip(t["identity_rows"], values, strict=True), 1):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=row, column=2, value=value)
        if row <= locked:
            cell.fill = PatternFill("solid", fgColor="E7E6E6")
        else:
            cell.protection = Protection(locked=False)
    sheet.cell(row=1, column=3, value=country_name(req.country, req.lang))
    date = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="36526",
        allow_blank=True,
        prompt=T[req.lang]["prompt"]["date"],
        showInputMessage=True,
    )
    sheet.add_data_validation(date)
    date.add(f"B{len(values)}")
    sheet.cell(row=len(values), column=2).number_format = "DD/MM/YYYY"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 30
    sheet.protection.sheet = True


def _display(schema: Schema, ind: Indicator, answer: Answer, lang: str) -> Any:
    vocab = schema.vocabulary_for(ind)
    if vocab is not None and isinstance(answer.value, str):
        try:
            return vocab.term(answer.value).label.get(lang)
        except KeyError:
            return answer.value
    return answer.value


def _matrix_sheet(
    sheet: Any,
    schema: Schema,
    matrix: Matrix,
    req: TemplateRequest,
    prefill: tuple[str, dict[str, Answer]] | None,
    lists: dict[str, str],
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    t = T[req.lang]
    for col, name in enumerate(t["columns"], 1):
        cell = sheet.cell(row=1, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    prev_col = len(t["columns"]) + 1
    sheet.cell(row=1, column=prev_col, value="_")
    validations: dict[str, Any] = {}

    def validation(kind: str, ind: Indicator) -> Any:
        key = ind.id if kind == "choice" else f"{kind}:{ind.min}:{ind.max}"
        if key in validations:
            return validations[key]
        prompt = t["prompt"][kind].format(vocab=" / ".join(schema.vocabularies["yesno"].labels(req.lang)))
        if kind in ("yesno", "choice"):
            dv = DataValidation(type="list", formula1=lists["yesno" if kind == "yesno" else ind.id], allow_blank=True)
        elif kind in ("integer", "number"):
            low = ind.min if ind.min is not None else -1e12
            high = ind.max if ind.max is not None else 1e12
            dv = DataValidation(
                type="whole" if kind == "integer" else "decimal",
                operator="between",
                formula1=as_text(low),
                formula2=as_text(high),
                allow_blank=True,
            )
        else:
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        dv.prompt, dv.promptTitle, dv.showInputMessage = prompt, t["columns"][2], True
        dv.error, dv.showErrorMessage = prompt, True
        sheet.add_data_validation(dv)
        validations[key] = dv
        return dv

    row = 2
    answers = prefill[1] if prefill else {}
    since = prefill[0] if prefill else None
    for group in matrix.groups:
        heading = sheet.cell(row=row, column=2, value=group.title.get(req.lang))
        heading.font = Font(bold=True, color="FFFFFF")
        for col in range(1, len(t["columns"]) + 1):
            sheet.cell(row=row, column=col).fill = PatternFill("solid", fgColor="2F5597")
        row += 1
        for ind in (i for i in matrix.indicators if i.group == group.id):
            a = answers.get(ind.id)
            sheet.cell(row=row, column=1, value=ind.id)
            label = sheet.cell(row=row, column=2, value=ind.label.get(req.lang) + (" *" if ind.required else ""))
            label.alignment = Alignment(wrap_text=True, vertical="top")
            value = _display(schema, ind, a, req.lang) if a is not None and a.value is not None else None
            fields = [
                value,
                a.law if a else None,
                a.article if a else None,
                a.notes if a else None,
                a.source_url if a else None,
            ]
            for col, v in enumerate(fields, 3):
                cell = sheet.cell(row=row, column=col, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"  # a law name starting with "=" stays text
                cell.protection = Protection(locked=False)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if ind.type == "date":
                sheet.cell(row=row, column=3).number_format = "DD/MM/YYYY"
            kind = ind.type if ind.type in ("yesno", "choice", "integer", "number", "date") else None
            if kind:
                validation(kind, ind).add(f"C{row}")
            sheet.cell(row=row, column=8, value=ind.ref).alignment = Alignment(wrap_text=True, vertical="top")
            if since is not None and value is not None:
                prev = sheet.cell(row=row, column=prev_col, value=value)
                if isinstance(value, str):
                    prev.data_type = "s"
                changed = t["changed"]
                same = t["unchanged"].format(round=since)
                sheet.cell(
                    row=row, column=9, value=f'=IF(C{row}={get_column_letter(prev_col)}{row},"{same}","{changed}")'
                )
            row += 1
    widths = [26, 60, 16, 30, 14, 40, 30, 24, 22]
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.column_dimensions[get_column_letter(prev_col)].hidden = True
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def stat_rows(schema: Schema, lang: str) -> list[tuple[str, str, dict[str, str]]]:
    """(indicator id, label, {dimension: choice label}): the total, then one dimension broken down at a time."""
    assert schema.statistics is not None
    st = schema.statistics
    rows = []
    for ind in st.indicators:
        rows.append((ind.id, ind.label.get(lang), {}))
        for dim_id in ind.dimensions:
            dim = st.dimension(dim_id)
            for term in dim.choices.terms:
                if term.id != "total":
                    rows.append((ind.id, ind.label.get(lang), {dim_id: term.label.get(lang)}))
    return rows


def _statistics_sheet(sheet: Any, schema: Schema, req: TemplateRequest) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    t = T[req.lang]
    assert schema.statistics is not None
    dims = ["sex", "age_group", "citizenship", "exploitation_form"]
    years = list(req.round.years())
    header = [*t["stat_columns"], *years]
    for col, name in enumerate(header, 1):
        cell = sheet.cell(row=1, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    total = {d: schema.statistics.dimension(d).choices.term("total").label.get(req.lang) for d in dims}
    prompt = {
        "es": "Número entero; «<5» si es menor de 5; «n/d» si no está disponible; vacío si no tiene el dato",
        "en": "Whole number; '<5' if under 5; 'n/a' if not available; blank if you do not have it",
        "fr": "Nombre entier ; « <5 » si inférieur à 5 ; « n/d » si non disponible ; vide sinon",
    }[req.lang]
    dv = DataValidation(type="custom", formula1="TRUE", allow_blank=True, prompt=prompt, showInputMessage=True)
    sheet.add_data_validation(dv)
    row = 2
    for ind_id, label, breakdown in stat_rows(schema, req.lang):
        sheet.cell(row=row, column=1, value=ind_id)
        sheet.cell(row=row, column=2, value=label).alignment = Alignment(wrap_text=True)
        for col, d in enumerate(dims, 3):
            sheet.cell(row=row, column=col, value=breakdown.get(d, total[d]))
        for col in range(7, 7 + len(years)):
            sheet.cell(row=row, column=col).protection = Protection(locked=False)
        dv.add(f"G{row}:{get_column_letter(6 + len(years))}{row}")
        row += 1
    for col, width in enumerate([26, 50, 14, 16, 16, 24, *([10] * len(years))], 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "G2"
    sheet.protection.sheet = True
