"""The workspace: a folder with rcmmatrix.toml (schema, members, rounds), rcmmatrix.db and archive/.

Commands find it from an explicit path, the RCMMATRIX_WORKSPACE variable (read by the CLI and passed in), or the
current folder and its parents, like git.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import WorkspaceError
from .members import FocalPoint, Member, country_name, default_members, lookup_country
from .schema import Schema, load_schema

CONFIG = "rcmmatrix.toml"
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")
DATABASE = "rcmmatrix.db"
ARCHIVE = "archive"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what ingest reads; configurable under [limits] in rcmmatrix.toml."""

    max_file_bytes: int = 25 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 200
    max_text: int = 5_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Round:
    name: str
    deadline: dt.date
    opens: dt.date | None = None
    reporting_years: tuple[int, ...] = ()
    extensions: Mapping[str, dt.date] = field(default_factory=dict)

    def deadline_for(self, iso3: str) -> dt.date:
        return self.extensions.get(iso3, self.deadline)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "opens": self.opens.isoformat() if self.opens else None,
            "deadline": self.deadline.isoformat(),
            "extensions": {k: v.isoformat() for k, v in self.extensions.items()},
        }

    def years(self) -> tuple[int, ...]:
        """Years the statistics sheet asks for: configured, else the two years before the deadline's year."""
        if self.reporting_years:
            return self.reporting_years
        return (self.deadline.year - 2, self.deadline.year - 1)


@dataclass(frozen=True, slots=True)
class Secretariat:
    name: str = "Secretaría Técnica de la CRM / RCM Technical Secretariat"
    email: str = ""
    signature: str = ""


class Workspace:
    """A loaded workspace. Read-only view of the config, plus methods that write it back."""

    def __init__(self, root: Path, config: Mapping[str, Any]) -> None:
        self.root = root
        self._config = dict(config)

    # -------------------------------------------------------------------------------------------- find
    @classmethod
    def find(cls, explicit: str | Path | None = None, start: Path | None = None) -> Workspace:
        if explicit is not None:
            root = Path(explicit)
            if not (root / CONFIG).is_file():
                raise WorkspaceError(f"{root}: not an rcmmatrix workspace (no {CONFIG}); run `rcmmatrix init {root}`")
            return cls.load(root)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG).is_file():
                return cls.load(folder)
        raise WorkspaceError("no rcmmatrix workspace here or above; run `rcmmatrix init` or pass --workspace")

    @classmethod
    def load(cls, root: Path) -> Workspace:
        path = root / CONFIG
        try:
            config = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise WorkspaceError(f"{path}: cannot read the workspace config: {exc}") from None
        ws = cls(root, config)
        _ = ws.rounds, ws.members  # validate early: a broken round or member is a broken workspace
        return ws

    @classmethod
    def init(
        cls,
        root: Path,
        round_name: str | None = None,
        deadline: dt.date | None = None,
        opens: dt.date | None = None,
        schema: str = "rcm",
    ) -> Workspace:
        if (root / CONFIG).exists():
            raise WorkspaceError(f"{root}: already a workspace ({CONFIG} exists); nothing was changed")
        if round_name and deadline is None:
            raise WorkspaceError("a round needs a deadline: --round NAME --deadline YYYY-MM-DD")
        if Path(schema).suffix:  # a schema file named on the command line: relative to where the user is
            path = Path(schema).resolve()
            load_schema(path)
            try:
                schema = str(path.relative_to(root.resolve()))
            except ValueError:
                schema = str(path)
        else:
            load_schema(schema)
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / ARCHIVE).mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"{root}: cannot create the workspace: {exc}") from None
        config: dict[str, Any] = {
            "schema": schema,
            "languages": ["es", "en"],
            "secretariat": {"name": Secretariat().name, "email": "", "signature": ""},
            "rounds": [],
            "members": {m.iso3: {"languages": list(m.languages)} for m in default_members()},
        }
        ws = cls(root, config)
        if round_name and deadline:
            ws._append_round(round_name, deadline, opens)
        ws.save()
        from .store import Store

        Store.open(ws.db_path).close()
        return ws

    # -------------------------------------------------------------------------------------------- paths
    @property
    def config_path(self) -> Path:
        return self.root / CONFIG

    @property
    def db_path(self) -> Path:
        return self.root / DATABASE

    @property
    def archive_dir(self) -> Path:
        return self.root / ARCHIVE

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    # -------------------------------------------------------------------------------------------- config
    @cached_property
    def schema(self) -> Schema:
        name = str(self._config.get("schema", "rcm"))
        return load_schema(name if Path(name).suffix == "" else self.root / name)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._config.get("languages", ("es", "en")))

    @property
    def language(self) -> str:
        return self.languages[0] if self.languages else "es"

    @property
    def secretariat(self) -> Secretariat:
        raw = self._config.get("secretariat", {})
        return Secretariat(**{k: str(v) for k, v in raw.items() if k in Secretariat.__slots__})

    @property
    def limits(self) -> Limits:
        raw = self._config.get("limits", {})
        known = {k: int(v) for k, v in raw.items() if k in Limits.__slots__}
        return Limits(**known)

    @property
    def rounds(self) -> tuple[Round, ...]:
        rounds = []
        for raw in self._config.get("rounds", ()):
            name = str(raw.get("name", ""))
            if not name or not isinstance(raw.get("deadline"), dt.date):
                raise WorkspaceError(f"{self.config_path}: every [[rounds]] needs a name and a deadline date")
            rounds.append(
                Round(
                    name=name,
                    deadline=raw["deadline"],
                    opens=raw.get("opens"),
                    reporting_years=tuple(int(y) for y in raw.get("reporting_years", ())),
                    extensions={str(k): v for k, v in raw.get("extensions", {}).items()},
                )
            )
        return tuple(sorted(rounds, key=lambda r: r.deadline))

    def round(self, name: str | None = None) -> Round:
        """The named round, or the latest (by deadline) when name is None."""
        rounds = self.rounds
        if not rounds:
            raise WorkspaceError(
                "this workspace has no rounds yet; add one with `rcmmatrix round add NAME --deadline D`"
            )
        if name is None:
            return rounds[-1]
        for r in rounds:
            if r.name == name:
                return r
        raise WorkspaceError(f"no round '{name}' (rounds: {', '.join(r.name for r in rounds)})")

    @cached_property
    def members(self) -> tuple[Member, ...]:
        members = []
        for code, raw in self._config.get("members", {}).items():
            iso3 = lookup_country(code)
            if iso3 is None:
                raise WorkspaceError(f"{self.config_path}: [members.{code}] is not an ISO 3166 country")
            fp = raw.get("focal_point", {})
            members.append(
                Member(
                    iso3=iso3,
                    languages=tuple(raw.get("languages", ("es",))) or ("es",),
                    focal_point=FocalPoint(**{k: str(v) for k, v in fp.items() if k in FocalPoint.__slots__}),
                )
            )
        return tuple(members)

    def member(self, text: str) -> Member:
        """A member by ISO3/ISO2 code or name in es/en/fr; WorkspaceError when unknown or not a member."""
        iso3 = lookup_country(text)
        if iso3 is None:
            raise WorkspaceError(f"'{text}' is not a country name or ISO code")
        for m in self.members:
            if m.iso3 == iso3:
                return m
        raise WorkspaceError(f"{iso3} ({country_name(iso3)}) is not a member of this workspace")

    # -------------------------------------------------------------------------------------------- writes
    def _append_round(self, name: str, deadline: dt.date, opens: dt.date | None) -> None:
        if any(str(r.get("name")) == name for r in self._config.get("rounds", ())):
            raise WorkspaceError(f"round '{name}' already exists")
        if opens and opens > deadline:
            raise WorkspaceError(f"round '{name}': it opens ({opens}) after its deadline ({deadline})")
        entry: dict[str, Any] = {"name": name, "deadline": deadline}
        if opens:
            entry["opens"] = opens
        self._config.setdefault("rounds", []).append(entry)

    def add_round(self, name: str, deadline: dt.date, opens: dt.date | None = None) -> Round:
        self._append_round(name, deadline, opens)
        self.save()
        return self.round(name)

    def extend(self, country: str, until: dt.date, round_name: str | None = None) -> Round:
        member = self.member(country)
        target = self.round(round_name)
        for raw in self._config["rounds"]:
            if str(raw["name"]) == target.name:
                raw.setdefault("extensions", {})[member.iso3] = until
        self.save()
        return self.round(target.name)

    def set_member(self, country: str, **fields: str | None) -> Member:
        member = self.member(country)
        raw = self._config["members"].setdefault(member.iso3, {"languages": list(member.languages)})
        languages = fields.pop("languages", None)
        if languages:
            raw["languages"] = [x.strip() for x in languages.split(",") if x.strip()]
        fp = raw.setdefault("focal_point", {})
        for key, value in fields.items():
            if value is None:
                continue
            if any(c in value for c in "\r\n\x00"):
                raise WorkspaceError(f"{member.iso3}: the {key} may not contain line breaks")
            if key == "email" and value and not _EMAIL.fullmatch(value):
                raise WorkspaceError(f"{member.iso3}: '{value}' is not an e-mail address (name@example.org)")
            fp[key] = value
        self.save()
        return self.member(member.iso3)

    def save(self) -> None:
        import tomli_w

        text = "# rcmmatrix workspace. Edit with care, or use `rcmmatrix round` and `rcmmatrix members set`.\n"
        text += tomli_w.dumps(self._config)
        tmp = self.config_path.with_suffix(".toml.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(self.config_path)
        except OSError as exc:
            raise WorkspaceError(f"{self.config_path}: cannot write: {exc}") from None
        self.__dict__.pop("schema", None)
        self.__dict__.pop("members", None)
