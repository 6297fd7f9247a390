from __future__ import annotations

from pathlib import Path

import pytest

from rcmmatrix.errors import SchemaError
from rcmmatrix.schema import bundled_schema_path, load_schema


def test_bundled_schema_has_two_matrices_of_about_forty() -> None:
    s = load_schema("rcm")
    assert s.matrix_ids == ("trafficking", "smuggling")
    assert all(35 <= len(m.indicators) <= 45 for m in s.matrices)
    assert s.statistics is not None and len(s.statistics.indicators) >= 10
    ind = s.matrix("trafficking").by_id["tip_attempt"]
    assert ind.type == "yesno" and ind.required and ind.ref == "TIP Protocol art. 5(2)(a)"
    assert ind.label.get("es") == "Se tipifica la tentativa"
    assert ind.label.get("fr") == ind.label.en  # fallback to English
    benefit = s.matrix("smuggling").by_id["som_benefit_element"]
    assert benefit.choices is not None and "aggravating_circumstance" in benefit.choices.ids()


@pytest.mark.parametrize(
    ("raw", "expected", "exact"),
    [
        ("Sí", "yes", True),
        ("si", "yes", False),
        (" SI ", "yes", False),
        ("X", "yes", False),
        ("✓", "yes", False),
        ("Oui", "yes", True),
        ("Parcial", "partial", True),
        ("partially", "partial", False),
        ("N/A", "not_applicable", False),
        ("No aplica", "not_applicable", True),
        ("no  APLICA", "not_applicable", False),
        ("No", "no", True),
        ("maybe", None, False),
        ("", None, False),
    ],
)
def test_yesno_vocabulary(raw: str, expected: str | None, exact: bool) -> None:
    found, was_exact = load_schema().vocabularies["yesno"].match(raw)
    assert found == expected
    if expected:
        assert was_exact is exact


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = bundled_schema_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_duplicate_indicator_id_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'id = "tip_accomplice"', 'id = "tip_attempt"')
    with pytest.raises(SchemaError, match=r"broken\.toml.*tip_attempt.*duplicate"):
        load_schema(path)


def test_unknown_type(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'type = "yesno"', 'type = "maybe"')
    with pytest.raises(SchemaError, match=r"indicator 'tip_protocol_party'.*unknown type 'maybe'"):
        load_schema(path)


def test_missing_label(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'label = { es = "Se tipifica la tentativa", ', 'label = { xx = "", ')
    with pytest.raises(SchemaError, match=r"tip_attempt.*missing label\.es"):
        load_schema(path)


def test_choice_without_choices(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'type = "text"', 'type = "choice"')
    with pytest.raises(SchemaError, match="needs its choices"):
        load_schema(path)


def test_undeclared_group_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="group 'nowhere' is not declared"):
        load_schema(_broken(tmp_path, 'group = "criminalization"', 'group = "nowhere"'))
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid TOML"):
        load_schema(bad)
    with pytest.raises(SchemaError, match="no bundled schema"):
        load_schema("nosuch")
