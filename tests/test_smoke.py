"""The README walk-through on the bundled sample data, as a subprocess: the installed command, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rcmmatrix", *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def test_sample_round_2017(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("init", ws, "--round", "2016", "--deadline", "2016-07-22").returncode == 0
    assert run("-w", ws, "round", "add", "2017", "--deadline", "2017-07-21").returncode == 0
    first = run("-w", ws, "ingest", ROOT / "sample_data" / "2017", "--json")
    assert first.returncode == 1  # Honduras' file has deliberate mistakes
    files = {Path(f["file"]).name: f for f in json.loads(first.stdout)["files"]}
    assert files["Matriz Honduras 2017.xlsx"]["status"] == "rejected"
    accepted = {f["country"] for f in files.values() if f["status"] == "accepted"}
    assert accepted == {"CAN", "CRI", "DOM", "GTM", "MEX", "PAN", "USA"}
    assert files["PAN_trafico_2017.csv"]["datasets"] == ["smuggling"]
    assert "Traceback" not in first.stderr
    again = run("-w", ws, "ingest", ROOT / "sample_data" / "2017", "--json")
    assert {f["status"] for f in json.loads(again.stdout)["files"]} == {"unchanged"}


def test_every_sample_file_says_it_is_illustrative() -> None:
    from rcmmatrix.readers import read_book
    from rcmmatrix.workspace import Limits

    for path in sorted((ROOT / "sample_data").rglob("*")):
        if path.suffix not in (".xlsx", ".ods", ".csv"):
            continue
        book, issues = read_book(path, path.read_bytes(), Limits())
        assert book is not None, issues
        text = " ".join(str(v) for g in book.grids for row in g.rows[:3] for v in row)
        assert "ILUSTRATIVO" in text or "ILLUSTRATIVE" in text, path.name
