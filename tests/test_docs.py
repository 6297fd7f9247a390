"""The README must mention every command and every issue code (sqlite-utils' tests/test_docs.py does this)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from rcmmatrix.cli import app
from rcmmatrix.issues import MESSAGES, Code

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        if subs:
            names += [f"{name} {sub}" for sub in subs]
        names.append(name)
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"rcmmatrix {command}" in README


@pytest.mark.parametrize("code", list(Code))
def test_every_issue_code_is_in_the_readme_and_has_messages(code: Code) -> None:
    assert f"`{code.value}`" in README
    assert set(MESSAGES[code]) >= {"es", "en"}
