"""Feedback for a country: its own workbook with each problem cell highlighted and commented in its language,
plus a summary sheet; for CSV, .xls and .ods inputs (or unreadable files) a short text report instead.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from .issues import Code, Issue
from .normalize import as_text
from .text import defuse_formula

TITLES = {
    "es": ("Problemas", "Problemas encontrados en", "Celda", "Gravedad", "Código", "Mensaje", "Hoja"),
    "en": ("Problems", "Problems found in", "Cell", "Severity", "Code", "Message", "Sheet"),
    "fr": ("Problèmes", "Problèmes trouvés dans", "Cellule", "Gravité", "Code", "Message", "Feuille"),
}
SEVERITY = {
    "es": {"error": "error", "warning": "aviso"},
    "en": {"error": "error", "warning": "warning"},
    "fr": {"error": "erreur", "warning": "avertissement"},
}


# A file with one of these was not (fully) read: never hand it to openpyxl, which would inflate a bomb or load a
# million junk rows. The country gets the text report instead.
NOT_OPENED = {
    Code.UNREADABLE_FILE,
    Code.PASSWORD_PROTECTED,
    Code.EMPTY_FILE,
    Code.FILE_TOO_LARGE,
    Code.UNSUPPORTED_FORMAT,
    Code.SHEET_TOO_LARGE,
}


def write_feedback(source: Path, issues: list[Issue], out_dir: Path, lang: str = "es") -> Path:
    """Write the annotated copy (xlsx/xlsm inputs that openpyxl can open) or a text report; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    readable = not any(i.code in NOT_OPENED for i in issues)
    if readable and source.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            return _annotated_copy(source, issues, out_dir, lang)
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, InvalidFileException, ParseError):
            pass  # openpyxl cannot open it (damaged, encrypted): the text report says the same
    return _text_report(source, issues, out_dir, lang)


def _errors_first(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: not i.is_error)  # stable: file order within each severity


def _text_report(source: Path, issues: list[Issue], out_dir: Path, lang: str) -> Path:
    title = TITLES.get(lang, TITLES["en"])
    target = out_dir / f"{source.stem}_{title[0].lower()}.txt"
    lines = [f"{title[1]} {source.name}", ""]
    lines += [issue.render(lang) for issue in _errors_first(issues)]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _annotated_copy(source: Path, issues: list[Issue], out_dir: Path, lang: str) -> Path:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    title = TITLES.get(lang, TITLES["en"])
    wb = load_workbook(source, keep_vba=False, keep_links=False)
    red = PatternFill("solid", fgColor="FFC7CE")
    yellow = PatternFill("solid", fgColor="FFEB9C")
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.sheet in wb.sheetnames and issue.cell:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    for (sheet, ref), found in by_cell.items():
        cell = wb[sheet][ref]
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = red if any(i.is_error for i in found) else yellow
        text = "\n".join(f"[{i.code.value}] {i.message(lang)}" for i in found)
        cell.comment = Comment(text[:30000], "rcmmatrix", width=320, height=120)
    summary = wb.create_sheet(title[0][:31], 0)
    summary.append([f"{title[1]} {source.name}"])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([])
    summary.append([title[6], title[2], title[3], title[4], title[5]])
    for c in summary[3]:
        c.font = Font(bold=True)
    for issue in _errors_first(issues):
        summary.append(
            [
                issue.sheet or "",
                issue.cell or "",
                SEVERITY.get(lang, SEVERITY["en"])[issue.severity.value],
                issue.code.value,
                defuse_formula(as_text(issue.message(lang))),
            ]
        )
    for col, width in zip("ABCDE", (18, 8, 10, 22, 100), strict=True):
        summary.column_dimensions[col].width = width
    wb.active = 0
    target = out_dir / f"{source.stem}_{title[0].lower()}.xlsx"
    wb.save(target)
    return target
