"""The bulk reader's scoped reads (`Bulk.select(where=...)`) give the scope's rows; on PostgreSQL
the cursor's plan is made with nested loops off (a scope's subqueries over tables a bulk load
just filled were planned as quadratic nested loops), a setting that must not outlive the read:
every later query of the session would be planned without them."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlmodel import Session

from tests import factories
from volmify_cli.db.bulk import Bulk


def _setting(session: Session) -> str:
    return str(session.connection().execute(text("SHOW enable_nestloop")).scalar_one())


def test_a_scoped_read_gives_the_scope_and_leaves_the_planner_as_it_was(
    session: Session, backend: str
) -> None:
    org = factories.make_org(session, "acme")
    for slug in ("one", "two", "three"):
        factories.make_product(session, org, slug)
    session.flush()
    db = Bulk(session)
    if backend == "postgresql":
        assert _setting(session) == "on"
    scope = ("slug IN (?, ?)", ("one", "three"))
    rows = db.select("org_product", ["slug"], org.id.hex, where=scope)
    first = next(rows)
    if backend == "postgresql":
        # the cursor is open: its plan was made, and the session's setting is back already
        assert _setting(session) == "on"
    slugs = sorted([first[0], *(row[0] for row in rows)])
    assert slugs == ["one", "three"]
    if backend == "postgresql":
        assert _setting(session) == "on"


def test_a_large_loads_page_cache_is_given_back_to_the_pooled_connection(
    session: Session, backend: str
) -> None:
    """`Bulk.page_cache` widens SQLite's cache for a load and puts it back afterwards, even
    when the load fails: the connection returns to the pool and serves later commands."""
    db = Bulk(session)
    if backend != "sqlite":
        with db.page_cache(64):  # PostgreSQL has no such setting: nothing to do
            pass
        return

    def cache_size() -> int:
        return int(session.connection().execute(text("PRAGMA cache_size")).scalar_one())

    before = cache_size()
    with db.page_cache(64):
        assert cache_size() == -64 * 1024
    assert cache_size() == before
    try:
        with db.page_cache(32):
            raise RuntimeError("the load failed")
    except RuntimeError:
        pass
    assert cache_size() == before


def test_tables_without_statistics_are_analyzed_before_a_load_and_fresh_ones_are_left(
    engine: Engine, backend: str
) -> None:
    """`Bulk.analyze_stale` gives the planner statistics for the tables a load's foreign-key
    checks read when it has none (a catalog imported moments ago): without them, PostgreSQL
    looked parents up through the wrong index, walking the org's rows at every check. Tables
    analyzed since their last change are not analyzed again; SQLite has nothing to do."""
    with Session(engine) as session:
        org = factories.make_org(session, "acme")
        for slug in ("one", "two"):
            factories.make_product(session, org, slug)
        session.commit()
    with Session(engine) as session:
        analyzed = Bulk(session).analyze_stale("org_product", "org_market")
        # the server publishes a backend's statistics when it goes idle, at most once a second
        if backend == "postgresql":
            session.connection().execute(text("SELECT pg_stat_force_next_flush()"))
        session.commit()
    assert analyzed == ([] if backend == "sqlite" else ["org_market", "org_product"])
    with Session(engine) as session:
        assert Bulk(session).analyze_stale("org_product", "org_market") == []
