"""Run the packaged Alembic migrations on an engine (`volmify db upgrade|downgrade|status`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData

from volmify_cli.db.fingerprints import HAS_TABLE, MIGRATING
from volmify_cli.errors import DatabaseError

SCRIPT_LOCATION = Path(__file__).parent


def _config(connection: Connection | None = None, metadata: MetaData | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    config.attributes["target_metadata"] = metadata
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for migrations. On SQLite, foreign keys are switched off before the
    transaction begins (the pragma is ignored inside one): batch migrations copy and move
    tables, and with foreign keys on, dropping a parent would cascade into its children.
    Integrity is checked with `PRAGMA foreign_key_check` before they are switched back on."""
    with engine.connect() as connection:
        connection.info[MIGRATING] = True  # the fingerprints' table may not exist yet
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection
        if sqlite:
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            yield connection
        finally:
            connection.info.pop(MIGRATING, None)
            connection.info.pop(HAS_TABLE, None)
            if sqlite:
                assert raw is not None
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()
                raw.execute("PRAGMA foreign_keys = ON")
                if broken:
                    raise DatabaseError(
                        f"migration left {len(broken)} rows with broken foreign keys "
                        f"(first: table {broken[0][0]})"
                    )


def upgrade(engine: Engine, revision: str = "head") -> list[str]:
    """Upgrade to `revision`; returns what the migrations had to say to the user (what a data
    conversion changed)."""
    with _migration_connection(engine) as connection:
        config = _config(connection)
        command.upgrade(config, revision)
    return list(config.attributes.get("notices", []))


def downgrade(engine: Engine, revision: str) -> None:
    with _migration_connection(engine) as connection:
        command.downgrade(_config(connection), revision)


def heads() -> list[str]:
    return list(script_directory().get_heads())
