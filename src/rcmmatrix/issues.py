"""Issue records: everything a user must fix, with a stable code and a location.

An :class:`Issue` keeps its message arguments, not a rendered sentence, so the same issue can be shown in
Spanish to a liaison officer and in English to a colleague, and stored once. ``str(issue)`` reads like compiler
output: ``GTM_2017.xlsx:trafficking!C14: error [bad-value] 'maybe' is not one of: Yes, No, Partial, …``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

LANGS = ("es", "en", "fr")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """The one catalogue of issue codes. Codes are stable: scripts and tests rely on them."""

    UNREADABLE_FILE = "unreadable-file"
    PASSWORD_PROTECTED = "password-protected"
    EMPTY_FILE = "empty-file"
    FILE_TOO_LARGE = "file-too-large"
    UNSUPPORTED_FORMAT = "unsupported-format"
    MISSING_SHEET = "missing-sheet"
    MISSING_COLUMN = "missing-column"
    NO_COUNTRY = "no-country"
    UNKNOWN_COUNTRY = "unknown-country"
    NOT_A_MEMBER = "not-a-member"
    COUNTRY_MISMATCH = "country-mismatch"
    ROUND_MISMATCH = "round-mismatch"
    UNKNOWN_ROUND = "unknown-round"
    OUTDATED_TEMPLATE = "outdated-template"
    WRONG_SCHEMA = "wrong-schema"
    UNKNOWN_INDICATOR = "unknown-indicator"
    DUPLICATE_INDICATOR = "duplicate-indicator"
    MISSING_REQUIRED = "missing-required"
    BAD_VALUE = "bad-value"
    OUT_OF_RANGE = "out-of-range"
    MISSING_CITATION = "missing-citation"
    MERGED_CELLS = "merged-cells"
    TEXT_TOO_LONG = "text-too-long"
    EXCEL_ERROR = "excel-error"
    FORMULA_WITHOUT_VALUE = "formula-without-value"
    NORMALIZED_VALUE = "normalized-value"
    IGNORED_SHEET = "ignored-sheet"
    DUPLICATE_SUBMISSION = "duplicate-submission"
    INCONSISTENT_TOTAL = "inconsistent-total"
    SHEET_TOO_LARGE = "sheet-too-large"
    DUPLICATE_SHEET = "duplicate-sheet"


# Message templates by code and language. Arguments are str.format fields; an argument may itself be a
# {lang: text} mapping, rendered in the issue's language (e.g. the allowed answers "Sí, No, …").
MESSAGES: dict[Code, dict[str, str]] = {
    Code.UNREADABLE_FILE: {
        "en": "cannot read this file as a spreadsheet ({reason})",
        "es": "no se puede leer este archivo como hoja de cálculo ({reason})",
    },
    Code.PASSWORD_PROTECTED: {
        "en": "the workbook is password-protected; save it without a password and send it again",
        "es": "el libro está protegido con contraseña; guárdelo sin contraseña y envíelo de nuevo",
    },
    Code.EMPTY_FILE: {
        "en": "the file is empty",
        "es": "el archivo está vacío",
    },
    Code.FILE_TOO_LARGE: {
        "en": "the file is {size} bytes, over the limit of {limit} bytes",
        "es": "el archivo tiene {size} bytes, más que el límite de {limit} bytes",
    },
    Code.UNSUPPORTED_FORMAT: {
        "en": "'{suffix}' files are not read; send .xlsx, .xls, .ods or .csv",
        "es": "no se leen archivos '{suffix}'; envíe .xlsx, .xls, .ods o .csv",
    },
    Code.MISSING_SHEET: {
        "en": "no sheet with the matrices or statistics was found (sheets: {sheets})",
        "es": "no se encontró ninguna hoja con las matrices o las estadísticas (hojas: {sheets})",
    },
    Code.MISSING_COLUMN: {
        "en": "no '{column}' column was found in the header row (looked in the first {rows} rows)",
        "es": "no se encontró la columna '{column}' en la fila de encabezado (se buscó en las primeras {rows} filas)",
    },
    Code.NO_COUNTRY: {
        "en": "the country is not stated: fill it in on the identity sheet, name the file after it, or use --country",
        "es": "no se indica el país: complételo en la hoja de identificación, nombre el archivo con él o use --country",
    },
    Code.UNKNOWN_COUNTRY: {
        "en": "'{value}' is not a country name or ISO code",
        "es": "'{value}' no es un nombre de país ni un código ISO",
    },
    Code.NOT_A_MEMBER: {
        "en": "{value} is not a member of this workspace (members: {members})",
        "es": "{value} no es miembro de este espacio de trabajo (miembros: {members})",
    },
    Code.COUNTRY_MISMATCH: {
        "en": "the country is given as {first} ({first_source}) and as {second} ({second_source})",
        "es": "el país figura como {first} ({first_source}) y como {second} ({second_source})",
    },
    Code.ROUND_MISMATCH: {
        "en": "the workbook is for round {found}, but round {expected} is being ingested",
        "es": "el libro corresponde a la ronda {found}, pero se está cargando la ronda {expected}",
    },
    Code.UNKNOWN_ROUND: {
        "en": "round '{value}' does not exist in this workspace (rounds: {rounds})",
        "es": "la ronda '{value}' no existe en este espacio de trabajo (rondas: {rounds})",
    },
    Code.OUTDATED_TEMPLATE: {
        "en": "the template is version {found}; the current one is {current}: please use a fresh template next time",
        "es": "la plantilla es la versión {found}; la vigente es {current}: use una plantilla nueva la próxima vez",
    },
    Code.WRONG_SCHEMA: {
        "en": "the workbook was made for schema '{found}', not '{expected}': download a fresh template",
        "es": "el libro se hizo para el esquema '{found}', no '{expected}': descargue una plantilla nueva",
    },
    Code.UNKNOWN_INDICATOR: {
        "en": "'{value}' is not an indicator of this matrix{hint}",
        "es": "'{value}' no es un indicador de esta matriz{hint}",
    },
    Code.DUPLICATE_INDICATOR: {
        "en": "indicator {indicator} appears again (first at row {first_row})",
        "es": "el indicador {indicator} aparece de nuevo (primero en la fila {first_row})",
    },
    Code.MISSING_REQUIRED: {
        "en": "required indicator {indicator} ({label}) has no answer",
        "es": "el indicador obligatorio {indicator} ({label}) no tiene respuesta",
    },
    Code.BAD_VALUE: {
        "en": "'{value}' is not a valid {kind}{allowed}",
        "es": "'{value}' no es un valor válido ({kind}){allowed}",
    },
    Code.OUT_OF_RANGE: {
        "en": "{value} is outside the accepted range {low} to {high}",
        "es": "{value} está fuera del intervalo aceptado, de {low} a {high}",
    },
    Code.MISSING_CITATION: {
        "en": "the answer is '{value}' but no law is cited",
        "es": "la respuesta es '{value}' pero no se cita ninguna ley",
    },
    Code.MERGED_CELLS: {
        "en": "merged cells {range} in the answer area: unmerge them so each indicator has its own answer",
        "es": "celdas combinadas {range} en la zona de respuestas: sepárelas para que cada indicador tenga su respuesta",
    },
    Code.TEXT_TOO_LONG: {
        "en": "the text is {length} characters long, over the limit of {limit}",
        "es": "el texto tiene {length} caracteres, más que el límite de {limit}",
    },
    Code.EXCEL_ERROR: {
        "en": "the cell holds the spreadsheet error {value}, not an answer",
        "es": "la celda contiene el error de hoja de cálculo {value}, no una respuesta",
    },
    Code.FORMULA_WITHOUT_VALUE: {
        "en": "the cell holds a formula with no saved result: type the value instead",
        "es": "la celda contiene una fórmula sin resultado guardado: escriba el valor",
    },
    Code.NORMALIZED_VALUE: {
        "en": "'{value}' was read as '{normalized}'",
        "es": "'{value}' se leyó como '{normalized}'",
    },
    Code.IGNORED_SHEET: {
        "en": "sheet '{sheet}' is not part of the matrices and was not read",
        "es": "la hoja '{sheet}' no forma parte de las matrices y no se leyó",
    },
    Code.DUPLICATE_SUBMISSION: {
        "en": "another file in this run ({other}) is also for {country}, {matrix}; the later one in the run wins",
        "es": "otro archivo de esta carga ({other}) también es de {country}, {matrix}; prevalece el último",
    },
    Code.DUPLICATE_SHEET: {
        "en": "the {matrix} matrix is also on sheet '{first}': keep one sheet per matrix",
        "es": "la matriz {matrix} también está en la hoja '{first}': deje una sola hoja por matriz",
    },
    Code.SHEET_TOO_LARGE: {
        "en": "the sheet has {rows} rows and {columns} columns, over the limit of {max_rows} rows and {max_columns} "
        "columns: delete the rows and columns that are not part of the matrix",
        "es": "la hoja tiene {rows} filas y {columns} columnas, más que el límite de {max_rows} filas y {max_columns} "
        "columnas: elimine las filas y columnas que no forman parte de la matriz",
    },
    Code.INCONSISTENT_TOTAL: {
        "en": "the {dimension} breakdown of {indicator} for {year} sums to {parts}, but the total is {total}",
        "es": "el desglose por {dimension} de {indicator} en {year} suma {parts}, pero el total es {total}",
    },
}


def _render_arg(value: Any, lang: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(lang) or value.get("en") or next(iter(value.values()), "")
    return value


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a submission (or a warning about a change made to it)."""

    code: Code
    args: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    severity: Severity = Severity.ERROR
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def message(self, lang: str = "en") -> str:
        templates = MESSAGES[self.code]
        template = templates.get(lang) or templates["en"]
        args = {k: _render_arg(v, lang) for k, v in self.args.items()}
        return template.format_map(_Default(args))

    @property
    def location(self) -> str:
        where = self.file or ""
        if self.sheet:
            where += f":{self.sheet}"
            if self.cell:
                where += f"!{self.cell}"
        elif self.cell:
            where += f":{self.cell}"
        return where

    def render(self, lang: str = "en") -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.severity.value} [{self.code.value}] {self.message(lang)}"

    def __str__(self) -> str:
        return self.render("en")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
        }

    def args_json(self) -> str:
        return json.dumps(dict(self.args), ensure_ascii=False, default=str)


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
