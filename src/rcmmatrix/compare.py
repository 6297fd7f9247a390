"""compare(): build the matrices of a round and write them to each requested file, the format from its extension."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from .errors import RcmmatrixError
from .matrix import MatrixView, build_matrix, long_rows
from .text import defuse_formula
from .workspace import Workspace

FORMATS = (".xlsx", ".html", ".csv", ".json")


def compare(
    ws: Workspace,
    outputs: Sequence[Path],
    matrices: Sequence[str] = ("all",),
    round_name: str | None = None,
    countries: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    lang: str = "es",
    since: str | None = None,
    generated: dt.date | None = None,
    scores: bool = False,
) -> list[Path]:
    if not outputs:
        raise RcmmatrixError("say where to write the matrices: -o matrices.xlsx (or .html, .csv, .json)")
    bad = [p for p in outputs if p.suffix.lower() not in FORMATS]
    if bad:
        raise RcmmatrixError(f"{bad[0]}: unknown format '{bad[0].suffix}' (use {', '.join(FORMATS)})")
    if lang not in ("es", "en"):
        raise RcmmatrixError(f"language '{lang}' is not available for the matrices (es, en)")
    ids = list(ws.schema.matrix_ids) if "all" in matrices else list(matrices)
    views = [build_matrix(ws, m, round_name, countries, groups, lang, since) for m in ids]
    if scores:
        from .scores import compute_scores

        report = compute_scores(ws, ids, round_name, countries=countries)
        for view in views:
            view.scores = {c.country: (c.overall(view.matrix.id), c.unknown(view.matrix.id)) for c in report.countries}
    written = []
    for path in outputs:
        written.append(write(views, path, ws, lang, generated))
    return written


def write(views: Sequence[MatrixView], path: Path, ws: Workspace, lang: str, generated: dt.date | None) -> Path:
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    version = ws.schema.version
    if suffix == ".xlsx":
        from .render.excel import write_excel

        return write_excel(views, path, lang, version, generated)
    if suffix == ".html":
        from .render.html import write_html

        templates = ws.templates_dir if ws.templates_dir.is_dir() else None
        return write_html(views, path, lang, version, generated, templates)
    rows = long_rows(views)
    if suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        return path
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens UTF-8 CSV correctly
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["round"])
        writer.writeheader()
        writer.writerows({k: defuse_formula(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows)
    return path
