"""The direct driver reader of the report commands, on both databases: read-only, one snapshot,
any number of ids, the schema revision read without SQLAlchemy, and the URLs it leaves to the
engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from volmify_cli.db import direct
from volmify_cli.db.engine import make_engine
from volmify_cli.db.schema import current_revision_direct
from volmify_cli.migrations.head import HEAD


def open_reader(url: str) -> direct.DirectReader:
    reader = direct.connect(url)
    assert reader is not None, url
    return reader


def test_the_reader_refuses_to_write(db_url: str) -> None:
    reader = open_reader(db_url)
    try:
        with pytest.raises(Exception, match=r"(?i)read.only|readonly"):
            reader.rows("DELETE FROM currency")
    finally:
        reader.close()
    engine = make_engine(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM currency")).scalar() == 164
    engine.dispose()


def test_the_reader_sees_one_snapshot_while_another_connection_commits(db_url: str) -> None:
    """A statement's several queries agree with each other while an import commits."""
    reader = open_reader(db_url)
    engine = make_engine(db_url)
    try:
        assert reader.first("SELECT name FROM currency WHERE code = ?", ["USD"]) != ("Changed",)
        with engine.begin() as connection:
            connection.execute(text("UPDATE currency SET name = 'Changed' WHERE code = 'USD'"))
        assert reader.first("SELECT name FROM currency WHERE code = ?", ["USD"]) != ("Changed",)
    finally:
        reader.close()
        engine.dispose()
    later = open_reader(db_url)
    try:
        assert later.first("SELECT name FROM currency WHERE code = ?", ["USD"]) == ("Changed",)
    finally:
        later.close()


def test_rows_in_takes_more_ids_than_one_statement_binds(db_url: str) -> None:
    reader = open_reader(db_url)
    try:
        codes = [code for (code,) in reader.rows("SELECT code FROM currency")]
        wanted = [*codes, *(f"Q{n:04d}" for n in range(3 * direct.IN_CHUNK))]  # 4 chunks
        found = reader.rows_in("SELECT code FROM currency WHERE code IN ({})", [], wanted)
        assert sorted(code for (code,) in found) == sorted(codes)
        assert reader.rows_in("SELECT code FROM currency WHERE code IN ({})", [], []) == []
    finally:
        reader.close()


def test_the_schema_revision_is_read_through_the_driver(db_url: str, empty_db_url: str) -> None:
    reader = open_reader(db_url)
    try:
        assert current_revision_direct(reader) == HEAD
    finally:
        reader.close()
    empty = direct.connect(empty_db_url)
    if empty is None:  # an empty SQLite database may not exist as a file yet: the engine's job
        assert empty_db_url.startswith("sqlite")
        return
    try:
        assert current_revision_direct(empty) is None
    finally:
        empty.close()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///{missing}",
        "sqlite:///{file}?timeout=3",
    ],
)
def test_urls_the_driver_is_not_given_directly_are_left_to_the_engine(
    url: str, tmp_path: Path
) -> None:
    existing = tmp_path / "there.db"
    existing.touch()
    resolved = url.format(missing=tmp_path / "missing.db", file=existing)
    assert direct.connect(resolved) is None
    assert not (tmp_path / "missing.db").exists()  # and nothing was created on the way


def test_a_reader_inside_a_session_works_in_its_transaction(session: Session) -> None:
    session.execute(
        text("UPDATE currency SET name = 'Changed' WHERE code = 'USD'")
    )  # inside the test's transaction, rolled back afterwards
    reader = direct.reader_of(session)
    assert reader.first("SELECT name FROM currency WHERE code = ?", ["USD"]) == ("Changed",)
    reader.close()  # the session keeps its connection
    assert session.execute(text("SELECT 1")).scalar() == 1


def test_postgresql_connections_name_volmify_unless_the_url_says_otherwise(
    backend: str, db_url: str
) -> None:
    """Our libpq defaults (application name, connect timeout) never override the URL's own
    options, on the engine or on the driver path."""
    if backend != "postgresql":
        pytest.skip("libpq options")
    name = "SELECT current_setting('application_name')"
    for url, expected in ((db_url, "volmify"), (f"{db_url}?application_name=nightly", "nightly")):
        reader = open_reader(url)
        try:
            assert reader.first(name) == (expected,)
        finally:
            reader.close()
        engine = make_engine(url)
        with engine.connect() as connection:
            assert connection.exec_driver_sql(name).scalar() == expected
        engine.dispose()
