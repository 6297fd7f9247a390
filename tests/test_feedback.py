from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from conftest import matrix_rows, row_of
from rcmmatrix.ingest import ingest_files
from rcmmatrix.workspace import Workspace


def test_feedback_copy_highlights_and_comments_in_country_language(
    ws: Workspace, make_workbook, tmp_path: Path
) -> None:
    rows = matrix_rows(
        "trafficking", "es", {"tip_attempt": "quizás", "tip_accomplice": "si", "tip_aggr_other": "=cmd|' /C calc'!A0"}
    )
    path = make_workbook("Matriz Honduras 2017.xlsx", {"Trata": rows})
    out = tmp_path / "feedback"
    result = ingest_files([path], ws, feedback_dir=out)
    assert result.files[0].status == "rejected"
    [copy] = list(out.glob("*.xlsx"))
    wb = load_workbook(copy)
    assert wb.sheetnames[0] == "Problemas" and "Trata" in wb.sheetnames
    bad = wb["Trata"][f"C{row_of(rows, 'tip_attempt')}"]
    assert bad.value == "quizás"  # the officer's own value, untouched
    assert bad.comment is not None and "[bad-value]" in bad.comment.text and "no es un valor válido" in bad.comment.text
    assert bad.fill.fgColor.rgb.endswith("FFC7CE")
    fixed = wb["Trata"][f"C{row_of(rows, 'tip_accomplice')}"]
    assert fixed.comment is not None and "se leyó como 'Sí'" in fixed.comment.text
    summary = [[c.value for c in r] for r in wb["Problemas"].iter_rows(min_row=4)]
    assert ["Trata", f"C{row_of(rows, 'tip_attempt')}", "error", "bad-value"] in [r[:4] for r in summary]
    assert all(not str(r[4]).startswith("=") for r in summary)


def test_feedback_for_csv_is_a_text_report_in_english_for_usa(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "USA_2017.csv"
    rows = matrix_rows("smuggling", "en", {"som_attempt": "maybe"})
    path.write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="utf-8")
    out = tmp_path / "fb"
    ingest_files([path], ws, feedback_dir=out)
    [report] = list(out.glob("*.txt"))
    text = report.read_text(encoding="utf-8")
    assert "Problems found in USA_2017.csv" in text and "[bad-value] 'maybe' is not a valid answer" in text
