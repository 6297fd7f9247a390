"""Statistics: UNODC GLOTIP import as a reference source, country × year tables, discrepancies.

Country figures come from the statistics sheets of country workbooks (ingest); UNODC's figures are stored apart
(``source = 'unodc'``) and labelled "UNODC" wherever shown. A blank is not a zero and "<5" is not a 5: values
that are suppressed or not available carry a flag and no number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RcmmatrixError
from .members import lookup_country
from .normalize import as_text, parse_number
from .store import StatRow, Store
from .text import fold
from .workspace import Workspace

UNODC = "unodc"
GLOTIP_COLUMNS = ("Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year", "txtVALUE")
GLOTIP_INDICATORS = {
    "detected trafficking victims": "tip_victims_detected",
    "persons convicted": "tip_persons_convicted",
    "persons prosecuted": "tip_persons_prosecuted",
    "persons brought into formal contact": "tip_persons_suspected",
    "offences of trafficking in persons": "tip_offences_recorded",
}
GLOTIP_SEX = {"total": "total", "female": "female", "male": "male", "other": "other", "unknown": "unknown"}
GLOTIP_AGE = {"total": "total", "18 years or over": "18_plus", "0 to 17 years": "0_17", "unknown": "unknown"}
GLOTIP_FORM = {
    "total": "total",
    "sexual exploitation": "sexual_exploitation",
    "forced labour": "forced_labour",
    "other forms of exploitation": "other",
}


@dataclass(slots=True)
class ImportReport:
    file: str
    rows_read: int = 0
    imported: int = 0
    by_country: Counter[str] = field(default_factory=Counter)
    not_members: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)  # reason → rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "by_country": dict(sorted(self.by_country.items())),
            "rows_for_non_members": self.not_members,
            "unmapped": dict(self.unmapped.most_common()),
        }


def _citizenship(category: str, own: str) -> str | None:
    text = category.strip()
    key = fold(text)
    if key in ("nationals",) or key.startswith("ciudadanos de su pa"):
        return "nationals"
    if key == "unknown":
        return "unknown"
    if key == "total":
        return "total"
    iso3 = lookup_country(text) or lookup_country(re.sub(r"\s*\(.*\)\s*$", "", text))
    if iso3 is None:
        return None
    return "nationals" if iso3 == own else iso3


def read_glotip(path: Path, members: set[str], data: bytes | None = None) -> tuple[list[StatRow], ImportReport]:
    """Map GLOTIP rows for ``members`` to the schema's vocabularies; count every row it could not map.
    ``data`` is the file's bytes when the caller has already read them."""
    import io

    import python_calamine as pc

    report = ImportReport(path.name)
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data if data is not None else path.read_bytes()))
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for a damaged file
        raise RcmmatrixError(f"{path}: cannot read it as a workbook: {exc}") from None
    header_at = next((i for i, r in enumerate(rows[:30]) if {"Iso3_code", "txtVALUE"} <= {str(c) for c in r}), None)
    if header_at is None:
        raise RcmmatrixError(f"{path}: no GLOTIP header (a row with {', '.join(GLOTIP_COLUMNS)}) in the first 30 rows")
    header = [str(c) for c in rows[header_at]]
    missing = [c for c in GLOTIP_COLUMNS if c not in header]
    if missing:
        raise RcmmatrixError(f"{path}: the header lacks the column(s) {', '.join(missing)}")
    col = {name: header.index(name) for name in GLOTIP_COLUMNS}
    out: list[StatRow] = []
    for n, row in enumerate(rows[header_at + 1 :], header_at + 2):
        if not any(v not in (None, "") for v in row):
            continue
        report.rows_read += 1
        iso3 = str(row[col["Iso3_code"]]).strip().upper()
        if iso3 not in members:
            report.not_members += 1
            continue
        indicator = GLOTIP_INDICATORS.get(fold(as_text(row[col["Indicator"]])))
        dimension = fold(as_text(row[col["Dimension"]]))
        category = as_text(row[col["Category"]])
        sex = GLOTIP_SEX.get(fold(as_text(row[col["Sex"]])))
        age = GLOTIP_AGE.get(fold(as_text(row[col["Age"]])))
        year = parse_number(row[col["Year"]], integer=True).value
        if indicator is None:
            report.unmapped[f"indicator '{as_text(row[col['Indicator']])}'"] += 1
            continue
        if sex is None or age is None or year is None:
            report.unmapped[
                f"sex/age/year '{as_text(row[col['Sex']])}' / '{as_text(row[col['Age']])}' / "
                f"'{as_text(row[col['Year']])}'"
            ] += 1
            continue
        citizenship, form = "total", "total"
        if dimension == "by form of exploitation":
            form = GLOTIP_FORM.get(fold(category)) or ""
            if not form:
                report.unmapped[f"form of exploitation '{category}'"] += 1
                continue
        elif dimension in ("by citizenship", "by country of repatriation"):
            found = _citizenship(category, iso3)
            if found is None:
                report.unmapped[f"{dimension} '{category}'"] += 1
                continue
            citizenship = found
            if dimension == "by country of repatriation":
                indicator = "tip_victims_repatriated"
        elif dimension != "total":
            report.unmapped[f"dimension '{as_text(row[col['Dimension']])}'"] += 1
            continue
        raw = as_text(row[col["txtVALUE"]]).strip()
        if raw.replace(" ", "") == "<5":
            value, flag = None, "suppressed_lt5"
        else:
            parsed = parse_number(raw, integer=True)
            if parsed.error:
                report.unmapped[f"value '{raw}'"] += 1
                continue
            value, flag = parsed.value, "reported"
        out.append(
            StatRow(iso3, year, indicator, value, flag, sex, age, citizenship, form, raw, book.sheet_names[0], f"L{n}")
        )
        report.by_country[iso3] += 1
    report.imported = len(out)
    return out, report


def import_unodc(ws: Workspace, path: Path) -> ImportReport:
    """Replace the workspace's UNODC reference figures with those of ``path`` (archived byte for byte)."""
    import hashlib

    from .ingest import archive

    if not path.is_file():
        raise RcmmatrixError(f"{path}: no such file")
    data = path.read_bytes()
    rows, report = read_glotip(path, {m.iso3 for m in ws.members}, data)
    archive(ws.archive_dir, hashlib.sha256(data).hexdigest(), data, path.suffix.lower())
    with Store.open(ws.db_path) as store:
        store.replace_reference(UNODC, rows)
    return report


# ---------------------------------------------------------------------------------------------- tables
@dataclass(slots=True)
class Figure:
    country: str
    year: int
    value: int | None
    flag: str
    source: str

    @property
    def shown(self) -> str:
        return (
            {"suppressed_lt5": "<5", "not_available": "n/d", "not_applicable": "—"}.get(self.flag, "")
            if self.value is None
            else (f"{self.value}{'*' if self.flag == 'estimate' else ''}")
        )


@dataclass(slots=True)
class StatTable:
    indicator: str
    label: str
    years: list[int]
    countries: list[str]
    cells: dict[tuple[str, str, int], Figure]  # (source, country, year) → figure (all breakdowns 'total')


@dataclass(slots=True)
class Discrepancy:
    country: str
    indicator: str
    year: int
    breakdown: str
    country_value: str
    unodc_value: str


def parse_years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", text)
    if not m:
        raise RcmmatrixError(f"'{text}' is not a year range (e.g. 2015-2021)")
    low, high = int(m.group(1)), int(m.group(2) or m.group(1))
    return (low, high) if low <= high else (high, low)


def build_tables(
    ws: Workspace, indicators: Sequence[str] | None, years: tuple[int, int] | None, source: str, lang: str
) -> tuple[list[StatTable], list[Discrepancy], list[dict[str, Any]]]:
    if source not in ("country", "unodc", "both"):
        raise RcmmatrixError(f"--source must be country, unodc or both, not '{source}'")
    stats = ws.schema.statistics
    if stats is None:
        raise RcmmatrixError("this workspace's schema has no statistics dataset")
    wanted = list(indicators) if indicators else [i.id for i in stats.indicators]
    unknown = [i for i in wanted if i not in stats.by_id]
    if unknown:
        raise RcmmatrixError(f"unknown statistics indicator(s): {', '.join(unknown)}")
    members = [m.iso3 for m in ws.members]
    with Store.open(ws.db_path) as store:
        tagged = [("country", r) for r in store.statistics(source="country")] if source in ("country", "both") else []
        tagged += [(UNODC, r) for r in store.statistics(source=UNODC)] if source in ("unodc", "both") else []
    tagged = [
        (s, r)
        for s, r in tagged
        if r.indicator in wanted and r.country in members and (years is None or years[0] <= r.year <= years[1])
    ]
    long = [
        {
            "source": s,
            "country": r.country,
            "year": r.year,
            "indicator": r.indicator,
            "sex": r.sex,
            "age_group": r.age_group,
            "citizenship": r.citizenship,
            "exploitation_form": r.exploitation_form,
            "value": r.value,
            "flag": r.flag,
        }
        for s, r in tagged
    ]
    tables = []
    for ind in wanted:
        cells: dict[tuple[str, str, int], Figure] = {}
        for s, r in tagged:
            if r.indicator == ind and (r.sex, r.age_group, r.citizenship, r.exploitation_form) == ("total",) * 4:
                cells[(s, r.country, r.year)] = Figure(r.country, r.year, r.value, r.flag, s)
        ys = sorted({k[2] for k in cells})
        if years:
            ys = list(range(years[0], years[1] + 1))
        tables.append(StatTable(ind, stats.by_id[ind].label.get(lang), ys, members, cells))
    return tables, discrepancies(tagged), long


def discrepancies(tagged: list[tuple[str, StatRow]]) -> list[Discrepancy]:
    """Where a country's own figure and UNODC's differ for the same indicator, year and breakdown."""

    def key(r: StatRow) -> tuple[Any, ...]:
        return (r.country, r.indicator, r.year, r.sex, r.age_group, r.citizenship, r.exploitation_form)

    country = {key(r): r for s, r in tagged if s == "country"}
    out = []
    for s, r in tagged:
        if s != UNODC or key(r) not in country:
            continue
        mine = country[key(r)]
        if (mine.value, mine.flag) != (r.value, r.flag):
            breakdown = (
                ", ".join(x for x in (r.sex, r.age_group, r.citizenship, r.exploitation_form) if x != "total")
                or "total"
            )
            out.append(
                Discrepancy(
                    r.country,
                    r.indicator,
                    r.year,
                    breakdown,
                    Figure(r.country, r.year, mine.value, mine.flag, "country").shown,
                    Figure(r.country, r.year, r.value, r.flag, UNODC).shown,
                )
            )
    return sorted(out, key=lambda d: (d.country, d.indicator, d.year, d.breakdown))


def write_stats(
    ws: Workspace,
    outputs: Sequence[Path],
    indicators: Sequence[str] | None = None,
    years: str | None = None,
    source: str = "country",
    lang: str = "es",
    generated: Any = None,
) -> list[Path]:
    import datetime as dt

    from .render import stats as render

    formats = (".xlsx", ".html", ".csv", ".json")
    bad = [p for p in outputs if p.suffix.lower() not in formats]
    if bad:
        raise RcmmatrixError(f"{bad[0]}: unknown format '{bad[0].suffix}' (use {', '.join(formats)})")
    tables, diffs, long = build_tables(ws, indicators, parse_years(years), source, lang)
    day = generated or dt.date.today()
    written = []
    for path in outputs:
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            written.append(render.write_excel(tables, diffs, path, lang, day))
        elif suffix == ".html":
            written.append(render.write_html(tables, diffs, path, lang, day))
        else:
            written.append(render.write_long(long, path))
    return written
