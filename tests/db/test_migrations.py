from __future__ import annotations

import os
import stat

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from tests.support import engine_at
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.head import HEAD, REVISIONS
from volmify_cli.migrations.runner import downgrade, script_directory, upgrade
from volmify_cli.models import load_all


def test_head_constants_match_the_revision_scripts() -> None:
    scripts = script_directory()
    assert list(scripts.get_heads()) == [HEAD]
    chain = [rev.revision for rev in scripts.walk_revisions("base", "heads")]
    assert tuple(reversed(chain)) == REVISIONS


def test_upgrade_downgrade_upgrade_and_no_drift(empty_db_url: str) -> None:
    with engine_at(empty_db_url, create=True) as engine:
        upgrade(engine)
        upgrade(engine)  # idempotent
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM currency")).scalar() >= 160
            minor = dict(connection.execute(text("SELECT code, minor_units FROM currency")).all())
            assert (minor["JPY"], minor["USD"], minor["KWD"], minor["IQD"], minor["CLF"]) == (
                0,
                2,
                3,
                3,
                4,
            )
            assert connection.execute(text("SELECT count(*) FROM country")).scalar() == 249
            assert (
                connection.execute(
                    text("SELECT direction FROM locale WHERE key = 'ar-EG'")
                ).scalar()
                == "rtl"
            )
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, load_all()) == []


def test_every_revision_can_be_reached_and_left(empty_db_url: str) -> None:
    with engine_at(empty_db_url, create=True) as engine:
        for revision in REVISIONS:
            upgrade(engine, revision)
        for revision in reversed(REVISIONS[:-1]):
            downgrade(engine, revision)
        downgrade(engine, "base")


def test_new_sqlite_file_is_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "private.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    with engine.connect():
        pass
    engine.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_upgrade_from_every_revision_keeps_the_data_already_there(empty_db_url: str) -> None:
    """Data written at each earlier revision survives the upgrades to head, and a downgrade
    that leaves its tables in place followed by an upgrade keeps it too."""
    engine = make_engine(empty_db_url, create=True)
    uuid_value = "0190f0f0f0f07000800000000000000a"
    sqlite = engine.dialect.name == "sqlite"
    user_id = (
        uuid_value
        if sqlite
        else f"{uuid_value[:8]}-{uuid_value[8:12]}-{uuid_value[12:16]}-{uuid_value[16:20]}-{uuid_value[20:]}"
    )
    writes = {
        "0001_reference": "INSERT INTO locale (key, english_name, native_name, direction, is_active,"
        " created_at, updated_at) VALUES ('tlh-XX', 'Test', 'Test', 'ltr', true,"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "0002_identity": 'INSERT INTO "user" (id, email, email_normalized, name, created_at,'
        f" updated_at) VALUES ('{user_id}', 'Keep@Example.org', 'keep@example.org', 'Keep',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "0003_orgs": "INSERT INTO org (id, slug, name, default_locale_key, default_currency_code,"
        f" status, created_by_user_id, created_at, updated_at) VALUES ('{user_id}', 'kept', 'Kept',"
        f" 'en-US', 'JPY', 'active', '{user_id}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    }
    checks = {
        "0001_reference": "SELECT count(*) FROM locale WHERE key = 'tlh-XX'",
        "0002_identity": "SELECT count(*) FROM \"user\" WHERE email_normalized = 'keep@example.org'",
        "0003_orgs": "SELECT count(*) FROM org WHERE slug = 'kept'",
    }
    try:
        for revision in REVISIONS:
            upgrade(engine, revision)
            if revision in writes:
                with engine.begin() as connection:
                    connection.execute(text(writes[revision]))

        def all_present() -> None:
            with engine.connect() as connection:
                for query in checks.values():
                    assert connection.execute(text(query)).scalar() == 1, query

        all_present()
        downgrade(engine, "0003_orgs")  # drops later tables only
        all_present()
        upgrade(engine)
        all_present()
    finally:
        engine.dispose()
