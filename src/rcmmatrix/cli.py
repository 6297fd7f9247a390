"""The command-line shell over the library: parse options, call the library, print, exit.

Exit codes: 0 ran clean; 1 ran and found data problems; 2 could not run. Only this module imports Typer or Rich,
and heavy libraries (pandas, openpyxl) are imported inside the commands that need them, so `--help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .__about__ import __version__
from .errors import RcmmatrixError

if TYPE_CHECKING:
    from rich.console import Console

    from .workspace import Workspace


class Exit(IntEnum):
    OK = 0
    DATA_PROBLEMS = 1
    CANNOT_RUN = 2


app = typer.Typer(
    help="Comparative matrices of RCM members' legislation on trafficking in persons and migrant smuggling.\n\n"
    "Example: rcmmatrix init ws --round 2017 --deadline 2017-07-21",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
round_app = typer.Typer(help="Reporting rounds and their deadlines.", no_args_is_help=True)
members_app = typer.Typer(help="Member countries and their focal points.", invoke_without_command=True)
app.add_typer(round_app, name="round")
app.add_typer(members_app, name="members")

_state: dict[str, Any] = {"workspace": None, "debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


def fail(message: str, code: int = Exit.CANNOT_RUN) -> typer.Exit:
    from rich.markup import escape

    _stderr().print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def handle_errors(fn: F) -> F:
    """Library errors become one red line on stderr and exit 2 (with --debug, the traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RcmmatrixError as exc:
            if _state["debug"]:
                raise
            raise fail(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def workspace() -> Workspace:
    from .workspace import Workspace

    explicit = _state["workspace"] or os.environ.get("RCMMATRIX_WORKSPACE") or None
    return Workspace.find(explicit)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rcmmatrix {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    workspace_opt: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder (default: $RCMMATRIX_WORKSPACE, or the current folder and its parents).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _state["workspace"] = workspace_opt
    _state["debug"] = debug


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date (YYYY-MM-DD)") from None


# ------------------------------------------------------------------------------------------------ init
@app.command()
@handle_errors
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to make into a workspace.")] = Path("."),
    round_name: Annotated[str | None, typer.Option("--round", help="Create this first round.")] = None,
    deadline: Annotated[str | None, typer.Option(help="The round's deadline, YYYY-MM-DD.")] = None,
    opens: Annotated[str | None, typer.Option(help="When the round opens, YYYY-MM-DD.")] = None,
    schema: Annotated[str, typer.Option(help="Bundled schema name or path to a schema TOML.")] = "rcm",
) -> None:
    """Create a workspace (config, store, archive) with the 11 RCM members.

    Example: rcmmatrix init ws --round 2017 --deadline 2017-07-21
    """
    from .workspace import Workspace

    ws = Workspace.init(folder, round_name, parse_date(deadline), parse_date(opens), schema)
    _stderr().print(f"Workspace created in {ws.root} with {len(ws.members)} members.")


# ------------------------------------------------------------------------------------------------ rounds
@round_app.command("add")
@handle_errors
def round_add(
    name: Annotated[str, typer.Argument(help="Round name, e.g. 2017.")],
    deadline: Annotated[str, typer.Option(help="Deadline, YYYY-MM-DD.")],
    opens: Annotated[str | None, typer.Option(help="Opening date, YYYY-MM-DD.")] = None,
) -> None:
    """Add a reporting round.

    Example: rcmmatrix round add 2017 --deadline 2017-07-21
    """
    r = workspace().add_round(name, parse_date(deadline) or dt.date.today(), parse_date(opens))
    _stderr().print(f"Round {r.name} added, deadline {r.deadline.isoformat()}.")


@round_app.command("list")
@handle_errors
def round_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List rounds, oldest first.

    Example: rcmmatrix round list
    """
    rows = [r.to_dict() for r in workspace().rounds]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table(
        ["round", "opens", "deadline", "extensions"],
        [
            [
                r["name"],
                r["opens"] or "",
                r["deadline"],
                ", ".join(f"{k} {v}" for k, v in r["extensions"].items()),
            ]
            for r in rows
        ],
    )


@round_app.command("extend")
@handle_errors
def round_extend(
    country: Annotated[str, typer.Argument(help="Member (ISO code or name).")],
    until: Annotated[str, typer.Option(help="New deadline for this member, YYYY-MM-DD.")],
    round_name: Annotated[str | None, typer.Option("--round", help="Round (default: the latest).")] = None,
) -> None:
    """Grant a member an extension of the deadline.

    Example: rcmmatrix round extend GTM --until 2017-08-15
    """
    ws = workspace()
    iso3 = ws.member(country).iso3
    r = ws.extend(iso3, parse_date(until) or dt.date.today(), round_name)
    _stderr().print(f"{iso3}: deadline for round {r.name} extended to {r.deadline_for(iso3).isoformat()}.")


# ------------------------------------------------------------------------------------------------ members
@members_app.callback()
@handle_errors
def members(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: Annotated[str | None, typer.Option(help="Language of country names (es, en, fr).")] = None,
) -> None:
    """List the workspace's members with names in Spanish, English and French.

    Example: rcmmatrix members --json
    """
    if ctx.invoked_subcommand is not None:
        return
    ws = workspace()
    rows = [m.to_dict() for m in ws.members]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    first = lang or ws.language
    others = [x for x in ("es", "en", "fr") if x != first]
    _table(
        ["ISO3", f"name ({first})", *(f"name ({x})" for x in others), "languages", "focal point"],
        [
            [
                r["iso3"],
                r[f"name_{first}"],
                *(r[f"name_{x}"] for x in others),
                ", ".join(r["languages"]),
                r["focal_point"]["email"],
            ]
            for r in rows
        ],
    )


@members_app.command("set")
@handle_errors
def members_set(
    country: Annotated[str, typer.Argument(help="Member (ISO code or name).")],
    email: Annotated[str | None, typer.Option(help="Focal point's e-mail.")] = None,
    name: Annotated[str | None, typer.Option(help="Focal point's name.")] = None,
    institution: Annotated[str | None, typer.Option(help="Focal point's institution.")] = None,
    languages: Annotated[str | None, typer.Option(help="Comma-separated languages, first is default.")] = None,
) -> None:
    """Set a member's focal point or languages.

    Example: rcmmatrix members set GTM --email enlace@example.gt --name "Ana Pérez"
    """
    m = workspace().set_member(country, email=email, name=name, institution=institution, languages=languages)
    _stderr().print(f"{m.iso3} updated.")


# ------------------------------------------------------------------------------------------------ schema
@app.command()
@handle_errors
def schema(
    matrix: Annotated[str | None, typer.Option(help="Only this matrix (trafficking, smuggling, statistics).")] = None,
    lang: Annotated[str, typer.Option(help="Label language: es, en or fr.")] = "es",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="A schema TOML to check instead of the workspace's (or the bundled one)."),
    ] = None,
) -> None:
    """Print the matrix schema: indicators, types, required, Protocol refs, labels.

    Example: rcmmatrix schema --matrix smuggling --lang es
    """
    from .schema import load_schema, schema_rows

    if file is not None:
        s = load_schema(file)
    else:
        try:
            s = workspace().schema
        except RcmmatrixError:
            s = load_schema("rcm")
    rows = schema_rows(s, matrix, lang)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table(
        ["matrix", "group", "id", "type", "req.", "ref", "label"],
        [
            [r["matrix"], r["group"], r["id"], r["type"], "✓" if r["required"] else "", r["ref"], r["label"]]
            for r in rows
        ],
    )


# ------------------------------------------------------------------------------------------------ ingest
PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (searched for .xlsx .xlsm .xls .ods .csv).")]
RoundOpt = Annotated[str | None, typer.Option("--round", help="Round (default: the workbook's, else the latest).")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="Country, when the file does not say.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Language of messages: es or en (default: workspace's).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print results and issues as JSON on stdout.")]


@app.command()
@handle_errors
def ingest(
    paths: PathsArg,
    round_name: RoundOpt = None,
    country: CountryOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check everything, write nothing.")] = False,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    feedback: Annotated[
        Path | None, typer.Option("--feedback", help="Write an annotated copy of each file with problems here.")
    ] = None,
    received: Annotated[
        str | None, typer.Option("--received", help="Date the files were received, YYYY-MM-DD (default: now).")
    ] = None,
) -> None:
    """Read country workbooks, validate them, and store them with their history.

    Example: rcmmatrix ingest inbox/ --feedback outbox/feedback
    """
    _run_ingest(paths, round_name, country, dry_run, as_json, lang, feedback, parse_date(received))


@app.command()
@handle_errors
def validate(
    paths: PathsArg,
    round_name: RoundOpt = None,
    country: CountryOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Check country workbooks as ingest would, and write nothing.

    Example: rcmmatrix validate "Matriz Honduras 2017.xlsx"
    """
    _run_ingest(paths, round_name, country, True, as_json, lang, None, None)


def _run_ingest(
    paths: list[Path],
    round_name: str | None,
    country: str | None,
    dry_run: bool,
    as_json: bool,
    lang: str | None,
    feedback: Path | None,
    received: dt.date | None,
) -> None:
    from .ingest import ingest_files

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such file or folder: {missing[0]}", param_hint="PATHS")
    ws = workspace()
    lang = lang or ws.language
    with _progress() as progress:
        now = dt.datetime.combine(received, dt.time(12), tzinfo=dt.UTC) if received else None
        result = ingest_files(
            paths,
            ws,
            round_name=round_name,
            country=country,
            dry_run=dry_run,
            progress=progress,
            feedback_dir=feedback,
            now=now,
        )
    if as_json:
        typer.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        _print_ingest(result, lang)
    raise typer.Exit(Exit.OK if result.ok else Exit.DATA_PROBLEMS)


class _progress:
    """A progress bar on stderr for runs of 5 files or more, only when stderr is a terminal. The library reports
    (n, total, path) as it goes; the bar starts on the first report, so the CLI never lists the files itself."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int, Path], None] | None:
        return self.update if sys.stderr.isatty() else None

    def update(self, n: int, total: int, path: Path) -> None:
        if total < 5:
            return
        if self.bar is None:
            from rich.progress import Progress

            self.bar = Progress(console=_stderr(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("ingest", total=total)
        self.bar.update(self.task, completed=n, description=path.name[:40])

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_ingest(result: Any, lang: str) -> None:
    from rich.markup import escape

    err = _stderr()
    for f in result.files:
        for issue in f.issues:
            colour = "red" if issue.is_error else "yellow"
            err.print(f"[{colour}]{escape(issue.render(lang))}[/]")
    status_words = STATUS_WORDS.get(lang, STATUS_WORDS["en"])
    _table(
        [*HEADERS.get(lang, HEADERS["en"])],
        [
            [
                str(f.path.name),
                f.country or "?",
                ", ".join(f.datasets) or "-",
                _status_text(f.status, f.previous, result.dry_run, status_words),
                str(f.errors),
                str(f.warnings),
            ]
            for f in result.files
        ],
    )


def _status_text(status: str, previous: str | None, dry_run: bool, words: dict[str, str]) -> str:
    if status == "unchanged":
        return words["unchanged"] + (f" ({words.get(previous, previous)})" if previous else "")
    return words.get(("would-" if dry_run else "") + status, status)


HEADERS = {
    "es": ("archivo", "país", "matrices", "estado", "errores", "avisos"),
    "en": ("file", "country", "matrices", "status", "errors", "warnings"),
}
STATUS_WORDS = {
    "es": {
        "accepted": "aceptado",
        "rejected": "rechazado",
        "unchanged": "sin cambios",
        "superseded": "reemplazado",
        "would-accepted": "se aceptaría",
        "would-rejected": "se rechazaría",
    },
    "en": {
        "accepted": "accepted",
        "rejected": "rejected",
        "unchanged": "unchanged",
        "superseded": "superseded",
        "would-accepted": "would be accepted",
        "would-rejected": "would be rejected",
    },
}


@app.command()
@handle_errors
def history(
    country: Annotated[str, typer.Argument(help="Member (ISO code or name).")],
    round_name: Annotated[str | None, typer.Option("--round", help="Only this round.")] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """List a country's submissions: file, matrix, status, date received, errors and warnings.

    Example: rcmmatrix history GTM --round 2017
    """
    from .ingest import history_rows

    ws = workspace()
    rows = history_rows(ws, country, round_name)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    words = STATUS_WORDS.get(lang or ws.language, STATUS_WORDS["en"])
    _table(
        ["id", "round", "matrix", "file", "received", "status", "errors", "warnings"],
        [
            [
                r["id"],
                r["round"] or "",
                r["dataset"] or "-",
                r["file"],
                r["received_at"],
                words.get(r["status"], r["status"]),
                r["errors"],
                r["warnings"],
            ]
            for r in rows
        ],
    )


# ------------------------------------------------------------------------------------------------ template
@app.command()
@handle_errors
def template(
    country: Annotated[str | None, typer.Argument(help="Member (ISO code or name); omit with --all.")] = None,
    all_members: Annotated[bool, typer.Option("--all", help="One workbook per member, each in its language.")] = False,
    round_name: Annotated[str | None, typer.Option("--round", help="Round (default: the latest).")] = None,
    matrix: Annotated[str, typer.Option(help="trafficking, smuggling, statistics or all.")] = "all",
    lang: Annotated[str | None, typer.Option(help="es, en or fr (default: the member's first language).")] = None,
    blank: Annotated[bool, typer.Option("--blank", help="Do not pre-fill last round's answers.")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (one member) or folder.")] = None,
) -> None:
    """The fill-in workbook for a member: drop-downs, its language, last round's answers pre-filled.

    Example: rcmmatrix template --all -o outbox/
    """
    from .template import write_templates

    ws = workspace()
    if all_members == (country is not None):
        raise typer.BadParameter("name one COUNTRY or use --all")
    countries = [m.iso3 for m in ws.members] if all_members else [country or ""]
    for path in write_templates(ws, countries, output or Path("."), round_name, matrix, lang, blank):
        _stderr().print(f"wrote {path}")


# ------------------------------------------------------------------------------------------------ compare
@app.command()
@handle_errors
def compare(
    output: Annotated[
        list[Path],
        typer.Option(
            "-o",
            "--output",
            help="File to write; the format comes from the extension: .xlsx .html .csv .json (repeat for several).",
        ),
    ],
    matrix: Annotated[str, typer.Option(help="trafficking, smuggling or all.")] = "all",
    round_name: Annotated[str | None, typer.Option("--round", help="Round (default: the latest).")] = None,
    countries: Annotated[str | None, typer.Option(help="Comma-separated members (default: all).")] = None,
    groups: Annotated[str | None, typer.Option(help="Comma-separated indicator groups (default: all).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the matrices: es or en.")] = "es",
    since: Annotated[str | None, typer.Option(help="Mark what changed since this round.")] = None,
    with_scores: Annotated[
        bool, typer.Option("--scores", help="Add a row with each country's compliance score.")
    ] = False,
) -> None:
    """Comparative matrices (indicators x countries) to Excel, HTML, CSV or JSON.

    Example: rcmmatrix compare --matrix all --lang es --since 2016 -o matrices.xlsx -o matrices.html
    """
    from .compare import compare as run_compare

    written = run_compare(
        workspace(), output, [matrix], round_name, _split(countries), _split(groups), lang, since, scores=with_scores
    )
    for path in written:
        _stderr().print(f"wrote {path}")


def _split(text: str | None) -> list[str] | None:
    return [x.strip() for x in text.split(",") if x.strip()] if text else None


# ------------------------------------------------------------------------------------------------ scores
@app.command()
@handle_errors
def scores(
    output: Annotated[list[Path], typer.Option("-o", "--output", help="File(s): .xlsx .html .csv .json.")],
    matrix: Annotated[str, typer.Option(help="trafficking, smuggling or all.")] = "all",
    round_name: Annotated[str | None, typer.Option("--round", help="Round (default: the latest).")] = None,
    since: Annotated[str | None, typer.Option(help="Show the change since this round.")] = None,
    lang: Annotated[str, typer.Option(help="es or en.")] = "es",
) -> None:
    """Protocol compliance indicators per country and group, derived from the matrices (a monitoring aid).

    Example: rcmmatrix scores --since 2016 -o cumplimiento_2017.xlsx -o cumplimiento_2017.html
    """
    from .scores import write_scores

    for path in write_scores(workspace(), output, [matrix], round_name, since, lang):
        _stderr().print(f"wrote {path}")


# ------------------------------------------------------------------------------------------------ stats
stats_app = typer.Typer(
    help="Statistics: country figures beside UNODC's, tables and charts.", invoke_without_command=True
)
app.add_typer(stats_app, name="stats")


@stats_app.callback()
@handle_errors
def stats(
    ctx: typer.Context,
    output: Annotated[
        list[Path] | None, typer.Option("-o", "--output", help="File(s) to write: .xlsx .html .csv .json.")
    ] = None,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", help="Only these indicators (repeat).")] = None,
    years: Annotated[str | None, typer.Option(help="Year range, e.g. 2015-2021.")] = None,
    source: Annotated[str, typer.Option(help="country, unodc or both.")] = "country",
    lang: Annotated[str, typer.Option(help="es or en.")] = "es",
) -> None:
    """Country x year tables per indicator, with charts; with --source both, where the figures differ.

    Example: rcmmatrix stats --source both --years 2015-2021 -o estadisticas.html -o estadisticas.xlsx
    """
    if ctx.invoked_subcommand is not None:
        return
    if not output:
        raise typer.BadParameter("say where to write: -o estadisticas.html (or .xlsx, .csv, .json)", param_hint="-o")
    from .stats import write_stats

    for path in write_stats(workspace(), output, indicator, years, source, lang):
        _stderr().print(f"wrote {path}")


@stats_app.command("import-unodc")
@handle_errors
def stats_import_unodc(
    file: Annotated[Path, typer.Argument(help="UNODC GLOTIP country data (data_glotip.xlsx).")],
    as_json: JsonOpt = False,
) -> None:
    """Load UNODC's GLOTIP figures for the workspace's members as a reference source.

    Example: rcmmatrix stats import-unodc ../shared/data/data_glotip.xlsx
    """
    from .stats import import_unodc

    report = import_unodc(workspace(), file)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    err = _stderr()
    err.print(
        f"{report.imported} UNODC figures imported for {len(report.by_country)} members "
        f"({report.rows_read} rows read, {report.not_members} for non-members)."
    )
    if report.unmapped:
        _table(["not mapped", "rows"], [[k, v] for k, v in report.unmapped.most_common()], title="Rows not imported")


# ------------------------------------------------------------------------------------------------ gaps
@app.command()
@handle_errors
def gaps(
    round_name: Annotated[str | None, typer.Option("--round", help="Round (default: the latest).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Report date, YYYY-MM-DD (default: today).")] = None,
    matrix: Annotated[list[str] | None, typer.Option("--matrix", help="Only these matrices/datasets (repeat).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when any member still owes something.")] = False,
    reminders: Annotated[
        Path | None, typer.Option("--reminders", help="Write reminder letters (.eml, .txt) here.")
    ] = None,
    acknowledge: Annotated[
        bool,
        typer.Option(
            "--acknowledge", help="With --reminders: write receipt acknowledgements for accepted submissions instead."
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Who has not submitted, who is late, what is incomplete; reporting rates; reminder letters.

    Example: rcmmatrix gaps --as-of 2017-07-22 --reminders outbox/reminders
    """
    from .gaps import GAP_COLUMNS, RATE_COLUMNS, find_gaps

    ws = workspace()
    lang = lang or ws.language
    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter("choose table, csv or json", param_hint="--format")
    report = find_gaps(ws, round_name, parse_date(as_of), matrix)
    fmt = "json" if as_json else fmt
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        report.write_csv(sys.stdout)
    else:
        title = f"round {report.round.name}, as of {report.as_of.isoformat()}"
        _table(GAP_COLUMNS, report.table_rows(lang), title=title)
        _table(RATE_COLUMNS, report.rate_rows())
    if reminders is not None:
        from .letters import write_letters

        run = write_letters(ws, report, reminders, acknowledge=acknowledge)
        for iso3 in run.without_address:
            _stderr().print(
                f"[yellow]warning:[/] {iso3} has no focal-point e-mail; its letter has no To: "
                f"(set one with `rcmmatrix members set {iso3} --email …`)"
            )
        _stderr().print(f"{len(run.letters)} letters written to {reminders} (index: {run.index.name}).")
    if check and report.owed:
        raise typer.Exit(Exit.DATA_PROBLEMS)


def _table(columns: list[str], rows: list[list[Any]], title: str | None = None) -> None:
    """A Rich table in a terminal; plain aligned text when stdout is a pipe or a file (and Rich is not imported)."""
    if not sys.stdout.isatty():
        typer.echo(plain_table(columns, rows, title))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(*columns, title=title, show_lines=False)
    for row in rows:
        table.add_row(*(escape(str(c)) for c in row))
    _stdout().print(table)


def plain_table(columns: list[str], rows: list[list[Any]], title: str | None = None) -> str:
    cells = [[str(c) for c in columns], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = [title] if title else []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run() -> None:  # pragma: no cover - console entry used by `python -m rcmmatrix`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
