from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from rcmmatrix.issues import Code, Issue
from rcmmatrix.store import Answer, NewSubmission, StatRow, Store
from rcmmatrix.workspace import Workspace


def _answers(value: object) -> list[Answer]:
    return [
        Answer(
            "tip_attempt",
            "yesno",
            "yes",
            raw="Sí",
            law="Código Penal",
            article="art. 202 ter",
            sheet="t",
            cell="C5",
        ),
        Answer("tip_child_age_threshold", "integer", 18, raw="18"),
        Answer("tip_penalty_min_years", "number", 8.5),
        Answer("tip_protocol_ratification_date", "date", dt.date(2004, 4, 1)),
        Answer("tip_aggr_other", "text", value),
    ]


def test_round_trip_keeps_types(ws: Workspace) -> None:
    with Store.open(ws.db_path) as store:
        sub = NewSubmission("GTM", "2017", "trafficking", issues=[], answers=_answers("=1+1 <script>"))
        [sid] = store.record_file("a" * 64, "GTM.xlsx", 10, "archive/a", [sub])
        got = {a.indicator: a for a in store.answers(sid)}
    assert got["tip_attempt"].value == "yes" and got["tip_attempt"].raw == "Sí"
    assert got["tip_attempt"].cell == "C5" and got["tip_attempt"].article == "art. 202 ter"
    assert got["tip_child_age_threshold"].value == 18 and isinstance(got["tip_child_age_threshold"].value, int)
    assert got["tip_penalty_min_years"].value == 8.5
    assert got["tip_protocol_ratification_date"].value == dt.date(2004, 4, 1)
    assert got["tip_aggr_other"].value == "=1+1 <script>"


def test_supersede_keeps_history_and_rejected_leaves_accepted(ws: Workspace) -> None:
    with Store.open(ws.db_path) as store:
        [first] = store.record_file(
            "1" * 64, "a.xlsx", 1, "x", [NewSubmission("GTM", "2017", "trafficking", [], _answers("one"))]
        )
        bad = Issue(Code.BAD_VALUE, {"value": "maybe"}, sheet="t", cell="C9")
        [rejected] = store.record_file(
            "2" * 64, "b.xlsx", 1, "x", [NewSubmission("GTM", "2017", "trafficking", [bad], _answers("two"))]
        )
        assert store.submission(first).status == "accepted"
        assert store.submission(rejected).status == "rejected"
        assert store.answers(rejected) == []
        assert [(i.code, i.cell) for i in store.issues(rejected)] == [(Code.BAD_VALUE, "C9")]
        [second] = store.record_file(
            "3" * 64, "c.xlsx", 1, "x", [NewSubmission("GTM", "2017", "trafficking", [], _answers("three"))]
        )
        assert store.submission(first).status == "superseded"
        assert store.submission(first).superseded_by == second
        current = [
            a.answer.value
            for a in store.accepted_answers("2017", "trafficking")
            if a.answer.indicator == "tip_aggr_other"
        ]
        assert current == ["three"]
        assert len(store.submissions(country="GTM")) == 3
        assert store.answers(first)  # history is still there
        assert store.has_file("1" * 64) and not store.has_file("9" * 64)


def test_statistics_rows_and_counts(ws: Workspace) -> None:
    with Store.open(ws.db_path) as store:
        rows = [
            StatRow("HND", 2016, "tip_victims_detected", 12, sex="female"),
            StatRow("HND", 2016, "tip_victims_detected", None, flag="suppressed_lt5", sex="male", raw="<5"),
        ]
        store.record_file("4" * 64, "s.xlsx", 1, "x", [NewSubmission("HND", "2017", "statistics", [], statistics=rows)])
        got = store.statistics("HND")
        assert [(r.sex, r.value, r.flag) for r in got] == [
            ("female", 12, "reported"),
            ("male", None, "suppressed_lt5"),
        ]
        assert store.counts()["statistics"] == 2


def test_failed_transaction_writes_nothing(ws: Workspace) -> None:
    with Store.open(ws.db_path) as store:
        before = store.counts()
        dup = [
            Answer("tip_attempt", "yesno", "yes"),
            Answer("tip_attempt", "yesno", "no"),
        ]  # same primary key
        with pytest.raises(sqlite3.IntegrityError):
            store.record_file("5" * 64, "d.xlsx", 1, "x", [NewSubmission("GTM", "2017", "trafficking", [], dup)])
        assert store.counts() == before
