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


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """make_workbook("GTM_2017.xlsx", {"trafficking": [[...], ...]}) writes a real workbook with openpyxl."""

    def make(name: str, sheets: dict[str, Rows], merged: dict[str, list[str]] | None = None) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            sheet = wb.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
            for rng in (merged or {}).get(title, []):
                sheet.merge_cells(rng)
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path

    return make
