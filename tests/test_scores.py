from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rcmmatrix.compare import compare
from rcmmatrix.errors import SchemaError
from rcmmatrix.ingest import ingest
from rcmmatrix.schema import load_schema
from rcmmatrix.scores import compute_scores, methodology, write_scores
from rcmmatrix.workspace import Workspace

THREE = """
id = "mini"
version = "1"
[scoring]
points = { yes = 1.0, partial = 0.5, no = 0.0 }
[scoring.weights.m]
a = 1
b = 3
[vocabulary.yesno]
yes = { label = { es = "Sí", en = "Yes" }, aliases = [] }
no = { label = { es = "No", en = "No" }, aliases = [] }
partial = { label = { es = "Parcial", en = "Partial" }, aliases = [] }
not_applicable = { label = { es = "No aplica", en = "Not applicable" }, aliases = [] }
[[matrix]]
id = "m"
title = { es = "Mini", en = "Mini" }
[[matrix.group]]
id = "a"
title = { es = "A", en = "A" }
[[matrix.group]]
id = "b"
title = { es = "B", en = "B" }
[[matrix.indicator]]
id = "i1"
group = "a"
type = "yesno"
required = false
scored = true
ref = "TIP Protocol art. 5(1)"
label = { es = "Uno", en = "One" }
[[matrix.indicator]]
id = "i2"
group = "a"
type = "yesno"
required = false
scored = true
ref = "TIP Protocol art. 5(2)"
label = { es = "Dos", en = "Two" }
[[matrix.indicator]]
id = "i3"
group = "b"
type = "yesno"
required = false
scored = true
ref = "SOM Protocol art. 6"
label = { es = "Tres", en = "Three" }
"""


@pytest.fixture
def mini(tmp_path: Path) -> Workspace:
    schema = tmp_path / "mini.toml"
    schema.write_text(THREE, encoding="utf-8")
    ws = Workspace.init(tmp_path / "ws", "2016", dt.date(2016, 7, 1), schema=str(schema))
    ws.add_round("2017", dt.date(2017, 7, 1))
    return ws


def _send(ws: Workspace, make_workbook, name: str, round_name: str, answers: dict[str, str | None]) -> None:
    rows = [["Id", "Answer"], *[[k, v] for k, v in answers.items()]]
    [f] = ingest([make_workbook(name, {"m": rows})], ws, round_name=round_name).files
    assert f.status == "accepted", [str(i) for i in f.issues]


def test_hand_computed_scores(mini: Workspace, make_workbook) -> None:
    # GTM: i1 partial, i2 not applicable, i3 unanswered.  HND: i1 yes, i2 no, i3 yes.
    _send(mini, make_workbook, "GTM_2017.xlsx", "2017", {"i1": "Parcial", "i2": "No aplica", "i3": None})
    _send(mini, make_workbook, "HND_2017.xlsx", "2017", {"i1": "Sí", "i2": "No", "i3": "Sí"})
    report = compute_scores(mini, round_name="2017")
    by = {c.country: c for c in report.countries}
    gtm, hnd = by["GTM"], by["HND"]
    assert gtm.groups[("m", "a")].met == 0.5  # 0.5 point / 1 counted (n/a left out)
    assert gtm.groups[("m", "a")].counted == 1 and gtm.groups[("m", "a")].not_applicable == 1
    assert gtm.groups[("m", "b")].met is None and gtm.groups[("m", "b")].unknown_share == 1.0
    assert gtm.overall() == 0.5  # group b is all unknown: not counted as 0
    assert gtm.unknown() == pytest.approx((1 * 0 + 3 * 1.0) / 4)
    assert hnd.groups[("m", "a")].met == 0.5 and hnd.groups[("m", "b")].met == 1.0
    assert hnd.overall() == pytest.approx((1 * 0.5 + 3 * 1.0) / 4)  # weights a=1, b=3
    assert [i for i, _, _ in hnd.groups[("m", "a")].not_met] == ["i2"]
    assert by["BLZ"].overall() is None and not by["BLZ"].submitted


def test_progress_between_rounds(mini: Workspace, make_workbook) -> None:
    _send(mini, make_workbook, "HND_2016.xlsx", "2016", {"i1": "No", "i2": "No", "i3": "Parcial"})
    _send(mini, make_workbook, "HND_2017.xlsx", "2017", {"i1": "Sí", "i2": "No", "i3": "Sí"})
    report = compute_scores(mini, round_name="2017", since="2016")
    before = (1 * 0.0 + 3 * 0.5) / 4
    after = (1 * 0.5 + 3 * 1.0) / 4
    assert report.change("HND") == pytest.approx(after - before)
    rows = {(r["country"], r["group"]): r for r in report.to_rows()}
    assert rows[("HND", "b")]["change"] == 0.5


def test_methodology_in_both_languages_and_outputs(mini: Workspace, make_workbook, tmp_path: Path) -> None:
    _send(mini, make_workbook, "HND_2017.xlsx", "2017", {"i1": "Sí", "i2": "No", "i3": "Sí"})
    es = " ".join(methodology("es", {"yes": 1, "partial": 0.5, "no": 0}))
    en = " ".join(methodology("en", {"yes": 1, "partial": 0.5, "no": 0}))
    assert "no una evaluación jurídica" in es and "«Parcial» 0.5" in es
    assert "not a legal assessment" in en and "'Partial' 0.5" in en
    html, xlsx, js = write_scores(mini, [tmp_path / "s.html", tmp_path / "s.xlsx", tmp_path / "s.json"], lang="en")
    page = html.read_text(encoding="utf-8")
    assert "not a legal assessment" in page and "Two (no) — <em>TIP Protocol art. 5(2)</em>" in page
    wb = load_workbook(xlsx)
    assert wb.sheetnames[1] == "Methodology" and wb.worksheets[0].conditional_formatting
    assert json.loads(js.read_text(encoding="utf-8"))["methodology"][0].startswith("What is counted")
    spanish = write_scores(mini, [tmp_path / "s_es.html"], lang="es")[0].read_text(encoding="utf-8")
    assert "Metodología" in spanish and "no una evaluación jurídica" in spanish


def test_compare_gains_a_score_row(mini: Workspace, make_workbook, tmp_path: Path) -> None:
    _send(mini, make_workbook, "HND_2017.xlsx", "2017", {"i1": "Sí", "i2": "No", "i3": "Sí"})
    [xlsx, html] = compare(mini, [tmp_path / "m.xlsx", tmp_path / "m.html"], lang="en", scores=True)
    sheet = load_workbook(xlsx).worksheets[1]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[1] == "Scored provisions met"
    assert last[3 + [m.iso3 for m in mini.members].index("HND")] == "88%"
    assert 'class="scores"' in html.read_text(encoding="utf-8")


def test_scored_must_be_a_protocol_yesno(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(THREE.replace('ref = "SOM Protocol art. 6"', 'ref = "Not in Protocol"'), encoding="utf-8")
    with pytest.raises(SchemaError, match="must cite a Protocol article"):
        load_schema(bad)
