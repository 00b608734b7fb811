"""Faults (issue 9): an import killed or cut off half-way leaves the database as it was, and a
database that cannot be used is exit 4 with one clear line.

The kills are aimed, not timed: the test waits until the import is writing (PostgreSQL: its
backend runs an INSERT or COPY; SQLite: the uncommitted pages spill into the WAL file), then
kills the process with SIGKILL (or cuts the connection with pg_terminate_backend), and compares
the counts and the export with what they were before.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench._sales_world import build_world, write_sales
from bench.catalog_data import catalog_text
from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.db.errors import translate_db_error
from volmify_cli.errors import DatabaseError

CATALOG_TABLES = ("org_product", "org_product_variant", "org_product_variant_payment_plan")
LEDGER_TABLES = ("org_order", "org_order_item", "org_order_item_allocation")
WRITING = r"^\s*(INSERT|COPY|UPDATE|DELETE)"


def counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in tables
            }
    finally:
        engine.dispose()


def start(url: str, *args: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "volmify_cli", "--db", url, *args, "--format", "json"]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None:
            _out, err = process.communicate()
            pytest.fail(f"the import ended (exit {process.returncode}) before {what}: {err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.02)


def writing(backend: str, url: str) -> Callable[[], bool]:
    """True once the import is in its write phase, with rows written but not committed."""
    if backend == "postgresql":
        engine = create_engine(url)
        database = url.rpartition("/")[2]
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = :db"
            " AND application_name = 'volmify' AND state = 'active' AND query ~* :writing"
        )

        def active() -> bool:
            with engine.connect() as connection:
                found = connection.execute(query, {"db": database, "writing": WRITING})
                return bool(found.scalar_one())

        return active
    wal = Path(url.removeprefix("sqlite:///") + "-wal")
    checkpoint = sqlite3.connect(url.removeprefix("sqlite:///"))
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    return lambda: wal.exists() and wal.stat().st_size > 1_000_000


def cut_off(backend: str, url: str, process: subprocess.Popen[str], how: str) -> tuple[int, str]:
    if how == "kill":
        os.kill(process.pid, signal.SIGKILL)
    else:
        assert backend == "postgresql"
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :db AND application_name = 'volmify'"
                ),
                {"db": url.rpartition("/")[2]},
            )
        engine.dispose()
    _out, err = process.communicate(timeout=120)
    if backend == "postgresql":
        gone(url)  # the server may still be running the dead client's statement
    return process.returncode, err


def gone(url: str) -> None:
    """Wait until no volmify backend is busy on the database (a killed client's backend runs
    its statement to the end, and would look like the next import writing)."""
    engine = create_engine(url)
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :db"
        " AND application_name = 'volmify' AND state <> 'idle'"
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if not connection.execute(query, {"db": url.rpartition("/")[2]}).scalar_one():
                    return
            time.sleep(0.05)
        pytest.fail("a killed import's backend is still busy after 2 minutes")
    finally:
        engine.dispose()


def ways_to_cut(backend: str) -> list[str]:
    return ["kill", "terminate"] if backend == "postgresql" else ["kill"]


def test_a_catalog_import_cut_off_half_way_changes_nothing(
    cli: Cli, backend: str, tmp_path: Path
) -> None:
    url = cli.db_url or ""
    small = tmp_path / "small.yaml"
    small.write_text(catalog_text(40), encoding="utf-8")
    cli.ok("catalog", "import", str(small))
    before = counts(url, CATALOG_TABLES)
    export = cli.ok("catalog", "export", "--org", "bench").stdout
    # the same 40 products changed, and 2,960 more
    large = tmp_path / "large.yaml"
    large.write_text(catalog_text(3_000).replace("Everything about", "All about"), "utf-8")
    for how in ways_to_cut(backend):
        process = start(url, "catalog", "import", str(large))
        wait_until(writing(backend, url), process, "the import wrote")
        code, stderr = cut_off(backend, url, process, how)
        if how == "kill":
            assert code == -signal.SIGKILL
        else:  # the connection was cut: one clear line, exit 4
            assert code == 4, stderr
            assert stderr.startswith("Error: lost the connection to the database")
            assert stderr.count("\n") == 1 and "Traceback" not in stderr
        assert counts(url, CATALOG_TABLES) == before, how
        assert cli.ok("catalog", "export", "--org", "bench").stdout == export, how
    # and nothing was left behind that stops the next import (locks, a half-written file)
    cli.ok("catalog", "import", str(large))
    assert counts(url, CATALOG_TABLES)["org_product"] == 3_000


def test_a_sales_import_cut_off_half_way_records_nothing(
    cli: Cli, backend: str, tmp_path: Path
) -> None:
    url = cli.db_url or ""
    engine = make_engine(url)
    build_world(engine)
    engine.dispose()
    sales = tmp_path / "sales.csv"
    write_sales(sales, 40_000)
    first = tmp_path / "first.csv"
    first.write_text("".join(sales.read_text("utf-8").splitlines(True)[:1_001]), "utf-8")
    cli.ok("sales", "import", str(first), "--org", "bench")
    before = counts(url, LEDGER_TABLES)
    report = cli.json("revenue", "report", "--org", "bench", "--by", "creator")
    for how in ways_to_cut(backend):
        process = start(url, "sales", "import", str(sales), "--org", "bench")
        wait_until(writing(backend, url), process, "the import wrote")
        code, stderr = cut_off(backend, url, process, how)
        if how == "kill":
            assert code == -signal.SIGKILL
        else:
            assert code == 4, stderr
            assert "Traceback" not in stderr
        assert counts(url, LEDGER_TABLES) == before, how
        assert cli.json("revenue", "report", "--org", "bench", "--by", "creator") == report
    read = cli.json("sales", "import", str(sales), "--org", "bench")
    assert (read["created"], read["unchanged"]) == (39_000, 1_000)


@pytest.fixture
def pg_url(backend: str, empty_db_url: str) -> str:
    if backend != "postgresql":
        pytest.skip("a server's roles and databases")
    return empty_db_url


def test_an_unknown_role_is_exit_4_in_one_line(pg_url: str) -> None:
    scheme, _, rest = pg_url.partition("://")
    url = f"{scheme}://volmify_no_such_role@{rest.partition('@')[2]}"
    result = Cli(url).fails(4, "orgs", "list")
    assert result.stderr.startswith("Error: cannot use the database")
    assert 'role "volmify_no_such_role" does not exist' in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_unknown_database_is_exit_4_in_one_line(pg_url: str) -> None:
    url = pg_url.rpartition("/")[0] + "/volmify_no_such_database"
    result = Cli(url).fails(4, "orgs", "list")
    assert 'database "volmify_no_such_database" does not exist' in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_database_without_the_schema_is_exit_4_naming_the_fix(empty_db_url: str) -> None:
    result = Cli(empty_db_url).fails(4, "orgs", "list")
    assert "volmify db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_password_is_a_database_error_with_the_password_masked() -> None:
    # The server here trusts every local connection, so the refusal is the driver's own error.
    from sqlalchemy.exc import OperationalError

    url = "postgresql+psycopg://bob:hunter2@db.example/volmify"
    refusal = OperationalError(
        "connect",
        {},
        Exception('connection failed: FATAL:  password authentication failed for user "bob"'),
    )
    error = translate_db_error(refusal, url)
    assert isinstance(error, DatabaseError)
    assert error.exit_code == 4
    assert "password authentication failed" in str(error)
    assert "hunter2" not in str(error) and "***" in str(error)


def test_a_wrong_password_met_by_the_driver_itself_is_masked_too() -> None:
    """The report commands connect without SQLAlchemy: psycopg's own error, not a wrapper."""
    import psycopg

    url = "postgresql+psycopg://bob:hunter2@db.example/volmify"
    refusal = psycopg.OperationalError(
        'connection failed: FATAL:  password authentication failed for user "bob" (hunter2)'
    )
    error = translate_db_error(refusal, url)
    assert isinstance(error, DatabaseError) and error.exit_code == 4
    assert "hunter2" not in str(error) and "***" in str(error)


@pytest.mark.parametrize(
    ("raised", "exit_code", "says"),
    [
        (sqlite3.OperationalError("no such table: org"), 4, "schema is incomplete"),
        (sqlite3.DatabaseError("file is not a database"), 4, "not a volmify database or damaged"),
        (sqlite3.DatabaseError("database disk image is malformed"), 4, "damaged: /tmp/volmify.db"),
        (sqlite3.OperationalError("database is locked"), 1, "database is locked"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: org.slug"), 1, "refused the change"),
    ],
)
def test_the_drivers_own_errors_are_translated_like_the_wrapped_ones(
    raised: Exception, exit_code: int, says: str
) -> None:
    error = translate_db_error(raised, "sqlite:////tmp/volmify.db")
    assert error is not None and error.exit_code == exit_code
    assert says in str(error)
    assert translate_db_error(sqlite3.ProgrammingError("a real bug"), None) is None
