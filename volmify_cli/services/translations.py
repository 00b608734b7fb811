"""Translated text of org-owned rows (`<table>_translation`, DOMAIN rule 7).

A text is written per locale; one translation per parent is the default. Reading in locale L
falls back to a translation in L's language (the CLDR likely locale first: de-AT -> de-DE), then
to the default translation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlmodel import Session, select

from volmify_cli.models.base import OrgTranslation
from volmify_cli.translation_choice import choose_text


def _parent_column(model: type[OrgTranslation], parent_field: str) -> Any:
    return getattr(model, parent_field)


def set_texts(
    session: Session,
    model: type[OrgTranslation],
    *,
    org_id: uuid.UUID,
    parent_field: str,
    parent_id: uuid.UUID,
    texts: Mapping[str, Mapping[str, Any]],
    default_locale: str | None = None,
) -> None:
    """Upsert translations: `texts` maps locale -> {field: value}. The default locale's row is
    marked default (only one per parent); rows of other locales are kept."""
    rows = {
        row.locale_key: row
        for row in session.exec(
            select(model).where(
                model.org_id == org_id, _parent_column(model, parent_field) == parent_id
            )
        )
    }
    if default_locale is not None and default_locale in texts:
        for locale, row in rows.items():
            if row.is_default and locale != default_locale:
                row.is_default = False
                session.add(row)
        session.flush()  # the partial unique index allows one default at a time
    for locale, fields in texts.items():
        existing = rows.get(locale)
        if existing is None:
            values: dict[str, Any] = {parent_field: parent_id, **fields}
            row = model(org_id=org_id, locale_key=locale, **values)
            row.is_default = locale == default_locale or not rows
            rows[locale] = row
        else:
            row = existing
            for name, value in fields.items():
                setattr(row, name, value)
            if locale == default_locale:
                row.is_default = True
        session.add(row)
    session.flush()


def texts_for(
    session: Session,
    model: type[OrgTranslation],
    *,
    org_id: uuid.UUID,
    parent_field: str,
    parent_ids: Iterable[uuid.UUID],
    field: str,
    locale: str | None = None,
) -> dict[uuid.UUID, str | None]:
    """One text per parent in `locale` (with fallback), in one query."""
    ids = list(parent_ids)
    if not ids:
        return {}
    column = _parent_column(model, parent_field)
    grouped: dict[uuid.UUID, dict[str, Any]] = {}
    for row in session.exec(select(model).where(model.org_id == org_id, column.in_(ids))):
        grouped.setdefault(getattr(row, parent_field), {})[row.locale_key] = row
    result: dict[uuid.UUID, str | None] = {}
    for parent_id in ids:  # field by field: a row without this field never hides another's
        result[parent_id] = choose_text(grouped.get(parent_id, {}), locale, field)
    return result


def all_texts(
    session: Session,
    model: type[OrgTranslation],
    *,
    org_id: uuid.UUID,
    parent_field: str,
    parent_id: uuid.UUID,
    field: str,
) -> dict[str, str]:
    """Every locale's text of one field, default locale first (for `show` and export)."""
    rows = list(
        session.exec(
            select(model).where(
                model.org_id == org_id, _parent_column(model, parent_field) == parent_id
            )
        )
    )
    rows.sort(key=lambda row: (not row.is_default, row.locale_key))
    return {row.locale_key: getattr(row, field) for row in rows if getattr(row, field) is not None}


def texts_in_chunks(
    session: Session,
    model: type[OrgTranslation],
    *,
    org_id: uuid.UUID,
    parent_field: str,
    parent_ids: Sequence[uuid.UUID],
    field: str,
    locale: str | None = None,
) -> dict[uuid.UUID, str | None]:
    """`translations.texts_for` over any number of parents: in chunks, because SQLite allows
    at most 32,766 bound parameters per statement and a whole large catalog (60,000 plans)
    exceeds it."""
    from volmify_cli.db.bulk import chunks

    result: dict[uuid.UUID, str | None] = {}
    for part in chunks(parent_ids):
        result.update(
            texts_for(
                session,
                model,
                org_id=org_id,
                parent_field=parent_field,
                parent_ids=part,
                field=field,
                locale=locale,
            )
        )
    return result
