"""Organizations: create, show, update, delete (listing is in `org_reads`, Core only)."""

from __future__ import annotations

from sqlmodel import Session, select

from volmify_cli.errors import ConflictError
from volmify_cli.models.orgs import Org, OrgLocale
from volmify_cli.services.lookup import get_org
from volmify_cli.services.org_reads import OrgRead, find_org_read

DEFAULT_LOCALE = "en-US"
DEFAULT_CURRENCY = "USD"


def read_org(session: Session, org: Org) -> OrgRead:
    session.flush()
    found = find_org_read(session, org.slug)
    assert found is not None  # flushed above
    return found


def create_org(
    session: Session,
    *,
    slug: str,
    name: str,
    locale: str = DEFAULT_LOCALE,
    currency: str = DEFAULT_CURRENCY,
    timezone: str = "UTC",
) -> OrgRead:
    """Create an organization with one locale (its default; registered globally when babel knows
    it and the registry does not). Raises RuleError (slug, name, time zone), LocaleError
    (unknown locale), MoneyError (unknown currency), ConflictError (slug taken)."""
    from volmify_cli.rulebook import NAME
    from volmify_cli.rules import check_slug, check_timezone
    from volmify_cli.services.locales import ensure_locales
    from volmify_cli.services.validation import canonical_locale, check_currency

    check_slug(slug, "organization slug")
    name = NAME.check(name)
    locale_key = canonical_locale(locale)
    currency_code = check_currency(currency)
    zone = check_timezone(timezone)
    if session.exec(select(Org.id).where(Org.slug == slug)).first() is not None:
        raise ConflictError(f"organization {slug!r} already exists")
    ensure_locales(session, keys=[locale_key])
    org = Org(
        slug=slug,
        name=name,
        default_locale_key=locale_key,
        default_currency_code=currency_code,
        timezone=zone,
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
    timezone: str | None = None,
) -> OrgRead:
    """Change the given fields. The new default locale must be one of the org's locales. The
    time zone cannot change while periods are closed: the closed days would move (reopen them
    first). Raises NotFoundError, RuleError, MoneyError, LocaleError, ConflictError."""
    from volmify_cli.enums import OrgStatus, enum_value
    from volmify_cli.rulebook import NAME
    from volmify_cli.services.org_locales import set_default_locale
    from volmify_cli.services.validation import check_currency

    org = get_org(session, slug)
    if name is not None:
        org.name = NAME.check(name)
    if status is not None:
        org.status = enum_value(OrgStatus, status, "status")
    if currency is not None:
        org.default_currency_code = check_currency(currency)
    if timezone is not None:
        zone = _new_timezone(session, org, timezone)
        if zone != org.timezone:
            _rebuild_totals(session, org, zone)
        org.timezone = zone
    session.add(org)
    if default_locale is not None:
        set_default_locale(session, org, default_locale)
    session.flush()
    return read_org(session, org)


def _new_timezone(session: Session, org: Org, timezone: str) -> str:
    from volmify_cli.rules import check_timezone
    from volmify_cli.services.ledger_closes import closed_through

    zone = check_timezone(timezone)
    through = closed_through(session, org.id)
    if zone != org.timezone and through is not None:
        raise ConflictError(
            f"org {org.slug} is closed through {through} ({org.timezone}): a new time zone would"
            " move its closed days",
            f"reopen them first (`volmify revenue reopen ... --org {org.slug} --yes`)",
        )
    return zone


def _rebuild_totals(session: Session, org: Org, zone: str) -> None:
    """The ledger's running totals are per day of the org's zone: a new zone moves its days."""
    from volmify_cli.db.bulk import Bulk
    from volmify_cli.db.direct import reader_of
    from volmify_cli.db.rollups import rebuild

    writer = Bulk(session)
    reader = reader_of(session)
    dialect = "sqlite" if writer.sqlite else "postgresql"
    org_id = org.id.hex if writer.sqlite else org.id  # as each driver takes an id
    rebuild(reader.rows, writer.execute_many, dialect, org_id, zone, writer.date_value)


def delete_org(session: Session, *, slug: str) -> None:
    """Delete an organization and everything it owns (the database cascades). Raises
    NotFoundError."""

    from volmify_cli.services.contacts import drop_unlinked, org_contact_ids

    org = get_org(session, slug)
    contacts = org_contact_ids(session, org.id)  # global rows: the cascade leaves them
    session.delete(org)
    session.flush()
    drop_unlinked(session, contacts)
