"""rcmmatrix benchmarks: one line per figure, `<name> <measured> <target> PASS|FAIL`.

Every timing is a ratio against a baseline measured in the same run on the same machine, so the figures travel
between machines. Run with `make bench` (N=2000 by default) or `make bench N=50` for a smoke run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import countries, generate, rounds_needed  # noqa: E402

BIN = Path(sys.executable).parent
RCM = [sys.executable, "-m", "rcmmatrix"]


def line(name: str, measured: float, target: float | None, higher_is_better: bool = False, unit: str = "") -> bool:
    if target is None:
        print(f"{name} {measured:.3f}{unit} - INFO", flush=True)
        return True
    ok = measured >= target if higher_is_better else measured <= target
    print(
        f"{name} {measured:.3f}{unit} {'>=' if higher_is_better else '<='}{target:g} {'PASS' if ok else 'FAIL'}",
        flush=True,
    )
    return ok


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (MB) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss // 1024


def paired(ours: Callable[[], object], base: Callable[[], object], repeat: int = 5) -> float:
    """ours ÷ base, each the best of ``repeat`` runs taken alternately, so both sides see the same machine noise
    (on a shared machine noise only ever adds time)."""
    ours_times: list[float] = []
    base_times: list[float] = []
    for _ in range(repeat):
        for fn, times in ((base, base_times), (ours, ours_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(ours_times) / min(base_times)


def big_workspace(root: Path, n: int):
    from rcmmatrix.workspace import Workspace

    shutil.rmtree(root, ignore_errors=True)
    ws = Workspace.init(root, "B1", dt.date(2020, 7, 1))
    for i in range(2, rounds_needed(n) + 1):
        ws.add_round(f"B{i}", dt.date(2020 + i, 7, 1))
    ws._config["members"] = {code: {"languages": ["es"]} for code in countries()}
    ws.save()
    return Workspace.load(root)


def bench_ingest(n: int, work: Path) -> list[bool]:
    files = generate(work / "files", n)
    results = []
    start = time.perf_counter()
    import pandas as pd

    for path in files:
        pd.read_excel(path, sheet_name=None, engine="openpyxl")
    naive = time.perf_counter() - start
    ws = big_workspace(work / "ws", n)
    t_ingest, rss = run([*RCM, "-w", str(ws.root), "ingest", str(work / "files"), "--json"])
    results.append(line("ingest_vs_naive", t_ingest / naive, 0.15))
    results.append(line("ingest_files_per_s", n / t_ingest, None))
    results.append(line("ingest_peak_rss_mb", rss, 300))
    small = max(1, n // 10)
    ws_small = big_workspace(work / "ws_small", n)
    subset = work / "subset"
    shutil.rmtree(subset, ignore_errors=True)
    subset.mkdir()
    for path in files[:small]:
        os.link(path, subset / path.name)
    _, rss_small = run([*RCM, "-w", str(ws_small.root), "ingest", str(subset), "--json"])
    line(f"ingest_peak_rss_mb_at_{small}_files", rss_small, None)
    results.append(line("ingest_rss_growth_vs_files_growth", (rss / max(rss_small, 1)) / (n / small), 0.5))
    t_again, _ = run([*RCM, "-w", str(ws.root), "ingest", str(work / "files"), "--json"])
    results.append(line("reingest_unchanged_vs_ingest", t_again / t_ingest, 0.2))
    return results


def bench_startup(work: Path) -> list[bool]:
    def typer_help() -> object:
        return subprocess.run(
            [sys.executable, str(HERE / "minimal_typer.py"), "--help"], capture_output=True, check=True
        )

    ws = work / "ws11"
    shutil.rmtree(ws, ignore_errors=True)
    subprocess.run(
        [*RCM, "init", str(ws), "--round", "2017", "--deadline", "2017-07-21"], capture_output=True, check=True
    )
    subprocess.run(
        [*RCM, "-w", str(ws), "ingest", str(ROOT / "sample_data" / "2017")], capture_output=True, check=False
    )
    helped = paired(lambda: subprocess.run([*RCM, "--help"], capture_output=True, check=True), typer_help)
    gaps = paired(lambda: subprocess.run([*RCM, "-w", str(ws), "gaps"], capture_output=True, check=True), typer_help)
    return [line("help_vs_typer", helped, 1.3), line("gaps_vs_typer", gaps, 1.5)]


WIDE_SCHEMA_HEAD = """id = "wide"
version = "1"
[vocabulary.yesno]
yes = { label = { es = "Sí", en = "Yes" }, aliases = [] }
no = { label = { es = "No", en = "No" }, aliases = [] }
partial = { label = { es = "Parcial", en = "Partial" }, aliases = [] }
not_applicable = { label = { es = "No aplica", en = "Not applicable" }, aliases = [] }
[[matrix]]
id = "wide"
title = { es = "Matriz de 100 indicadores", en = "100-indicator matrix" }
"""


def wide_workspace(work: Path, n_countries: int = 200, n_indicators: int = 100):
    """200 members x 100 indicators, answers written straight into the store (no workbooks needed)."""
    from rcmmatrix.store import Answer, NewSubmission, Store
    from rcmmatrix.workspace import Workspace

    root = work / "wide"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    text = WIDE_SCHEMA_HEAD
    for g in range(10):
        text += f'[[matrix.group]]\nid = "g{g}"\ntitle = {{ es = "Grupo {g}", en = "Group {g}" }}\n'
    for i in range(n_indicators):
        text += (
            f'[[matrix.indicator]]\nid = "i{i:03d}"\ngroup = "g{i % 10}"\ntype = "yesno"\nrequired = true\n'
            f'ref = "TIP Protocol art. {i}"\nlabel = {{ es = "Indicador {i}", en = "Indicator {i}" }}\n'
        )
    (root / "wide.toml").write_text(text, encoding="utf-8")
    ws = Workspace.init(root / "ws", "R1", dt.date(2020, 7, 1), schema=str(root / "wide.toml"))
    codes = countries()[:n_countries]
    ws._config["members"] = {code: {"languages": ["es"]} for code in codes}
    ws.save()
    ws = Workspace.load(ws.root)
    rng = random.Random(7)
    with Store.open(ws.db_path) as store:
        for n, code in enumerate(codes):
            answers = [
                Answer(
                    f"i{i:03d}",
                    "yesno",
                    rng.choice(["yes", "no", "partial", "not_applicable", None]),
                    None,
                    f"Ley {rng.randint(1, 50)}",
                    f"art. {rng.randint(1, 200)}",
                    "nota " * rng.randint(0, 20) or None,
                    None,
                    "Matriz",
                    f"C{i + 2}",
                )
                for i in range(n_indicators)
            ]
            store.record_file(f"{n:064x}", f"{code}.xlsx", 1, "x", [NewSubmission(code, "R1", "wide", [], answers)])
    return ws


def bench_compare(work: Path) -> list[bool]:
    from rcmmatrix.compare import compare
    from rcmmatrix.matrix import SYMBOLS, build_matrix
    from rcmmatrix.render.excel import FILLS, cell_text, comment_text

    ws = wide_workspace(work)
    view = build_matrix(ws, "wide", lang="es")
    cells = [(r, c, cell) for r, (_, row) in enumerate(view.frame.iterrows(), 1) for c, cell in enumerate(row, 3)]

    def baseline_xlsx() -> None:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(work / "base.xlsx"))
        sheet = wb.add_worksheet("m")
        formats = {s: wb.add_format({"bg_color": "#" + FILLS[s], "border": 1}) for s in FILLS}
        for r, c, cell in cells:
            sheet.write_string(r, c, cell_text(cell, "es"), formats[cell.state])
            note = comment_text(cell, "es")
            if note:
                sheet.write_comment(r, c, note)
        wb.close()

    def baseline_html() -> None:
        from jinja2 import Environment

        tpl = Environment(autoescape=True).from_string(
            "<table>{% for row in rows %}<tr>{% for c in row %}<td class='{{ c[0] }}' title='{{ c[2] }}'>{{ c[1] }}</td>"
            "{% endfor %}</tr>{% endfor %}</table>"
        )
        rows = [
            [(c.state, f"{SYMBOLS[c.state]} {c.text}", comment_text(c, "es")) for c in row]
            for _, row in view.frame.iterrows()
        ]
        (work / "base.html").write_text(tpl.render(rows=rows), encoding="utf-8")

    # Both sides start from the store: the baselines also pay for build_matrix.
    xlsx = paired(
        lambda: compare(ws, [work / "m.xlsx"], lang="es"),
        lambda: (build_matrix(ws, "wide", lang="es"), baseline_xlsx()),
    )
    html = paired(
        lambda: compare(ws, [work / "m.html"], lang="es"),
        lambda: (build_matrix(ws, "wide", lang="es"), baseline_html()),
    )
    return [line("compare_xlsx_vs_baseline", xlsx, 1.5), line("compare_html_vs_baseline", html, 2.0)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=2000, help="number of country workbooks to ingest")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any figure fails its target")
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"# rcmmatrix benchmarks, N={args.n}, {os.cpu_count()} cores, Python {sys.version.split()[0]}", flush=True)
    if args.n < 500:
        print("# smoke run: at this N start-up dominates the ingest ratios; the targets apply to N=2000", flush=True)
    results = bench_ingest(args.n, args.work) + bench_startup(args.work) + bench_compare(args.work)
    return 1 if args.strict and not all(results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
