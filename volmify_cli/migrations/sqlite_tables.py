"""Changing a constraint of an existing SQLite table, which SQLite cannot ALTER.

A CHECK rewritten into the same condition is edited in place (`edit_in_place`). Otherwise the
table is rebuilt from its own stored CREATE TABLE text with one edit (a constraint clause
removed, added or changed), its rows copied and its indexes recreated from their stored text, so
every other constraint, partial index and CHECK stays exactly as it was. The runner switches
foreign keys off around migrations and runs `PRAGMA foreign_key_check` after them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from alembic import op
from sqlalchemy.exc import OperationalError


def rebuild_table(table: str, edit: Callable[[str], str]) -> None:
    """Rebuild `table` from `edit(its stored CREATE TABLE text)`."""
    connection = op.get_bind()
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    indexes = [
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL ORDER BY name",
            (table,),
        )
    ]
    new_sql = edit(sql)
    temporary = f"_rebuild_{table}"
    # SQLite stores the name as written, and quoted after an ALTER TABLE ... RENAME
    head = re.match(rf'CREATE TABLE ("?){re.escape(table)}\1 \(', new_sql)
    if head is None:
        raise RuntimeError(f"unexpected stored CREATE TABLE for {table}")
    connection.exec_driver_sql(f"CREATE TABLE {temporary} (" + new_sql[head.end() :])
    connection.exec_driver_sql(f"INSERT INTO {temporary} SELECT * FROM {table}")
    connection.exec_driver_sql(f"DROP TABLE {table}")
    connection.exec_driver_sql(f"ALTER TABLE {temporary} RENAME TO {table}")
    for index in indexes:
        connection.exec_driver_sql(index)


def replace_once(sql: str, old: str, new: str) -> str:
    """`sql` with the one occurrence of `old` replaced; an error when there is not exactly one
    (the stored text is not what the migration expects)."""
    count = sql.count(old)
    if count != 1:
        raise RuntimeError(f"expected one {old!r} in the stored CREATE TABLE, found {count}")
    return sql.replace(old, new)


def with_clauses(sql: str, *clauses: str) -> str:
    """`sql` (a stored CREATE TABLE) with `clauses` added after its last one, each on its own
    line, as SQLAlchemy writes a table's constraints."""
    body, closing = sql.rstrip().rsplit(")", 1)
    return body.rstrip() + "".join(f", \n\t{clause}" for clause in clauses) + f"\n){closing}"


def without_clauses(sql: str, *clauses: str) -> str:
    """`sql` without `clauses`, each written as `with_clauses` (or SQLAlchemy) wrote it; an error
    when one is not there exactly once."""
    for clause in clauses:
        sql = replace_once(sql, f", \n\t{clause}", "")
    return sql


def edit_in_place(table: str, edit: Callable[[str], str]) -> None:
    """Give `table` the stored CREATE TABLE text `edit(its text)` without copying a row: SQLite's
    own procedure for a change that leaves every stored row as it is, such as a CHECK
    (https://sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes": the
    text is written under `writable_schema` and `schema_version` is raised, so every connection
    reads the schema again). Only for an edit that the existing rows satisfy as they did (a
    CHECK rewritten into the same condition): nothing is checked against them. Where the build
    refuses to write its schema (SQLITE_DBCONFIG_DEFENSIVE), the table is rebuilt instead."""
    connection = op.get_bind()
    stored = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    new_sql = edit(stored)
    if new_sql == stored:
        return
    (version,) = connection.exec_driver_sql("PRAGMA schema_version").one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        write_stored_sql(connection, table, new_sql)
    except OperationalError:  # "table sqlite_master may not be modified": a defensive build
        connection.exec_driver_sql("PRAGMA writable_schema = OFF")
        rebuild_table(table, edit)
        return
    connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")
    # read the schema again now: a text SQLite cannot parse fails here, inside the migration's
    # transaction, which takes the edit back
    connection.exec_driver_sql(f'SELECT * FROM "{table}" LIMIT 0').close()


def write_stored_sql(connection: Any, table: str, sql: str) -> None:
    """Store `sql` as `table`'s CREATE TABLE text (under `writable_schema`). Raises
    OperationalError where the build refuses (defensive mode)."""
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, table)
    )
