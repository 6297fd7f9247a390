"""kill -9 in the middle of an ingest, and two ingests at once: nothing half-written, nothing twice."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

N = 120


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    generate(folder, N)
    return folder


def workspace(root: Path) -> Path:
    """A workspace whose members are every country the generator uses."""
    from bench import big_workspace

    big_workspace(root, N)
    return root


def ingest(ws: Path, folder: Path, **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rcmmatrix", "-w", str(ws), "ingest", str(folder), "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **kw,
    )  # type: ignore[call-overload]


def submissions(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def check_consistent(ws: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(ws / "rcmmatrix.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every file wholly present: its three datasets, each accepted one with all its rows
    for sha, archived in conn.execute("SELECT sha256, archived_as FROM files"):
        datasets = {d for (d,) in conn.execute("SELECT dataset FROM submissions WHERE sha256 = ?", (sha,))}
        assert datasets == {"trafficking", "smuggling", "statistics"}, (sha, datasets)
        for sid, dataset in conn.execute("SELECT id, dataset FROM submissions WHERE sha256 = ?", (sha,)):
            table = "statistics" if dataset == "statistics" else "answers"
            rows = conn.execute(f"SELECT count(*) FROM {table} WHERE submission_id = ?", (sid,)).fetchone()[0]
            assert rows == (40 if dataset != "statistics" else 80), (sha, dataset, rows)
        # the archive copy a later run would trust is whole
        assert hashlib.sha256((ws / archived).read_bytes()).hexdigest() == sha
    return conn


@pytest.mark.parametrize("attempt", range(2))
def test_kill_9_mid_ingest_then_rerun(files: Path, tmp_path: Path, attempt: int) -> None:
    ws = workspace(tmp_path / "ws")
    proc = ingest(ws, files, start_new_session=True)
    deadline = time.monotonic() + 120
    while submissions(ws / "rcmmatrix.db") < 30 * (attempt + 1) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest finished before it could be killed; make N larger"
    os.killpg(proc.pid, signal.SIGKILL)  # the process and its workers, as a power cut would
    proc.wait()
    conn = check_consistent(ws)
    stored = conn.execute("SELECT count(*) FROM files").fetchone()[0]
    assert 0 < stored < N
    conn.close()
    rerun = ingest(ws, files)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read() if rerun.stderr else ""
    conn = check_consistent(ws)
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == N
    assert conn.execute("SELECT count(*) FROM submissions WHERE status = 'accepted'").fetchone()[0] == 3 * N


def test_two_ingests_at_once(files: Path, tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    first, second = ingest(ws, files), ingest(ws, files)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    assert second.wait(timeout=300) == 0, second.stderr.read() if second.stderr else ""
    conn = check_consistent(ws)
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == N
    dupes = conn.execute(
        "SELECT count(*) FROM (SELECT sha256, dataset FROM submissions GROUP BY sha256, dataset HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0
    assert conn.execute("SELECT count(*) FROM submissions WHERE status = 'accepted'").fetchone()[0] == 3 * N
