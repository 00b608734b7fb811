"""The root command: start-up budget mechanism, errors, exit codes, masking, schema checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support import HELP_MUST_NOT_IMPORT, Cli, modules_imported_by
from volmify_cli import __version__
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.head import HEAD, REVISIONS
from volmify_cli.migrations.runner import upgrade


def test_help_does_not_import_the_database_stack_or_babel() -> None:
    stdout, heavy = modules_imported_by(["--help"], HELP_MUST_NOT_IMPORT)
    assert "Commands:" in stdout
    assert heavy == []


def test_version() -> None:
    result = Cli().run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"volmify {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    result = Cli().run("prodcuts")
    assert result.exit_code == 2
    assert "No such command 'prodcuts'. Did you mean 'products'?" in result.stderr
    singular = Cli().run("product", "list")
    assert "Did you mean 'products'?" in singular.stderr
    nothing_close = Cli().run("zzz")
    assert nothing_close.exit_code == 2 and "Did you mean" not in nothing_close.stderr


def test_root_options_work_after_the_verb_too(db_url: str) -> None:
    """--db, --debug and --no-input after the noun and verb, as the error hint suggests."""
    cli = Cli()  # no --db in front
    assert cli.run("orgs", "list", "--db", db_url, "--format", "json").exit_code == 0
    assert cli.run("orgs", "list", f"--db={db_url}", "--format", "json").exit_code == 0
    failed = cli.run("orgs", "show", "nope", "--db", db_url, "--debug")
    assert failed.exit_code == 1 and "Traceback" in failed.stderr  # --debug was read
    asked = cli.run("orgs", "delete", "nope", "--db", db_url, "--no-input")
    assert asked.exit_code in (1, 2) and "No such option" not in asked.stderr
    # after `--`, nothing moves: the value is the argument's
    assert "No such option" not in cli.run("orgs", "show", "--db", db_url, "--", "--debug").stderr


# An ordinary command through the engine, and a report through the driver alone.
READS = [["currencies", "list"], ["revenue", "report", "--org", "acme"]]


@pytest.mark.parametrize("command", [["db", "status"], READS[1]])
def test_unreachable_server_is_exit_4_with_the_password_masked(command: list[str]) -> None:
    url = "postgresql://bob:hunter2@127.0.0.1:9/nowhere?password=hunter2"
    result = Cli(url).run(*command)
    assert result.exit_code == 4
    assert "hunter2" not in result.stderr + result.stdout
    assert "***" in result.stderr
    assert result.stderr.startswith("Error: cannot use the database")
    assert "Traceback" not in result.stderr


def test_debug_traceback_is_scrubbed_too() -> None:
    url = "postgresql://bob:hunter2@127.0.0.1:9/nowhere"
    result = Cli(url).run("--debug", "db", "status")
    assert result.exit_code == 4
    assert "Traceback" in result.stderr
    assert "hunter2" not in result.stderr


def test_db_upgrade_then_status(empty_db_url: str) -> None:
    cli = Cli(empty_db_url)
    first = cli.json("db", "upgrade")
    again = cli.json("db", "upgrade")
    assert first["current"] == again["current"] == HEAD
    status = cli.json("db", "status")
    assert status == {**status, "up_to_date": True, "head": HEAD, "pending": []}


@pytest.mark.parametrize("command", READS)
@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://bob:hunter2@127.0.0.1:99999/db", "the port is not a number"),
        ("postgresql://bob:hunter2@127.0.0.1/db?bogus=1", "bogus"),
        ("postgresql://bob:hunter2@[::1/db", "invalid database URL"),
    ],
)
def test_a_connection_string_libpq_refuses_is_exit_4(
    command: list[str], url: str, says: str
) -> None:
    result = Cli(url).fails(4, *command)
    assert result.stderr.startswith("Error: invalid database URL")
    assert says in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", READS)
def test_non_default_database_behind_is_exit_4(empty_db_url: str, command: list[str]) -> None:
    engine = make_engine(empty_db_url, create=True)
    upgrade(engine, REVISIONS[0])
    engine.dispose()
    result = Cli(empty_db_url).fails(4, *command)
    assert "run `volmify db upgrade`" in result.stderr


@pytest.mark.parametrize("command", READS)
def test_unknown_newer_revision_is_exit_4(db_url: str, command: list[str]) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    result = Cli(db_url).fails(4, *command)
    assert "9999_future" in result.stderr


def test_a_database_without_the_schema_is_exit_4_for_a_report(empty_db_url: str) -> None:
    result = Cli(empty_db_url).fails(4, "revenue", "report", "--org", "acme")
    assert "run `volmify db upgrade`" in result.stderr


def test_a_report_prepares_the_embedded_default_first(hermetic_env: Path) -> None:
    """The driver path leaves a missing embedded database to the engine, which creates it
    privately and upgrades it; the next report reads it directly."""
    first = Cli().fails(1, "revenue", "report", "--all-orgs", "--creator", "jane-doe")
    assert "Preparing the local database" in first.stderr
    assert "instructor 'jane-doe' not found" in first.stderr
    database = hermetic_env / "data" / "volmify.db"
    assert database.stat().st_mode & 0o777 == 0o600
    second = Cli().fails(1, "revenue", "report", "--all-orgs", "--creator", "jane-doe")
    assert second.stderr.startswith("Error: instructor 'jane-doe' not found")


def test_embedded_default_is_created_private_and_upgraded(hermetic_env: Path) -> None:
    result = Cli().run("currencies", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Preparing the local database" in result.stderr
    codes = {row["code"]: row["minor_units"] for row in json.loads(result.stdout)}
    assert codes["KWD"] == 3
    database = hermetic_env / "data" / "volmify.db"
    assert database.exists()
    assert database.stat().st_mode & 0o777 == 0o600
    second = Cli().run("currencies", "list", "--format", "json")
    assert "Preparing" not in second.stderr


def test_format_defaults_to_json_when_piped_and_honours_table(db_url: str) -> None:
    cli = Cli(db_url)
    piped = cli.ok("currencies", "list", "--limit", "2")
    assert isinstance(json.loads(piped.stdout), list)
    table = cli.ok("currencies", "list", "--limit", "2", "--format", "table")
    assert "Minor units" in table.stdout
    assert "more were left out" in table.stderr


def test_csv_output_parses(db_url: str) -> None:
    result = Cli(db_url).ok("currencies", "list", "--format", "csv")
    header, *rows = result.stdout.splitlines()
    assert header == "code,name,numeric_code,minor_units,symbol"
    assert any(row.startswith("JPY,") and ",0," in row for row in rows)


def test_bad_format_is_a_usage_error(db_url: str) -> None:
    result = Cli(db_url).fails(2, "currencies", "list", "--format", "xml")
    assert "unknown format 'xml'" in result.stderr
