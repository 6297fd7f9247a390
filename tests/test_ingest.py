from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from conftest import matrix_rows, row_of
from rcmmatrix.ingest import country_from_filename, ingest
from rcmmatrix.issues import Code, Severity
from rcmmatrix.store import Store
from rcmmatrix.workspace import Workspace

MEMBERS = {"BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA"}


def codes(result, severity: Severity | None = None) -> set[tuple[str, str | None, str | None]]:
    return {(i.code.value, i.sheet, i.cell) for i in result.issues() if severity is None or i.severity is severity}


def answers(ws: Workspace, country: str, dataset: str = "trafficking", round_name: str = "2017") -> dict:
    with Store.open(ws.db_path) as store:
        return {a.answer.indicator: a.answer for a in store.accepted_answers(round_name, dataset, [country])}


def test_spanish_workbook_lands_with_typed_values(ws: Workspace, make_workbook) -> None:
    rows = matrix_rows(
        "trafficking", "es", {"tip_attempt": "si", "tip_accomplice": "X", "tip_aggr_child_victim": "No aplica"}
    )
    path = make_workbook("GTM_2017.xlsx", {"Trata": rows})
    result = ingest([path], ws)
    [f] = result.files
    assert f.status == "accepted" and f.country == "GTM" and f.round == "2017" and f.datasets == ["trafficking"]
    got = answers(ws, "GTM")
    assert got["tip_attempt"].value == "yes" and got["tip_attempt"].raw == "si"
    assert got["tip_accomplice"].value == "yes"
    assert got["tip_aggr_child_victim"].value == "not_applicable"
    assert got["tip_child_age_threshold"].value == 18
    assert got["tip_protocol_ratification_date"].value == dt.date(2004, 4, 1)
    assert got["tip_attempt"].law == "Ley 1" and got["tip_attempt"].cell == f"C{row_of(rows, 'tip_attempt')}"
    # every normalisation is a warning at its cell, nothing changes silently
    assert (Code.NORMALIZED_VALUE.value, "Trata", f"C{row_of(rows, 'tip_attempt')}") in codes(result, Severity.WARNING)
    assert (Code.NORMALIZED_VALUE.value, "Trata", f"C{row_of(rows, 'tip_accomplice')}") in codes(result)
    assert (Code.NORMALIZED_VALUE.value, "Trata", f"C{row_of(rows, 'tip_aggr_child_victim')}") not in codes(result)


def test_english_workbook_with_title_rows_and_blank_rows(ws: Workspace, make_workbook) -> None:
    rows = matrix_rows("smuggling", "en", {"som_attempt": "Partially"}, title_rows=3)
    rows.insert(10, [])
    rows.insert(20, [None, None, None])
    path = make_workbook("USA_2017.xlsx", {"Smuggling": rows})
    [f] = ingest([path], ws).files
    assert f.status == "accepted", [str(i) for i in f.issues]
    assert answers(ws, "USA", "smuggling")["som_attempt"].value == "partial"


def test_labels_without_id_column(ws: Workspace, make_workbook) -> None:
    rows = [[r[1], r[2], r[3], r[4]] for r in matrix_rows("trafficking", "es")]
    rows[0] = ["Indicador", "Respuesta", "Ley / norma", "Artículo"]
    path = make_workbook("Matriz Honduras 2017.xlsx", {"Hoja1": [["MATRIZ HONDURAS"], [], *rows]})
    [f] = ingest([path], ws).files
    assert f.status == "accepted" and f.country == "HND", [str(i) for i in f.issues]
    assert len(answers(ws, "HND")) == 40


def test_each_problem_located_to_its_cell(ws: Workspace, make_workbook) -> None:
    rows = matrix_rows(
        "trafficking",
        "es",
        {
            "tip_attempt": "quizás",
            "tip_child_age_threshold": 40,
            "tip_penalty_min_years": "ocho",
            "tip_protocol_ratification_date": "ayer",
        },
    )
    rows.append(["tip_atempt", "x", "Sí", "", "", "", ""])
    rows.append(["tip_accomplice", "x", "No", "", "", "", ""])
    path = make_workbook("GTM_2017.xlsx", {"Trata": rows})
    result = ingest([path], ws)
    found = codes(result, Severity.ERROR)
    n = len(rows)
    assert found == {
        ("bad-value", "Trata", f"C{row_of(rows, 'tip_attempt')}"),
        ("out-of-range", "Trata", f"C{row_of(rows, 'tip_child_age_threshold')}"),
        ("bad-value", "Trata", f"C{row_of(rows, 'tip_penalty_min_years')}"),
        ("bad-value", "Trata", f"C{row_of(rows, 'tip_protocol_ratification_date')}"),
        ("unknown-indicator", "Trata", f"A{n - 1}"),
        ("duplicate-indicator", "Trata", f"A{n}"),
    }
    unknown = next(i for i in result.issues() if i.code is Code.UNKNOWN_INDICATOR)
    assert "did you mean tip_attempt" in unknown.message("en") and "¿quiso decir tip_attempt?" in unknown.message("es")
    bad = next(i for i in result.issues() if i.code is Code.BAD_VALUE and i.args["value"] == "quizás")
    assert "Sí, No, Parcial, No aplica" in bad.message("es") and "Yes, No, Partial" in bad.message("en")
    assert str(bad).startswith(f"GTM_2017.xlsx:Trata!C{row_of(rows, 'tip_attempt')}: error [bad-value] 'quizás'")
    assert result.files[0].status == "rejected"


def test_missing_required_and_citation_are_warnings(ws: Workspace, make_workbook) -> None:
    rows = matrix_rows("trafficking", "es", {"tip_attempt": None}, drop=("tip_accomplice",))
    rows[row_of(rows, "tip_organizing_directing") - 1][3] = ""
    path = make_workbook("GTM_2017.xlsx", {"Trata": rows})
    result = ingest([path], ws)
    assert result.files[0].status == "accepted"
    assert codes(result) == {
        ("missing-required", "Trata", f"C{row_of(rows, 'tip_attempt')}"),
        ("missing-required", "Trata", None),
        ("missing-citation", "Trata", f"C{row_of(rows, 'tip_organizing_directing')}"),
    }
    assert answers(ws, "GTM")["tip_attempt"].value is None  # unanswered, stored as no answer, never as "no"


def test_excel_errors_formulas_and_merged_cells(ws: Workspace, make_workbook) -> None:
    rows = matrix_rows("trafficking", "es", {"tip_attempt": "=NA()", "tip_accomplice": "#N/A"})
    path = make_workbook(
        "GTM_2017.xlsx",
        {"Trata": rows},
        merged={
            "Trata": [f"C{row_of(rows, 'tip_purpose_forced_labour')}:C{row_of(rows, 'tip_purpose_slavery_servitude')}"]
        },
    )
    found = codes(ingest([path], ws))
    assert ("formula-without-value", "Trata", f"C{row_of(rows, 'tip_attempt')}") in found
    assert ("excel-error", "Trata", f"C{row_of(rows, 'tip_accomplice')}") in found
    assert ("merged-cells", "Trata", f"C{row_of(rows, 'tip_purpose_forced_labour')}") in found


def test_rejected_file_leaves_accepted_data_and_supersede_keeps_history(ws: Workspace, make_workbook) -> None:
    good = make_workbook("v1/GTM_2017.xlsx", {"Trata": matrix_rows("trafficking", "es", {"tip_attempt": "No"})})
    assert ingest([good], ws).files[0].status == "accepted"
    bad = make_workbook("v2/GTM_2017.xlsx", {"Trata": matrix_rows("trafficking", "es", {"tip_attempt": "maybe"})})
    with Store.open(ws.db_path) as store:
        before = answers(ws, "GTM")
    assert ingest([bad], ws).files[0].status == "rejected"
    assert answers(ws, "GTM") == before
    newer = make_workbook("v3/GTM_2017.xlsx", {"Trata": matrix_rows("trafficking", "es", {"tip_attempt": "Parcial"})})
    assert ingest([newer], ws).files[0].status == "accepted"
    assert answers(ws, "GTM")["tip_attempt"].value == "partial"
    with Store.open(ws.db_path) as store:
        statuses = [s.status for s in store.submissions(country="GTM")]
    assert statuses == ["superseded", "rejected", "accepted"]
    assert len(list((ws.archive_dir).rglob("*.xlsx"))) == 3


def test_same_bytes_twice_is_a_noop(ws: Workspace, make_workbook) -> None:
    path = make_workbook("GTM_2017.xlsx", {"Trata": matrix_rows()})
    ingest([path], ws)
    with Store.open(ws.db_path) as store:
        before = store.counts()
    [f] = ingest([path], ws).files
    assert f.status == "unchanged" and f.previous == "accepted"
    with Store.open(ws.db_path) as store:
        assert store.counts() == before


def test_dry_run_writes_nothing(ws: Workspace, make_workbook) -> None:
    path = make_workbook("GTM_2017.xlsx", {"Trata": matrix_rows()})
    with Store.open(ws.db_path) as store:
        before = store.counts()
    [f] = ingest([path], ws, dry_run=True).files
    assert f.status == "accepted"
    with Store.open(ws.db_path) as store:
        assert store.counts() == before
    assert not any(ws.archive_dir.rglob("*.xlsx"))


def test_csv_cp1252_semicolons_decimal_commas(ws: Workspace, tmp_path: Path) -> None:
    rows = matrix_rows(
        "trafficking", "es", {"tip_penalty_min_years": "8,5", "tip_protocol_ratification_date": "01/04/2004"}
    )
    path = tmp_path / "Matriz Panamá 2017.csv"
    with open(path, "w", encoding="cp1252", newline="") as fh:
        fh.write("Matriz de trata;;\n")
        csv.writer(fh, delimiter=";").writerows(rows)
    [f] = ingest([path], ws).files
    assert f.status == "accepted" and f.country == "PAN", [str(i) for i in f.issues]
    got = answers(ws, "PAN")
    assert got["tip_penalty_min_years"].value == 8.5
    assert got["tip_protocol_ratification_date"].value == dt.date(2004, 4, 1)
    assert got["tip_attempt"].value == "yes"  # "Sí" survived cp1252
    assert got["tip_attempt"].cell == f"C{row_of(rows, 'tip_attempt') + 1}"


def test_csv_utf16_and_bom(ws: Workspace, tmp_path: Path) -> None:
    rows = matrix_rows("smuggling", "en")
    text = "\n".join(",".join(f'"{c}"' for c in map(str, r)) for r in rows)
    for i, (encoding, prefix) in enumerate((("utf-16", b""), ("utf-8", b"\xef\xbb\xbf"))):
        path = tmp_path / f"USA_{i}.csv"
        path.write_bytes(prefix + text.encode(encoding))
        [f] = ingest([path], ws, dry_run=True).files
        assert f.status == "accepted" and f.datasets == ["smuggling"], (encoding, [str(x) for x in f.issues])


def test_ods_written_with_odfpy(ws: Workspace, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("odf")
    rows = matrix_rows("trafficking", "es", {"tip_protocol_ratification_date": "2004-04-01"})
    path = tmp_path / "MEX_2017.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name="Trata", index=False)
    [f] = ingest([path], ws).files
    assert f.status == "accepted", [str(i) for i in f.issues]
    assert answers(ws, "MEX")["tip_child_age_threshold"].value == 18


def test_identity_sheet_country_and_round(ws: Workspace, make_workbook) -> None:
    ident = [["País", "Honduras"], ["Ronda", "2017"], ["Esquema", "rcm"], ["Versión de la plantilla", "0.9"]]
    path = make_workbook("matriz.xlsx", {"Identificación": ident, "Trata": matrix_rows()})
    result = ingest([path], ws)
    assert result.files[0].country == "HND"
    assert codes(result) == {("outdated-template", "Identificación", "B4")}


@pytest.mark.parametrize(
    ("identity", "name", "option", "code"),
    [
        ([["País", "Narnia"]], "x.xlsx", None, "unknown-country"),
        ([["País", "Colombia"]], "x.xlsx", None, "not-a-member"),
        ([["País", "Honduras"]], "GTM_2017.xlsx", None, "country-mismatch"),
        ([["País", "Honduras"]], "x.xlsx", "GTM", "country-mismatch"),
        ([["Institución", "Ministerio"]], "x.xlsx", None, "no-country"),
        ([["País", "HND"], ["Ronda", "2015"]], "x.xlsx", None, "unknown-round"),
        ([["País", "HND"], ["Esquema", "other"]], "x.xlsx", None, "wrong-schema"),
    ],
)
def test_country_round_schema_problems(ws: Workspace, make_workbook, identity, name, option, code) -> None:
    path = make_workbook(name, {"Identificación": identity, "Trata": matrix_rows()})
    with Store.open(ws.db_path) as store:
        accepted_before = store.counts()["answers"]
    result = ingest([path], ws, country=option)
    assert code in {i.code.value for i in result.issues() if i.is_error}
    assert result.files[0].status == "rejected"
    with Store.open(ws.db_path) as store:
        assert store.counts()["answers"] == accepted_before


def test_round_mismatch_between_workbook_and_option(ws: Workspace, make_workbook) -> None:
    ws.add_round("2018", dt.date(2018, 7, 20))
    path = make_workbook("GTM.xlsx", {"Identity": [["Country", "GTM"], ["Round", 2017]], "Trata": matrix_rows()})
    result = ingest([path], ws, round_name="2018", dry_run=True)
    assert codes(result) == {("round-mismatch", "Identity", "B2")}
    assert ingest([path], ws).files[0].round == "2017"  # the workbook's round beats the latest


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("GTM_2017.xlsx", "GTM"),
        ("GTM_2017_es.xlsx", "GTM"),
        ("Matriz Guatemala 2017.xlsx", "GTM"),
        ("Matriz República Dominicana 2017.xlsx", "DOM"),
        ("matriz_estados_unidos.xlsx", "USA"),
        ("Matriz_trata_2017_es.xlsx", None),
        ("informe final.xlsx", None),
    ],
)
def test_country_from_filename(name: str, iso3: str | None) -> None:
    assert country_from_filename(name, MEMBERS) == iso3


def test_unreadable_inputs_are_issues_not_crashes(ws: Workspace, tmp_path: Path) -> None:
    cases = {
        "empty.xlsx": b"",
        "zip.xlsx": b"PK\x03\x04broken",
        "doc.xlsx": b"%PDF-1.4 not a workbook",
        "notes.txt": b"hello",
        "blank.csv": b" \n ; ;\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    with Store.open(ws.db_path) as store:
        before = store.counts()
    result = ingest([tmp_path / n for n in cases], ws)
    got = {f.path.name: {i.code.value for i in f.issues} for f in result.files}
    assert got == {
        "empty.xlsx": {"empty-file"},
        "zip.xlsx": {"unreadable-file"},
        "doc.xlsx": {"unreadable-file"},
        "notes.txt": {"unsupported-format"},
        "blank.csv": {"empty-file"},
    }
    assert all(f.status == "rejected" for f in result.files)
    with Store.open(ws.db_path) as store:
        after = store.counts()
    assert after["answers"] == before["answers"]


def test_two_files_for_one_country_in_one_run(ws: Workspace, make_workbook) -> None:
    a = make_workbook("a/GTM_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "No"})})
    b = make_workbook("b/GTM_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "Sí"})})
    result = ingest([a, b], ws)
    assert ("duplicate-submission", None, None) in codes(result, Severity.WARNING)
    assert answers(ws, "GTM")["tip_attempt"].value == "yes"


def test_folder_is_searched_recursively(ws: Workspace, make_workbook, tmp_path: Path) -> None:
    make_workbook("inbox/july/GTM_2017.xlsx", {"Trata": matrix_rows()})
    make_workbook("inbox/HND_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "No"})})
    (tmp_path / "inbox" / "~$GTM_2017.xlsx").write_bytes(b"lock")
    result = ingest([tmp_path / "inbox"], ws)
    assert sorted(f.country or "" for f in result.files) == ["GTM", "HND"]


def test_statistics_sheet_wide_with_flags(ws: Workspace, make_workbook) -> None:
    rows = [
        ["Código", "Indicador", "Sexo", "Edad", 2015, 2016],
        ["tip_victims_detected", "Víctimas", "Total", "Total", "1.282", 40],
        ["tip_victims_detected", "Víctimas", "Mujeres", "Total", "<5", ""],
        ["tip_offences_recorded", "Delitos", "", "", "n/d", 7],
        ["tip_persons_convicted", "Condenas", "Otro sexo raro", "", 1, 2],
    ]
    path = make_workbook("GTM_2017.xlsx", {"Estadísticas": rows})
    result = ingest([path], ws)
    assert codes(result, Severity.ERROR) == {("bad-value", "Estadísticas", "C5")}
    ok = ingest([make_workbook("v2/GTM_2017.xlsx", {"Estadísticas": rows[:4]})], ws)
    assert ok.files[0].status == "accepted"
    with Store.open(ws.db_path) as store:
        got = {(r.indicator, r.sex, r.year): (r.value, r.flag) for r in store.statistics("GTM")}
    assert got[("tip_victims_detected", "total", 2015)] == (1282, "reported")
    assert got[("tip_victims_detected", "female", 2015)] == (None, "suppressed_lt5")
    assert ("tip_victims_detected", "female", 2016) not in got  # a blank is not a zero
    assert got[("tip_offences_recorded", "total", 2015)] == (None, "not_available")
    assert got[("tip_offences_recorded", "total", 2016)] == (7, "reported")
