"""Property tests: no input makes the parsers, the country lookup or the CSV reader raise."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rcmmatrix.members import lookup_country
from rcmmatrix.readers import read_book
from rcmmatrix.text import fold
from rcmmatrix.workspace import Limits


@given(st.text())
def test_country_lookup_never_raises_and_is_stable(text: str) -> None:
    found = lookup_country(text)
    assert found is None or (len(found) == 3 and found.isupper())
    if found:
        assert lookup_country(found) == found


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.binary(max_size=4000), st.sampled_from([".csv", ".xlsx", ".ods", ".xls"]))
@example(b"\xff\xfea\x00b", ".csv")  # UTF-16 byte-order mark, odd length: once crashed the CSV reader
@example(b"PK\x03\x04" + b"\x00" * 40, ".xlsx")
@example(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls")
def test_readers_never_raise_on_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    book, issues = read_book(tmp_path / f"f{suffix}", data, Limits())
    assert book is not None or issues  # either a workbook, or the reason there is none
    assert all(i.code.value and i.render("es") for i in issues)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(
    st.lists(st.lists(st.text(max_size=30), max_size=8), max_size=30),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
)
def test_csv_reader_round_trips_any_table(tmp_path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return  # that text cannot be saved in that encoding by anyone
    book, issues = read_book(tmp_path / "t.csv", data, Limits())
    assert book is not None or issues
