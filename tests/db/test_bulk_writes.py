"""The bulk writer's own time: every row it writes carries it (created_at, updated_at), on
PostgreSQL handed to the driver as ISO text made once rather than a datetime formatted again
for each row, and read back exactly, to the microsecond, on both databases. A sales import
tells its own rows from earlier ones by that time (`written_now`)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from tests import factories
from volmify_cli.db.bulk import Bulk
from volmify_cli.ids import uuid7
from volmify_cli.models.orgs import OrgBrand


def test_rows_carry_the_writers_time_exactly_and_are_told_from_older_ones(
    session: Session, backend: str
) -> None:
    org = factories.make_org(session, "acme")
    db = Bulk(session)
    if backend == "postgresql":
        assert db.now_value == db.now.isoformat()  # made once, not a datetime per row
    assert db.time_value(db.now) is db.now_value  # every row given the writer's time shares it
    db.insert_rows(OrgBrand, [{"org_id": org.id, "id": uuid7(), "slug": "written"}])
    older = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    db.insert(
        "org_brand",
        ["org_id", "id", "slug", "is_active", "catalog_managed", "created_at", "updated_at"],
        [(org.id.hex, uuid7().hex, "older", True, False, *[db.time_value(older)] * 2)],
    )
    db.execute_many(
        "UPDATE org_brand SET updated_at = ? WHERE org_id = ? AND slug = ?",
        [(db.now_value, org.id.hex, "older")],
    )
    session.expire_all()
    brands = {b.slug: b for b in session.exec(select(OrgBrand).where(OrgBrand.org_id == org.id))}
    assert brands["written"].created_at == db.now
    assert brands["written"].updated_at == db.now
    assert brands["older"].created_at == older
    assert brands["older"].updated_at == db.now

    as_read = dict(
        db.query("SELECT slug, created_at FROM org_brand WHERE org_id = ?", [org.id.hex])
    )
    assert db.written_now(as_read["written"])
    assert not db.written_now(as_read["older"])


def test_an_instant_is_stored_as_the_same_utc_text_however_often_and_in_whatever_zone(
    session: Session, backend: str
) -> None:
    """`time_value` keeps the SQLite text of the instants it made (a sale's order and its entry
    write the same one): the text is that of the instant, given in any zone, never that of an
    instant met before; a naive datetime is still refused."""
    db = Bulk(session)
    sold = dt.datetime(2026, 3, 29, 15, 6, 56, 7, tzinfo=dt.UTC)
    berlin = sold.astimezone(dt.timezone(dt.timedelta(hours=2)))
    later = sold + dt.timedelta(microseconds=1)
    first, again, zoned, other = (db.time_value(v) for v in (sold, sold, berlin, later))
    if backend == "sqlite":
        assert first == again == zoned == "2026-03-29 15:06:56.000007"
        assert other == "2026-03-29 15:06:56.000008"
    else:  # the driver takes the datetime itself
        assert first == zoned == sold and other == later
    with pytest.raises(ValueError, match="naive"):
        db.time_value(sold.replace(tzinfo=None))
