"""Hostile and broken inputs, made on the fly (no binary blobs in the repository).

Each case is a function writing one or more files into a folder and returning their paths. The table in this
folder's README lists them with the issue code each must yield.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import matrix_rows, row_of
from conftest import write_workbook as workbook

Case = Callable[[Path], list[Path]]
CASES: dict[str, Case] = {}


def case(fn: Case) -> Case:
    CASES[fn.__name__] = fn
    return fn


def valid(folder: Path, name: str = "GTM_2017.xlsx", **overrides: Any) -> Path:
    return workbook(folder / name, {"Trata": matrix_rows(overrides=overrides)})


def rezip(src: Path, dst: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            zout.writestr(name, replace.get(name, zin.read(name)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


@case
def empty_csv(folder: Path) -> list[Path]:
    (folder / "GTM_2017.csv").write_bytes(b"")
    return [folder / "GTM_2017.csv"]


@case
def zero_byte_xlsx(folder: Path) -> list[Path]:
    (folder / "GTM_2017.xlsx").write_bytes(b"")
    return [folder / "GTM_2017.xlsx"]


@case
def truncated_zip(folder: Path) -> list[Path]:
    data = valid(folder, "full.xlsx").read_bytes()
    (folder / "full.xlsx").unlink()
    (folder / "GTM_2017.xlsx").write_bytes(data[: len(data) // 2])
    return [folder / "GTM_2017.xlsx"]


@case
def docx_renamed(folder: Path) -> list[Path]:
    path = folder / "GTM_2017.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return [path]


@case
def pdf_renamed(folder: Path) -> list[Path]:
    path = folder / "GTM_2017.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return [path]


@case
def password_protected(folder: Path) -> list[Path]:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = valid(folder, "plain.xlsx")
    out = io.BytesIO()
    with open(plain, "rb") as fh:
        OOXMLFile(fh).encrypt("secreto", out)
    plain.unlink()
    (folder / "GTM_2017.xlsx").write_bytes(out.getvalue())
    return [folder / "GTM_2017.xlsx"]


@case
def xlsm_with_macros(folder: Path) -> list[Path]:
    plain = valid(folder, "plain.xlsx")
    path = rezip(
        plain, folder / "GTM_2017.xlsm", {}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"Sub AutoOpen()\x00" * 64}
    )
    plain.unlink()
    return [path]


@case
def xml_bomb_shared_strings(folder: Path) -> list[Path]:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{levels}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&l9;</t></si></sst>"
    ).encode()
    plain = valid(folder, "plain.xlsx")
    path = rezip(plain, folder / "GTM_2017.xlsx", {}, {"xl/sharedStrings.xml": bomb})
    plain.unlink()
    return [path]


@case
def zip_bomb(folder: Path) -> list[Path]:
    """A sheet that declares 128 MiB (the test workspace allows 100 MiB); refused before inflating."""
    plain = valid(folder, "plain.xlsx")
    path = rezip(plain, folder / "GTM_2017.xlsx", {"xl/worksheets/sheet1.xml": b" " * (128 * 1024 * 1024)})
    plain.unlink()
    return [path]


def _raw_sheet(path: Path, rows: int, cols: int) -> Path:
    """A minimal xlsx written by hand, fast even for a million rows."""

    def col(n: int) -> str:
        s = ""
        n += 1
        while n:
            n, r = divmod(n - 1, 26)
            s = chr(65 + r) + s
        return s

    body = io.StringIO()
    body.write(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    for r in range(1, rows + 1):
        body.write(f'<row r="{r}">')
        for c in range(cols):
            body.write(f'<c r="{col(c)}{r}" t="n"><v>{r}</v></c>')
        body.write("</row>")
    body.write("</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Trata" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", body.getvalue())
    return path


@case
def million_rows(folder: Path) -> list[Path]:
    return [_raw_sheet(folder / "GTM_2017.xlsx", 1_000_000, 1)]


@case
def sixteen_thousand_columns(folder: Path) -> list[Path]:
    return [_raw_sheet(folder / "GTM_2017.xlsx", 3, 16_384)]


@case
def over_size_limit(folder: Path) -> list[Path]:
    path = folder / "GTM_2017.csv"
    path.write_bytes(b"Id;Answer\n" + b"tip_attempt;Si\n" * 1_000_000)  # 15 MB; the test workspace allows 12 MiB
    return [path]


@case
def merged_answer_cells(folder: Path) -> list[Path]:
    from openpyxl import load_workbook

    rows = matrix_rows()
    path = valid(folder)
    wb = load_workbook(path)
    wb["Trata"].merge_cells(f"C{row_of(rows, 'tip_attempt')}:C{row_of(rows, 'tip_accomplice')}")
    wb.save(path)
    return [path]


@case
def hidden_rows_with_answers(folder: Path) -> list[Path]:
    from openpyxl import load_workbook

    rows = matrix_rows(overrides={"tip_attempt": "Parcial"})
    path = workbook(folder / "GTM_2017.xlsx", {"Trata": rows})
    wb = load_workbook(path)
    wb["Trata"].row_dimensions[row_of(rows, "tip_attempt")].hidden = True
    wb.save(path)
    return [path]


def _xlsxwriter_matrix(path: Path, special: dict[str, Callable[[Any, int, int], None]]) -> Path:
    import xlsxwriter

    rows = matrix_rows()
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = wb.add_worksheet("Trata")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if r and c == 2 and row[0] in special:
                special[row[0]](sheet, r, c)
            elif value is None or value == "":
                continue
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif hasattr(value, "isoformat"):
                sheet.write_string(r, c, value.isoformat())
            else:
                sheet.write_string(r, c, str(value))
    wb.close()
    return path


@case
def formulas_with_cached_values(folder: Path) -> list[Path]:
    return [
        _xlsxwriter_matrix(
            folder / "GTM_2017.xlsx",
            {
                "tip_attempt": lambda s, r, c: s.write_formula(r, c, '=IF(1=1,"Sí","No")', None, "Sí"),
                "tip_child_age_threshold": lambda s, r, c: s.write_formula(r, c, "=9*2", None, 18),
            },
        )
    ]


@case
def formulas_without_cached_values(folder: Path) -> list[Path]:
    return [valid(folder, tip_attempt='=IF(1=1,"Sí","No")')]


@case
def excel_error_values(folder: Path) -> list[Path]:
    return [
        _xlsxwriter_matrix(
            folder / "GTM_2017.xlsx",
            {
                "tip_attempt": lambda s, r, c: s.write_formula(r, c, "=NA()", None, "#N/A"),
                "tip_accomplice": lambda s, r, c: s.write_formula(r, c, "=1/0", None, "#DIV/0!"),
            },
        )
    ]


@case
def dates_as_text_and_serials(folder: Path) -> list[Path]:
    return [valid(folder, tip_protocol_ratification_date="01/04/2004")]


@case
def date_as_serial(folder: Path) -> list[Path]:
    return [valid(folder, tip_protocol_ratification_date=38078)]


@case
def numbers_as_text(folder: Path) -> list[Path]:
    return [valid(folder, tip_child_age_threshold="18", tip_penalty_min_years="8,5")]


@case
def hyperlink_and_dde_typed_as_text(folder: Path) -> list[Path]:
    rows = matrix_rows(
        overrides={
            "tip_aggr_other": '=HYPERLINK("http://evil.example","clic")',
            "tip_purpose_other_forms": "=cmd|' /C calc'!A0",
        }
    )
    path = folder / "GTM_2017.csv"  # in CSV these arrive as text, exactly as typed
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return [path]


@case
def script_and_template_syntax_in_notes(folder: Path) -> list[Path]:
    rows = matrix_rows()
    rows[row_of(rows, "tip_attempt") - 1][5] = "<script>alert('x')</script> {{ 7*7 }} {% raw %}"
    return [workbook(folder / "GTM_2017.xlsx", {"Trata": rows})]


@case
def rtl_and_zero_width(folder: Path) -> list[Path]:
    return [valid(folder, tip_attempt="S\u200bí", tip_accomplice="\u202eNo")]


@case
def nfd_accents(folder: Path) -> list[Path]:
    return [valid(folder, tip_attempt="Si\u0301", tip_aggr_child_victim="No aplica")]


def _csv(folder: Path, name: str, encoding: str, delimiter: str = ",", bom: bytes = b"", ragged: bool = False) -> Path:
    rows = matrix_rows(overrides={"tip_penalty_min_years": "8,5"})
    if ragged:
        rows = [r[: 3 + i % 4] for i, r in enumerate(rows)]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path = folder / name
    path.write_bytes(bom + buf.getvalue().encode(encoding))
    return path


@case
def csv_utf16(folder: Path) -> list[Path]:
    return [_csv(folder, "GTM_2017.csv", "utf-16", "\t")]


@case
def csv_cp1252_semicolon(folder: Path) -> list[Path]:
    return [_csv(folder, "GTM_2017.csv", "cp1252", ";")]


@case
def csv_utf8_bom(folder: Path) -> list[Path]:
    return [_csv(folder, "GTM_2017.csv", "utf-8", ",", b"\xef\xbb\xbf")]


@case
def csv_ragged_rows(folder: Path) -> list[Path]:
    return [_csv(folder, "GTM_2017.csv", "utf-8", ";", ragged=True)]


@case
def country_not_a_member(folder: Path) -> list[Path]:
    return [workbook(folder / "matriz.xlsx", {"Identificación": [["País", "COL"]], "Trata": matrix_rows()})]


@case
def two_files_same_country(folder: Path) -> list[Path]:
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    return [valid(folder / "a", tip_attempt="No"), valid(folder / "b", tip_attempt="Sí")]


@case
def same_indicator_twice(folder: Path) -> list[Path]:
    rows = matrix_rows()
    rows.append(["tip_attempt", "", "No", "", "", "", ""])
    return [workbook(folder / "GTM_2017.xlsx", {"Trata": rows})]


@case
def ten_thousand_character_notes(folder: Path) -> list[Path]:
    rows = matrix_rows()
    rows[row_of(rows, "tip_attempt") - 1][5] = "x" * 10_000
    return [workbook(folder / "GTM_2017.xlsx", {"Trata": rows})]


@case
def hostile_file_name(folder: Path) -> list[Path]:
    sub = folder / "in box"
    sub.mkdir()
    valid(sub, "Matriz Guatemala ñ 2017 (copia).xlsx")
    return [sub / ".." / "in box" / "Matriz Guatemala ñ 2017 (copia).xlsx"]


@case
def random_zip_not_a_workbook(folder: Path) -> list[Path]:
    path = folder / "GTM_2017.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    return [path]


@case
def answers_in_wrong_sheet_shape(folder: Path) -> list[Path]:
    return [workbook(folder / "GTM_2017.xlsx", {"Trata": [["Matriz de trata"], ["tip_attempt", "tip_accomplice"]]})]


@case
def csv_over_row_limit(folder: Path) -> list[Path]:
    path = folder / "GTM_2017.csv"
    path.write_bytes(b"Id;Answer\n" + b"tip_attempt;Si\n" * 30_000)  # the default limit is 20,000 rows
    return [path]


@case
def same_matrix_on_two_sheets(folder: Path) -> list[Path]:
    return [workbook(folder / "GTM_2017.xlsx", {"Trata": matrix_rows(), "Trata (2)": matrix_rows()})]
