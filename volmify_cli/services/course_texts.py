"""Translated texts of course content in batches: read every translation of many parents in one
query, compare them with a file's texts, and queue the inserts and updates.

A file's TEXT is a string (the org's default locale) or a mapping locale -> string. Locales a
file does not mention are left as they are; for a locale it mentions, every field is set (an
omitted description clears that locale's description). One translation per parent is the
default: the org's default locale when it has one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, chunks, table_of

Texts = dict[str, dict[str, str | None]]  # locale -> {field: value}


@dataclass
class TranslationRow:
    locale: str
    is_default: bool
    values: dict[str, str | None]


Existing = dict[str, TranslationRow]  # locale -> row


def load_translations(
    session: Session,
    model: type[Any],
    *,
    org_id: uuid.UUID,
    parent_field: str,
    parent_ids: Iterable[uuid.UUID],
    fields: Sequence[str],
) -> dict[uuid.UUID, Existing]:
    """Every translation of the given parents, in one query per 500 parents."""
    table = table_of(model)
    parent = table.c[parent_field]
    result: dict[uuid.UUID, Existing] = {}
    for part in chunks(list(parent_ids)):
        query = select(
            parent, table.c.locale_key, table.c.is_default, *(table.c[name] for name in fields)
        ).where(table.c.org_id == org_id, parent.in_(part))
        for row in session.connection().execute(query):
            result.setdefault(row[0], {})[row[1]] = TranslationRow(
                row[1], bool(row[2]), {name: row[3 + i] for i, name in enumerate(fields)}
            )
    return result


def field_name(name: str, locale: str, default_locale: str) -> str:
    """How a changed text is named in a plan: `title` in the default locale, else
    `title[de-DE]`."""
    return name if locale == default_locale else f"{name}[{locale}]"


def diff_texts(
    existing: Existing, desired: Texts, default_locale: str
) -> list[tuple[str, Any, Any]]:
    changes: list[tuple[str, Any, Any]] = []
    for locale, values in desired.items():
        row = existing.get(locale)
        for name, value in values.items():
            old = row.values.get(name) if row else None
            if old != value:
                changes.append((field_name(name, locale, default_locale), old, value))
    return changes


def _wanted_default(existing: Existing, desired: Texts, default_locale: str) -> str | None:
    locales = [*existing, *(locale for locale in desired if locale not in existing)]
    if default_locale in locales:
        return default_locale
    current = [locale for locale, row in existing.items() if row.is_default]
    if current:
        return current[0]
    return next(iter(desired), None)


@dataclass
class TranslationWriter:
    """Queues translation writes of one translation table; `flush` writes them in an order
    that keeps the one-default-per-parent index satisfied."""

    model: type[Any]
    parent_field: str
    org_id: uuid.UUID
    default_locale: str
    unset_defaults: list[dict[str, Any]] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)

    def queue(self, parent_id: uuid.UUID, existing: Existing, desired: Texts) -> None:
        wanted = _wanted_default(existing, desired, self.default_locale)
        key = {"org_id": self.org_id, self.parent_field: parent_id}
        for locale, row in existing.items():
            if row.is_default and locale != wanted:
                self.unset_defaults.append({**key, "locale_key": locale, "is_default": False})
        for locale, values in desired.items():
            found = existing.get(locale)
            if found is None:
                self.inserts.append(
                    {**key, "locale_key": locale, "is_default": locale == wanted, **values}
                )
                continue
            changed: dict[str, Any] = {
                name: value for name, value in values.items() if found.values.get(name) != value
            }
            if locale == wanted and not found.is_default:
                changed["is_default"] = True
            if changed:
                self.updates.append({**key, "locale_key": locale, **changed})
        if wanted in existing and wanted not in desired and not existing[wanted].is_default:
            self.updates.append({**key, "locale_key": wanted, "is_default": True})

    def flush_unsets(self, session: Session) -> None:
        Bulk(session).update_rows(self.model, self._keys, self.unset_defaults)

    def flush(self, session: Session) -> None:
        Bulk(session).insert_rows(self.model, self.inserts)
        Bulk(session).update_rows(self.model, self._keys, self.updates)

    @property
    def _keys(self) -> tuple[str, str, str]:
        return ("org_id", self.parent_field, "locale_key")


def texts_of(values: Mapping[str, Mapping[str, str] | None]) -> Texts:
    """Combine per-field locale maps ({"title": {...}, "description": {...}}) into locale ->
    {field: value}. Locales come from the first field (the title); other fields are None where
    they have no text in that locale."""
    names = list(values)
    first = values[names[0]] or {}
    return {locale: {name: (values[name] or {}).get(locale) for name in names} for locale in first}


def plain_or_map(texts: Mapping[str, str], default_locale: str) -> str | dict[str, str]:
    """For export: a plain string when only the default locale has a text, else a mapping with
    the default locale first, then the others sorted."""
    if set(texts) == {default_locale}:
        return texts[default_locale]
    ordered = sorted(texts, key=lambda locale: (locale != default_locale, locale))
    return {locale: texts[locale] for locale in ordered}
