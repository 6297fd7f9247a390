from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import matrix_rows, real_client
from rcmmatrix.ingest import ingest
from rcmmatrix.store import Store
from rcmmatrix.template import write_templates
from rcmmatrix.workspace import Workspace

# A value for each indicator type, as an official types or picks it in the Spanish template.
FILL_ES = {
    "yesno": ("No aplica", "not_applicable"),
    "integer": (17, 17),
    "number": (7.5, 7.5),
    "date": (dt.datetime(2005, 3, 1), dt.date(2005, 3, 1)),
    "text": ("Mendicidad forzada", "Mendicidad forzada"),
    "citation": ("Ley 9-2009", "Ley 9-2009"),
}


def _rows_by_id(sheet) -> dict[str, int]:
    return {
        sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value
    }


def test_template_layout_in_spanish(ws: Workspace, tmp_path: Path) -> None:
    [path] = write_templates(ws, ["GTM"], tmp_path, blank=True)
    assert path.name == "GTM_2017_es.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instrucciones", "Identificación", "Trata", "Tráfico", "Estadísticas", "_lists"]
    assert wb["_lists"].sheet_state == "hidden" and wb["_lists"].protection.sheet
    assert [c.value for c in wb["_lists"]["A"]] == ["Sí", "No", "Parcial", "No aplica"]
    ident = {r[0]: r[1] for r in wb["Identificación"].iter_rows(values_only=True)}
    assert ident["País"] == "GTM" and ident["Ronda"] == "2017" and ident["Versión de la plantilla"] == "1.0"
    assert wb["Identificación"]["B1"].protection.locked and not wb["Identificación"]["B7"].protection.locked
    trata = wb["Trata"]
    assert [c.value for c in trata[1]][:7] == [
        "Código",
        "Indicador",
        "Respuesta",
        "Ley",
        "Artículo",
        "Observaciones",
        "URL de la fuente",
    ]
    assert trata.freeze_panes == "C2" and trata.protection.sheet and not trata.protection.password
    rows = _rows_by_id(trata)
    attempt = rows["tip_attempt"]
    assert (
        not trata.cell(row=attempt, column=3).protection.locked and trata.cell(row=attempt, column=1).protection.locked
    )
    lists = [dv for dv in trata.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(dv.formula1.startswith("'_lists'!") for dv in lists)
    assert any(f"C{attempt}" in str(dv.sqref) for dv in lists)
    whole = [dv for dv in trata.data_validations.dataValidation if dv.type == "whole"]
    assert whole and "Número entero" in whole[0].prompt
    assert "Instrucciones" in wb.sheetnames and "21 de julio de 2017" in " ".join(
        str(c.value) for c in wb["Instrucciones"]["A"] if c.value
    )


def test_all_members_in_their_languages(ws: Workspace, tmp_path: Path) -> None:
    paths = write_templates(ws, [m.iso3 for m in ws.members], tmp_path)
    names = sorted(p.name for p in paths)
    assert len(names) == 11
    assert "USA_2017_en.xlsx" in names and "BLZ_2017_en.xlsx" in names and "CAN_2017_en.xlsx" in names
    assert "HND_2017_es.xlsx" in names
    fr = write_templates(ws, ["CAN"], tmp_path / "fr", lang="fr")[0]
    assert load_workbook(fr).sheetnames[:4] == ["Consignes", "Identification", "Traite", "Trafic"]


def test_fill_as_a_person_then_ingest_is_lossless(ws: Workspace, tmp_path: Path) -> None:
    [path] = write_templates(ws, ["GTM"], tmp_path, blank=True)
    wb = load_workbook(path)
    expected: dict[str, object] = {}
    schema = ws.schema
    for sheet_name, matrix_id in (("Trata", "trafficking"), ("Tráfico", "smuggling")):
        sheet = wb[sheet_name]
        matrix = schema.matrix(matrix_id)
        for ind_id, r in _rows_by_id(sheet).items():
            ind = matrix.by_id[ind_id]
            if ind.type == "choice":
                typed, value = ind.choices.terms[1].label.es, ind.choices.terms[1].id
            else:
                typed, value = FILL_ES[ind.type]
            sheet.cell(row=r, column=3, value=typed)
            sheet.cell(row=r, column=4, value="Ley ejemplo")
            sheet.cell(row=r, column=5, value="art. 1")
            expected[ind_id] = value
    stats = wb["Estadísticas"]
    stats["G2"], stats["H2"] = 12, "<5"
    wb.save(path)
    [f] = ingest([path], ws).files
    assert f.status == "accepted" and f.errors == 0, [str(i) for i in f.issues if i.is_error]
    with Store.open(ws.db_path) as store:
        got = {
            a.answer.indicator: a.answer.value
            for ds in ("trafficking", "smuggling")
            for a in store.accepted_answers("2017", ds, ["GTM"])
        }
        figures = store.statistics("GTM")
    assert got == expected
    assert [(r.year, r.value, r.flag) for r in figures] == [(2015, 12, "reported"), (2016, None, "suppressed_lt5")]


def test_blank_template_yields_only_missing_required(ws: Workspace, tmp_path: Path) -> None:
    [path] = write_templates(ws, ["HND"], tmp_path, blank=True)
    result = ingest([path], ws, dry_run=True)
    assert {i.code.value for i in result.issues()} == {"missing-required"}
    assert result.files[0].status == "accepted"


def test_prefilled_from_last_accepted_answers(ws: Workspace, make_workbook, tmp_path: Path) -> None:
    ws.add_round("2018", dt.date(2018, 7, 20))
    import csv

    source = tmp_path / "GTM_2017.csv"  # a CSV keeps "=cmd…" as the text the country typed
    with open(source, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            matrix_rows(overrides={"tip_attempt": "Parcial", "tip_aggr_other": "=cmd|' /C calc'!A0"})
        )
    assert ingest([source], ws, round_name="2017").files[0].status == "accepted"
    [path] = write_templates(ws, ["GTM"], tmp_path, round_name="2018", matrix="trafficking")
    wb = load_workbook(path)
    trata = wb["Trata"]
    rows = _rows_by_id(trata)
    assert trata.cell(row=rows["tip_attempt"], column=3).value == "Parcial"
    assert trata.cell(row=rows["tip_attempt"], column=4).value == "Ley 1"
    assert trata.cell(row=rows["tip_attempt"], column=9).value.startswith("=IF(C")
    assert "sin cambios desde 2017" in trata.cell(row=rows["tip_attempt"], column=9).value
    other = trata.cell(row=rows["tip_aggr_other"], column=3)
    assert other.data_type == "s" and other.value.startswith("=cmd")  # text, not a formula
    assert wb.sheetnames == ["Instrucciones", "Identificación", "Trata", "_lists"]
    [f] = ingest([path], ws).files  # sending it back unchanged lands as round 2018, same answers
    assert f.status == "accepted" and f.round == "2018", [str(i) for i in f.issues if i.is_error]


@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_libreoffice_round_trip(ws: Workspace, make_workbook, tmp_path: Path, target: str) -> None:
    soffice = real_client("soffice")
    ingest([make_workbook("GTM_2016.xlsx", {"Trata": matrix_rows()})], ws)
    [path] = write_templates(ws, ["GTM"], tmp_path / "tpl")
    out = tmp_path / "lo"
    run = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    converted = out / f"{path.stem}.{target}"
    assert converted.is_file()
    ws.add_round("2018", dt.date(2018, 7, 20))
    [f] = ingest([converted], ws, round_name="2017", dry_run=True).files
    assert f.errors == 0, [str(i) for i in f.issues if i.is_error]
    assert "trafficking" in f.datasets
    if target == "xlsx":  # the drop-downs survive LibreOffice
        sheet = load_workbook(converted)["Trata"]
        assert any(
            dv.type == "list" and "_lists" in (dv.formula1 or "") for dv in sheet.data_validations.dataValidation
        )
