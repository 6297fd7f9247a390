from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rcmmatrix.cli import app
from rcmmatrix.schema import bundled_schema_path

runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def test_version_and_help() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("rcmmatrix ")
    result = invoke("--help")
    assert result.exit_code == 0 and "init" in result.stdout and "ingest" in result.stdout


def test_init_then_members_in_spanish(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = invoke("init", ws, "--round", "2017", "--deadline", "2017-07-21")
    assert result.exit_code == 0, result.output
    result = invoke("--workspace", ws, "members", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 11
    assert {r["iso3"]: r["name_es"] for r in rows}["MEX"] == "México"
    result = invoke("--workspace", ws, "members")
    assert "Belice" in result.stdout


def test_init_twice_exits_2_without_traceback(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert invoke("init", ws).exit_code == 0
    result = invoke("init", ws)
    assert result.exit_code == 2
    assert "already a workspace" in result.stderr and "Traceback" not in result.output


def test_no_workspace_exits_2_and_says_init(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RCMMATRIX_WORKSPACE", raising=False)
    result = invoke("round", "list")
    assert result.exit_code == 2
    assert "rcmmatrix init" in result.stderr and result.stdout == ""


def test_workspace_from_environment(tmp_path: Path, monkeypatch) -> None:
    ws = tmp_path / "ws"
    invoke("init", ws, "--round", "2017", "--deadline", "2017-07-21")
    monkeypatch.setenv("RCMMATRIX_WORKSPACE", str(ws))
    monkeypatch.chdir(tmp_path)
    result = invoke("round", "list", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["deadline"] == "2017-07-21"


def test_round_add_bad_date_is_usage_error(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    invoke("init", ws)
    result = invoke("-w", ws, "round", "add", "2017", "--deadline", "21/07/2017")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_schema_spanish_labels_and_refs() -> None:
    result = invoke("schema", "--matrix", "smuggling", "--lang", "es", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert all(r["matrix"] == "smuggling" for r in rows)
    attempt = next(r for r in rows if r["id"] == "som_attempt")
    assert attempt["ref"].startswith("SOM Protocol art. 6(2)")
    assert "tentativa" in attempt["label"]


def test_broken_schema_exits_2_naming_the_id(tmp_path: Path) -> None:
    text = bundled_schema_path().read_text(encoding="utf-8").replace('id = "tip_accomplice"', 'id = "tip_attempt"')
    path = tmp_path / "dup.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("schema", "--file", path)
    assert result.exit_code == 2
    assert "tip_attempt" in result.stderr and "duplicate" in result.stderr and "Traceback" not in result.output


def test_members_set_and_extend(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    invoke("init", ws, "--round", "2017", "--deadline", "2017-07-21")
    assert invoke("-w", ws, "members", "set", "Guatemala", "--email", "a@example.gt").exit_code == 0
    assert invoke("-w", ws, "round", "extend", "GTM", "--until", "2017-08-15").exit_code == 0
    result = invoke("-w", ws, "round", "extend", "Narnia", "--until", "2017-08-15")
    assert result.exit_code == 2 and "Narnia" in result.stderr
    rows = json.loads(invoke("-w", ws, "members", "--json").stdout)
    assert {r["iso3"]: r["focal_point"]["email"] for r in rows}["GTM"] == "a@example.gt"


def _ws_with_round(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    assert invoke("init", ws, "--round", "2017", "--deadline", "2017-07-21").exit_code == 0
    return ws


def test_ingest_exit_codes_and_streams(tmp_path: Path, make_workbook) -> None:
    from conftest import matrix_rows

    ws = _ws_with_round(tmp_path)
    good = make_workbook("GTM_2017.xlsx", {"Trata": matrix_rows()})
    bad = make_workbook("HND_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "[b]maybe[/b]"})})
    result = invoke("-w", ws, "ingest", good)
    assert result.exit_code == 0 and "GTM" in result.stdout
    result = invoke("-w", ws, "ingest", bad, "--lang", "en")
    assert result.exit_code == 1
    assert "HND_2017.xlsx:Trata!C" in result.stderr and "[bad-value] '[b]maybe[/b]'" in result.stderr
    assert "Traceback" not in result.output
    again = invoke("-w", ws, "ingest", good, "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["files"][0]["status"] == "unchanged"


def test_validate_writes_nothing_and_json_lists_issues(tmp_path: Path, make_workbook) -> None:
    from conftest import matrix_rows

    ws = _ws_with_round(tmp_path)
    bad = make_workbook("HND_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "quizás"})})
    result = invoke("-w", ws, "validate", bad, "--json", "--lang", "es")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    [issue] = [i for i in payload["files"][0]["issues"] if i["severity"] == "error"]
    assert issue["code"] == "bad-value" and issue["sheet"] == "Trata" and "quizás" in issue["message"]
    assert json.loads(invoke("-w", ws, "history", "HND", "--json").stdout) == []


def test_ingest_missing_path_is_usage_error(tmp_path: Path) -> None:
    ws = _ws_with_round(tmp_path)
    result = invoke("-w", ws, "ingest", tmp_path / "nope.xlsx")
    assert result.exit_code == 2 and "nope.xlsx" in result.stderr


def test_history_lists_supersede_chain(tmp_path: Path, make_workbook) -> None:
    from conftest import matrix_rows

    ws = _ws_with_round(tmp_path)
    invoke(
        "-w", ws, "ingest", make_workbook("a/GTM_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "No"})})
    )
    invoke("-w", ws, "ingest", make_workbook("b/GTM_2017.xlsx", {"Trata": matrix_rows()}))
    rows = json.loads(invoke("-w", ws, "history", "Guatemala", "--json").stdout)
    assert [r["status"] for r in rows] == ["superseded", "accepted"]
    assert rows[0]["superseded_by"] == rows[1]["id"]
    table = invoke("-w", ws, "history", "GTM", "--lang", "es")
    assert "reemplazado" in table.stdout and "aceptado" in table.stdout


def test_template_compare_scores_stats_from_the_command_line(tmp_path: Path, make_workbook) -> None:
    """Each output command once through the CLI: exit 0, the file written, and a bad extension is a usage error."""
    from conftest import matrix_rows

    ws = _ws_with_round(tmp_path)
    rows = [["Código", "Indicador", 2015, 2016], ["tip_offences_recorded", "Delitos", 3, 4]]
    gtm = make_workbook("GTM_2017.xlsx", {"Trata": matrix_rows(), "Estadísticas": rows})
    assert invoke("-w", ws, "ingest", gtm).exit_code == 0
    out = tmp_path / "out"
    for args, made in (
        (["template", "GTM", "-o", out / "gtm.xlsx"], [out / "gtm.xlsx"]),
        (
            ["template", "--all", "-o", out / "all"],
            [out / "all" / "USA_2017_en.xlsx", out / "all" / "HND_2017_es.xlsx"],
        ),
        (
            [
                "compare",
                "--matrix",
                "trafficking",
                "--lang",
                "en",
                "--scores",
                "-o",
                out / "m.html",
                "-o",
                out / "m.csv",
            ],
            [out / "m.html", out / "m.csv"],
        ),
        (["scores", "--lang", "es", "-o", out / "s.json"], [out / "s.json"]),
        (
            ["stats", "--indicator", "tip_offences_recorded", "--years", "2015-2016", "-o", out / "st.csv"],
            [out / "st.csv"],
        ),
    ):
        result = invoke("-w", ws, *args)
        assert result.exit_code == 0, (args, result.output)
        assert all(p.is_file() for p in made), args
    assert "tip_offences_recorded" in (out / "st.csv").read_text(encoding="utf-8-sig")
    assert json.loads((out / "s.json").read_text(encoding="utf-8"))["methodology"][0].startswith("Qué se cuenta")
    bad = invoke("-w", ws, "compare", "-o", out / "m.pdf")
    assert bad.exit_code == 2 and "unknown format" in bad.stderr and "Traceback" not in bad.output
    neither = invoke("-w", ws, "template")
    assert neither.exit_code == 2 and "--all" in neither.output


def test_progress_bar_starts_on_the_first_report_and_only_for_five_files_or_more(monkeypatch) -> None:
    import io

    from rcmmatrix import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for total, drawn in ((3, False), (7, True)):
        fake = Terminal()
        monkeypatch.setattr(cli.sys, "stderr", fake)
        with cli._progress() as report:
            assert report is not None
            for n in range(1, total + 1):
                report(n, total, Path(f"f{n}.xlsx"))
            assert (report.__self__.bar is not None) is drawn  # type: ignore[attr-defined]
