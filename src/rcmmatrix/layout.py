"""Finding the matrices in a workbook: which sheet is which matrix, where its header row is, which column is
which — in the template's layout or in a layout a country made itself (title rows, blank rows, columns named in
Spanish, English or French, no id column).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .readers import Grid, RawBook
from .schema import Schema
from .text import fold

HEADER_SCAN_ROWS = 30

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "code",
        "codigo",
        "cod",
        "indicator id",
        "id indicador",
        "id del indicador",
        "identifiant",
        "code indicateur",
        "clave",
    ),
    "label": (
        "indicator",
        "indicador",
        "indicateur",
        "label",
        "descripcion",
        "description",
        "pregunta",
        "question",
        "elemento",
        "disposicion del protocolo",
        "etiqueta",
        "libelle",
    ),
    "answer": ("answer", "respuesta", "valor", "value", "reponse", "valeur", "response", "respuesta del pais"),
    "law": (
        "law",
        "ley",
        "loi",
        "legislacion",
        "legislation",
        "norma",
        "ley / norma",
        "law name",
        "nombre de la ley",
        "instrumento juridico",
        "texte de loi",
    ),
    "article": ("article", "articulo", "art", "articulos", "articles", "articulo(s)", "article(s)", "disposicion"),
    "notes": ("notes", "observaciones", "notas", "comentarios", "comments", "remarks", "observations", "note"),
    "source_url": (
        "source url",
        "url",
        "enlace",
        "fuente",
        "source",
        "lien",
        "link",
        "url de la fuente",
        "url de la source",
        "url (fuente)",
    ),
    "unchanged": ("unchanged since", "sin cambios desde", "inchange depuis", "changed", "cambio", "modifie"),
}
STAT_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": COLUMN_ALIASES["id"],
    "label": COLUMN_ALIASES["label"],
    "sex": ("sex", "sexo", "sexe"),
    "age_group": ("age", "edad", "age group", "grupo de edad", "groupe d'age", "groupe d age"),
    "citizenship": ("citizenship", "nacionalidad", "nationalite", "nationality", "ciudadania"),
    "exploitation_form": (
        "form of exploitation",
        "forma de explotacion",
        "forme d'exploitation",
        "exploitation",
        "explotacion",
        "tipo de explotacion",
    ),
    "year": ("year", "ano", "año", "annee"),
    "value": ("value", "valor", "valeur", "cifra", "total", "txtvalue"),
    "flag": ("flag", "marca", "indicador de calidad", "nota de calidad", "statut"),
    "country": ("country", "pais", "pays", "iso3", "iso3_code"),
    "notes": COLUMN_ALIASES["notes"],
}
IDENTITY_KEYS: dict[str, tuple[str, ...]] = {
    "country": ("country", "pais", "pays", "estado miembro", "member", "miembro"),
    "round": ("round", "ronda", "cycle", "ronda de reporte", "reporting round"),
    "schema": ("schema", "esquema", "schema id"),
    "template_version": (
        "template version",
        "version de la plantilla",
        "version du modele",
        "plantilla",
        "version plantilla",
        "template",
    ),
    "schema_version": ("schema version", "version del esquema", "version du schema"),
    "institution": ("institution", "institucion", "reporting institution", "institucion que reporta"),
    "contact": (
        "contact",
        "contacto",
        "liaison officer",
        "funcionario de enlace",
        "funcionario/a de enlace",
        "persona de contacto",
        "agent de liaison",
    ),
    "email": ("email", "e-mail", "correo", "correo electronico", "courriel"),
    "date": ("date", "fecha", "submission date", "fecha de envio", "date d'envoi"),
    "language": ("language", "idioma", "langue"),
}
IDENTITY_SHEETS = (
    "identity",
    "identificacion",
    "identification",
    "datos generales",
    "general information",
    "informations generales",
    "submission",
    "envio",
    "portada",
    "cover",
)
STAT_SHEETS = ("statistics", "estadisticas", "statistiques", "datos estadisticos", "stats", "estadistica")
MATRIX_SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "trafficking": ("trafficking", "trata", "traite", "trata de personas", "trafficking in persons", "tip"),
    "smuggling": (
        "smuggling",
        "trafico",
        "trafic",
        "trafico ilicito de migrantes",
        "migrant smuggling",
        "som",
        "trafico de migrantes",
        "trafic de migrants",
    ),
}
IGNORED_SHEETS = (
    "instructions",
    "instrucciones",
    "consignes",
    "lists",
    "listas",
    "listes",
    "legend",
    "leyenda",
    "legende",
    "_lists",
    "about",
    "acerca de",
    "problemas",
    "problems",
    "problemes",
)

_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(slots=True)
class Columns:
    header_row: int  # 0-based
    index: dict[str, int]  # role -> 0-based column


@dataclass(slots=True)
class MatrixSheet:
    matrix: str
    grid: Grid
    columns: Columns


@dataclass(slots=True)
class StatSheet:
    grid: Grid
    columns: Columns
    years: dict[int, int] = field(default_factory=dict)  # 0-based column -> year (wide layout)

    @property
    def long(self) -> bool:
        return not self.years


@dataclass(slots=True)
class Layout:
    book: RawBook
    identity: dict[str, tuple[Any, str, int, int]] = field(default_factory=dict)  # key -> (value, sheet, r, c)
    matrices: list[MatrixSheet] = field(default_factory=list)
    statistics: list[StatSheet] = field(default_factory=list)
    unreadable: list[tuple[Grid, str]] = field(default_factory=list)  # (grid, missing role) for near-misses
    ignored: list[Grid] = field(default_factory=list)


def _alias_index(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(a): role for role, names in aliases.items() for a in names}


_MATRIX_COLS = _alias_index(COLUMN_ALIASES)
_STAT_COLS = _alias_index(STAT_COLUMN_ALIASES)
_IDENTITY = _alias_index(IDENTITY_KEYS)


def _header_key(value: Any) -> str:
    if value.__class__ is not str or not value:
        return ""
    return _header_key_text(value)


@lru_cache(maxsize=4096)
def _header_key_text(value: str) -> str:
    text = fold(value)
    text = re.sub(r"\s*\(.*?\)\s*$", "", text) if text not in _MATRIX_COLS and text not in _STAT_COLS else text
    return text.rstrip("*:").strip()


def find_header(grid: Grid, aliases: dict[str, str], need: tuple[str, ...]) -> Columns | None:
    """The first row within HEADER_SCAN_ROWS that names the ``need``ed roles (plus id or label)."""
    best: Columns | None = None
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        index: dict[str, int] = {}
        for c, value in enumerate(row):
            role = aliases.get(_header_key(value))
            if role and role not in index:
                index[role] = c
        if all(n in index for n in need) and ("id" in index or "label" in index):
            return Columns(r, index)
        if best is None and len(index) >= 2 and ("id" in index or "label" in index):
            best = Columns(r, index)
    return best


def _year_columns(grid: Grid, header_row: int) -> dict[int, int]:
    years: dict[int, int] = {}
    for c, value in enumerate(grid.rows[header_row]):
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value or "").strip()
        if _YEAR.match(text):
            years[c] = int(text)
    return years


def _owners_in(grid: Grid, owner: dict[str, str], key: Callable[[str], str]) -> dict[str, int]:
    """How many cells of the sheet's first four columns name an indicator of each matrix (by id or by label)."""
    counts: dict[str, int] = {}
    for row in grid.rows[:400]:
        for value in row[:4]:
            if isinstance(value, str):
                found = owner.get(key(value))
                if found:
                    counts[found] = counts.get(found, 0) + 1
    return counts


def _matrix_by_name(name: str, schema: Schema) -> str | None:
    for m in schema.matrices:
        if name == m.id or name in MATRIX_SHEET_NAMES.get(m.id, ()) or name in (fold(t) for t in m.title.all()):
            return m.id
    return None


def matrix_for_sheet(grid: Grid, schema: Schema) -> str | None:
    found = _matrix_by_name(fold(grid.name), schema)
    if found:
        return found
    counts = _owners_in(grid, schema.owner_by_id, str.strip) or _owners_in(grid, schema.owner_by_label, fold)
    if counts:
        best = max(counts, key=lambda k: counts[k])
        if counts[best] >= 2:
            return best
    return None


def analyse(book: RawBook, schema: Schema) -> Layout:
    layout = Layout(book)
    for grid in book.grids:
        name = fold(grid.name)
        if name in IGNORED_SHEETS or name.startswith("_"):
            continue
        named = _matrix_by_name(name, schema) or (name in STAT_SHEETS)
        if name in IDENTITY_SHEETS or (not named and _looks_like_identity(grid)):
            _read_identity(grid, layout)
            continue
        matrix = matrix_for_sheet(grid, schema)
        if matrix is not None:
            cols = find_header(grid, _MATRIX_COLS, ("answer",))
            if cols is None or "answer" not in cols.index:
                layout.unreadable.append((grid, "answer"))
            else:
                layout.matrices.append(MatrixSheet(matrix, grid, cols))
            continue
        if schema.statistics is not None and (name in STAT_SHEETS or _has_stat_ids(grid, schema)):
            cols = find_header(grid, _STAT_COLS, ())
            if cols is None:
                layout.unreadable.append((grid, "indicator"))
                continue
            years = _year_columns(grid, cols.header_row)
            if not years and not ("year" in cols.index and "value" in cols.index):
                layout.unreadable.append((grid, "year"))
                continue
            layout.statistics.append(StatSheet(grid, cols, years))
            continue
        if any(v not in (None, "") for row in grid.rows for v in row):
            layout.ignored.append(grid)
    return layout


def _has_stat_ids(grid: Grid, schema: Schema) -> bool:
    assert schema.statistics is not None
    ids = schema.statistics.by_id
    return any(isinstance(v, str) and v.strip() in ids for row in grid.rows[:400] for v in row[:4])


def _looks_like_identity(grid: Grid) -> bool:
    keys = {_IDENTITY.get(_header_key(row[0])) for row in grid.rows[:40] if row}
    return "country" in keys and ("round" in keys or "institution" in keys) and len(grid.rows) < 60


def _read_identity(grid: Grid, layout: Layout) -> None:
    for r, row in enumerate(grid.rows[:60]):
        for c in range(min(len(row) - 1, 3)):
            key = _IDENTITY.get(_header_key(row[c]))
            if key and key not in layout.identity:
                value = next(((v, c2) for c2, v in enumerate(row[c + 1 :], c + 1) if v not in (None, "")), None)
                if value is not None:
                    layout.identity[key] = (value[0], grid.name, r, value[1])
                break
