"""Reading organizations with SQLAlchemy Core only.

`volmify orgs list` is the start-up benchmark's data command (SPEC 7: within 1.5x of a bare
typer + sqlalchemy script running the same query). Importing the ORM, pydantic and SQLModel costs
that command more than its whole budget, so this read path names the two tables it needs as
lightweight Core table clauses and runs on a plain Connection (or a Session: both execute Core).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import Boolean, Integer, String, Uuid, column, select, table

from volmify_cli.db.types import UTCDateTime
from volmify_cli.rules import check_line

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

ORG = table(
    "org",
    column("id", Uuid()),
    column("slug", String()),
    column("name", String()),
    column("default_locale_key", String()),
    column("default_currency_code", String()),
    column("status", String()),
    column("timezone", String()),
    column("created_at", UTCDateTime()),
)
ORG_LOCALE = table(
    "org_locale",
    column("org_id", Uuid()),
    column("locale_key", String()),
    column("is_default", Boolean()),
    column("sort_order", Integer()),
)


class OrgRead(TypedDict):
    slug: str
    name: str
    default_locale: str
    default_currency: str
    timezone: str  # an IANA name: the org's days (reports, closed periods)
    status: str
    locales: list[str]
    created_at: dt.datetime


def _read(db: Connection | Session, where: Any = None, limit: int | None = None) -> list[OrgRead]:
    query = select(ORG).order_by(ORG.c.slug)
    if where is not None:
        query = query.where(where)
    if limit is not None:
        query = query.limit(limit)
    return _org_rows(db, db.execute(query).all())


def _org_rows(db: Connection | Session, orgs: Sequence[Any]) -> list[OrgRead]:
    """Read shapes of `orgs` (rows of ORG), with their locales in one query."""
    if not orgs:
        return []
    locales: dict[Any, list[str]] = {row.id: [] for row in orgs}
    for org_id, key in db.execute(
        select(ORG_LOCALE.c.org_id, ORG_LOCALE.c.locale_key)
        .where(ORG_LOCALE.c.org_id.in_(list(locales)))
        .order_by(ORG_LOCALE.c.is_default.desc(), ORG_LOCALE.c.sort_order, ORG_LOCALE.c.locale_key)
    ):
        locales[org_id].append(key)
    return [
        OrgRead(
            slug=row.slug,
            name=row.name,
            default_locale=row.default_locale_key,
            default_currency=row.default_currency_code,
            timezone=row.timezone,
            status=row.status,
            locales=locales[row.id],
            created_at=row.created_at,
        )
        for row in orgs
    ]


def list_orgs(db: Connection | Session, *, limit: int | None = None) -> list[OrgRead]:
    """Every organization by slug, each with its locales (the default first). With `limit`,
    `limit + 1` rows come back so that the caller can say rows were left out."""
    return _read(db, limit=limit + 1 if limit is not None else None)


READ_BATCH = 1000  # organizations per fetch: each batch's locales in one query


def iter_orgs(db: Connection | Session, *, limit: int | None = None) -> Iterator[OrgRead]:
    """`list_orgs`, streamed from the database in batches as they are asked for."""
    query = select(ORG).order_by(ORG.c.slug)
    if limit is not None:
        query = query.limit(limit + 1)
    found = db.execute(query.execution_options(yield_per=READ_BATCH))
    return (read for batch in found.partitions() for read in _org_rows(db, batch))


def find_org_read(db: Connection | Session, slug: str) -> OrgRead | None:
    """One organization by slug, or None. Raises RuleError for a slug holding a control
    character (`lookup`)."""
    check_line(slug)
    found = _read(db, where=ORG.c.slug == slug)
    return found[0] if found else None


def show_org(db: Connection | Session, *, slug: str) -> OrgRead:
    """Raises NotFoundError (the same words as `lookup.get_org`)."""
    found = find_org_read(db, slug)
    if found is None:
        from volmify_cli.errors import NotFoundError

        raise NotFoundError(f"organization {slug!r} not found", "see `volmify orgs list`")
    return found
