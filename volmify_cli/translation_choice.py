"""Which translation row to show in a display locale: one rule for the services (ORM rows) and
the reports (light Core rows). No imports at module level: reports load it at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def choose_translation(rows: Mapping[str, Any], locale: str | None) -> Any | None:
    """The row to show in `locale` (rows keyed by locale, each with `is_default`): exact, then
    the same language (CLDR's likely locale first, then by key), then the default."""
    if not rows:
        return None
    if locale and locale in rows:
        return rows[locale]
    if locale:
        language = locale.split("-")[0]
        same = sorted(key for key in rows if key.split("-")[0] == language)
        if same:
            from volmify_cli.l10n import language_fallback

            likely = language_fallback(locale)
            return rows[likely] if likely in same else rows[same[0]]
    defaults = [row for row in rows.values() if row.is_default]
    return defaults[0] if defaults else rows[sorted(rows)[0]]


def choose_text(rows: Mapping[str, Any], locale: str | None, field: str) -> Any | None:
    """One field's text in `locale`, field by field: the rows that hold this field (a
    description written in fewer locales than the title) chosen as `choose_translation` does,
    so a translation with a title but no description never hides the default's description."""
    having = {key: row for key, row in rows.items() if getattr(row, field, None) is not None}
    chosen = choose_translation(having, locale)
    return getattr(chosen, field) if chosen is not None else None
