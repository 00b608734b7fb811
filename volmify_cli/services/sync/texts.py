"""Translated texts (TEXT: a string in the org's default locale, or a locale map) into the
`<table>_translation` rows of one parent: one row per locale of the entity's primary text (a
title, a name), the other texts in the same rows. The default translation is the org's default
locale when the text has it, else the first locale written."""

from __future__ import annotations

from typing import Any

from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.rows import Rows, Table


def text_map(text: Any, default_locale: str) -> dict[str, str]:
    if text is None:
        return {}
    if isinstance(text, dict):
        return {str(locale): str(value) for locale, value in text.items()}
    return {default_locale: str(text)}


def sync_texts(
    ctx: Context,
    table: Table,
    parent_id: str,
    texts: dict[str, Any],
    *,
    kind: str,
    key: str,
    new: bool,
) -> None:
    """`texts`: field -> TEXT, the primary field first. Rows of locales the primary text no
    longer has are removed (a text is a field of its entity, not an entity)."""
    rows = ctx.rows(table)
    default = ctx.default_locale
    maps = {name: text_map(value, default) for name, value in texts.items()}
    primary = next(iter(maps.values()))
    chosen = default if default in primary else next(iter(primary), None)
    names = list(maps)
    for locale in primary:
        data = (locale == chosen, *(maps[name].get(locale) for name in names))
        _row_id, changed = rows.want((parent_id, locale), data)
        if new:
            continue
        if changed is None:
            ctx.tally.update(
                kind,
                key,
                [
                    (f"{n}[{locale}]", None, maps[n].get(locale))
                    for n in names
                    if maps[n].get(locale) is not None
                ],
            )
        else:
            ctx.tally.update(
                kind,
                key,
                [(f"{c}[{locale}]", old, value) for c, old, value in changed if c != "is_default"],
            )
    if new:
        return
    for gone in rows.leftovers((parent_id,)):
        rows.delete(gone)
        old = rows.existing[gone][1]
        ctx.tally.update(
            kind,
            key,
            [
                (f"{n}[{gone[1]}]", old[i + 1], None)
                for i, n in enumerate(names)
                if old[i + 1] is not None
            ],
        )


def stored_text(rows: Rows, parent_id: str, index: int = 1) -> dict[str, str]:
    """One text of a parent as stored (data column `index` of its translation rows), by
    locale, the default translation first: what `sync_texts` would write back unchanged."""
    found = [(key[1], rows.existing[key][1]) for key in rows.children_of((parent_id,))]
    found.sort(key=lambda item: not item[1][0])
    return {locale: data[index] for locale, data in found if data[index] is not None}
