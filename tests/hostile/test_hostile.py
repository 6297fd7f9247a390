"""Every kind of bad input in cases.py: the expected issue codes, and the store unchanged when rejected."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from cases import CASES

from rcmmatrix.compare import compare
from rcmmatrix.ingest import ingest_files
from rcmmatrix.store import Store
from rcmmatrix.workspace import Workspace

# case: (status of every file, error codes exactly, warning codes at least)
EXPECT: dict[str, tuple[str, set[str], set[str]]] = {
    "empty_csv": ("rejected", {"empty-file"}, set()),
    "zero_byte_xlsx": ("rejected", {"empty-file"}, set()),
    "truncated_zip": ("rejected", {"unreadable-file"}, set()),
    "docx_renamed": ("rejected", {"unreadable-file"}, set()),
    "pdf_renamed": ("rejected", {"unreadable-file"}, set()),
    "password_protected": ("rejected", {"password-protected"}, set()),
    "xlsm_with_macros": ("accepted", set(), set()),
    "xml_bomb_shared_strings": ("rejected", {"unreadable-file"}, set()),
    "zip_bomb": ("rejected", {"unreadable-file"}, set()),
    "million_rows": ("rejected", {"sheet-too-large"}, set()),
    "sixteen_thousand_columns": ("rejected", {"sheet-too-large"}, set()),
    "over_size_limit": ("rejected", {"file-too-large"}, set()),
    "merged_answer_cells": ("rejected", {"merged-cells"}, set()),
    "hidden_rows_with_answers": ("accepted", set(), set()),
    "formulas_with_cached_values": ("accepted", set(), set()),
    "formulas_without_cached_values": ("rejected", {"formula-without-value"}, set()),
    "excel_error_values": ("rejected", {"excel-error"}, set()),
    "dates_as_text_and_serials": ("accepted", set(), {"normalized-value"}),
    "date_as_serial": ("accepted", set(), {"normalized-value"}),
    "numbers_as_text": ("accepted", set(), {"normalized-value"}),
    "hyperlink_and_dde_typed_as_text": ("accepted", set(), set()),
    "script_and_template_syntax_in_notes": ("accepted", set(), set()),
    "rtl_and_zero_width": ("accepted", set(), {"normalized-value"}),
    "nfd_accents": ("accepted", set(), {"normalized-value"}),
    "csv_utf16": ("accepted", set(), {"normalized-value"}),
    "csv_cp1252_semicolon": ("accepted", set(), {"normalized-value"}),
    "csv_utf8_bom": ("accepted", set(), {"normalized-value"}),
    "csv_ragged_rows": ("accepted", set(), set()),
    "country_not_a_member": ("rejected", {"not-a-member"}, set()),
    "two_files_same_country": ("accepted", set(), {"duplicate-submission"}),
    "same_indicator_twice": ("rejected", {"duplicate-indicator"}, set()),
    "ten_thousand_character_notes": ("rejected", {"text-too-long"}, set()),
    "hostile_file_name": ("accepted", set(), set()),
    "random_zip_not_a_workbook": ("rejected", {"unreadable-file"}, set()),
    "answers_in_wrong_sheet_shape": ("rejected", {"missing-column"}, set()),
    "csv_over_row_limit": ("rejected", {"sheet-too-large"}, set()),
    "same_matrix_on_two_sheets": ("rejected", {"duplicate-sheet"}, set()),
}


def test_every_case_has_an_expectation_and_a_readme_row() -> None:
    assert set(EXPECT) == set(CASES)
    assert len(CASES) >= 30
    readme = (Path(__file__).parent / "README.md").read_text(encoding="utf-8")
    for name, (_, errors, _) in EXPECT.items():
        assert f"`{name}`" in readme, name
        for code in errors:
            assert code in readme


@pytest.fixture
def hostile_ws(tmp_path: Path) -> Workspace:
    ws = Workspace.init(tmp_path / "ws", "2017", dt.date(2017, 7, 21))
    text = ws.config_path.read_text(encoding="utf-8")
    text += "\n[limits]\nmax_file_bytes = 12582912\nmax_uncompressed_bytes = 104857600\n"
    ws.config_path.write_text(text, encoding="utf-8")
    return Workspace.load(ws.root)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name: str, hostile_ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = CASES[name](folder)
    with Store.open(hostile_ws.db_path) as store:
        before = store.counts()
    result = ingest_files(paths, hostile_ws, feedback_dir=tmp_path / "feedback")
    status, errors, warnings = EXPECT[name]
    assert [f.status for f in result.files] == [status] * len(paths), [str(i) for i in result.issues()]
    found_errors = {i.code.value for i in result.issues() if i.is_error}
    found_warnings = {i.code.value for i in result.issues() if not i.is_error}
    assert found_errors == errors, [str(i) for i in result.issues()]
    assert warnings <= found_warnings
    for issue in result.issues():
        assert issue.render("es") and issue.render("en")  # every message renders in both languages
    with Store.open(hostile_ws.db_path) as store:
        after = store.counts()
    if status == "rejected":
        assert after["answers"] == before["answers"] and after["statistics"] == before["statistics"]
    else:
        assert after["answers"] > before["answers"]
    # nothing written anywhere but the input, the workspace and the feedback folder (names with .. included)
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written <= {"in", "ws", "feedback"}, written
    if status == "rejected":
        assert list((tmp_path / "feedback").glob("*")), "a rejected file gets feedback to send back"


def test_values_behind_hidden_rows_and_cached_formulas_are_read(hostile_ws: Workspace, tmp_path: Path) -> None:
    for name in ("hidden_rows_with_answers", "formulas_with_cached_values"):
        folder = tmp_path / name
        folder.mkdir()
        ingest_files(CASES[name](folder), hostile_ws)
    with Store.open(hostile_ws.db_path) as store:
        subs = store.submissions(country="GTM")
        first, second = (store.answers(s.id) for s in subs)
    assert {a.indicator: a.value for a in first}["tip_attempt"] == "partial"
    got = {a.indicator: a.value for a in second}
    assert got["tip_attempt"] == "yes" and got["tip_child_age_threshold"] == 18


def test_outputs_stay_inert(hostile_ws: Workspace, tmp_path: Path) -> None:
    for name in ("hyperlink_and_dde_typed_as_text", "script_and_template_syntax_in_notes"):
        folder = tmp_path / name
        folder.mkdir()
        paths = CASES[name](folder)
        if name.startswith("script"):
            paths[0] = paths[0].rename(paths[0].with_name("HND_2017.xlsx"))
        ingest_files(paths, hostile_ws)
    xlsx, html, csv_path = compare(
        hostile_ws, [tmp_path / "m.xlsx", tmp_path / "m.html", tmp_path / "m.csv"], lang="en"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Trafficking"]
    texts = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
    ]
    assert texts and all(c.data_type == "s" for c in texts)  # present, and all plain strings
    page = html.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert len(re.findall(r"<script", page)) == 1  # only the page's own filter script
    assert "{{ 7*7 }}" in page  # template syntax in country text stays text
    assert "'=cmd|" in csv_path.read_text(encoding="utf-8-sig")
