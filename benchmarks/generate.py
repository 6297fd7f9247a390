"""Deterministic generator of N country workbooks in the template layout, for the benchmarks.

Synthetic countries beyond the 11 members: every ISO 3166 country CLDR knows, cycled over as many rounds as N
needs (B1, B2, …). Realistic answers (localised yes/no labels, laws, articles, notes up to 300 characters) and a
statistics sheet. Written with XlsxWriter, which is fast enough to make 2,000 files in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from rcmmatrix.members import _alpha3_to_alpha2
from rcmmatrix.schema import load_schema
from rcmmatrix.template import T, stat_rows

WORDS = (
    "ley",
    "artículo",
    "víctima",
    "protección",
    "penal",
    "migrante",
    "tráfico",
    "trata",
    "reforma",
    "decreto",
    "procedimiento",
    "asistencia",
    "fiscalía",
    "juzgado",
    "cooperación",
    "frontera",
    "documento",
    "menor",
)


def countries() -> list[str]:
    return sorted(_alpha3_to_alpha2())


def plan(n: int) -> list[tuple[str, str]]:
    """(country, round) for n files: all countries for round B1, then B2, …"""
    codes = countries()
    return [(codes[i % len(codes)], f"B{i // len(codes) + 1}") for i in range(n)]


def rounds_needed(n: int) -> int:
    return (n - 1) // len(countries()) + 1


def note(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return ""
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 45))]
    return " ".join(words)[:300]


def write_workbook(path: Path, iso3: str, round_name: str, rng: random.Random) -> None:
    import xlsxwriter

    schema = load_schema("rcm")
    t = T["es"]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ident = wb.add_worksheet(t["identity"])
    for r, (label, value) in enumerate(
        zip(
            t["identity_rows"],
            [
                iso3,
                round_name,
                "rcm",
                "1.0",
                "1.0",
                "es",
                "Ministerio sintético",
                "Enlace",
                "x@example.org",
                "2020-07-01",
            ],
            strict=True,
        )
    ):
        ident.write_string(r, 0, label)
        ident.write_string(r, 1, value)
    yes = schema.vocabularies["yesno"]
    for matrix in schema.matrices:
        sheet = wb.add_worksheet(t["sheets"][matrix.id])
        for c, name in enumerate(t["columns"][:7]):
            sheet.write_string(0, c, name)
        for r, ind in enumerate(matrix.indicators, 1):
            sheet.write_string(r, 0, ind.id)
            sheet.write_string(r, 1, ind.label.es)
            if ind.type == "yesno":
                sheet.write_string(r, 2, rng.choice(yes.terms).label.es)
            elif ind.type == "choice" and ind.choices is not None:
                sheet.write_string(r, 2, rng.choice(ind.choices.terms).label.es)
            elif ind.type == "integer":
                sheet.write_number(r, 2, 18)
            elif ind.type == "number":
                sheet.write_number(r, 2, rng.choice([2, 4, 6, 8, 12, 15]))
            elif ind.type == "date":
                sheet.write_string(
                    r, 2, dt.date(rng.randint(2002, 2015), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
                )
            else:
                sheet.write_string(r, 2, "Texto de ejemplo")
            sheet.write_string(r, 3, f"Ley sintética {rng.randint(1, 99)}/{rng.randint(2000, 2020)}")
            sheet.write_string(r, 4, f"art. {rng.randint(1, 300)}")
            sheet.write_string(r, 5, note(rng))
    stats = wb.add_worksheet(t["statistics"])
    for c, name in enumerate([*t["stat_columns"], "2018", "2019"]):
        stats.write_string(0, c, name)
    rows = stat_rows(schema, "es")[:40]
    values = [[rng.randint(0, 80) for _ in range(2)] for _ in rows]
    for i, (ind_id, _, breakdown) in enumerate(rows):  # a total equals the sum of its sex breakdown, as in real data
        if not breakdown:
            parts = [values[j] for j, (other, _, b) in enumerate(rows) if other == ind_id and "sex" in b]
            if parts:
                values[i] = [sum(p[y] for p in parts) for y in range(2)]
    for r, ((ind_id, label, breakdown), figures) in enumerate(zip(rows, values, strict=True), 1):
        stats.write_string(r, 0, ind_id)
        stats.write_string(r, 1, label)
        for c, dim in enumerate(("sex", "age_group", "citizenship", "exploitation_form"), 2):
            stats.write_string(r, c, breakdown.get(dim, "Total"))
        for c, v in zip((6, 7), figures, strict=True):
            stats.write_number(r, c, v)
    wb.close()


VERSION = "2"  # bump when the files' content changes, so cached files are made again


def generate(folder: Path, n: int, seed: int = 2017) -> list[Path]:
    marker = folder / f".generator-v{VERSION}"
    if folder.exists() and not marker.exists():
        for old in folder.glob("*.xlsx"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    marker.touch()
    paths = []
    for i, (iso3, round_name) in enumerate(plan(n)):
        path = folder / f"{iso3}_{round_name}.xlsx"
        if not path.exists():
            write_workbook(path, iso3, round_name, random.Random(f"{seed}-{i}"))
        paths.append(path)
    return paths
