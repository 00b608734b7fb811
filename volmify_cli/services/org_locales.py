"""The locales an organization creates content in (`org_locale`).

Exactly one is the default, and it is always the org's `default_locale_key` too. Keys are
validated with babel; a locale babel knows but the global registry lacks gets registered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.models.core import Locale
from volmify_cli.models.orgs import Org, OrgLocale
from volmify_cli.services.validation import canonical_locale


class OrgLocaleRead(TypedDict):
    key: str
    english_name: str
    native_name: str
    direction: str
    is_default: bool
    is_active: bool


READ_BATCH = 1000  # locales per fetch


def _rows(
    session: Session, org: Org, limit: int | None = None
) -> Iterator[tuple[OrgLocale, Locale]]:
    """The org's locales with their registry entries, the default first, read in batches."""
    query = (
        select(OrgLocale, Locale)
        .join(Locale, col(Locale.key) == col(OrgLocale.locale_key))
        .where(OrgLocale.org_id == org.id)
        .order_by(
            col(OrgLocale.is_default).desc(),
            col(OrgLocale.sort_order),
            col(OrgLocale.locale_key),
        )
    )
    if limit is not None:
        query = query.limit(limit)
    return iter(session.exec(query.execution_options(yield_per=READ_BATCH)))


def read_org_locales(session: Session, org: Org) -> list[OrgLocaleRead]:
    return list(_reads(session, org))


def _reads(session: Session, org: Org, limit: int | None = None) -> Iterator[OrgLocaleRead]:
    return (
        OrgLocaleRead(
            key=org_locale.locale_key,
            english_name=locale.english_name,
            native_name=locale.native_name,
            direction=locale.direction,
            is_default=org_locale.is_default,
            is_active=org_locale.is_active,
        )
        for org_locale, locale in _rows(session, org, limit)
    )


def org_locale_keys(session: Session, org: Org) -> list[str]:
    """The org's locale keys, the default first."""
    return [row["key"] for row in read_org_locales(session, org)]


def list_org_locales(session: Session, *, org_slug: str) -> list[OrgLocaleRead]:
    """Raises NotFoundError for an unknown org."""
    from volmify_cli.services.lookup import get_org

    return read_org_locales(session, get_org(session, org_slug))


def iter_org_locales(
    session: Session, *, org_slug: str, limit: int | None = None
) -> Iterator[OrgLocaleRead]:
    """The org's locales, the default first, streamed from the database in batches (`limit + 1`
    of them with a limit). Raises NotFoundError for an unknown org (before the first row)."""
    from volmify_cli.services.lookup import get_org

    org = get_org(session, org_slug)
    return _reads(session, org, limit + 1 if limit is not None else None)


def require_org_locales(session: Session, org: Org, keys: Sequence[str]) -> list[str]:
    """The canonical keys, each checked to be one of the org's locales. Raises LocaleError for a
    key babel does not know and RuleError naming the first locale the org does not have."""
    canonical = [canonical_locale(key) for key in keys]
    have = set(org_locale_keys(session, org))
    for key in canonical:
        if key not in have:
            raise RuleError(
                f"locale {key!r} is not a locale of org {org.slug}",
                f"add it with `volmify orgs locales add {key} --org {org.slug}`",
            )
    return canonical


def _write(
    session: Session, org: Org, locales: Sequence[str], *, activate: Sequence[str] = ()
) -> None:
    """The org's locales as the catalog writes them (`sync_locales`: the first is the
    default; locales not listed are kept), and `activate`d ones active again."""
    from volmify_cli.db.bulk import Bulk
    from volmify_cli.services.sync import tables as t
    from volmify_cli.services.sync.commands import own_column, write
    from volmify_cli.services.sync.context import Context
    from volmify_cli.services.sync.structure import sync_locales

    db = Bulk(session)
    ctx = Context.for_command(org, db, {t.ORG_LOCALE.name: None}, prune=False, ids={})
    ctx.catalog.locales = list(locales)
    sync_locales(ctx)
    written = [ctx.rows(t.ORG_LOCALE)]
    org_id = org.id.hex
    for key in activate:
        written.append(
            own_column(db, "org_locale", "is_active", org_id, key, True, key="locale_key")
        )
    write(session, db, written)


def set_default_locale(session: Session, org: Org, key: str) -> None:
    """Make one of the org's locales its default (and the org's `default_locale_key`)."""
    (locale_key,) = require_org_locales(session, org, [key])
    others = [k for k in org_locale_keys(session, org) if k != locale_key]
    _write(session, org, [locale_key, *others])
    org.default_locale_key = locale_key
    session.add(org)
    session.flush()


def add_org_locales(
    session: Session, *, org_slug: str, keys: Sequence[str], default: str | None = None
) -> list[OrgLocaleRead]:
    """Add locales to an org (already present ones are kept) and optionally choose the default
    (which is added too when missing). Returns all the org's locales. Raises NotFoundError,
    LocaleError (a key babel does not know: nothing is added)."""
    from volmify_cli.services.locales import ensure_locales
    from volmify_cli.services.lookup import get_org

    org = get_org(session, org_slug)
    wanted = list(dict.fromkeys(canonical_locale(key) for key in keys))
    default_key = canonical_locale(default) if default is not None else None
    if default_key is not None and default_key not in wanted:
        wanted.append(default_key)
    ensure_locales(session, keys=wanted)
    existing = {row["key"]: row for row in read_org_locales(session, org)}
    inactive = [key for key in wanted if key in existing and not existing[key]["is_active"]]
    _write(
        session,
        org,
        [*existing, *(key for key in wanted if key not in existing)],
        activate=inactive,
    )
    if default_key is not None:
        set_default_locale(session, org, default_key)
    return read_org_locales(session, org)


def remove_org_locale(session: Session, *, org_slug: str, key: str) -> None:
    """Remove a locale from an org. Raises NotFoundError (org, or a locale the org does not
    have), RuleError (it is the default), ConflictError (markets or translations use it)."""
    from volmify_cli.services.lookup import get_org
    from volmify_cli.services.references import describe_counts, referencing_counts

    org = get_org(session, org_slug)
    locale_key = canonical_locale(key)
    row = session.get(OrgLocale, (org.id, locale_key))
    if row is None:
        raise NotFoundError(f"locale {locale_key!r} is not a locale of org {org.slug}")
    if row.is_default or org.default_locale_key == locale_key:
        raise RuleError(
            f"locale {locale_key!r} is the default locale of org {org.slug}",
            "choose another default first: `volmify orgs locales add KEY --default KEY`",
        )
    used = referencing_counts(
        session, table="org_locale", key={"org_id": org.id, "locale_key": locale_key}
    )
    if used:
        raise ConflictError(
            f"locale {locale_key!r} is still used in org {org.slug} by {describe_counts(used)}",
            "remove it from those markets and translations first",
        )
    from volmify_cli.db.bulk import Bulk
    from volmify_cli.services.sync import tables as t
    from volmify_cli.services.sync.commands import write
    from volmify_cli.services.sync.context import Context

    db = Bulk(session)
    ctx = Context.for_command(org, db, {t.ORG_LOCALE.name: None}, prune=False, ids={})
    rows = ctx.rows(t.ORG_LOCALE)
    rows.delete((locale_key,))
    write(session, db, [rows])
