"""Alembic environment. The connection is always handed in by volmify (migrations/runner.py);
there is no alembic.ini and no URL here."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from volmify_cli.db.types import UTCDateTime

config = context.config
connection = config.attributes["connection"]
target_metadata = config.attributes.get("target_metadata")


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Revisions must not import live code: render the UTC type as its portable base type.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    render_item=render_item,
    compare_type=True,
    transaction_per_migration=False,
)

with context.begin_transaction():
    context.run_migrations()
