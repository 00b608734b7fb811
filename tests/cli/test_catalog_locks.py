"""One import per organization at a time: PostgreSQL's advisory lock (waits --lock-timeout, then
exit 1), SQLite's write lock (a second writer fails clearly after the busy timeout)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.support import Cli

ACME = Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml"


def test_a_second_import_of_the_org_waits_then_fails(cli: Cli, backend: str) -> None:
    url = cli.db_url or ""
    if backend == "postgresql":
        engine = create_engine(url)
        with engine.connect() as other, other.begin():
            other.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('volmify-catalog-import:acme'))")
            )
            result = cli.fails(1, "catalog", "import", str(ACME), "--lock-timeout", "0.3")
            assert "another import of org acme is running" in result.stderr
        engine.dispose()
    else:
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            result = cli.fails(1, "catalog", "import", str(ACME))
            assert "database is locked" in result.stderr
        finally:
            other.execute("ROLLBACK")
            other.close()
    cli.ok("catalog", "import", str(ACME))  # free again: the import goes through
    cli.fails(1, "catalog", "export", "--org", "nobody")
