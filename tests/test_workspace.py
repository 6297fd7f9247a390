from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rcmmatrix.errors import SchemaError, WorkspaceError
from rcmmatrix.workspace import Workspace


def test_init_creates_config_store_archive(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", "2017", dt.date(2017, 7, 21))
    assert (ws.root / "rcmmatrix.toml").is_file()
    assert (ws.root / "rcmmatrix.db").is_file()
    assert (ws.root / "archive").is_dir()
    assert ws.round().name == "2017" and ws.round().deadline == dt.date(2017, 7, 21)
    assert len(ws.members) == 11


def test_init_refuses_existing_workspace(ws: Workspace) -> None:
    before = ws.config_path.read_bytes()
    with pytest.raises(WorkspaceError, match="already a workspace"):
        Workspace.init(ws.root)
    assert ws.config_path.read_bytes() == before


def test_find_walks_up_from_a_subfolder(ws: Workspace) -> None:
    sub = ws.root / "inbox" / "july"
    sub.mkdir(parents=True)
    assert Workspace.find(start=sub).root == ws.root


def test_find_without_workspace_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="rcmmatrix init"):
        Workspace.find(start=tmp_path)
    with pytest.raises(WorkspaceError, match="rcmmatrix init"):
        Workspace.find(tmp_path / "none")


def test_rounds_latest_is_default_and_survive_reload(ws: Workspace) -> None:
    ws.add_round("2018", dt.date(2018, 7, 20), opens=dt.date(2018, 6, 1))
    ws.add_round("2016", dt.date(2016, 7, 22))
    again = Workspace.load(ws.root)
    assert [r.name for r in again.rounds] == ["2016", "2017", "2018"]
    assert again.round().name == "2018"
    assert again.round("2018").opens == dt.date(2018, 6, 1)
    with pytest.raises(WorkspaceError, match="already exists"):
        again.add_round("2017", dt.date(2017, 1, 1))
    with pytest.raises(WorkspaceError, match="no round 'x'"):
        again.round("x")


def test_extension_and_member_settings(ws: Workspace) -> None:
    ws.extend("Guatemala", dt.date(2017, 8, 15))
    ws.set_member("gt", email="enlace@example.gt", name="Ana")
    again = Workspace.load(ws.root)
    assert again.round().deadline_for("GTM") == dt.date(2017, 8, 15)
    assert again.round().deadline_for("HND") == dt.date(2017, 7, 21)
    assert again.member("GTM").focal_point.email == "enlace@example.gt"
    with pytest.raises(WorkspaceError, match="not a member"):
        again.member("Colombia")


def test_init_with_a_schema_file_relative_to_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    from rcmmatrix.schema import bundled_schema_path

    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "mine.toml").write_text(bundled_schema_path().read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ws = Workspace.init(Path("work") / "ws", schema="schemas/mine.toml")
    again = Workspace.load(tmp_path / "work" / "ws")  # loaded from elsewhere, the schema is still found
    assert again.schema.matrix_ids == ("trafficking", "smuggling")
    assert Path(ws._config["schema"]).is_absolute()
    with pytest.raises(SchemaError, match="not found"):
        Workspace.init(tmp_path / "other", schema="schemas/nope.toml")
