from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from rcmmatrix.workspace import Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    import datetime as dt

    return Workspace.init(tmp_path / "ws", "2017", dt.date(2017, 7, 21))


Rows = Sequence[Sequence[Any]]


def write_workbook(path: Path, sheets: dict[str, Rows], merged: dict[str, list[str]] | None = None) -> Path:
    """A real .xlsx written with openpyxl: one sheet per key, rows as given, optional merged ranges."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for rng in (merged or {}).get(title, []):
            sheet.merge_cells(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """make_workbook("GTM_2017.xlsx", {"Trata": [[...], ...]}) writes a real workbook in the test's folder."""

    def make(name: str, sheets: dict[str, Rows], merged: dict[str, list[str]] | None = None) -> Path:
        return write_workbook(tmp_path / name, sheets, merged)

    return make


def valid_answer(indicator: Any, lang: str = "es") -> Any:
    """A valid answer of the indicator's type, in the workbook's language."""
    import datetime as dt

    if indicator.type == "yesno":
        return {"es": "Sí", "en": "Yes", "fr": "Oui"}[lang]
    if indicator.type == "integer":
        return 18
    if indicator.type == "number":
        return 8
    if indicator.type == "date":
        return dt.date(2004, 4, 1)
    if indicator.type == "choice":
        return indicator.choices.terms[0].label.get(lang)
    return "Texto" if lang == "es" else "Text"


HEADERS = {
    "es": ["Código", "Indicador", "Respuesta", "Ley", "Artículo", "Observaciones", "URL de la fuente"],
    "en": ["Id", "Indicator", "Answer", "Law", "Article", "Notes", "Source URL"],
}


def matrix_rows(
    matrix_id: str = "trafficking",
    lang: str = "es",
    overrides: dict[str, Any] | None = None,
    title_rows: int = 0,
    drop: tuple[str, ...] = (),
) -> list[list[Any]]:
    """Header plus one complete, valid row per indicator; ``overrides`` replaces answers by indicator id."""
    from rcmmatrix.schema import load_schema

    matrix = load_schema().matrix(matrix_id)
    rows: list[list[Any]] = [[f"Título {n}"] for n in range(title_rows)]
    rows.append(HEADERS[lang])
    for ind in matrix.indicators:
        if ind.id in drop:
            continue
        value = (overrides or {}).get(ind.id, valid_answer(ind, lang))
        rows.append([ind.id, ind.label.get(lang), value, "Ley 1", "art. 2", "", ""])
    return rows


def row_of(rows: list[list[Any]], indicator: str) -> int:
    """The 1-based spreadsheet row of ``indicator`` in rows made by matrix_rows."""
    return next(i for i, r in enumerate(rows) if r and r[0] == indicator) + 1


def real_client(name: str) -> str:
    """Path of a real program (chromium, soffice). CI installs them and sets RCMMATRIX_REQUIRE_CLIENTS=1, so there a
    missing program fails the test; on a developer machine without it the test is skipped with the reason."""
    import os
    import shutil

    path = shutil.which(name)
    if path:
        return path
    message = (
        f"{name} is not installed (apt-get install {'chromium' if name == 'chromium' else 'libreoffice-calc-nogui'})"
    )
    if os.environ.get("RCMMATRIX_REQUIRE_CLIENTS"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_args(user_dir: Path) -> list[str]:
    return [
        real_client("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_dir}",
    ]
