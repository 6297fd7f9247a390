"""Reading files into grids of cells: xlsx/xlsm/xls/ods with python-calamine, CSV with encoding and delimiter
detection. Nothing here knows the schema; :mod:`rcmmatrix.layout` finds the matrices in the grids.

Rows keep their true spreadsheet numbers (``skip_empty_area=False``), so every issue can point at a cell.
Problems come back as :class:`Issue` records, never as exceptions.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .issues import Code, Issue
from .workspace import Limits

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*SPREADSHEET_SUFFIXES, ".csv")

DEFLATE_MAX_RATIO = 1100  # deflate's ceiling is about 1032:1
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass(slots=True)
class Grid:
    """One sheet: ``rows[r][c]`` is the value at spreadsheet row r+1, column c+1."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive
    # Cells calamine reads as blank that are not: (r, c) -> ("error", "#N/A") / ("formula", ""). Read from the
    # sheet XML only when a blank cell is asked about (most files never need it).
    flag_loader: Callable[[], dict[tuple[int, int], tuple[str, str]]] | None = None
    _flags: dict[tuple[int, int], tuple[str, str]] | None = None

    @property
    def flags(self) -> dict[tuple[int, int], tuple[str, str]]:
        if self._flags is None:
            self._flags = self.flag_loader() if self.flag_loader is not None else {}
        return self._flags

    def value(self, r: int, c: int) -> Any:
        try:
            return self.rows[r][c]
        except IndexError:
            return None


@dataclass(slots=True)
class RawBook:
    path: Path
    grids: list[Grid]


def cell_ref(r: int, c: int) -> str:
    """0-based (row, column) → 'C14'."""
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


def sniff_format(data: bytes) -> str | None:
    """What the bytes really are: 'zip', 'ole', 'pdf', 'text', or None when empty."""
    if not data:
        return None
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    if data.startswith(b"%PDF"):
        return "pdf"
    return "text"


def read_book(path: Path, data: bytes, limits: Limits) -> tuple[RawBook | None, list[Issue]]:
    """Read ``data`` (the bytes of ``path``) into grids, or return the issues that prevent it."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return None, [Issue(Code.UNSUPPORTED_FORMAT, {"suffix": suffix or path.name}, file=name)]
    if len(data) > limits.max_file_bytes:
        return None, [Issue(Code.FILE_TOO_LARGE, {"size": len(data), "limit": limits.max_file_bytes}, file=name)]
    kind = sniff_format(data)
    if kind is None or not data.strip():
        return None, [Issue(Code.EMPTY_FILE, file=name)]
    if suffix == ".csv":
        return _read_csv(path, data, limits)
    if kind == "ole" and _ENCRYPTED in data:
        return None, [Issue(Code.PASSWORD_PROTECTED, file=name)]
    if kind == "pdf":
        return None, [Issue(Code.UNREADABLE_FILE, {"reason": "it is a PDF document"}, file=name)]
    if suffix in (".xlsx", ".xlsm", ".ods"):
        if kind != "zip":
            reason = "it is an old binary .xls saved with another name" if kind == "ole" else "not a zip container"
            if kind == "ole":  # an .xls renamed .xlsx is still a workbook: read it as one
                suffix = ".xls"
            else:
                return None, [Issue(Code.UNREADABLE_FILE, {"reason": reason}, file=name)]
        else:
            # Deflate cannot inflate more than ~1032:1, so a small file cannot be a bomb: read it straight away and
            # look inside the zip only to say what went wrong. A larger one is checked by its declared sizes first.
            if len(data) * DEFLATE_MAX_RATIO > limits.max_uncompressed_bytes:
                problem = _zip_problem(data, limits)
                if problem:
                    return None, [Issue(Code.UNREADABLE_FILE, {"reason": problem}, file=name)]
            book, issues = _read_spreadsheet(path, data, limits, xlsx=suffix != ".ods")
            if book is None and any(i.code is Code.UNREADABLE_FILE and i.sheet is None for i in issues):
                problem = _zip_problem(data, limits)
                if problem:
                    return None, [Issue(Code.UNREADABLE_FILE, {"reason": problem}, file=name)]
            return book, issues
    return _read_spreadsheet(path, data, limits, xlsx=False)


def _zip_problem(data: bytes, limits: Limits) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _check_zip(zf, limits)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"damaged zip container: {exc}"


def _check_zip(zf: zipfile.ZipFile, limits: Limits) -> str | None:
    """Refuse broken or bomb-like containers by their declared sizes, before inflating anything."""
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return "it is a Word document, not a workbook"
    if "ppt/presentation.xml" in names:
        return "it is a PowerPoint file, not a workbook"
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        return "the zip holds no workbook"
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        return f"it would inflate to {total} bytes, over the limit of {limits.max_uncompressed_bytes}"
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > 1000 and info.file_size > 10_000_000:
            return f"'{info.filename}' is compressed {info.file_size // info.compress_size}:1, like a zip bomb"
    return None


def _read_spreadsheet(path: Path, data: bytes, limits: Limits, xlsx: bool) -> tuple[RawBook | None, list[Issue]]:
    import python_calamine as pc

    name = path.name
    issues: list[Issue] = []
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        return None, [Issue(Code.PASSWORD_PROTECTED, file=name)]
    except Exception as exc:  # calamine raises several types for damaged files; all mean "cannot read"
        return None, [Issue(Code.UNREADABLE_FILE, {"reason": _short(exc)}, file=name)]
    grids: list[Grid] = []
    parts: dict[str, str] | None = None

    def loader(sheet_name: str) -> Callable[[], dict[tuple[int, int], tuple[str, str]]]:
        def load() -> dict[tuple[int, int], tuple[str, str]]:
            nonlocal parts
            with zipfile.ZipFile(io.BytesIO(data)) as again:
                if parts is None:
                    parts = _xlsx_sheet_paths(again)
                return _xlsx_flags(again, parts.get(sheet_name))

        return load

    try:
        for meta in book.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                height, width = sheet.total_height, sheet.total_width
                if height > limits.max_rows or width > limits.max_columns:
                    issues.append(
                        Issue(
                            Code.SHEET_TOO_LARGE,
                            {
                                "rows": height,
                                "columns": width,
                                "max_rows": limits.max_rows,
                                "max_columns": limits.max_columns,
                            },
                            file=name,
                            sheet=meta.name,
                        )
                    )
                    continue
                rows = sheet.to_python(skip_empty_area=False, nrows=limits.max_rows)
                merged = list(sheet.merged_cell_ranges or [])
            except Exception as exc:
                issues.append(Issue(Code.UNREADABLE_FILE, {"reason": _short(exc)}, file=name, sheet=meta.name))
                continue
            flag_loader = loader(meta.name) if xlsx else None
            grids.append(Grid(meta.name, rows, merged, flag_loader))
    except Exception as exc:
        return None, [Issue(Code.UNREADABLE_FILE, {"reason": _short(exc)}, file=name)]
    if not grids and issues:
        return None, issues  # every sheet was refused (too large, unreadable): those issues say why
    if not grids or all(not any(_filled(v) for row in g.rows for v in row) for g in grids):
        return None, [*issues, Issue(Code.EMPTY_FILE, file=name)]
    return RawBook(path, grids), issues


def _filled(value: Any) -> bool:
    return value is not None and value != ""


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# --------------------------------------------------------------------------------------- xlsx cell flags
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ATTR_T = re.compile(rb'\bt="([a-zA-Z]+)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)


def _xlsx_sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """sheet name → path of its XML part, from workbook.xml and its relationships."""
    try:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets = {
        m.group(1): m.group(2) for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {m.group(2): m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    )
    out: dict[str, str] = {}
    for m in re.finditer(r"<sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(r'\bname="([^"]*)"', attrs)
        rid = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
        if name and rid and rid.group(1) in targets:
            target = targets[rid.group(1)].lstrip("/")
            out[_xml_unescape(name.group(1))] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _xml_unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _xlsx_flags(zf: zipfile.ZipFile, part: str | None) -> dict[tuple[int, int], tuple[str, str]]:
    """Cells calamine reads as blank but are not: error values (t="e") and formulas with no cached value."""
    if not part:
        return {}
    try:
        xml = zf.read(part)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
        return {}
    if b't="e"' not in xml and b"<f" not in xml:
        return {}
    flags: dict[tuple[int, int], tuple[str, str]] = {}
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        ref = _ATTR_R.search(attrs)
        if not ref:
            continue
        pos = (int(ref.group(2)) - 1, _col_index(ref.group(1)))
        t = _ATTR_T.search(attrs)
        v = _V.search(body)
        if t and t.group(1) == b"e":
            flags[pos] = ("error", v.group(1).decode("utf-8", "replace") if v else "#ERROR")
        elif b"<f" in body and (not v or not v.group(1).strip()):
            flags[pos] = ("formula", "")
    return flags


# --------------------------------------------------------------------------------------- CSV
def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (then latin-1, which decodes any byte)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # an odd trailing byte is not a reason to crash
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", "\t", ",")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(path: Path, data: bytes, limits: Limits) -> tuple[RawBook | None, list[Issue]]:
    name = path.name
    text = decode_text(data)
    if "\x00" in text:
        return None, [Issue(Code.UNREADABLE_FILE, {"reason": "binary data in a .csv file"}, file=name)]
    delimiter = sniff_delimiter(text)
    rows: list[list[Any]] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            width = max(width, len(row))
            if len(rows) >= limits.max_rows or width > limits.max_columns:  # refused, as for a workbook: never cut
                args = {
                    "rows": f"{len(rows) + 1}+",
                    "columns": width,
                    "max_rows": limits.max_rows,
                    "max_columns": limits.max_columns,
                }
                return None, [Issue(Code.SHEET_TOO_LARGE, args, file=name, sheet=path.stem)]
            rows.append(row)
    except csv.Error as exc:
        return None, [Issue(Code.UNREADABLE_FILE, {"reason": f"CSV: {exc}"}, file=name)]
    if not any(_filled(v.strip() if isinstance(v, str) else v) for row in rows for v in row):
        return None, [Issue(Code.EMPTY_FILE, file=name)]
    return RawBook(path, [Grid(path.stem, rows)]), []
