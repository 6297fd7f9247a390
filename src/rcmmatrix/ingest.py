"""ingest(paths, workspace): read → validate → archive → store, one file at a time, each file in one transaction.

A file either lands whole (accepted) or is recorded as rejected with all its issues; the same bytes twice are
"unchanged". ``dry_run`` (the `validate` command) runs every check and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .issues import Code, Issue, Severity
from .layout import Layout, analyse
from .members import country_name, lookup_country
from .normalize import as_text
from .readers import SUFFIXES, cell_ref, read_book
from .store import NewSubmission, Store
from .text import clean
from .validation import Checked, check_layout
from .workspace import Workspace

Progress = Callable[[int, int, Path], None]


@dataclass(slots=True)
class FileResult:
    path: Path
    sha256: str = ""
    status: str = "rejected"  # accepted | rejected | unchanged
    country: str | None = None
    round: str | None = None
    datasets: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    lang: str = "es"
    submission_ids: list[int] = field(default_factory=list)
    previous: str | None = None  # for an unchanged file: what became of it the first time

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "status": self.status,
            "country": self.country,
            "round": self.round,
            "datasets": self.datasets,
            "errors": self.errors,
            "warnings": self.warnings,
            "previous_status": self.previous,
            "issues": [i.to_dict(lang) for i in self.issues],
        }


@dataclass(slots=True)
class IngestResult:
    files: list[FileResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return all(f.status != "rejected" for f in self.files)

    def issues(self) -> Iterable[Issue]:
        for f in self.files:
            yield from f.issues

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"dry_run": self.dry_run, "ok": self.ok, "files": [f.to_dict(lang) for f in self.files]}


def collect_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and folders searched recursively for spreadsheets; lock and hidden files skipped."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".", ".~lock"))
            )
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


@dataclass(slots=True)
class Prepared:
    """A file read, checked and (unless dry run) archived, ready to be recorded by the one process that writes."""

    result: FileResult
    subs: list[NewSubmission] = field(default_factory=list)
    archived_as: str = ""
    size: int = 0


PARALLEL_FROM = 16  # files; below this a worker pool costs more than it saves


def ingest(
    paths: Sequence[Path],
    ws: Workspace,
    *,
    round_name: str | None = None,
    country: str | None = None,
    dry_run: bool = False,
    submitted_by: str = "",
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    workers: int | None = None,
) -> IngestResult:
    """Read and check files (in a pool of worker processes for large runs), record them here, in input order."""
    files = collect_paths(paths)
    result = IngestResult(dry_run=dry_run)
    run_keys: dict[tuple[str, str, str], str] = {}
    seen: set[str] = set()
    with Store.open(ws.db_path) as store:
        known = store.known_hashes()
        options = (round_name, country, dry_run)
        batch = _Batches(store)
        try:
            for n, prep in enumerate(_prepare_all(files, ws, known, options, workers), 1):
                if progress:
                    progress(n, len(files), prep.result.path)
                fr = prep.result
                if fr.status == "unchanged" or fr.sha256 in seen:
                    fr.status, fr.issues, prep.subs = "unchanged", [], []
                    fr.previous, fr.country, fr.round, fr.datasets = store.file_summary(fr.sha256)
                else:
                    _flag_duplicates(prep, run_keys)
                if fr.sha256:
                    seen.add(fr.sha256)
                if prep.subs and not dry_run:
                    batch.open()
                    ids = store.record_file(
                        fr.sha256,
                        fr.path.name,
                        prep.size,
                        prep.archived_as,
                        prep.subs,
                        received_at=now,
                        submitted_by=submitted_by,
                    )
                    if ids is None:  # another process recorded the same bytes meanwhile
                        fr.status, fr.issues = "unchanged", []
                        fr.previous, fr.country, fr.round, fr.datasets = store.file_summary(fr.sha256)
                    else:
                        fr.submission_ids = ids
                    batch.maybe_commit()
                result.files.append(fr)
        finally:
            batch.close()
    return result


class _Batches:
    """Commit every BATCH_FILES files or BATCH_SECONDS seconds, whichever comes first: one commit per file costs
    more than reading the file. Each file is still all-or-nothing (a savepoint per file)."""

    BATCH_FILES = 50
    BATCH_SECONDS = 0.5

    def __init__(self, store: Store) -> None:
        self.store = store
        self.context: Any = None
        self.count = 0
        self.started = 0.0

    def open(self) -> None:
        if self.context is None:
            self.context = self.store.batch()
            self.context.__enter__()
            self.count, self.started = 0, time.monotonic()

    def maybe_commit(self) -> None:
        self.count += 1
        if self.count >= self.BATCH_FILES or time.monotonic() - self.started >= self.BATCH_SECONDS:
            self.close()

    def close(self) -> None:
        if self.context is not None:
            context, self.context = self.context, None
            os.sync()  # the archive copies this batch refers to reach the disk before the rows that name them
            context.__exit__(None, None, None)


def _flag_duplicates(prep: Prepared, run_keys: dict[tuple[str, str, str], str]) -> None:
    fr = prep.result
    for dataset in fr.datasets:
        key = (fr.country or "", fr.round or "", dataset)
        if fr.country and key in run_keys:
            issue = Issue(
                Code.DUPLICATE_SUBMISSION,
                {"other": run_keys[key], "country": fr.country, "matrix": dataset},
                Severity.WARNING,
                file=fr.path.name,
            )
            fr.issues.append(issue)
            for sub in prep.subs:
                sub.issues = [*sub.issues, issue]
        run_keys[key] = fr.path.name


_WORKER: dict[str, Any] = {}


def _worker_init(root: str, known: set[str], options: tuple[str | None, str | None, bool]) -> None:
    _WORKER["ws"] = Workspace.load(Path(root))
    _WORKER["known"] = known
    _WORKER["options"] = options


def _worker_prepare(path: Path) -> Prepared:
    return prepare(path, _WORKER["ws"], _WORKER["known"], *_WORKER["options"])


def _prepare_all(
    files: list[Path], ws: Workspace, known: set[str], options: tuple[str | None, str | None, bool], workers: int | None
) -> Iterator[Prepared]:
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    if count <= 1 or len(files) < PARALLEL_FROM:
        for path in files:
            yield prepare(path, ws, known, *options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Hash here first: files already in the store are "unchanged" without a trip to a worker.
    hashes = {path: _quick_hash(path, ws.limits.max_file_bytes) for path in files}
    new = [path for path in files if hashes[path] not in known]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_worker_init, initargs=(str(ws.root), known, options)
    ) as pool:
        prepared = pool.map(_worker_prepare, new, chunksize=8) if new else iter(())
        for path in files:
            sha = hashes[path]
            if sha is not None and sha in known:
                yield Prepared(FileResult(path, sha256=sha, status="unchanged", lang=ws.language))
            else:
                yield next(prepared)


def _quick_hash(path: Path, limit: int) -> str | None:
    """sha256 of a file, or None when it cannot be read or is over the size limit (prepare() will say why)."""
    try:
        if path.stat().st_size > limit:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def prepare(
    path: Path, ws: Workspace, known: set[str], round_name: str | None, country: str | None, dry_run: bool
) -> Prepared:
    """Read, check and archive one file; no database access, so it can run in a worker process."""
    fr = FileResult(path, lang=ws.language)
    prep = Prepared(fr)
    name = path.name
    limits = ws.limits
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            fr.issues.append(Issue(Code.FILE_TOO_LARGE, {"size": size, "limit": limits.max_file_bytes}, file=name))
            return prep
        data = path.read_bytes()
    except OSError as exc:
        fr.issues.append(Issue(Code.UNREADABLE_FILE, {"reason": exc.strerror or str(exc)}, file=name))
        return prep
    fr.sha256 = hashlib.sha256(data).hexdigest()
    if fr.sha256 in known:
        fr.status = "unchanged"
        return prep
    book, read_issues = read_book(path, data, limits)
    fr.issues += read_issues
    layout = analyse(book, ws.schema) if book is not None else None
    fr.country, country_issues = resolve_country(layout, country, name, ws)
    if book is not None:  # an unreadable file is only told it is unreadable
        fr.issues += country_issues
    if fr.country:
        fr.lang = _file_lang(layout, ws, fr.country)
    fr.round, round_issues = resolve_round(layout, round_name, ws, name)
    if book is not None:
        fr.issues += round_issues
    checked: list[Checked] = []
    if layout is not None:
        fr.issues += template_issues(layout, ws, name)
        file_issues, checked = check_layout(layout, ws.schema, limits, fr.country, fr.lang)
        fr.issues += file_issues
        for c in checked:
            fr.issues += c.issues
    fr.datasets = [c.dataset for c in checked]
    accepted = fr.country is not None and fr.round is not None and fr.errors == 0 and bool(checked)
    fr.status = "accepted" if accepted else "rejected"
    if dry_run:
        return prep
    own = {id(i) for c in checked for i in c.issues}
    shared = [i for i in fr.issues if id(i) not in own]
    template_version = _identity_text(layout, "template_version")
    prep.subs = [
        NewSubmission(
            fr.country,
            fr.round,
            c.dataset,
            [*shared, *c.issues],
            c.answers,
            c.statistics,
            template_version,
            fr.lang,
            status=fr.status,
        )
        for c in checked
    ] or [NewSubmission(fr.country, fr.round, "", list(fr.issues), lang=fr.lang, status="rejected")]
    archived = archive(ws.archive_dir, fr.sha256, data, path.suffix.lower(), durable=False)
    prep.archived_as = str(archived.relative_to(ws.root))
    prep.size = len(data)
    return prep


def archive(folder: Path, sha256: str, data: bytes, suffix: str, durable: bool = True) -> Path:
    """Write the file's bytes under archive/ by hash: temp file, atomic rename. Idempotent: an existing copy is
    trusted only if its bytes hash to its name. With ``durable`` the copy is fsynced; ingest instead writes many
    copies and makes them durable with one sync before the transaction that refers to them commits."""
    target = folder / sha256[:2] / f"{sha256}{suffix}"
    if target.exists() and target.stat().st_size == len(data) and _sha256(target) == sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------ identity
def _identity(layout: Layout | None, key: str) -> tuple[Any, str, str] | None:
    if layout is None or key not in layout.identity:
        return None
    value, sheet, r, c = layout.identity[key]
    return value, sheet, cell_ref(r, c)


def _identity_text(layout: Layout | None, key: str) -> str | None:
    found = _identity(layout, key)
    return clean(as_text(found[0])) if found else None


def _file_lang(layout: Layout | None, ws: Workspace, iso3: str) -> str:
    lang = (_identity_text(layout, "language") or "").lower()[:2]
    if lang in ("es", "en", "fr"):
        return lang
    try:
        return ws.member(iso3).language
    except Exception:
        return ws.language


_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def country_from_filename(name: str, members: set[str]) -> str | None:
    """'GTM_2017.xlsx', 'Matriz Guatemala 2017.xlsx', 'Matriz República Dominicana.xlsx' → ISO3."""
    stem = Path(name).stem
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(stem)]
    found: list[str] = []
    for size in (4, 3, 2, 1):
        for i in range(len(tokens) - size + 1):
            words = [t for t, _ in tokens[i : i + size]]
            if size == 1:
                word = words[0]
                codelike = len(word) in (2, 3) and word.isupper()  # 'GTM', 'GT'; never 'es', 'de'
                iso3 = lookup_country(word) if codelike or len(word) > 3 else None
            else:
                iso3 = lookup_country(" ".join(words))
            if iso3:
                found.append(iso3)
    for iso3 in found:
        if iso3 in members:
            return iso3
    return None


def resolve_country(
    layout: Layout | None, option: str | None, name: str, ws: Workspace
) -> tuple[str | None, list[Issue]]:
    members = {m.iso3 for m in ws.members}
    member_list = ", ".join(sorted(members))
    issues: list[Issue] = []
    sources: list[tuple[str, dict[str, str]]] = []
    ident = _identity(layout, "country")
    if ident is not None:
        value, sheet, cell = ident
        iso3 = lookup_country(as_text(value))
        if iso3 is None:
            issues.append(
                Issue(Code.UNKNOWN_COUNTRY, {"value": as_text(value)[:100]}, file=name, sheet=sheet, cell=cell)
            )
        elif iso3 not in members:
            issues.append(
                Issue(
                    Code.NOT_A_MEMBER,
                    {"value": f"{iso3} ({country_name(iso3)})", "members": member_list},
                    file=name,
                    sheet=sheet,
                    cell=cell,
                )
            )
        else:
            sources.append((iso3, {"es": f"hoja {sheet}!{cell}", "en": f"sheet {sheet}!{cell}"}))
    if option:
        iso3 = lookup_country(option)
        if iso3 is None:
            issues.append(Issue(Code.UNKNOWN_COUNTRY, {"value": option}, file=name))
        elif iso3 not in members:
            issues.append(
                Issue(Code.NOT_A_MEMBER, {"value": f"{iso3} ({country_name(iso3)})", "members": member_list}, file=name)
            )
        else:
            sources.append((iso3, {"es": "--country", "en": "--country"}))
    from_name = country_from_filename(name, members)
    if from_name:
        sources.append((from_name, {"es": "nombre del archivo", "en": "file name"}))
    if issues:
        return None, issues
    if not sources:
        return None, [Issue(Code.NO_COUNTRY, file=name)]
    first, first_src = sources[0]
    for other, src in sources[1:]:
        if other != first:
            return None, [
                Issue(
                    Code.COUNTRY_MISMATCH,
                    {"first": first, "first_source": first_src, "second": other, "second_source": src},
                    file=name,
                )
            ]
    return first, []


def resolve_round(
    layout: Layout | None, option: str | None, ws: Workspace, name: str
) -> tuple[str | None, list[Issue]]:
    names = [r.name for r in ws.rounds]
    ident = _identity(layout, "round")
    found = clean(as_text(ident[0])) if ident else None
    if found and option and found != option:
        return None, [
            Issue(Code.ROUND_MISMATCH, {"found": found, "expected": option}, file=name, sheet=ident[1], cell=ident[2])
        ]
    chosen = option or found or (names[-1] if names else None)
    if chosen is None or chosen not in names:
        where = {"sheet": ident[1], "cell": ident[2]} if ident and not option else {}
        return None, [
            Issue(Code.UNKNOWN_ROUND, {"value": chosen or "", "rounds": ", ".join(names) or "-"}, file=name, **where)
        ]
    return chosen, []


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)) or (0,)


def template_issues(layout: Layout, ws: Workspace, name: str) -> list[Issue]:
    issues: list[Issue] = []
    schema = ws.schema
    sid = _identity(layout, "schema")
    if sid is not None and clean(as_text(sid[0])) != schema.id:
        issues.append(
            Issue(
                Code.WRONG_SCHEMA,
                {"found": as_text(sid[0]), "expected": schema.id},
                file=name,
                sheet=sid[1],
                cell=sid[2],
            )
        )
    tv = _identity(layout, "template_version")
    if tv is not None and _version_tuple(as_text(tv[0])) < _version_tuple(schema.template_version):
        issues.append(
            Issue(
                Code.OUTDATED_TEMPLATE,
                {"found": as_text(tv[0]), "current": schema.template_version},
                Severity.WARNING,
                file=name,
                sheet=tv[1],
                cell=tv[2],
            )
        )
    return issues


def ingest_files(
    paths: Sequence[Path],
    ws: Workspace,
    *,
    feedback_dir: Path | None = None,
    **options: Any,
) -> IngestResult:
    """ingest(), then a feedback copy for every file with errors, in the country's language (warnings are shown
    to the Secretariat in the run's output; a file that landed needs nothing sent back)."""
    from .feedback import write_feedback

    result = ingest(paths, ws, **options)
    if feedback_dir is not None:
        for f in result.files:
            if f.errors:
                write_feedback(f.path, f.issues, feedback_dir, f.lang)
    return result


def history_rows(ws: Workspace, country: str, round_name: str | None = None) -> list[dict[str, Any]]:
    iso3 = ws.member(country).iso3
    if round_name is not None:
        ws.round(round_name)
    with Store.open(ws.db_path) as store:
        subs = store.submissions(round=round_name, country=iso3)
    return [
        {
            "id": s.id,
            "round": s.round,
            "dataset": s.dataset,
            "file": s.file_name,
            "received_at": s.received_at.isoformat(timespec="minutes"),
            "status": s.status,
            "superseded_by": s.superseded_by,
            "errors": s.errors,
            "warnings": s.warnings,
            "sha256": s.sha256,
        }
        for s in subs
    ]
