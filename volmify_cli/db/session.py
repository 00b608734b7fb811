"""One session scope per command: it commits once at the end or rolls back everything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from volmify_cli.db.engine import IMMEDIATE


@contextmanager
def session_scope(engine: Engine, *, write_lock: bool = False) -> Iterator[Session]:
    """Yield a session; commit when the block ends, roll back when it raises.

    `write_lock` takes SQLite's write lock at BEGIN (`BEGIN IMMEDIATE`), so a second writer
    waits for the busy timeout and then fails clearly instead of failing half-way through.
    """
    bind = engine.execution_options(**{IMMEDIATE: True}) if write_lock else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
