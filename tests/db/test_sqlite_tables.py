"""The edits migrations make to SQLite's stored CREATE TABLE text (migrations/sqlite_tables.py):
a clause added goes after the last one as SQLAlchemy writes it, a WITHOUT ROWID tail is kept,
and removing what was added gives back the text; a clause that is not there stops the edit."""

from __future__ import annotations

import sqlite3

import pytest

from volmify_cli.migrations.sqlite_tables import with_clauses, without_clauses

STORED = "CREATE TABLE t (\n\tid CHAR(32) NOT NULL, \n\tCONSTRAINT pk_t PRIMARY KEY (id)\n)"
UNIQUE = "CONSTRAINT uq_t_id UNIQUE (id)"
CHECK = "CONSTRAINT ck_t_id CHECK (length(id) = 32)"


def test_added_clauses_follow_the_last_one_and_the_text_still_creates_the_table() -> None:
    edited = with_clauses(STORED, UNIQUE, CHECK)
    assert edited == (
        "CREATE TABLE t (\n\tid CHAR(32) NOT NULL, \n\tCONSTRAINT pk_t PRIMARY KEY (id), "
        f"\n\t{UNIQUE}, \n\t{CHECK}\n)"
    )
    connection = sqlite3.connect(":memory:")
    connection.execute(edited)
    with pytest.raises(sqlite3.IntegrityError, match="ck_t_id"):
        connection.execute("INSERT INTO t VALUES ('short')")


def test_removing_what_was_added_gives_back_the_stored_text() -> None:
    assert without_clauses(with_clauses(STORED, UNIQUE, CHECK), CHECK, UNIQUE) == STORED


def test_a_without_rowid_table_keeps_its_tail() -> None:
    stored = STORED + " WITHOUT ROWID"
    assert with_clauses(stored, UNIQUE).endswith(f"\n\t{UNIQUE}\n) WITHOUT ROWID")


def test_a_clause_that_is_not_there_stops_the_edit() -> None:
    with pytest.raises(RuntimeError, match="expected one"):
        without_clauses(STORED, UNIQUE)
