"""0031: a CHECK that a column holds one of a list is written as equalities joined by OR (SQLite
built an IN list's lookup table for every row it checked). On SQLite the stored CREATE TABLE
text is edited in place, no row copied; where the schema cannot be written, the tables are
rebuilt. On both databases the rows stay and the checks still refuse what they refused."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import CheckConstraint, Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from tests.support import engine_at
from volmify_cli.migrations import sqlite_tables
from volmify_cli.migrations.runner import downgrade, upgrade
from volmify_cli.models import load_all

BEFORE, AFTER = "0030_item_plan_of_its_variant", "0031_enum_checks_as_equalities"
METADATA = load_all()
CHECKS = [
    (table.name, constraint.name, str(constraint.sqltext))
    for table in METADATA.sorted_tables
    for constraint in table.constraints
    if isinstance(constraint, CheckConstraint)
]


def test_no_check_of_the_models_lists_values_with_in() -> None:
    """The models' CHECKs are what 0031 made them: an `IN (...)` costs SQLite 2 us a row."""
    assert [(table, name) for table, name, sql in CHECKS if " IN (" in sql.upper()] == []
    assert any(" OR status = 'refunded'" in sql for _table, _name, sql in CHECKS)


def stored_checks(engine: Engine) -> dict[tuple[str, str], str]:
    """(table, constraint) -> its condition as the database holds it."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found: dict[tuple[str, str], str] = {}
            for table, sql in connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            ):
                for named in re.finditer(r"CONSTRAINT (\w+) CHECK \(", sql or ""):
                    found[(table, named.group(1))] = _parenthesized(sql, named.end())
            return found
        rows = connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'c'"
                " AND connamespace = 'public'::regnamespace"
            )
        )
        return {(table, name): definition for table, name, definition in rows}


def _parenthesized(sql: str, start: int) -> str:
    """The text from `start` to the parenthesis that closes the one just before it."""
    depth = 1
    for at in range(start, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[at], 0)
        if depth == 0:
            return sql[start:at]
    raise AssertionError(f"unbalanced CHECK in {sql!r}")


def seed(engine: Engine) -> uuid.UUID:
    """An org with a course product: rows under checks that 0031 rewrites."""
    org, product = uuid.uuid4(), uuid.uuid4()
    ids: Any = (org.hex, product.hex) if engine.dialect.name == "sqlite" else (org, product)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO org (id, slug, name, default_locale_key, default_currency_code,"
                " status, created_at, updated_at) VALUES (:org, 'acme', 'Acme', 'en-US', 'USD',"
                " 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"org": ids[0]},
        )
        connection.execute(
            text(
                "INSERT INTO org_product (org_id, id, slug, type, status, created_at,"
                " updated_at) VALUES (:org, :id, 'python-101', 'course', 'active',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"org": ids[0], "id": ids[1]},
        )
    return org


def refuses_a_bad_value(engine: Engine) -> bool:
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE org_product SET status = 'sold_out'"))
    except IntegrityError as refused:
        return "ck_org_product_status_valid" in str(refused)
    return False


def test_upgrade_writes_every_check_as_the_models_do_and_keeps_the_rows(
    empty_db_url: str,
) -> None:
    with engine_at(empty_db_url, create=True) as engine:
        upgrade(engine, BEFORE)
        seed(engine)
        before = stored_checks(engine)
        upgrade(engine, AFTER)
        after = stored_checks(engine)
        assert set(after) == set(before)  # no check lost or added
        rewritten = {key for key in after if after[key] != before[key]}
        assert len(rewritten) == 38
        models = {(table, name): sql for table, name, sql in CHECKS}
        assert set(models) <= set(after)
        if engine.dialect.name == "sqlite":  # the models' text exactly
            assert {key: after[key] for key in rewritten} == {key: models[key] for key in rewritten}
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        else:  # PostgreSQL writes its own text: no list of values left in any of them
            assert not [key for key in rewritten if "ANY (ARRAY" in after[key]]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT type FROM org_product")).scalar() == "course"
        assert refuses_a_bad_value(engine)
        downgrade(engine, BEFORE)
        assert stored_checks(engine) == before
        assert refuses_a_bad_value(engine)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_schema_sqlite_will_not_write_gets_its_tables_rebuilt(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build in defensive mode refuses to write sqlite_master: the tables are rebuilt from
    the same edited text, their rows copied."""

    def refused(_connection: Any, _table: str, _sql: str) -> None:
        raise OperationalError("UPDATE sqlite_master", (), Exception("may not be modified"))

    with engine_at(empty_db_url, create=True) as engine:
        upgrade(engine, BEFORE)
        seed(engine)
        monkeypatch.setattr(sqlite_tables, "write_stored_sql", refused)
        upgrade(engine, AFTER)
        stored = stored_checks(engine)
        for table, name, sql in CHECKS:
            if " OR " in sql and " = '" in sql:
                assert stored[(table, name)] == sql
        with engine.connect() as connection:
            assert connection.execute(text("SELECT slug FROM org_product")).scalar() == "python-101"
        assert refuses_a_bad_value(engine)
