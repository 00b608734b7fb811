"""The SQLite file: a damaged one is exit 4 naming it, and a missing one is never created by a
command that only reads (or by any command but `db upgrade`), whichever path the command takes
(the engine, the report commands' direct driver path, a write)."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from tests.support import Cli

COMMANDS = {
    "read (engine)": ["orgs", "list"],
    "read (direct)": ["revenue", "report", "--org", "acme"],
    "write": ["orgs", "create", "initech", "--name", "Initech"],
    "status": ["db", "status"],
}


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "pages overwritten":
        for offset in range(8192, len(data) - 300, 4096):
            data[offset + 100 : offset + 300] = bytes(range(200))
        path.write_bytes(bytes(data))
    else:  # not a database at all
        path.write_bytes(b"name,amount\nnot,a database\n" * 2000)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    path = tmp_path / "volmify.db"
    cli = Cli(f"sqlite:///{path}")
    cli.ok("db", "upgrade")
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    with closing(sqlite3.connect(path)) as connection:  # every page in the file itself
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    return path


@pytest.mark.parametrize("how", ["truncated", "pages overwritten", "another file"])
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_a_damaged_sqlite_file_is_exit_4_naming_it(
    sqlite_db: Path, how: str, command: list[str]
) -> None:
    _damage(sqlite_db, how)
    result = Cli(f"sqlite:///{sqlite_db}").fails(4, *command)
    assert result.stderr.startswith(f"Error: not a volmify database or damaged: {sqlite_db}\n")
    assert "unexpected" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_a_mistyped_path_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo-dir" / "volmify.db"
    result = Cli(f"sqlite:///{missing}").fails(4, *command)
    assert result.stderr.startswith(f"Error: no database at {missing}")
    assert not missing.parent.exists()


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_a_missing_file_in_an_existing_directory_is_not_created(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "volmify.db"
    result = Cli(f"sqlite:///{missing}").fails(4, *command)
    assert result.stderr.startswith(f"Error: no database at {missing}\n")
    assert "db upgrade" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_db_upgrade_creates_a_private_file_but_no_directories(tmp_path: Path) -> None:
    missing_dir = tmp_path / "typo-dir" / "volmify.db"
    result = Cli(f"sqlite:///{missing_dir}").fails(4, "db", "upgrade")
    assert f"directory {missing_dir.parent} does not exist" in result.stderr
    assert not missing_dir.parent.exists()

    path = tmp_path / "new.db"
    status = Cli(f"sqlite:///{path}").json("db", "upgrade")
    assert status["up_to_date"] is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_embedded_default_is_still_created_on_first_use(hermetic_env: Path) -> None:
    orgs = Cli().json("orgs", "list")
    assert isinstance(orgs, list)
    assert (hermetic_env / "data" / "volmify.db").is_file()
