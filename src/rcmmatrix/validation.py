"""Checks: turn a workbook's layout into typed answers and statistics rows, with every problem as an Issue.

Nothing stops at the first problem: a country sees every issue of its file in one pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .issues import Code, Issue, Severity
from .layout import Layout, MatrixSheet, StatSheet
from .normalize import Parsed, as_text, is_blank, parse_date, parse_number, parse_term, parse_text
from .readers import Grid, cell_ref
from .schema import Indicator, Matrix, Schema, Statistics
from .store import Answer, StatRow
from .text import clean, fold
from .workspace import Limits

CITATION_FIELDS = ("law", "article", "notes", "source_url")
EXCEL_ERRORS = frozenset(("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"))


@dataclass(slots=True)
class Checked:
    """What one dataset (matrix or statistics) of a file yields."""

    dataset: str
    issues: list[Issue] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    statistics: list[StatRow] = field(default_factory=list)


class Checker:
    def __init__(self, schema: Schema, limits: Limits, file: str, lang: str = "en") -> None:
        self.schema = schema
        self.limits = limits
        self.file = file
        self.lang = lang
        self._dims: dict[tuple[str, Any], str | None] = {}  # (dimension, cell value) → choice, per file

    def issue(
        self,
        code: Code,
        grid: Grid | str | None,
        r: int | None = None,
        c: int | None = None,
        severity: Severity = Severity.ERROR,
        **args: Any,
    ) -> Issue:
        sheet = grid.name if isinstance(grid, Grid) else grid
        cell = cell_ref(r, c) if r is not None and c is not None else None
        return Issue(code, args, severity, self.file, sheet, cell)

    # ------------------------------------------------------------------------------------------ cells
    def cell_problem(self, grid: Grid, r: int, c: int) -> Issue | None:
        """An error value or a formula with no result at (r, c): calamine reads both as blank or as text."""
        raw = grid.value(r, c)
        if raw is None or raw == "":  # calamine reads error cells and formulas with no result as blank
            flag = grid.flags.get((r, c))
            if flag is not None:
                if flag[0] == "error":
                    return self.issue(Code.EXCEL_ERROR, grid, r, c, value=flag[1])
                return self.issue(Code.FORMULA_WITHOUT_VALUE, grid, r, c)
            return None
        if raw.__class__ is str and raw[:1] in ("#", " ") and raw.strip() in EXCEL_ERRORS:
            return self.issue(Code.EXCEL_ERROR, grid, r, c, value=raw.strip())
        return None

    def parse_value(self, indicator: Indicator, raw: Any) -> Parsed:
        vocabulary = self.schema.vocabulary_for(indicator)
        if vocabulary is not None:
            return parse_term(raw, vocabulary)
        if indicator.type in ("integer", "number"):
            return parse_number(raw, integer=indicator.type == "integer")
        if indicator.type == "date":
            return parse_date(raw)
        return parse_text(raw)

    def allowed(self, indicator: Indicator) -> dict[str, str]:
        vocabulary = self.schema.vocabulary_for(indicator)
        if vocabulary is None:
            return {"es": "", "en": ""}
        return {lang: ": " + ", ".join(vocabulary.labels(lang)) for lang in ("es", "en", "fr")}

    def kind(self, indicator: Indicator) -> dict[str, str]:
        names = {
            "yesno": ("respuesta", "answer"),
            "choice": ("opción", "choice"),
            "integer": ("número entero", "whole number"),
            "number": ("número", "number"),
            "date": ("fecha", "date"),
            "text": ("texto", "text"),
            "citation": ("cita", "citation"),
        }
        es, en = names[indicator.type]
        return {"es": es, "en": en}

    def label_of(self, indicator: Indicator) -> dict[str, str]:
        return {lang: indicator.label.get(lang) for lang in ("es", "en", "fr")}

    def shown(self, indicator: Indicator, value: Any) -> dict[str, str]:
        vocabulary = self.schema.vocabulary_for(indicator)
        if vocabulary is not None and isinstance(value, str):
            term = vocabulary.term(value)
            return {lang: term.label.get(lang) for lang in ("es", "en", "fr")}
        text = as_text(value)
        return {"es": text, "en": text}

    # ------------------------------------------------------------------------------------------ matrices
    def check_matrix(self, sheet: MatrixSheet) -> Checked:
        matrix = self.schema.matrix(sheet.matrix)
        grid, cols = sheet.grid, sheet.columns
        out = Checked(matrix.id)
        out.issues += list(self.check_merged(grid, cols.header_row, cols.index))
        seen: dict[str, int] = {}
        by_label = matrix.by_label
        group_titles = matrix.group_titles
        ic, lc, ac = cols.index.get("id"), cols.index.get("label"), cols.index["answer"]
        for r in range(cols.header_row + 1, len(grid.rows)):
            raw_id = grid.value(r, ic) if ic is not None else None
            raw_label = grid.value(r, lc) if lc is not None else None
            raw_answer = grid.value(r, ac)
            extras = {f: grid.value(r, cols.index[f]) for f in CITATION_FIELDS if f in cols.index}
            answer_problem = self.cell_problem(grid, r, ac)
            if is_blank(raw_id) and is_blank(raw_label) and is_blank(raw_answer) and answer_problem is None:
                continue
            indicator = self.find_indicator(matrix, raw_id, raw_label, by_label)
            if indicator is None:
                has_content = not is_blank(raw_answer) or answer_problem is not None
                if not is_blank(raw_id) and (has_content or (isinstance(raw_id, str) and "_" in raw_id)):
                    out.issues.append(self.unknown_indicator(matrix, grid, r, ic, raw_id))
                elif has_content and not is_blank(raw_label) and fold(as_text(raw_label)) not in group_titles:
                    out.issues.append(self.unknown_indicator(matrix, grid, r, lc, raw_label))
                continue  # group headings, notes and trailing junk
            if indicator.id in seen:
                out.issues.append(
                    self.issue(
                        Code.DUPLICATE_INDICATOR,
                        grid,
                        r,
                        ic if ic is not None else lc,
                        indicator=indicator.id,
                        first_row=seen[indicator.id] + 1,
                    )
                )
                continue
            seen[indicator.id] = r
            out.issues += self.check_answer(out, grid, r, ac, indicator, raw_answer, answer_problem, extras, cols)
        for indicator in matrix.indicators:
            if indicator.required and indicator.id not in seen:
                out.issues.append(
                    self.issue(
                        Code.MISSING_REQUIRED,
                        grid,
                        severity=Severity.WARNING,
                        indicator=indicator.id,
                        label=self.label_of(indicator),
                    )
                )
        return out

    def find_indicator(
        self, matrix: Matrix, raw_id: Any, raw_label: Any, by_label: dict[str, Indicator]
    ) -> Indicator | None:
        if isinstance(raw_id, str) and raw_id.strip():
            key = clean(raw_id)
            if key in matrix.by_id:
                return matrix.by_id[key]
            folded = fold(key).replace(" ", "_")
            if folded in matrix.by_id:
                return matrix.by_id[folded]
            return None
        if isinstance(raw_label, str) and raw_label.strip():
            return by_label.get(fold(raw_label))
        return None

    def unknown_indicator(self, matrix: Matrix, grid: Grid, r: int, c: int | None, raw: Any) -> Issue:
        text = as_text(raw)
        hint = did_you_mean(text, matrix.by_id)
        return self.issue(Code.UNKNOWN_INDICATOR, grid, r, c if c is not None else 0, value=text[:200], hint=hint)

    def check_answer(
        self,
        out: Checked,
        grid: Grid,
        r: int,
        ac: int,
        indicator: Indicator,
        raw: Any,
        problem: Issue | None,
        extras: dict[str, Any],
        cols: Any,
    ) -> list[Issue]:
        issues: list[Issue] = []
        texts: dict[str, str | None] = {}
        for f, value in extras.items():
            c = cols.index[f]
            extra_problem = self.cell_problem(grid, r, c)
            if extra_problem is not None:
                issues.append(extra_problem)
                texts[f] = None
                continue
            texts[f] = None if is_blank(value) else parse_text(value).value
            if texts[f] and len(texts[f] or "") > self.limits.max_text:
                issues.append(
                    self.issue(Code.TEXT_TOO_LONG, grid, r, c, length=len(texts[f] or ""), limit=self.limits.max_text)
                )
        if problem is not None:
            return [*issues, problem]
        if is_blank(raw):
            if indicator.required:
                issues.append(
                    self.issue(
                        Code.MISSING_REQUIRED,
                        grid,
                        r,
                        ac,
                        Severity.WARNING,
                        indicator=indicator.id,
                        label=self.label_of(indicator),
                    )
                )
            out.answers.append(self.answer(indicator, None, None, texts, grid, r, ac))
            return issues
        parsed = self.parse_value(indicator, raw)
        shown = as_text(raw)
        if parsed.error:
            issues.append(
                self.issue(
                    Code.BAD_VALUE,
                    grid,
                    r,
                    ac,
                    value=shown[:200],
                    kind=self.kind(indicator),
                    allowed=self.allowed(indicator),
                )
            )
            return issues
        value = parsed.value
        if indicator.type in ("integer", "number") and (
            (indicator.min is not None and value < indicator.min)
            or (indicator.max is not None and value > indicator.max)
        ):
            low = "" if indicator.min is None else as_text(indicator.min)
            high = "" if indicator.max is None else as_text(indicator.max)
            issues.append(self.issue(Code.OUT_OF_RANGE, grid, r, ac, value=as_text(value), low=low, high=high))
            return issues
        if isinstance(value, str) and len(value) > self.limits.max_text:
            issues.append(self.issue(Code.TEXT_TOO_LONG, grid, r, ac, length=len(value), limit=self.limits.max_text))
            return issues
        if parsed.changed:
            issues.append(
                self.issue(
                    Code.NORMALIZED_VALUE,
                    grid,
                    r,
                    ac,
                    Severity.WARNING,
                    value=shown[:200],
                    normalized=self.shown(indicator, value),
                )
            )
        if value in ("yes", "partial") and indicator.type == "yesno" and not texts.get("law"):
            issues.append(
                self.issue(Code.MISSING_CITATION, grid, r, ac, Severity.WARNING, value=self.shown(indicator, value))
            )
        out.answers.append(self.answer(indicator, value, shown, texts, grid, r, ac))
        return issues

    def answer(
        self,
        indicator: Indicator,
        value: Any,
        raw: str | None,
        texts: dict[str, str | None],
        grid: Grid,
        r: int,
        c: int,
    ) -> Answer:
        return Answer(
            indicator.id,
            indicator.type,
            value,
            raw,
            texts.get("law"),
            texts.get("article"),
            texts.get("notes"),
            texts.get("source_url"),
            grid.name,
            cell_ref(r, c),
        )

    def check_merged(self, grid: Grid, header_row: int, index: dict[str, int]) -> Iterator[Issue]:
        answer_cols = {index[k] for k in ("answer", *CITATION_FIELDS) if k in index}
        for (r0, c0), (r1, c1) in grid.merged:
            if r1 <= header_row or r0 == r1:
                continue
            if any(c0 <= c <= c1 for c in answer_cols):
                yield self.issue(Code.MERGED_CELLS, grid, r0, c0, range=f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}")

    # ------------------------------------------------------------------------------------------ statistics
    def check_statistics(self, sheet: StatSheet, country: str | None) -> Checked:
        stats = self.schema.statistics
        assert stats is not None
        out = Checked(stats.id)
        grid, cols = sheet.grid, sheet.columns
        by_label = {fold(lbl): i.id for i in stats.indicators for lbl in i.label.all()}
        seen: dict[tuple[Any, ...], int] = {}
        current: str | None = None
        for r in range(cols.header_row + 1, len(grid.rows)):
            raw_id = grid.value(r, cols.index["id"]) if "id" in cols.index else None
            raw_label = grid.value(r, cols.index["label"]) if "label" in cols.index else None
            ind_id = self.stat_indicator(stats, raw_id, raw_label, by_label)
            if ind_id is None:
                if isinstance(raw_id, str) and "_" in raw_id.strip():
                    out.issues.append(
                        self.issue(
                            Code.UNKNOWN_INDICATOR,
                            grid,
                            r,
                            cols.index["id"],
                            value=raw_id.strip()[:200],
                            hint=did_you_mean(raw_id.strip(), stats.by_id),
                        )
                    )
                    current = None
                if is_blank(raw_id) and is_blank(raw_label) and current is None:
                    continue
                if not is_blank(raw_id) or not is_blank(raw_label):
                    continue
                ind_id = current  # continuation row of the indicator above (blank id and label)
            if ind_id is None:
                continue
            current = ind_id
            dims = self.stat_dims(stats, ind_id, grid, r, cols, out)
            if dims is None:
                continue
            year_cells = sheet.years.items() if not sheet.long else [(cols.index["value"], None)]
            for c, year in year_cells:
                if year is None:
                    year = self.stat_year(grid, r, cols, out)
                    if year is None:
                        continue
                row = self.stat_value(grid, r, c, country or "", year, ind_id, dims, out, cols)
                if row is None:
                    continue
                key = (ind_id, year, *dims.values())
                if key in seen:
                    out.issues.append(
                        self.issue(Code.DUPLICATE_INDICATOR, grid, r, c, indicator=ind_id, first_row=seen[key] + 1)
                    )
                    continue
                seen[key] = r
                out.statistics.append(row)
        out.issues += self.check_totals(grid, out.statistics)
        return out

    def check_totals(self, grid: Grid, rows: list[StatRow]) -> list[Issue]:
        """Warn where a figure's sex breakdown, all reported (none suppressed), does not sum to its total."""
        groups: dict[tuple[Any, ...], dict[str, StatRow]] = {}
        for row in rows:
            key = (row.indicator, row.year, row.age_group, row.citizenship, row.exploitation_form)
            groups.setdefault(key, {})[row.sex] = row
        issues = []
        for (indicator, year, *_), by_sex in groups.items():
            total = by_sex.get("total")
            parts = [r for s, r in by_sex.items() if s != "total"]
            if total is None or total.value is None or len(parts) < 2 or any(p.value is None for p in parts):
                continue
            if sum(p.value or 0 for p in parts) != total.value:
                ref = total.cell or ""
                issues.append(
                    Issue(
                        Code.INCONSISTENT_TOTAL,
                        {
                            "dimension": {"es": "sexo", "en": "sex"},
                            "indicator": indicator,
                            "year": year,
                            "parts": sum(p.value or 0 for p in parts),
                            "total": total.value,
                        },
                        Severity.WARNING,
                        self.file,
                        grid.name,
                        ref,
                    )
                )
        return issues

    def stat_indicator(self, stats: Statistics, raw_id: Any, raw_label: Any, by_label: dict[str, str]) -> str | None:
        if isinstance(raw_id, str) and clean(raw_id) in stats.by_id:
            return clean(raw_id)
        if isinstance(raw_label, str) and fold(raw_label) in by_label:
            return by_label[fold(raw_label)]
        return None

    def stat_dims(
        self, stats: Statistics, ind_id: str, grid: Grid, r: int, cols: Any, out: Checked
    ) -> dict[str, str] | None:
        from .members import lookup_country

        dims: dict[str, str] = {}
        for dim in stats.dimensions:
            c = cols.index.get(dim.id)
            raw = grid.value(r, c) if c is not None else None
            if is_blank(raw):
                dims[dim.id] = "total"
                continue
            key = (dim.id, raw)
            found = self._dims.get(key, "")
            if found == "":
                found, _exact = dim.choices.match(as_text(raw))
                if found is None and dim.id == "citizenship":
                    found = lookup_country(as_text(raw))
                self._dims[key] = found
            if found is None:
                vocab = {lang: ": " + ", ".join(dim.choices.labels(lang)) for lang in ("es", "en", "fr")}
                out.issues.append(
                    self.issue(
                        Code.BAD_VALUE,
                        grid,
                        r,
                        c,
                        value=as_text(raw)[:200],
                        kind={"es": dim.title.es, "en": dim.title.en},
                        allowed=vocab,
                    )
                )
                return None
            dims[dim.id] = found
        return dims

    def stat_year(self, grid: Grid, r: int, cols: Any, out: Checked) -> int | None:
        c = cols.index["year"]
        parsed = parse_number(grid.value(r, c), integer=True)
        if parsed.error or not 1900 <= (parsed.value or 0) <= 2100:
            if not is_blank(grid.value(r, c)):
                out.issues.append(
                    self.issue(
                        Code.BAD_VALUE,
                        grid,
                        r,
                        c,
                        value=as_text(grid.value(r, c)),
                        kind={"es": "año", "en": "year"},
                        allowed={"es": "", "en": ""},
                    )
                )
            return None
        return int(parsed.value)

    def stat_value(
        self,
        grid: Grid,
        r: int,
        c: int,
        country: str,
        year: int,
        ind_id: str,
        dims: dict[str, str],
        out: Checked,
        cols: Any,
    ) -> StatRow | None:
        problem = self.cell_problem(grid, r, c)
        if problem is not None:
            out.issues.append(problem)
            return None
        raw = grid.value(r, c)
        flag_col = cols.index.get("flag")
        flag_raw = grid.value(r, flag_col) if flag_col is not None else None
        if is_blank(raw) and is_blank(flag_raw):
            return None  # a blank is not a zero
        flags = self.schema.vocabularies.get("flag")
        flag = "reported"
        value: int | None = None
        if not is_blank(flag_raw) and flags is not None:
            found, _ = flags.match(as_text(flag_raw))
            if found is None:
                out.issues.append(
                    self.issue(
                        Code.BAD_VALUE,
                        grid,
                        r,
                        flag_col,
                        value=as_text(flag_raw)[:200],
                        kind={"es": "marca", "en": "flag"},
                        allowed={lang: ": " + ", ".join(flags.labels(lang)) for lang in ("es", "en")},
                    )
                )
                return None
            flag = found
        if not is_blank(raw):
            parsed = parse_number(raw, integer=True)
            if parsed.error and flags is not None:
                found, _ = flags.match(as_text(raw))
                if found is None:
                    out.issues.append(
                        self.issue(
                            Code.BAD_VALUE,
                            grid,
                            r,
                            c,
                            value=as_text(raw)[:200],
                            kind={"es": "número entero", "en": "whole number"},
                            allowed={"es": " (o <5, n/d, No aplica)", "en": " (or <5, n/a, Not applicable)"},
                        )
                    )
                    return None
                flag = found
            elif parsed.value is not None and parsed.value < 0:
                out.issues.append(self.issue(Code.OUT_OF_RANGE, grid, r, c, value=as_text(raw), low="0", high=""))
                return None
            else:
                value = parsed.value
                if parsed.changed:
                    out.issues.append(
                        self.issue(
                            Code.NORMALIZED_VALUE,
                            grid,
                            r,
                            c,
                            Severity.WARNING,
                            value=as_text(raw)[:200],
                            normalized=as_text(value),
                        )
                    )
        return StatRow(
            country,
            year,
            ind_id,
            value,
            flag,
            dims.get("sex", "total"),
            dims.get("age_group", "total"),
            dims.get("citizenship", "total"),
            dims.get("exploitation_form", "total"),
            as_text(raw),
            grid.name,
            cell_ref(r, c),
        )


def did_you_mean(text: str, ids: Iterable[str]) -> dict[str, str]:
    """The ' (did you mean tip_attempt?)' hint of an unknown-indicator message, in es and en ('' when none is close)."""
    close = difflib.get_close_matches(text, list(ids), n=1, cutoff=0.6)
    if not close:
        return {"es": "", "en": ""}
    return {"es": f" (¿quiso decir {close[0]}?)", "en": f" (did you mean {close[0]}?)"}


def check_layout(
    layout: Layout, schema: Schema, limits: Limits, country: str | None, lang: str = "en"
) -> tuple[list[Issue], list[Checked]]:
    """File-level issues, and one :class:`Checked` per dataset found."""
    checker = Checker(schema, limits, layout.book.path.name, lang)
    file_issues: list[Issue] = []
    for grid, role in layout.unreadable:
        file_issues.append(checker.issue(Code.MISSING_COLUMN, grid, column=role, rows=30))
    for grid in layout.ignored:
        file_issues.append(checker.issue(Code.IGNORED_SHEET, grid, severity=Severity.WARNING, sheet=grid.name))
    results: dict[str, Checked] = {}
    first_sheet: dict[str, str] = {}
    for sheet in layout.matrices:
        checked = checker.check_matrix(sheet)
        if sheet.matrix in first_sheet:  # the same matrix on two sheets: which one is meant is not ours to guess
            file_issues.append(
                checker.issue(Code.DUPLICATE_SHEET, sheet.grid, matrix=sheet.matrix, first=first_sheet[sheet.matrix])
            )
            continue
        first_sheet[sheet.matrix] = sheet.grid.name
        results[sheet.matrix] = checked
    for stat_sheet in layout.statistics:
        checked = checker.check_statistics(stat_sheet, country)
        if not checked.statistics and not checked.issues:
            continue  # an untouched statistics sheet (as in a template) is not a statistics submission
        if schema.statistics and schema.statistics.id in results:
            prior = results[schema.statistics.id]
            prior.issues += checked.issues
            prior.statistics += checked.statistics
        else:
            results[checked.dataset] = checked
    if not results and not layout.unreadable:
        names = ", ".join(g.name for g in layout.book.grids)
        file_issues.append(Issue(Code.MISSING_SHEET, {"sheets": names}, file=checker.file))
    return file_issues, list(results.values())
