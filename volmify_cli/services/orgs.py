"""Organizations: create, list, show, update, delete.

`list_orgs` is the read path of the start-up benchmark (SPEC 7), so this module imports only the
org models at the top; lookups that pull in the rest of the schema are imported where used.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError
from volmify_cli.models.orgs import Org, OrgLocale

DEFAULT_LOCALE = "en-US"
DEFAULT_CURRENCY = "USD"


class OrgRead(TypedDict):
    slug: str
    name: str
    default_locale: str
    default_currency: str
    status: str
    locales: list[str]
    created_at: dt.datetime


def _locales_of(session: Session, org_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Each org's locale keys, the default first, then in the order they were added."""
    ids = list(org_ids)
    result: dict[uuid.UUID, list[str]] = {org_id: [] for org_id in ids}
    if not ids:
        return result
    query = (
        select(OrgLocale.org_id, OrgLocale.locale_key)
        .where(col(OrgLocale.org_id).in_(ids))
        .order_by(
            col(OrgLocale.is_default).desc(),
            col(OrgLocale.sort_order),
            col(OrgLocale.locale_key),
        )
    )
    for org_id, key in session.exec(query):
        result[org_id].append(key)
    return result


def _read(org: Org, locales: list[str]) -> OrgRead:
    return OrgRead(
        slug=org.slug,
        name=org.name,
        default_locale=org.default_locale_key,
        default_currency=org.default_currency_code,
        status=org.status,
        locales=locales,
        created_at=org.created_at,
    )


def read_org(session: Session, org: Org) -> OrgRead:
    return _read(org, _locales_of(session, [org.id])[org.id])


def list_orgs(session: Session, *, limit: int | None = None) -> list[OrgRead]:
    """Every organization, by slug (`limit + 1` rows when limited, so a cut can be announced)."""
    query = select(Org).order_by(col(Org.slug))
    if limit is not None:
        query = query.limit(limit + 1)
    orgs = list(session.exec(query))
    locales = _locales_of(session, (org.id for org in orgs))
    return [_read(org, locales[org.id]) for org in orgs]


def show_org(session: Session, *, slug: str) -> OrgRead:
    """Raises NotFoundError."""
    from volmify_cli.services.lookup import get_org

    return read_org(session, get_org(session, slug))


def create_org(
    session: Session,
    *,
    slug: str,
    name: str,
    locale: str = DEFAULT_LOCALE,
    currency: str = DEFAULT_CURRENCY,
) -> OrgRead:
    """Create an organization with one locale (its default; registered globally when babel knows
    it and the registry does not). Raises RuleError (slug, name), LocaleError (unknown locale),
    MoneyError (unknown currency), ConflictError (slug taken)."""
    from volmify_cli.rules import check_slug
    from volmify_cli.services.locales import ensure_locales
    from volmify_cli.services.validation import canonical_locale, check_currency, check_name

    check_slug(slug, "organization slug")
    name = check_name(name, "organization name")
    locale_key = canonical_locale(locale)
    currency_code = check_currency(currency)
    if session.exec(select(Org.id).where(Org.slug == slug)).first() is not None:
        raise ConflictError(f"organization {slug!r} already exists")
    ensure_locales(session, keys=[locale_key])
    org = Org(
        slug=slug, name=name, default_locale_key=locale_key, default_currency_code=currency_code
    )
    session.add(org)
    session.flush()
    session.add(OrgLocale(org_id=org.id, locale_key=locale_key, is_default=True))
    session.flush()
    return read_org(session, org)


def update_org(
    session: Session,
    *,
    slug: str,
    name: str | None = None,
    status: str | None = None,
    currency: str | None = None,
    default_locale: str | None = None,
) -> OrgRead:
    """Change the given fields. The new default locale must be one of the org's locales.
    Raises NotFoundError, RuleError, MoneyError, LocaleError."""
    from volmify_cli.enums import OrgStatus
    from volmify_cli.services.lookup import get_org
    from volmify_cli.services.org_locales import set_default_locale
    from volmify_cli.services.validation import check_currency, check_name, enum_value

    org = get_org(session, slug)
    if name is not None:
        org.name = check_name(name, "organization name")
    if status is not None:
        org.status = enum_value(OrgStatus, status, "status")
    if currency is not None:
        org.default_currency_code = check_currency(currency)
    session.add(org)
    if default_locale is not None:
        set_default_locale(session, org, default_locale)
    session.flush()
    return read_org(session, org)


def delete_org(session: Session, *, slug: str) -> None:
    """Delete an organization and everything it owns (the database cascades). Raises
    NotFoundError."""
    from volmify_cli.services.lookup import get_org

    org = get_org(session, slug)
    session.delete(org)
    session.flush()
