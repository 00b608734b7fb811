from __future__ import annotations

import os
import stat

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

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
    engine = make_engine(empty_db_url)
    try:
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
    finally:
        engine.dispose()


def test_every_revision_can_be_reached_and_left(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        for revision in REVISIONS:
            upgrade(engine, revision)
        for revision in reversed(REVISIONS[:-1]):
            downgrade(engine, revision)
        downgrade(engine, "base")
    finally:
        engine.dispose()


def test_new_sqlite_file_is_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "private.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect():
        pass
    engine.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
