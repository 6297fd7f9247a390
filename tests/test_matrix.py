from __future__ import annotations

import datetime as dt

import pytest

from conftest import matrix_rows
from rcmmatrix.errors import RcmmatrixError
from rcmmatrix.ingest import ingest
from rcmmatrix.matrix import build_matrix, long_rows, summary
from rcmmatrix.workspace import Workspace


@pytest.fixture
def two_rounds(ws: Workspace, make_workbook) -> Workspace:
    ws.add_round("2016", dt.date(2016, 7, 22))
    ingest(
        [
            make_workbook(
                "a/GTM_2016.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "No", "tip_aggr_other": "x"})}
            )
        ],
        ws,
        round_name="2016",
    )
    ingest(
        [make_workbook("b/HND_2016.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "Sí"})})],
        ws,
        round_name="2016",
    )
    ingest(
        [
            make_workbook(
                "c/GTM_2017.xlsx",
                {
                    "Trata": matrix_rows(
                        overrides={
                            "tip_attempt": "Sí",
                            "tip_accomplice": "Parcial",
                            "tip_organizing_directing": "No",
                            "tip_aggr_child_victim": "No aplica",
                            "tip_aggr_public_official": None,
                            "tip_aggr_other": None,
                            "tip_purpose_other_forms": "+1 <script>alert(1)</script> {{ x }}",
                        }
                    )
                },
            )
        ],
        ws,
        round_name="2017",
    )
    ingest(
        [make_workbook("d/HND_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_accomplice": "No"})})],
        ws,
        round_name="2017",
    )
    return ws


def test_six_states_and_values(two_rounds: Workspace) -> None:
    view = build_matrix(two_rounds, "trafficking", "2017", lang="es")
    f = view.frame
    assert list(f.columns) == [m.iso3 for m in two_rounds.members]
    assert f.loc["tip_attempt", "GTM"].state == "yes" and f.loc["tip_attempt", "GTM"].text == "Sí"
    assert f.loc["tip_accomplice", "GTM"].state == "partial"
    assert f.loc["tip_organizing_directing", "GTM"].state == "no"
    assert f.loc["tip_aggr_child_victim", "GTM"].state == "not_applicable"
    assert f.loc["tip_aggr_public_official", "GTM"].state == "no_answer"
    assert f.loc["tip_attempt", "BLZ"].state == "not_submitted"
    assert (
        f.loc["tip_child_age_threshold", "GTM"].state == "value"
        and f.loc["tip_child_age_threshold", "GTM"].text == "18"
    )
    cell = f.loc["tip_attempt", "GTM"]
    assert (
        cell.law == "Ley 1"
        and cell.article == "art. 2"
        and cell.file == "GTM_2017.xlsx"
        and cell.where.startswith("Trata!C")
    )
    assert set(view.missing) == {m.iso3 for m in two_rounds.members} - {"GTM", "HND"}
    assert summary(view)["tip_attempt"] == {"yes": 2, "partial": 0, "no": 0}


def test_changes_since_a_round(two_rounds: Workspace) -> None:
    f = build_matrix(two_rounds, "trafficking", "2017", lang="en", since="2016").frame
    assert f.loc["tip_attempt", "GTM"].change == "changed" and f.loc["tip_attempt", "GTM"].previous.startswith("No")
    assert f.loc["tip_aggr_other", "GTM"].change == "withdrawn" and f.loc["tip_aggr_other", "GTM"].previous == "x"
    assert f.loc["tip_attempt", "HND"].change == "unchanged"
    assert f.loc["tip_attempt", "BLZ"].change is None


def test_filters_and_long_rows(two_rounds: Workspace) -> None:
    view = build_matrix(
        two_rounds, "trafficking", "2017", countries=["Guatemala", "hn"], groups=["penalties"], lang="en"
    )
    assert list(view.frame.columns) == ["GTM", "HND"]
    assert list(view.frame.index) == ["tip_penalty_min_years", "tip_penalty_max_years"]
    rows = long_rows([view])
    assert len(rows) == 4 and rows[0]["state"] == "value" and rows[0]["value"] == "8"
    assert set(rows[0]) >= {
        "round",
        "matrix",
        "country",
        "indicator",
        "state",
        "law",
        "article",
        "file",
        "cell",
        "change",
    }
    with pytest.raises(RcmmatrixError, match="unknown group"):
        build_matrix(two_rounds, "trafficking", "2017", groups=["nope"])
