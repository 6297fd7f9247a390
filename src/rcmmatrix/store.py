"""The store: one SQLite file per workspace. All SQL of rcmmatrix lives in this module.

A file's submissions (one per matrix or dataset it holds) are written in one transaction, or not at all. A newer
accepted submission for the same country × round × dataset supersedes the older one; nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .errors import StoreError
from .issues import Code, Issue, Severity

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS files (
    sha256       TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    archived_as  TEXT NOT NULL,
    first_seen   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id               INTEGER PRIMARY KEY,
    sha256           TEXT NOT NULL REFERENCES files(sha256),
    file_name        TEXT NOT NULL,
    country          TEXT,
    round            TEXT,
    dataset          TEXT NOT NULL DEFAULT '',
    received_at      TEXT NOT NULL,
    submitted_by     TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'superseded')),
    superseded_by    INTEGER REFERENCES submissions(id),
    errors           INTEGER NOT NULL DEFAULT 0,
    warnings         INTEGER NOT NULL DEFAULT 0,
    template_version TEXT,
    lang             TEXT
);
CREATE INDEX IF NOT EXISTS submissions_key ON submissions(round, country, dataset, status);
CREATE TABLE IF NOT EXISTS answers (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    indicator     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    value         TEXT,
    raw           TEXT,
    law           TEXT,
    article       TEXT,
    notes         TEXT,
    source_url    TEXT,
    sheet         TEXT,
    cell          TEXT,
    PRIMARY KEY (submission_id, indicator)
);
CREATE TABLE IF NOT EXISTS statistics (
    submission_id     INTEGER REFERENCES submissions(id),
    source            TEXT NOT NULL DEFAULT 'country',
    country           TEXT NOT NULL,
    year              INTEGER NOT NULL,
    indicator         TEXT NOT NULL,
    sex               TEXT NOT NULL DEFAULT 'total',
    age_group         TEXT NOT NULL DEFAULT 'total',
    citizenship       TEXT NOT NULL DEFAULT 'total',
    exploitation_form TEXT NOT NULL DEFAULT 'total',
    value             INTEGER,
    flag              TEXT NOT NULL DEFAULT 'reported',
    raw               TEXT,
    sheet             TEXT,
    cell              TEXT
);
CREATE INDEX IF NOT EXISTS statistics_key ON statistics(source, country, indicator, year);
CREATE TABLE IF NOT EXISTS issues (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    code          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    sheet         TEXT,
    cell          TEXT,
    args          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS issues_submission ON issues(submission_id);
"""


class Answer(NamedTuple):
    """One indicator's answer as stored: ``value`` is typed (str, int, float, date) or None when unanswered.
    A NamedTuple, not a dataclass: thousands cross from ingest workers to the writer, and tuples pickle ~5x faster."""

    indicator: str
    kind: str
    value: Any
    raw: str | None = None
    law: str | None = None
    article: str | None = None
    notes: str | None = None
    source_url: str | None = None
    sheet: str | None = None
    cell: str | None = None


class StatRow(NamedTuple):
    country: str
    year: int
    indicator: str
    value: int | None
    flag: str = "reported"
    sex: str = "total"
    age_group: str = "total"
    citizenship: str = "total"
    exploitation_form: str = "total"
    raw: str | None = None
    sheet: str | None = None
    cell: str | None = None


@dataclass(slots=True)
class NewSubmission:
    """What ingest hands to the store for one dataset of one file."""

    country: str | None
    round: str | None
    dataset: str
    issues: Sequence[Issue]
    answers: Sequence[Answer] = ()
    statistics: Sequence[StatRow] = ()
    template_version: str | None = None
    lang: str | None = None
    status: str | None = None  # set by ingest for the whole file; None: decided by this dataset's own issues

    @property
    def accepted(self) -> bool:
        if self.status is not None:
            return self.status == "accepted"
        return self.country is not None and self.round is not None and not any(i.is_error for i in self.issues)


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    id: int
    sha256: str
    file_name: str
    country: str | None
    round: str | None
    dataset: str
    received_at: dt.datetime
    status: str
    superseded_by: int | None
    errors: int
    warnings: int
    template_version: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    country: str
    round: str
    submission_id: int
    file_name: str
    received_at: dt.datetime
    answer: Answer = field(repr=False)


def encode(kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and kind == "number":
        return repr(value)
    return str(value)


def decode(kind: str, text: str | None) -> Any:
    if text is None:
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._batch = False

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several record_file() calls in one write transaction (one commit instead of many). Each file
        stays all-or-nothing: it is written under its own savepoint, rolled back alone if it fails."""
        with _transaction(self.conn):
            self._batch = True
            try:
                yield
            finally:
                self._batch = False

    def _atomic(self) -> Any:
        return _savepoint(self.conn) if self._batch else _transaction(self.conn)

    @classmethod
    def open(cls, path: Path) -> Store:
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{path}: made by a newer rcmmatrix (store version {version}); upgrade rcmmatrix")
            if version < SCHEMA_VERSION:
                with _transaction(conn):
                    for statement in _DDL.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from None
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ files
    def has_file(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def file_summary(self, sha256: str) -> tuple[str | None, str | None, str | None, list[str]]:
        """(status, country, round, datasets) of a stored file: 'accepted' when any of its submissions is current."""
        rows = self.conn.execute(
            "SELECT status, country, round, dataset FROM submissions WHERE sha256 = ? ORDER BY id", (sha256,)
        ).fetchall()
        if not rows:
            return None, None, None, []
        statuses = [r["status"] for r in rows]
        status = "accepted" if "accepted" in statuses else statuses[0]
        return status, rows[0]["country"], rows[0]["round"], [r["dataset"] for r in rows if r["dataset"]]

    def known_hashes(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT sha256 FROM files")}

    def record_file(
        self,
        sha256: str,
        name: str,
        size: int,
        archived_as: str,
        submissions: Iterable[NewSubmission],
        received_at: dt.datetime | None = None,
        submitted_by: str = "",
    ) -> list[int] | None:
        """Write one file and its submissions in one transaction; returns the new submission ids, or None when
        another process recorded the same bytes first (the check and the insert are one transaction)."""
        now = (received_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        ids: list[int] = []
        with self._atomic():
            if self.conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha256,)).fetchone():
                return None
            self.conn.execute(
                "INSERT INTO files(sha256, name, size, archived_as, first_seen) VALUES (?, ?, ?, ?, ?)",
                (sha256, name, size, archived_as, now),
            )
            for sub in submissions:
                ids.append(self._insert_submission(sha256, name, now, submitted_by, sub))
        return ids

    def _insert_submission(self, sha256: str, name: str, now: str, by: str, sub: NewSubmission) -> int:
        errors = sum(1 for i in sub.issues if i.is_error)
        warnings = len(sub.issues) - errors
        status = "accepted" if sub.accepted else "rejected"
        cur = self.conn.execute(
            "INSERT INTO submissions(sha256, file_name, country, round, dataset, received_at, submitted_by, status,"
            " errors, warnings, template_version, lang) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sha256,
                name,
                sub.country,
                sub.round,
                sub.dataset,
                now,
                by,
                status,
                errors,
                warnings,
                sub.template_version,
                sub.lang,
            ),
        )
        sid = int(cur.lastrowid or 0)
        if status == "accepted":
            self.conn.execute(
                "UPDATE submissions SET status = 'superseded', superseded_by = ? WHERE status = 'accepted'"
                " AND country = ? AND round = ? AND dataset = ? AND id <> ?",
                (sid, sub.country, sub.round, sub.dataset, sid),
            )
            self.conn.executemany(
                "INSERT INTO answers(submission_id, indicator, kind, value, raw, law, article, notes, source_url,"
                " sheet, cell) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        sid,
                        a.indicator,
                        a.kind,
                        encode(a.kind, a.value),
                        a.raw,
                        a.law,
                        a.article,
                        a.notes,
                        a.source_url,
                        a.sheet,
                        a.cell,
                    )
                    for a in sub.answers
                ],
            )
            self.conn.executemany(
                "INSERT INTO statistics(submission_id, source, country, year, indicator, sex, age_group, citizenship,"
                " exploitation_form, value, flag, raw, sheet, cell) VALUES (?,'country',?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        sid,
                        s.country,
                        s.year,
                        s.indicator,
                        s.sex,
                        s.age_group,
                        s.citizenship,
                        s.exploitation_form,
                        s.value,
                        s.flag,
                        s.raw,
                        s.sheet,
                        s.cell,
                    )
                    for s in sub.statistics
                ],
            )
        self.conn.executemany(
            "INSERT INTO issues(submission_id, code, severity, sheet, cell, args) VALUES (?,?,?,?,?,?)",
            [(sid, i.code.value, i.severity.value, i.sheet, i.cell, i.args_json()) for i in sub.issues],
        )
        return sid

    # ------------------------------------------------------------------------------------------ reads
    def submissions(
        self, round: str | None = None, country: str | None = None, status: str | None = None
    ) -> list[SubmissionRow]:
        sql = "SELECT * FROM submissions WHERE 1=1"
        params: list[Any] = []
        for column, value in (("round", round), ("country", country), ("status", status)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        rows = self.conn.execute(sql + " ORDER BY received_at, id", params).fetchall()
        return [_submission(r) for r in rows]

    def submission(self, submission_id: int) -> SubmissionRow:
        row = self.conn.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            raise StoreError(f"no submission {submission_id}")
        return _submission(row)

    def issues(self, submission_id: int, file: str | None = None) -> list[Issue]:
        rows = self.conn.execute(
            "SELECT * FROM issues WHERE submission_id = ? ORDER BY rowid", (submission_id,)
        ).fetchall()
        return [
            Issue(
                code=Code(r["code"]),
                args=json.loads(r["args"]),
                severity=Severity(r["severity"]),
                file=file,
                sheet=r["sheet"],
                cell=r["cell"],
            )
            for r in rows
        ]

    def answers(self, submission_id: int) -> list[Answer]:
        rows = self.conn.execute(
            "SELECT * FROM answers WHERE submission_id = ? ORDER BY rowid", (submission_id,)
        ).fetchall()
        return [_answer(r) for r in rows]

    def accepted_answers(
        self, round: str, dataset: str, countries: Sequence[str] | None = None
    ) -> Iterator[StoredAnswer]:
        """Answers of the accepted submission of each country for ``round`` × ``dataset``."""
        sql = (
            "SELECT s.country, s.round, s.id AS sid, s.file_name, s.received_at, a.* FROM submissions s"
            " JOIN answers a ON a.submission_id = s.id WHERE s.status = 'accepted' AND s.round = ? AND s.dataset = ?"
        )
        params: list[Any] = [round, dataset]
        if countries:
            sql += f" AND s.country IN ({','.join('?' * len(countries))})"
            params += list(countries)
        for r in self.conn.execute(sql + " ORDER BY s.country, a.rowid", params):
            yield StoredAnswer(
                r["country"],
                r["round"],
                r["sid"],
                r["file_name"],
                dt.datetime.fromisoformat(r["received_at"]),
                _answer(r),
            )

    def latest_accepted(self, country: str, dataset: str, rounds: Sequence[str]) -> tuple[str, list[Answer]] | None:
        """The most recent of ``rounds`` (given oldest first) with an accepted submission, and its answers."""
        for round_name in reversed(rounds):
            row = self.conn.execute(
                "SELECT id FROM submissions WHERE status = 'accepted' AND country = ? AND dataset = ? AND round = ?",
                (country, dataset, round_name),
            ).fetchone()
            if row is not None:
                return round_name, self.answers(row["id"])
        return None

    def statistics(self, country: str | None = None, source: str = "country") -> list[StatRow]:
        sql = (
            "SELECT st.* FROM statistics st LEFT JOIN submissions s ON s.id = st.submission_id"
            " WHERE st.source = ? AND (st.submission_id IS NULL OR s.status = 'accepted')"
        )
        params: list[Any] = [source]
        if country:
            sql += " AND st.country = ?"
            params.append(country)
        rows = self.conn.execute(sql + " ORDER BY st.country, st.indicator, st.year, st.rowid", params).fetchall()
        return [
            StatRow(
                r["country"],
                r["year"],
                r["indicator"],
                r["value"],
                r["flag"],
                r["sex"],
                r["age_group"],
                r["citizenship"],
                r["exploitation_form"],
                r["raw"],
                r["sheet"],
                r["cell"],
            )
            for r in rows
        ]

    def answered(self, round: str, dataset: str) -> dict[int, set[str]]:
        """accepted submission id → the indicators it answers (a value, not a blank), for ``round`` × ``dataset``."""
        out: dict[int, set[str]] = {}
        rows = self.conn.execute(
            "SELECT s.id, a.indicator, a.value FROM submissions s LEFT JOIN answers a ON a.submission_id = s.id"
            " WHERE s.status = 'accepted' AND s.round = ? AND s.dataset = ?",
            (round, dataset),
        )
        for sid, indicator, value in rows:
            found = out.setdefault(sid, set())
            if indicator is not None and value is not None:
                found.add(indicator)
        return out

    def statistics_years(self, round: str) -> dict[int, dict[str, set[int]]]:
        """submission id → indicator → years with a value or a flag, for accepted statistics submissions."""
        out: dict[int, dict[str, set[int]]] = {}
        rows = self.conn.execute(
            "SELECT st.submission_id, st.indicator, st.year FROM statistics st JOIN submissions s"
            " ON s.id = st.submission_id WHERE s.status = 'accepted' AND s.round = ?",
            (round,),
        )
        for sid, indicator, year in rows:
            out.setdefault(sid, {}).setdefault(indicator, set()).add(year)
        return out

    def replace_reference(self, source: str, rows: Sequence[StatRow]) -> None:
        """Replace a reference source's figures (e.g. UNODC) in one transaction. Country submissions are untouched."""
        if source == "country":
            raise StoreError("country figures come only from submissions")
        with _transaction(self.conn):
            self.conn.execute("DELETE FROM statistics WHERE source = ? AND submission_id IS NULL", (source,))
            self.conn.executemany(
                "INSERT INTO statistics(submission_id, source, country, year, indicator, sex, age_group, citizenship,"
                " exploitation_form, value, flag, raw, sheet, cell) VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        source,
                        r.country,
                        r.year,
                        r.indicator,
                        r.sex,
                        r.age_group,
                        r.citizenship,
                        r.exploitation_form,
                        r.value,
                        r.flag,
                        r.raw,
                        r.sheet,
                        r.cell,
                    )
                    for r in rows
                ],
            )

    def counts(self) -> dict[str, int]:
        """Row counts per table: a cheap fingerprint that tests use to prove the store did not change."""
        return {
            t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("files", "submissions", "answers", "statistics", "issues")
        }


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT one_file")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO one_file")
        conn.execute("RELEASE one_file")
        raise
    conn.execute("RELEASE one_file")


def _submission(r: sqlite3.Row) -> SubmissionRow:
    return SubmissionRow(
        id=r["id"],
        sha256=r["sha256"],
        file_name=r["file_name"],
        country=r["country"],
        round=r["round"],
        dataset=r["dataset"],
        received_at=dt.datetime.fromisoformat(r["received_at"]),
        status=r["status"],
        superseded_by=r["superseded_by"],
        errors=r["errors"],
        warnings=r["warnings"],
        template_version=r["template_version"],
        lang=r["lang"],
    )


def _answer(r: sqlite3.Row) -> Answer:
    return Answer(
        indicator=r["indicator"],
        kind=r["kind"],
        value=decode(r["kind"], r["value"]),
        raw=r["raw"],
        law=r["law"],
        article=r["article"],
        notes=r["notes"],
        source_url=r["source_url"],
        sheet=r["sheet"],
        cell=r["cell"],
    )
