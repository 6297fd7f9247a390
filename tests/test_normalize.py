from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rcmmatrix.normalize import parse_date, parse_number, parse_term, parse_text
from rcmmatrix.schema import load_schema

YESNO = load_schema().vocabularies["yesno"]


@pytest.mark.parametrize(
    ("raw", "integer", "value", "changed"),
    [
        ("1.234,5", False, 1234.5, True),
        ("1,234.5", False, 1234.5, True),
        ("8,5", False, 8.5, True),
        ("1,282", True, 1282, True),
        ("1 234", True, 1234, True),
        ("1.234.567", True, 1234567, True),
        ("18 años", True, 18, True),
        ("18", True, 18, False),
        (18.0, True, 18, False),
        ("12.5", False, 12.5, False),
        ("-3", True, -3, False),
    ],
)
def test_numbers_in_either_convention(raw: object, integer: bool, value: float, changed: bool) -> None:
    parsed = parse_number(raw, integer=integer)
    assert parsed.error is None and parsed.value == value and parsed.changed is changed


@pytest.mark.parametrize("raw", ["dieciocho", "", "1,2,3.4.5x", "abc 12", True, "12.5"])
def test_bad_integers(raw: object) -> None:
    assert parse_number(raw, integer=True).error == "bad-value"


@pytest.mark.parametrize(
    ("raw", "value", "changed"),
    [
        (dt.date(2004, 4, 1), dt.date(2004, 4, 1), False),
        (dt.datetime(2004, 4, 1, 0, 0), dt.date(2004, 4, 1), False),
        ("2004-04-01", dt.date(2004, 4, 1), False),
        ("01/04/2004", dt.date(2004, 4, 1), True),
        ("1.4.2004", dt.date(2004, 4, 1), True),
        (38078, dt.date(2004, 4, 1), True),
        ("38078", dt.date(2004, 4, 1), True),
    ],
)
def test_dates(raw: object, value: dt.date, changed: bool) -> None:
    parsed = parse_date(raw)
    assert parsed.value == value and parsed.changed is changed


@pytest.mark.parametrize("raw", ["31/02/2004", "ayer", "2004-13-01", -5])
def test_bad_dates(raw: object) -> None:
    assert parse_date(raw).error == "bad-value"


def test_terms_and_booleans() -> None:
    assert parse_term("Sí", YESNO).value == "yes" and not parse_term("Sí", YESNO).changed
    assert parse_term("si", YESNO).changed
    assert parse_term(True, YESNO).value == "yes"
    assert parse_term("quizás", YESNO).error == "bad-value"


def test_text_keeps_content_but_drops_invisible_characters() -> None:
    assert parse_text("  Ley\u200b  1  ").value == "Ley 1"
    assert parse_text("Cafe\u0301").value == "Café"  # NFD → NFC
    assert parse_text('=HYPERLINK("x")').value == '=HYPERLINK("x")'


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_parsers_never_raise(raw: object) -> None:
    for parsed in (parse_number(raw), parse_number(raw, integer=True), parse_date(raw), parse_term(raw, YESNO)):
        assert parsed.error in (None, "bad-value")


@given(st.text())
def test_normalising_twice_equals_once(raw: str) -> None:
    once = parse_term(raw, YESNO)
    if once.value is not None:
        assert parse_term(once.value, YESNO).value == once.value
    text = parse_text(raw).value
    assert parse_text(text).value == text
    number = parse_number(raw)
    if number.value is not None:
        assert parse_number(number.value).value == number.value
