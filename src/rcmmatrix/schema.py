"""The matrix schema: matrices, groups, indicators, value vocabularies and the statistics dataset.

``load_schema("rcm")`` loads the bundled schema; ``load_schema(path)`` a workspace's own TOML file. Everything is
parsed into frozen dataclasses, and a broken file is rejected with a :class:`SchemaError` that names the file,
the indicator and the problem.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SchemaError
from .text import fold

TYPES = ("yesno", "integer", "number", "date", "text", "citation", "choice")
SCHEMA_LANGS = ("es", "en", "fr")


@dataclass(frozen=True, slots=True)
class Text:
    """A label in several languages; French (and any missing language) falls back to English."""

    es: str
    en: str
    fr: str | None = None

    def get(self, lang: str) -> str:
        value = getattr(self, lang, None) if lang in SCHEMA_LANGS else None
        return value or self.en

    def all(self) -> tuple[str, ...]:
        return tuple(t for t in (self.es, self.en, self.fr) if t)


@dataclass(frozen=True, slots=True)
class Term:
    """One value of a vocabulary: its canonical id, its labels, and other spellings accepted on input."""

    id: str
    label: Text
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    id: str
    terms: tuple[Term, ...]

    @cached_property
    def _exact(self) -> dict[str, str]:
        exact: dict[str, str] = {}
        for term in self.terms:
            exact[term.id] = term.id
            for label in term.label.all():
                exact[label] = term.id
        return exact

    @cached_property
    def _folded(self) -> dict[str, str]:
        folded: dict[str, str] = {}
        for term in self.terms:
            for spelling in (term.id, term.id.replace("_", " "), *term.label.all(), *term.aliases):
                key = fold(spelling)
                if key:
                    folded.setdefault(key, term.id)
        return folded

    def match(self, raw: str) -> tuple[str | None, bool]:
        """(term id, exact) for ``raw``; exact is False when the spelling was an alias (worth a warning)."""
        text = raw.strip()
        if text in self._exact:
            return self._exact[text], True
        key = fold(text)
        return (self._folded.get(key) if key else None), False

    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    def term(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def labels(self, lang: str) -> tuple[str, ...]:
        return tuple(t.label.get(lang) for t in self.terms)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    title: Text


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    type: str
    required: bool
    ref: str
    label: Text
    help: Text | None = None
    choices: Vocabulary | None = None
    min: float | None = None
    max: float | None = None
    scored: bool = False

    @property
    def protocol(self) -> str | None:
        """'TIP' or 'SOM' when the ref cites one of the Protocols."""
        for name in ("TIP", "SOM"):
            if self.ref.startswith(f"{name} Protocol"):
                return name
        return None


@dataclass(frozen=True)
class Matrix:
    id: str
    title: Text
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    @cached_property
    def by_label(self) -> dict[str, Indicator]:
        """Folded label (any language) → indicator, for workbooks with no id column."""
        return {fold(lbl): i for i in self.indicators for lbl in i.label.all()}

    @cached_property
    def group_titles(self) -> frozenset[str]:
        return frozenset(fold(t) for g in self.groups for t in g.title.all())


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    choices: Vocabulary


@dataclass(frozen=True)
class StatIndicator:
    id: str
    dimensions: tuple[str, ...]
    required: bool
    ref: str
    label: Text


@dataclass(frozen=True)
class Statistics:
    id: str
    title: Text
    dimensions: tuple[Dimension, ...]
    indicators: tuple[StatIndicator, ...]

    @cached_property
    def by_id(self) -> dict[str, StatIndicator]:
        return {i.id: i for i in self.indicators}

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)


@dataclass(frozen=True)
class Scoring:
    """Points per yes/no answer and weights per group (matrix id → group id → weight; missing means 1)."""

    points: Mapping[str, float] = field(default_factory=lambda: {"yes": 1.0, "partial": 0.5, "no": 0.0})
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def weight(self, matrix: str, group: str) -> float:
        return float(self.weights.get(matrix, {}).get(group, 1.0))


@dataclass(frozen=True)
class Schema:
    id: str
    version: str
    template_version: str
    languages: tuple[str, ...]
    vocabularies: Mapping[str, Vocabulary]
    matrices: tuple[Matrix, ...]
    statistics: Statistics | None
    source: str = field(default="", compare=False)
    scoring: Scoring = field(default_factory=Scoring)

    def matrix(self, matrix_id: str) -> Matrix:
        for m in self.matrices:
            if m.id == matrix_id:
                return m
        known = ", ".join(m.id for m in self.matrices)
        raise SchemaError(f"unknown matrix '{matrix_id}' (the schema has: {known})")

    @property
    def matrix_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.matrices)

    @property
    def dataset_ids(self) -> tuple[str, ...]:
        """Matrices and, when present, the statistics dataset: what a member is expected to send."""
        return self.matrix_ids + ((self.statistics.id,) if self.statistics else ())

    def vocabulary_for(self, indicator: Indicator) -> Vocabulary | None:
        if indicator.type == "yesno":
            return self.vocabularies["yesno"]
        if indicator.type == "choice":
            return indicator.choices
        return None

    def all_indicators(self) -> Iterator[tuple[Matrix, Indicator]]:
        for m in self.matrices:
            for i in m.indicators:
                yield m, i

    @cached_property
    def owner_by_id(self) -> dict[str, str]:
        """indicator id → matrix id."""
        return {i.id: m.id for m, i in self.all_indicators()}

    @cached_property
    def owner_by_label(self) -> dict[str, str]:
        """folded indicator label → matrix id."""
        return {fold(lbl): m.id for m, i in self.all_indicators() for lbl in i.label.all()}


# ---------------------------------------------------------------------------------------------- loading


def bundled_schema_path(name: str = "rcm") -> Path:
    return Path(str(resources.files("rcmmatrix") / "schemas" / f"{name}.toml"))


def load_schema(source: str | Path = "rcm") -> Schema:
    """Load a schema: a bundled name ("rcm") or a path to a TOML file."""
    path = Path(source)
    if not path.suffix and not path.exists():
        path = bundled_schema_path(str(source))
        if not path.exists():
            raise SchemaError(f"no bundled schema named '{source}' (bundled: rcm)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"{path}: schema file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: not valid TOML: {exc}") from None
    return _Parser(str(path)).schema(data)


class _Parser:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, problem: str) -> SchemaError:
        return SchemaError(f"{self.name}: {where}: {problem}")

    def text(self, value: Any, where: str, what: str = "label") -> Text:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"missing {what} (give {what}.es and {what}.en)")
        for lang in ("es", "en"):
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(where, f"missing {what}.{lang}")
        fr = value.get("fr")
        return Text(es=value["es"], en=value["en"], fr=fr if isinstance(fr, str) and fr.strip() else None)

    def ident(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "missing id")
        return value

    def vocabulary(self, vid: str, table: Any, where: str) -> Vocabulary:
        terms = []
        if isinstance(table, list):  # [[...choice]] arrays: [{id, label, aliases}]
            items = [(self.ident(t.get("id"), where), t) for t in table if isinstance(t, Mapping)]
        elif isinstance(table, Mapping):
            items = list(table.items())
        else:
            raise self.fail(where, "vocabulary must be a table")
        if not items:
            raise self.fail(where, "has no choices")
        seen: set[str] = set()
        for term_id, entry in items:
            if term_id in seen:
                raise self.fail(where, f"duplicate choice '{term_id}'")
            seen.add(term_id)
            label = self.text(entry.get("label"), f"{where} choice '{term_id}'")
            aliases = tuple(str(a) for a in entry.get("aliases", ()))
            terms.append(Term(id=term_id, label=label, aliases=aliases))
        return Vocabulary(id=vid, terms=tuple(terms))

    def number(self, value: Any, where: str, key: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"'{key}' must be a number")
        return float(value)

    def indicator(self, raw: Mapping[str, Any], groups: set[str], where: str) -> Indicator:
        iid = self.ident(raw.get("id"), where)
        where = f"{where} indicator '{iid}'"
        itype = raw.get("type")
        if itype not in TYPES:
            raise self.fail(where, f"unknown type '{itype}' (types: {', '.join(TYPES)})")
        group = raw.get("group")
        if group not in groups:
            raise self.fail(where, f"group '{group}' is not declared")
        required = raw.get("required", False)
        if not isinstance(required, bool):
            raise self.fail(where, "'required' must be true or false")
        choices = None
        if itype == "choice":
            if not raw.get("choice"):
                raise self.fail(where, "type 'choice' needs its choices ([[matrix.indicator.choice]])")
            choices = self.vocabulary(iid, raw["choice"], where)
        ref = raw.get("ref")
        if not isinstance(ref, str) or not ref.strip():
            raise self.fail(where, "missing ref (a Protocol article, or 'Not in Protocol …')")
        return Indicator(
            id=iid,
            group=group,
            type=itype,
            required=required,
            ref=ref,
            label=self.text(raw.get("label"), where),
            help=self.text(raw["help"], where, "help") if "help" in raw else None,
            choices=choices,
            min=self.number(raw.get("min"), where, "min"),
            max=self.number(raw.get("max"), where, "max"),
            scored=self.scored(raw, itype, where),
        )

    def scored(self, raw: Mapping[str, Any], itype: str, where: str) -> bool:
        scored = raw.get("scored", False)
        if not isinstance(scored, bool):
            raise self.fail(where, "'scored' must be true or false")
        if scored and itype != "yesno":
            raise self.fail(where, "only yes/no indicators can be scored")
        if scored and not str(raw.get("ref", "")).startswith(("TIP Protocol", "SOM Protocol")):
            raise self.fail(where, "a scored indicator must cite a Protocol article in its ref")
        return scored

    def matrix(self, raw: Mapping[str, Any], seen_ids: dict[str, str]) -> Matrix:
        mid = self.ident(raw.get("id"), "matrix")
        where = f"matrix '{mid}'"
        groups = tuple(
            Group(id=self.ident(g.get("id"), where), title=self.text(g.get("title"), where, "title"))
            for g in raw.get("group", ())
        )
        if not groups:
            raise self.fail(where, "declares no groups ([[matrix.group]])")
        group_ids = {g.id for g in groups}
        indicators = []
        for ind in raw.get("indicator", ()):
            indicator = self.indicator(ind, group_ids, where)
            if indicator.id in seen_ids:
                raise self.fail(
                    f"{where} indicator '{indicator.id}'",
                    f"duplicate indicator id '{indicator.id}' (already in {seen_ids[indicator.id]})",
                )
            seen_ids[indicator.id] = where
            indicators.append(indicator)
        if not indicators:
            raise self.fail(where, "has no indicators")
        return Matrix(
            id=mid,
            title=self.text(raw.get("title"), where, "title"),
            groups=groups,
            indicators=tuple(indicators),
        )

    def statistics(self, raw: Mapping[str, Any]) -> Statistics:
        where = "statistics"
        dims = tuple(
            Dimension(
                id=self.ident(d.get("id"), where),
                title=self.text(d.get("title"), f"{where} dimension", "title"),
                choices=self.vocabulary(d.get("id", ""), d.get("choice", []), f"{where} dimension '{d.get('id')}'"),
            )
            for d in raw.get("dimension", ())
        )
        dim_ids = {d.id for d in dims}
        indicators = []
        seen: set[str] = set()
        for ind in raw.get("indicator", ()):
            iid = self.ident(ind.get("id"), where)
            iwhere = f"{where} indicator '{iid}'"
            if iid in seen:
                raise self.fail(iwhere, f"duplicate indicator id '{iid}'")
            seen.add(iid)
            unknown = [d for d in ind.get("dimensions", ()) if d not in dim_ids]
            if unknown:
                raise self.fail(iwhere, f"unknown dimension(s) {', '.join(unknown)}")
            indicators.append(
                StatIndicator(
                    id=iid,
                    dimensions=tuple(ind.get("dimensions", ())),
                    required=bool(ind.get("required", False)),
                    ref=str(ind.get("ref", "")),
                    label=self.text(ind.get("label"), iwhere),
                )
            )
        return Statistics(
            id=raw.get("id", "statistics"),
            title=self.text(raw.get("title"), where, "title"),
            dimensions=dims,
            indicators=tuple(indicators),
        )

    def schema(self, data: Mapping[str, Any]) -> Schema:
        vocabularies = {
            vid: self.vocabulary(vid, table, f"vocabulary '{vid}'") for vid, table in data.get("vocabulary", {}).items()
        }
        if "yesno" not in vocabularies:
            raise self.fail("vocabulary", "the 'yesno' vocabulary is missing")
        missing = {"yes", "no", "partial", "not_applicable"} - set(vocabularies["yesno"].ids())
        if missing:
            raise self.fail("vocabulary 'yesno'", f"missing values: {', '.join(sorted(missing))}")
        seen_ids: dict[str, str] = {}
        matrices = tuple(self.matrix(m, seen_ids) for m in data.get("matrix", ()))
        if not matrices:
            raise self.fail("schema", "defines no matrix ([[matrix]])")
        mids = [m.id for m in matrices]
        if len(set(mids)) != len(mids):
            raise self.fail("schema", "two matrices share an id")
        stats = self.statistics(data["statistics"]) if "statistics" in data else None
        scoring = self.scoring(data.get("scoring", {}), matrices)
        return Schema(
            id=str(data.get("id", Path(self.name).stem)),
            version=str(data.get("version", "0")),
            template_version=str(data.get("template_version", data.get("version", "0"))),
            languages=tuple(data.get("languages", ("es", "en"))),
            vocabularies=vocabularies,
            matrices=matrices,
            statistics=stats,
            source=self.name,
            scoring=scoring,
        )

    def scoring(self, raw: Mapping[str, Any], matrices: tuple[Matrix, ...]) -> Scoring:
        points = raw.get("points", {"yes": 1.0, "partial": 0.5, "no": 0.0})
        if not isinstance(points, Mapping) or set(points) - {"yes", "partial", "no"}:
            raise self.fail("scoring", "points must be a table of yes / partial / no")
        values = {k: self.number(v, "scoring", f"points.{k}") or 0.0 for k, v in points.items()}
        weights: dict[str, dict[str, float]] = {}
        for mid, table in raw.get("weights", {}).items():
            matrix = next((m for m in matrices if m.id == mid), None)
            if matrix is None or not isinstance(table, Mapping):
                raise self.fail("scoring", f"weights for unknown matrix '{mid}'")
            for gid, w in table.items():
                if gid not in {g.id for g in matrix.groups}:
                    raise self.fail("scoring", f"weight for unknown group '{mid}.{gid}'")
                number = self.number(w, "scoring", f"weights.{mid}.{gid}")
                if number is None or number < 0:
                    raise self.fail("scoring", f"weight '{mid}.{gid}' must be a number >= 0")
                weights.setdefault(mid, {})[gid] = number
        return Scoring({"yes": 1.0, "partial": 0.5, "no": 0.0} | values, weights)


def schema_rows(schema: Schema, only: str | None = None, lang: str = "es") -> list[dict[str, Any]]:
    """Flat rows (one per indicator) for printing the schema as a table or JSON."""
    rows: list[dict[str, Any]] = []
    for m in schema.matrices:
        if only and only not in (m.id, "all"):
            continue
        for i in m.indicators:
            rows.append(
                {
                    "matrix": m.id,
                    "group": m.group(i.group).title.get(lang),
                    "id": i.id,
                    "type": i.type,
                    "required": i.required,
                    "ref": i.ref,
                    "label": i.label.get(lang),
                }
            )
    st = schema.statistics
    if st and (not only or only in (st.id, "all")):
        for s in st.indicators:
            rows.append(
                {
                    "matrix": st.id,
                    "group": ", ".join(s.dimensions),
                    "id": s.id,
                    "type": "integer",
                    "required": s.required,
                    "ref": s.ref,
                    "label": s.label.get(lang),
                }
            )
    if only and not rows:
        raise SchemaError(f"unknown matrix '{only}' (the schema has: {', '.join(schema.dataset_ids)})")
    return rows
