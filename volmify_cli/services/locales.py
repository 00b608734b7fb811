"""The global locale registry."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError, NotFoundError
from volmify_cli.models.core import Country, Locale
from volmify_cli.models.orgs import Org, OrgLocale


class LocaleRead(TypedDict):
    key: str
    english_name: str
    native_name: str
    direction: str
    is_active: bool


def _read(locale: Locale) -> LocaleRead:
    return LocaleRead(
        key=locale.key,
        english_name=locale.english_name,
        native_name=locale.native_name,
        direction=locale.direction,
        is_active=locale.is_active,
    )


def list_locales(session: Session, *, limit: int | None = None) -> list[LocaleRead]:
    """The registered locales by key, all at once (see `iter_locales`)."""
    return list(iter_locales(session, limit=limit))


READ_BATCH = 1000  # locales per fetch


def iter_locales(session: Session, *, limit: int | None = None) -> Iterator[LocaleRead]:
    """The registered locales by key, streamed from the database in batches."""
    query = select(Locale).order_by(col(Locale.key))
    if limit is not None:
        query = query.limit(limit + 1)  # one more, so the caller can say rows were left out
    return (_read(locale) for locale in session.exec(query.execution_options(yield_per=READ_BATCH)))


def add_locales(session: Session, *, keys: Sequence[str]) -> list[LocaleRead]:
    """Register locales after validating each with babel; already registered ones are kept.

    Raises LocaleError (exit 1) naming the first key babel does not know; nothing is added then.
    """
    from volmify_cli.l10n import describe_locale

    infos = [describe_locale(key) for key in keys]  # validate all before writing any
    added: list[LocaleRead] = []
    for info in infos:
        locale = session.get(Locale, info.key)
        if locale is None:
            locale = Locale(
                key=info.key,
                english_name=info.english_name,
                native_name=info.native_name,
                direction=info.direction,
            )
            session.add(locale)
        elif not locale.is_active:
            locale.is_active = True
        added.append(_read(locale))
    session.flush()
    return added


def ensure_locales(session: Session, *, keys: Sequence[str]) -> None:
    """Register any of `keys` that babel knows but the registry lacks (catalog imports)."""
    known: list[str] = list(session.exec(select(Locale.key).where(col(Locale.key).in_(keys))))
    missing = set(keys) - set(known)
    if missing:
        add_locales(session, keys=sorted(missing))


def remove_locale(session: Session, *, key: str) -> None:
    """Remove a locale from the registry. Raises NotFoundError, or ConflictError naming how
    many organizations or countries still use it."""
    locale = session.get(Locale, key)
    if locale is None:
        raise NotFoundError(f"locale {key!r} is not registered")
    orgs = session.exec(
        select(func.count()).select_from(OrgLocale).where(OrgLocale.locale_key == key)
    ).one()
    defaults = session.exec(
        select(func.count()).select_from(Org).where(Org.default_locale_key == key)
    ).one()
    if orgs or defaults:
        raise ConflictError(
            f"locale {key!r} is used by {max(orgs, defaults)} organization(s)",
            "remove it from those organizations first (`volmify orgs locales remove`)",
        )
    for country in session.exec(select(Country).where(Country.default_locale_key == key)):
        country.default_locale_key = None
    session.delete(locale)
    session.flush()
