"""The wheel carries the schema and the templates, and an installed wheel (not the checkout) renders them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_schema_and_templates_and_renders(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    [wheel] = list(tmp_path.glob("rcmmatrix-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in (
        "rcmmatrix/schemas/rcm.toml",
        "rcmmatrix/templates/matrix.html.j2",
        "rcmmatrix/templates/stats.html.j2",
        "rcmmatrix/templates/scores.html.j2",
        "rcmmatrix/templates/reminder_es.txt.j2",
    ):
        assert part in names, part
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import rcmmatrix, rcmmatrix.render.html as h; from rcmmatrix.schema import load_schema; "
        "print(rcmmatrix.__file__); print(len(load_schema().matrices)); "
        "print(h.environment().get_template('matrix.html.j2').filename)"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    module, matrices, template = run.stdout.split("\n")[:3]
    assert module.startswith(str(site)) and matrices == "2" and template.startswith(str(site))
