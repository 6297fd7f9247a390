from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from conftest import chromium_args, real_client
from rcmmatrix.compare import compare
from rcmmatrix.workspace import Workspace
from test_matrix import two_rounds  # noqa: F401  (fixture)

DAY = dt.date(2017, 9, 1)


def test_excel_read_back(two_rounds: Workspace, tmp_path: Path) -> None:  # noqa: F811
    [path] = compare(two_rounds, [tmp_path / "m.xlsx"], round_name="2017", lang="es", since="2016", generated=DAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Acerca de", "Trata", "Tráfico", "Cambios"]
    ws = wb["Trata"]
    header = [c.value for c in ws[1]]
    gtm = header.index("Guatemala") + 1
    rows = {ws.cell(row=r, column=2).value: r for r in range(2, ws.max_row + 1)}
    attempt = ws.cell(row=rows["Se tipifica la tentativa"], column=gtm)
    assert attempt.value == "✔ Sí" and attempt.fill.fgColor.rgb.endswith("C6EFCE")
    assert "Cita: Ley 1, art. 2" in attempt.comment.text and "Cambio: cambió (Antes: ✘ No" not in attempt.comment.text
    assert "Antes: No" in attempt.comment.text
    blz = ws.cell(row=rows["Se tipifica la tentativa"], column=header.index("Belice") + 1)
    assert blz.value == "∅ No presentado" and blz.fill.fgColor.rgb.endswith("D9D9D9")
    formula = ws.cell(row=rows[next(k for k in rows if k and k.startswith("Otras formas de explotación"))], column=gtm)
    assert formula.data_type == "s" and formula.value.startswith("+1 <script>")
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and int(ws.page_setup.fitToHeight) == 0  # 1 page wide, any height
    assert header[-3:] == ["Sí", "Parcial", "No"]
    about = {r[0]: r[1] for r in wb["Acerca de"].iter_rows(values_only=True) if r[0]}
    assert about["Ronda"] == "2017" and about["Plazo"] == "2017-07-21" and about["Generado"] == "2017-09-01"
    assert "Belice" in about["Miembros sin matriz presentada — Matriz comparativa: legislación sobre trata de personas"]
    changes = list(wb["Cambios"].iter_rows(min_row=2, values_only=True))
    assert any(r[1] == "Guatemala" and r[3] == "cambió" for r in changes)
    assert any(r[3] == "retirado" for r in changes)


def test_english_html_escapes_country_text_and_is_deterministic(two_rounds: Workspace, tmp_path: Path) -> None:  # noqa: F811
    [a] = compare(two_rounds, [tmp_path / "a.html"], round_name="2017", lang="en", generated=DAY)
    [b] = compare(two_rounds, [tmp_path / "b.html"], round_name="2017", lang="en", generated=DAY)
    html = a.read_text(encoding="utf-8")
    assert html == b.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ x }}" in html  # data, not a template
    assert 'lang="en"' in html and "Attempt is criminalized" in html and 'scope="col"' in html and "<caption>" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # nothing from the network


def test_csv_and_json_long_format(two_rounds: Workspace, tmp_path: Path) -> None:  # noqa: F811
    csv_path, json_path = compare(two_rounds, [tmp_path / "m.csv", tmp_path / "m.json"], round_name="2017", lang="en")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("round,matrix,country,indicator,group,ref,label,state,value,display")
    assert "'+1 <script>" in text  # a formula-looking value is defused in CSV
    rows = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(rows) == 2 * 40 * 11
    assert {r["state"] for r in rows} >= {
        "yes",
        "partial",
        "no",
        "not_applicable",
        "no_answer",
        "not_submitted",
        "value",
    }


def test_libreoffice_converts_the_excel_matrix(two_rounds: Workspace, tmp_path: Path) -> None:  # noqa: F811
    soffice = real_client("soffice")
    [path] = compare(two_rounds, [tmp_path / "m.xlsx"], round_name="2017", lang="en", generated=DAY)
    out = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    pdf = tmp_path / "pdf" / "m.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_html_in_headless_chromium(two_rounds: Workspace, tmp_path: Path) -> None:  # noqa: F811
    [path] = compare(two_rounds, [tmp_path / "m.html"], round_name="2017", lang="es", generated=DAY)
    url = f"{path.as_uri()}#group=trafficking:penalties"
    dom = subprocess.run(
        [*chromium_args(tmp_path / "chr"), "--dump-dom", url], capture_output=True, text=True, timeout=120
    ).stdout
    bodies = re.findall(r'<tbody data-group="([a-z_]+)"( class="hidden")?', dom)
    assert bodies, dom[:500]
    visible = {g for g, hidden in bodies if not hidden}
    assert visible == {"penalties"}, bodies
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # rendered as text by the browser, not run
    shots = Path(__file__).resolve().parents[1] / "build"
    shots.mkdir(exist_ok=True)
    shot = shots / "compare_penalties.png"
    subprocess.run(
        [*chromium_args(tmp_path / "chr2"), "--window-size=1400,900", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file() and shot.stat().st_size > 10_000
