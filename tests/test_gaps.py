from __future__ import annotations

import datetime as dt
import email
import json
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

from conftest import matrix_rows
from rcmmatrix.gaps import find_gaps
from rcmmatrix.ingest import ingest
from rcmmatrix.letters import write_letters
from rcmmatrix.workspace import Workspace


def at(day: int, month: int = 7) -> dt.datetime:
    return dt.datetime(2017, month, day, 12, tzinfo=dt.UTC)


@pytest.fixture
def round_2017(ws: Workspace, make_workbook) -> Workspace:
    """GTM on time; HND late; CRI incomplete; MEX rejected; DOM extension; BLZ, NIC and the rest not received."""
    ingest([make_workbook("GTM_2017.xlsx", {"Trata": matrix_rows()})], ws, now=at(10))
    ingest([make_workbook("HND_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "No"})})], ws, now=at(25))
    ingest(
        [make_workbook("CRI_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": None, "tip_accomplice": ""})})],
        ws,
        now=at(12),
    )
    ingest(
        [make_workbook("MEX_2017.xlsx", {"Trata": matrix_rows(overrides={"tip_attempt": "quizás"})})], ws, now=at(14)
    )
    ws.extend("DOM", dt.date(2017, 8, 15))
    ws.set_member("GTM", email="enlace@example.gt", name="Ana Pérez")
    ws.set_member("BLZ", email="liaison@example.bz")
    return Workspace.load(ws.root)


def test_statuses(round_2017: Workspace) -> None:
    report = find_gaps(round_2017, as_of=dt.date(2017, 7, 28), datasets=["trafficking"])
    status = {g.country: g for g in report.gaps}
    assert status["GTM"].status == "on_time"
    assert status["HND"].status == "late" and status["HND"].late
    assert status["CRI"].status == "incomplete" and status["CRI"].missing == ["tip_attempt", "tip_accomplice"]
    assert status["MEX"].status == "rejected" and status["MEX"].errors == 1
    assert status["DOM"].status == "extension" and status["DOM"].days_left == 18
    assert status["BLZ"].status == "not_received" and status["NIC"].status == "not_received"
    assert status["GTM"].days_left == -7
    [traf, overall] = report.rates
    assert (traf.expected, traf.received, traf.accepted, traf.on_time) == (11, 4, 3, 2)
    assert traf.pct(traf.received) == 36.4 and overall.dataset == "all"


def test_as_of_before_deadline_and_after_extension(round_2017: Workspace) -> None:
    before = {g.country: g for g in find_gaps(round_2017, as_of=dt.date(2017, 7, 20), datasets=["trafficking"]).gaps}
    assert before["BLZ"].days_left == 1
    after = {g.country: g for g in find_gaps(round_2017, as_of=dt.date(2017, 8, 16), datasets=["trafficking"]).gaps}
    assert after["DOM"].status == "not_received" and after["DOM"].days_left == -1


def test_reminders_in_each_language_parse_as_email(round_2017: Workspace, tmp_path: Path) -> None:
    report = find_gaps(round_2017, as_of=dt.date(2017, 7, 28), datasets=["trafficking"])
    run = write_letters(round_2017, report, tmp_path / "out")
    countries = {letter.country for letter in run.letters}
    assert "GTM" not in countries and "HND" not in countries  # nothing owed: no letter
    assert {"CRI", "MEX", "BLZ", "NIC", "DOM"} <= countries
    cri = email.message_from_bytes((tmp_path / "out" / "CRI_2017_reminder_es.eml").read_bytes(), policy=policy.default)
    body = cri.get_content()
    assert cri["Subject"].startswith("Recordatorio") and "Costa Rica" in cri["Subject"]
    assert "Se tipifica la tentativa" in body and "Se tipifica la participación como cómplice" in body
    assert "tip_attempt" not in body  # labels, not ids
    assert "21 de julio de 2017" in body and "hace 7 días" in body
    blz = email.message_from_bytes((tmp_path / "out" / "BLZ_2017_reminder_en.eml").read_bytes(), policy=policy.default)
    assert blz["To"] == "liaison@example.bz" and blz["Subject"].startswith("Reminder") and "Belize" in blz["Subject"]
    assert "Comparative matrix: legislation on trafficking in persons: not received" in blz.get_content()
    assert "CRI" in run.without_address and "BLZ" not in run.without_address
    assert "CRI\tes\t(no e-mail" in run.index.read_text(encoding="utf-8")


def test_acknowledgements_for_accepted(round_2017: Workspace, tmp_path: Path) -> None:
    report = find_gaps(round_2017, as_of=dt.date(2017, 7, 28), datasets=["trafficking"])
    run = write_letters(round_2017, report, tmp_path / "ack", acknowledge=True)
    assert {letter.country for letter in run.letters} == {"GTM", "HND", "CRI"}
    gtm = email.message_from_bytes(
        (tmp_path / "ack" / "GTM_2017_acknowledgement_es.eml").read_bytes(), policy=policy.default
    )
    assert gtm["To"] == "enlace@example.gt" and "Estimado/a Ana Pérez" in gtm.get_content()


def test_workspace_template_overrides_the_bundled_one(round_2017: Workspace, tmp_path: Path) -> None:
    round_2017.templates_dir.mkdir()
    (round_2017.templates_dir / "reminder_en.txt.j2").write_text(
        "Subject: Custom {{ iso3 }}\nHello {{ country }}\n", encoding="utf-8"
    )
    report = find_gaps(round_2017, as_of=dt.date(2017, 7, 28), datasets=["trafficking"])
    run = write_letters(round_2017, report, tmp_path / "out")
    blz = next(letter for letter in run.letters if letter.country == "BLZ")
    assert blz.subject == "Custom BLZ" and blz.body == "Hello Belize\n"


def test_gaps_cli_check_and_json(round_2017: Workspace) -> None:
    from typer.testing import CliRunner

    from rcmmatrix.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["-w", str(round_2017.root), "gaps", "--as-of", "2017-07-28", "--check", "--json"])
    assert result.exit_code == 1
    assert {g["status"] for g in json.loads(result.stdout)["gaps"]} >= {"on_time", "late", "not_received"}
    table = runner.invoke(app, ["-w", str(round_2017.root), "gaps", "--as-of", "2017-07-28", "--lang", "es"])
    assert table.exit_code == 0 and "no recibido" in table.stdout and "prórroga concedida" in table.stdout
    csv_out = runner.invoke(app, ["-w", str(round_2017.root), "gaps", "--format", "csv", "--matrix", "trafficking"])
    assert csv_out.stdout.splitlines()[0].startswith("round,country,dataset,status")


def test_check_exits_0_when_nothing_is_owed(tmp_path: Path, make_workbook) -> None:
    ws = Workspace.init(tmp_path / "one", "2017", dt.date(2017, 7, 21))
    cfg = ws.config_path.read_text(encoding="utf-8")
    start = cfg.index("[members.BLZ]")
    ws.config_path.write_text(cfg[:start] + '[members.GTM]\nlanguages = ["es"]\n', encoding="utf-8")
    ws = Workspace.load(ws.root)
    ingest([make_workbook("GTM_2017.xlsx", {"Trata": matrix_rows()})], ws, now=at(10))
    from typer.testing import CliRunner

    from rcmmatrix.cli import app

    result = CliRunner().invoke(app, ["-w", str(ws.root), "gaps", "--matrix", "trafficking", "--check"])
    assert result.exit_code == 0, result.output


def test_gaps_does_not_import_pandas(round_2017: Workspace) -> None:
    code = (
        "import sys; from rcmmatrix.cli import app; "
        f"app(['-w', {str(round_2017.root)!r}, 'gaps', '--as-of', '2017-07-28'], standalone_mode=False); "
        "print('pandas' in sys.modules, 'openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False False"


def test_statistics_missing_years_make_it_incomplete(ws: Workspace, make_workbook) -> None:
    rows = [["Código", "Indicador", 2015, 2016], ["tip_offences_recorded", "Delitos", 3, ""]]
    ingest([make_workbook("GTM_2017.xlsx", {"Estadísticas": rows})], ws, now=at(10))
    [gap] = [g for g in find_gaps(ws, as_of=dt.date(2017, 7, 28), datasets=["statistics"]).gaps if g.country == "GTM"]
    assert gap.status == "incomplete"
    assert "tip_offences_recorded:2016" in gap.missing and "tip_offences_recorded:2015" not in gap.missing
    assert "tip_victims_detected:2015" in gap.missing


def test_an_address_edited_by_hand_cannot_inject_headers(round_2017: Workspace, tmp_path: Path) -> None:
    # `members set` refuses this, but the config is a text file anyone can edit.
    text = round_2017.config_path.read_text(encoding="utf-8")
    text = text.replace('email = "liaison@example.bz"', 'email = "liaison@example.bz\\nBcc: spy@example.org"')
    round_2017.config_path.write_text(text, encoding="utf-8")
    ws = Workspace.load(round_2017.root)
    report = find_gaps(ws, as_of=dt.date(2017, 7, 28), datasets=["trafficking"])
    run = write_letters(ws, report, tmp_path / "out")
    assert "BLZ" in run.without_address
    raw = (tmp_path / "out" / "BLZ_2017_reminder_en.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["To"] is None and message["Bcc"] is None and b"spy@example.org" not in raw
