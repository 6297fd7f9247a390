from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import SHARED
from rcmmatrix.ingest import ingest
from rcmmatrix.stats import build_tables, import_unodc, write_stats
from rcmmatrix.store import StatRow, Store
from rcmmatrix.workspace import Workspace

GLOTIP = SHARED / "data" / "data_glotip.xlsx"
needs_glotip = pytest.mark.skipif(not GLOTIP.is_file(), reason=f"{GLOTIP} is absent (shared/data not present)")


def _unodc(ws: Workspace, rows: list[StatRow]) -> None:
    with Store.open(ws.db_path) as store:
        store.replace_reference("unodc", rows)


def test_sex_breakdown_must_sum_to_total(ws: Workspace, make_workbook) -> None:
    rows = [
        ["Código", "Indicador", "Sexo", 2015, 2016],
        ["tip_victims_detected", "", "Total", 10, 10],
        ["tip_victims_detected", "", "Mujeres", 6, "<5"],
        ["tip_victims_detected", "", "Hombres", 3, 7],
    ]
    result = ingest([make_workbook("GTM_2017.xlsx", {"Estadísticas": rows})], ws)
    found = [(i.code.value, i.cell) for i in result.issues()]
    assert found == [("inconsistent-total", "D2")]  # 2016 has a suppressed part: not checked
    assert result.files[0].status == "accepted"


@needs_glotip
def test_glotip_import_matches_the_file_read_independently(ws: Workspace) -> None:
    import pandas as pd

    report = import_unodc(ws, GLOTIP)
    assert report.rows_read == 46556 and set(report.by_country) == {m.iso3 for m in ws.members}
    assert report.imported + report.not_members + sum(report.unmapped.values()) == report.rows_read
    assert report.unmapped  # reported with counts, not dropped silently
    frame = pd.read_excel(GLOTIP, engine="openpyxl", dtype={"txtVALUE": str})
    with Store.open(ws.db_path) as store:
        stored = {
            (r.country, r.indicator, r.year, r.sex, r.age_group): (r.value, r.flag)
            for r in store.statistics(source="unodc")
            if (r.citizenship, r.exploitation_form) == ("total", "total")
        }
    names = {"Persons convicted": "tip_persons_convicted", "Detected trafficking victims": "tip_victims_detected"}
    checked = 0
    for iso3 in ("USA", "MEX", "GTM", "CRI"):
        sample = frame[
            (frame.Iso3_code == iso3)
            & (frame.Dimension == "Total")
            & (frame.Sex == "Total")
            & (frame.Age == "Total")
            & frame.Indicator.isin(list(names))
        ].head(3)
        for _, row in sample.iterrows():
            expected = (
                (None, "suppressed_lt5") if row.txtVALUE == "<5" else (int(row.txtVALUE.replace(",", "")), "reported")
            )
            assert stored[(iso3, names[row.Indicator], int(row.Year), "total", "total")] == expected
            checked += 1
    assert checked >= 8
    with Store.open(ws.db_path) as store:
        before = store.counts()["statistics"]
    import_unodc(ws, GLOTIP)  # a re-import replaces the reference figures, it does not add to them
    with Store.open(ws.db_path) as store:
        assert store.counts()["statistics"] == before


def test_discrepancy_table(ws: Workspace, make_workbook) -> None:
    rows = [["Código", "Indicador", 2015, 2016], ["tip_persons_convicted", "", 480, 12]]
    ingest([make_workbook("GTM_2017.xlsx", {"Estadísticas": rows})], ws)
    _unodc(
        ws,
        [
            StatRow("GTM", 2015, "tip_persons_convicted", 484),
            StatRow("GTM", 2016, "tip_persons_convicted", 12),
            StatRow("HND", 2016, "tip_persons_convicted", None, "suppressed_lt5"),
        ],
    )
    tables, diffs, long = build_tables(ws, ["tip_persons_convicted"], None, "both", "en")
    assert [(d.country, d.year, d.country_value, d.unodc_value) for d in diffs] == [("GTM", 2015, "480", "484")]
    [table] = tables
    assert table.years == [2015, 2016]
    assert table.cells[("unodc", "HND", 2016)].shown == "<5"
    assert {r["source"] for r in long} == {"country", "unodc"}


def test_outputs_work_offline_and_carry_charts(ws: Workspace, make_workbook, tmp_path: Path) -> None:
    rows = [["Código", "Indicador", 2015, 2016], ["tip_persons_convicted", "", 480, 12]]
    ingest([make_workbook("GTM_2017.xlsx", {"Estadísticas": rows})], ws)
    _unodc(ws, [StatRow("GTM", 2015, "tip_persons_convicted", 484)])
    html, xlsx, csv_path = write_stats(
        ws,
        [tmp_path / "s.html", tmp_path / "s.xlsx", tmp_path / "s.csv"],
        ["tip_persons_convicted"],
        "2015-2016",
        "both",
        "es",
    )
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "UNODC (GLOTIP)" in page and "Diferencias entre" in page
    assert not [u for u in __import__("re").findall(r'(?:src|href)="([^"#]+)"', page)]  # nothing loaded from anywhere
    with zipfile.ZipFile(xlsx) as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("source,country,year,indicator")
