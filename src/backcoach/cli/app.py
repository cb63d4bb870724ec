"""Typer commands: each reads a document, calls the engine, and prints a table or JSON.

The engine's commands start quickly: the web server, the database, the PDF and the pictures
(uvicorn, FastAPI, SQLAlchemy, Alembic, argon2, fpdf2, Pillow) are imported inside the commands
that use them (tests/integration/test_cli_startup.py keeps them out of `backcoach --help`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from backcoach.catalogue import default_catalogue
from backcoach.cli import handout, render
from backcoach.cli.attention_command import attention_app
from backcoach.cli.camera_command import camera_app
from backcoach.cli.coach_command import coach_app, practice_app
from backcoach.cli.export_command import export_app
from backcoach.cli.reminders_command import reminders_app
from backcoach.cli.serve_command import serve
from backcoach.cli.user_command import token_app, user_app
from backcoach.engine.catalogue import Catalogue, CatalogueError, UnknownExerciseError
from backcoach.engine.demo import DemoError
from backcoach.engine.log import SessionLog
from backcoach.engine.measures import INSTRUMENTS, MeasureError, score_instrument
from backcoach.engine.outcomes import summarise
from backcoach.engine.plan import Plan
from backcoach.engine.prescription import PrescriptionError, prescribe
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import AGE, PREGNANCY, ScreeningError, screen
from backcoach.engine.vocabulary import Category
from backcoach.formats.documents import InputError, parse_document, read_document
from backcoach.formats.history import read_history
from backcoach.formats.log import read_clearance, read_log
from backcoach.formats.plan import plan_document, read_plan
from backcoach.formats.profile import read_profile
from backcoach.formats.schemas import SCHEMAS, schema_for
from backcoach.wording.measure_words import with_words
from backcoach.wording.screening_words import screening_document

if TYPE_CHECKING:
    from backcoach.settings import Settings

app = typer.Typer(
    name="backcoach",
    help="A coach for low back pain: screen, measure, plan and adapt strengthening sessions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_BAD_INPUT = 2
_FAILURES = (
    InputError,
    CatalogueError,
    MeasureError,
    ScreeningError,
    PrescriptionError,
    UnknownExerciseError,
    DemoError,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
]
DocumentArg = Annotated[Path, typer.Argument(help="A JSON or YAML file, or - for standard input.")]


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Bad input ends with one line on standard error and exit code 2, never a traceback."""
    try:
        yield
    except _FAILURES as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _read(path: Path, what: str) -> Any:
    if str(path) == "-":
        return parse_document(sys.stdin.read(), what=what)
    return read_document(path, what=what)


def _out(
    data: dict[str, Any] | list[Any], fmt: OutputFormat, table: Callable[[Console], None]
) -> None:
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        table(Console(soft_wrap=False))


def _plan_and_log(
    plan_file: Path, log: Path, cat: Catalogue
) -> tuple[Plan, tuple[SessionLog, ...]]:
    return read_plan(_read(plan_file, "plan"), cat), read_log(_read(log, "log"), cat)


def _parse_date(value: str | None, option: str) -> date:
    if value is None:
        return date.today()  # the CLI is an edge: it may read the clock; the engine never does
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date written YYYY-MM-DD") from None


@app.command()
def catalogue(
    exercise_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="One exercise.")] = None,
    category: Annotated[Category | None, typer.Option(help="Only this category.")] = None,
    fmt: FormatOption = OutputFormat.table,
    picture: Annotated[
        Path | None,
        typer.Option(
            help="Write the exercise's demonstration: .svg animated (or the strip with --strip), "
            ".png the strip of keyframes.",
        ),
    ] = None,
    strip: Annotated[
        bool, typer.Option("--strip", help="With --picture FILE.svg: the still strip instead.")
    ] = False,
    contact_sheet: Annotated[
        Path | None,
        typer.Option(
            help="Write every demonstration on one PNG and list the exercises lacking one."
        ),
    ] = None,
) -> None:
    """List the exercise catalogue, or show one exercise in full (or its demonstration)."""
    with _clean_errors():
        cat = default_catalogue()
        if contact_sheet is not None:
            from backcoach.cli import pictures

            typer.echo(pictures.write_contact_sheet(contact_sheet))
            return
        if (picture is not None or strip) and exercise_id is None:
            raise InputError("--picture and --strip need an exercise ID")
        if strip and picture is None:
            raise InputError("--strip goes with --picture FILE.svg")
        if exercise_id is not None and picture is not None:
            from backcoach.cli import pictures

            typer.echo(pictures.write_picture(exercise_id, picture, strip=strip))
            return
        if exercise_id is not None:
            exercise = cat.get(exercise_id)
            data: Any = render.exercise_dict(exercise)
            _out(data, fmt, lambda console: render.exercise_detail(console, exercise))
            return
        chosen = [e for e in cat.exercises if category is None or e.category is category]
        _out(
            [render.exercise_dict(e) for e in chosen],
            fmt,
            lambda console: render.catalogue_table(console, chosen),
        )


@app.command("screen")
def screen_command(answers: DocumentArg, fmt: FormatOption = OutputFormat.table) -> None:
    """Check the safety answers: a red flag means see a clinician first, with how urgently.

    Every question must be answered (age and pregnancy too); a missing one is "incomplete".
    """
    with _clean_errors():
        data = _read(answers, "answers")
        if isinstance(data, dict) and isinstance(data.get("red_flags"), dict):
            # A profile-shaped document: its flags, with its age and pregnancy beside them.
            data = {
                **data["red_flags"],
                **{key: data[key] for key in (AGE, PREGNANCY) if key in data},
            }
        if not isinstance(data, dict):
            raise InputError("answers: expected an object of red-flag id -> true/false")
        outcome = screen(data)
        _out(screening_document(outcome), fmt, lambda console: render.screening(console, outcome))


@app.command()
def score(
    instrument: Annotated[str, typer.Argument(help=f"One of: {', '.join(INSTRUMENTS)}.")],
    answers: DocumentArg,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Score a questionnaire: nprs, psfs, startback, odi (section scores) or rmdq (yes-count)."""
    with _clean_errors():
        data = _read(answers, "answers")
        if not isinstance(data, dict):
            raise InputError('answers: expected an object, e.g. {"score": 6}')
        result = with_words(score_instrument(instrument.lower(), data).to_dict())
        _out(result, fmt, lambda console: render.score(console, result))


@app.command()
def plan(
    profile: DocumentArg,
    start: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default today).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf",
            help="Also write the program as a printable handout, FILE.pdf (dated --start).",
        ),
    ] = None,
) -> None:
    """Build a program from a profile (screening first: a red flag refers instead)."""
    with _clean_errors():
        person = read_profile(_read(profile, "profile"))
        first_day = _parse_date(start, "--start")
        if pdf is not None:
            handout.check_pdf_path(pdf)
        result = prescribe(person, default_catalogue(), first_day)
        if pdf is not None:
            # Standard error, so standard output stays the table or the JSON.
            typer.echo(handout.write_handout(result, pdf, today=first_day), err=True)
        _out(plan_document(result), fmt, lambda console: render.plan(console, result))


@app.command("next")
def next_command(
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLAN", help="The current plan (JSON/YAML).")
    ],
    log: Annotated[Path, typer.Argument(help="The training log (JSON/YAML).")],
    today: Annotated[
        str | None, typer.Option(help="Decide as of this day (default today).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Decide the next session from the log: progress, hold, regress or swap, with reasons."""
    with _clean_errors():
        cat = default_catalogue()
        current = read_plan(_read(plan_file, "plan"), cat)
        document = _read(log, "log")
        sessions = read_log(document, cat)
        result = decide_next(
            current,
            sessions,
            _parse_date(today, "--today"),
            cat,
            cleared_on=read_clearance(document),
        )
        _out(plan_document(result), fmt, lambda console: render.plan(console, result))


@app.command()
def outcomes(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan (JSON/YAML).")],
    log: Annotated[Path, typer.Argument(help="The training log (JSON/YAML).")],
    history: Annotated[
        Path | None, typer.Option(help="Measure scores and tight moments (JSON/YAML).")
    ] = None,
    today: Annotated[str | None, typer.Option(help="As of this day (default today).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show whether the relief is real: adherence, pain trend, MCID reached, tight moments."""
    with _clean_errors():
        cat = default_catalogue()
        current, sessions = _plan_and_log(plan_file, log, cat)
        measures, moments = read_history(_read(history, "history")) if history else ([], [])
        report = summarise(
            schedule=current.schedule,
            sessions=sessions,
            measures=measures,
            tight_moments=moments,
            catalogue=cat,
            start=current.start,
            today=_parse_date(today, "--today"),
        )
        _out(report.to_dict(), fmt, lambda console: render.outcomes(console, report))


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SCHEMAS)}.")],
) -> None:
    """Print the JSON Schema of an input document."""
    with _clean_errors():
        typer.echo(json.dumps(schema_for(name), indent=2, ensure_ascii=False))


db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(coach_app, name="coach", no_args_is_help=True)
app.add_typer(practice_app, name="practice", no_args_is_help=True)
app.add_typer(attention_app, name="attention", no_args_is_help=True)
app.add_typer(user_app, name="user", no_args_is_help=True)
app.add_typer(token_app, name="token", no_args_is_help=True)
app.add_typer(export_app, name="export", no_args_is_help=True)
app.add_typer(reminders_app, name="reminders", no_args_is_help=True)
app.add_typer(camera_app, name="camera", no_args_is_help=True)
app.command()(serve)


def _settings(**overrides: Any) -> Settings:
    """The settings of a command that opens the database (whose default folder it makes)."""
    from pydantic import ValidationError

    from backcoach.settings import Settings, make_data_folder

    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        name = "BACKCOACH_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise InputError(f"{name}: {first['msg']}") from None
    try:
        make_data_folder(settings.database_url)
    except OSError as error:
        raise InputError(f"cannot make the data folder: {error}") from None
    _note_a_database_left_here(settings.database_url)
    return settings


def _note_a_database_left_here(database_url: str) -> None:
    """Older versions kept the database where they were started: say so rather than seem empty."""
    from backcoach.settings import DATABASE_FILE, data_folder, default_database_url

    left_here = Path(DATABASE_FILE).resolve()
    in_use = (data_folder() / DATABASE_FILE).resolve()
    if database_url == default_database_url() and left_here.is_file() and left_here != in_use:
        typer.echo(
            f"note: the database is {in_use}; {left_here} was an older backcoach's default: "
            "move it there, or set DATABASE_URL to use it (docs/settings.md)",
            err=True,
        )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (DATABASE_URL, default SQLite in the data folder)."""
    from backcoach.store.migrate import upgrade

    with _clean_errors():
        settings = _settings()
        upgrade(settings.database_url)
        typer.echo(f"database is up to date: {_safe_url(settings.database_url)}")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="The new backup file (it must not exist yet).")],
) -> None:
    """Copy the live database to FILE: SQLite's online backup, or pg_dump for PostgreSQL."""
    from backcoach.store import backup

    with _clean_errors():
        try:
            typer.echo(backup.backup(_settings().database_url, file))
        except backup.BackupError as error:
            raise InputError(str(error)) from None


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A file written by `backcoach db backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already has data.")
    ] = False,
) -> None:
    """Replace the database with a backup (stop the server first), then migrate it."""
    from backcoach.store import backup

    with _clean_errors():
        try:
            typer.echo(backup.restore(_settings().database_url, file, force=force))
        except backup.BackupError as error:
            raise InputError(str(error)) from None


@app.command("import")
def import_export(
    export_file: Annotated[
        Path, typer.Argument(metavar="EXPORT.json", help="A person's JSON export.")
    ],
    email: Annotated[
        str | None, typer.Option(help="The new account's email (default the export's).")
    ] = None,
) -> None:
    """Make an account from a person's export; its password is asked for, or read from stdin."""
    from sqlalchemy.exc import DBAPIError

    from backcoach.cli import import_command

    with _clean_errors():
        settings = _settings()
        try:
            lines = import_command.import_file(
                export_file=export_file, email=email, database_url=settings.database_url
            )
        except DBAPIError as error:
            raise InputError(_database_problem(settings.database_url, error)) from None
        typer.echo("\n".join(lines))


def _database_problem(url: str, error: BaseException) -> str:
    """One line naming why the database cannot be opened."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import DBAPIError

    where = _safe_url(url)
    if isinstance(error, FileNotFoundError) and make_url(url).get_backend_name() == "sqlite":
        folder = Path(make_url(url).database or ".").parent
        return f"cannot open the database {where}: the folder {folder} does not exist"
    cause = error.orig if isinstance(error, DBAPIError) else error
    first = next((line.strip() for line in str(cause).splitlines() if line.strip()), "")
    return f"cannot open the database {where}: {first or type(cause).__name__}"


def _safe_url(url: str) -> str:
    """The database URL without its password, for printing."""
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    app()
