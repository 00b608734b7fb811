"""Names for report rows, and the org and instructor a report is about, read through the light
report tables (not the ORM models, for start-up time)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import TableClause, select

from volmify_cli.enums import ProfileType
from volmify_cli.errors import NotFoundError
from volmify_cli.reports import tables as t
from volmify_cli.translation_choice import choose_translation

if TYPE_CHECKING:
    from volmify_cli.reports.revenue import Db


@dataclass(frozen=True)
class OrgRef:
    id: uuid.UUID
    slug: str
    name: str


def find_org(session: Db, slug: str) -> OrgRef:
    """Raises NotFoundError (the same message as the org lookups)."""
    row = session.execute(select(t.ORG.c.id, t.ORG.c.name).where(t.ORG.c.slug == slug)).first()
    if row is None:
        raise NotFoundError(f"organization {slug!r} not found", "see `volmify orgs list`")
    return OrgRef(row.id, slug, row.name)


def find_instructor(session: Db, slug: str) -> tuple[uuid.UUID, str]:
    """The id and display name of an instructor profile. Raises NotFoundError."""
    p = t.PROFILE.c
    row = session.execute(
        select(p.id, p.display_name).where(p.slug == slug, p.type == ProfileType.INSTRUCTOR.value)
    ).first()
    if row is None:
        raise NotFoundError(f"instructor {slug!r} not found", "see `volmify instructors list`")
    return row.id, row.display_name


def profile_names(session: Db, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    wanted = list(ids)
    if not wanted:
        return {}
    p = t.PROFILE.c
    rows = session.execute(select(p.id, p.slug, p.display_name).where(p.id.in_(wanted)))
    return {row.id: (row.slug, row.display_name) for row in rows}


def _named(
    session: Db,
    org: OrgRef | None,
    ids: Iterable[uuid.UUID],
    base: TableClause,
    texts: TableClause,
    parent: str,
    field: str,
    locale: str | None,
) -> dict[uuid.UUID, tuple[str, str]]:
    """Slug and translated name of org-owned rows (in `locale`, with the usual fallback)."""
    wanted = list(ids)
    if not wanted or org is None:
        return {}
    query = select(base.c.id, base.c.slug).where(base.c.org_id == org.id, base.c.id.in_(wanted))
    slugs: dict[uuid.UUID, str] = {row.id: row.slug for row in session.execute(query)}
    found: dict[uuid.UUID, dict[str, Any]] = {}
    parent_column = texts.c[parent]
    for row in session.execute(
        select(parent_column, texts.c.locale_key, texts.c.is_default, texts.c[field]).where(
            texts.c.org_id == org.id, parent_column.in_(wanted)
        )
    ):
        found.setdefault(row[0], {})[row.locale_key] = row
    names = {}
    for rid, slug in slugs.items():
        chosen = choose_translation(found.get(rid, {}), locale)
        names[rid] = (slug, (chosen[3] if chosen is not None else None) or slug)
    return names


def month_label(month: str, locale: str | None) -> str:
    """`2026-03` as `March 2026` in the display locale (English without loading babel)."""
    year, number = int(month[:4]), int(month[5:7])
    if locale is None or locale.split("-")[0] == "en":
        import calendar

        return f"{calendar.month_name[number]} {year}"
    from volmify_cli.l10n import format_month

    return format_month(year, number, locale)


def brand_names(
    session: Db, org: OrgRef | None, ids: Iterable[uuid.UUID], locale: str | None
) -> dict[uuid.UUID, tuple[str, str]]:
    return _named(session, org, ids, t.BRAND, t.BRAND_NAME, "brand_id", "name", locale)


def product_names(
    session: Db, org: OrgRef | None, ids: Iterable[uuid.UUID], locale: str | None
) -> dict[uuid.UUID, tuple[str, str]]:
    return _named(session, org, ids, t.PRODUCT, t.PRODUCT_TITLE, "product_id", "title", locale)


def market_names(
    session: Db, org: OrgRef | None, ids: Iterable[uuid.UUID], locale: str | None
) -> dict[uuid.UUID, tuple[str, str]]:
    return _named(session, org, ids, t.MARKET, t.MARKET_NAME, "market_id", "name", locale)
