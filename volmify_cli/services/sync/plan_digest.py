"""What a saved plan remembers of the database: a digest of the rows the plan read, table by
table, so that applying the plan later can tell whether the org changed since, and where.

The rows are the sync's own (`Rows.existing`: natural key, id and the columns the catalog
decides, with whether the catalog manages the entity): a change to any of them, by a command,
another import or SQL, changes its table's digest."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from volmify_cli.services.sync.cascade import NOUNS
from volmify_cli.services.sync.context import Context


def database_digests(ctx: Context) -> dict[str, str]:
    """sha256 (hex) of the rows the plan read, by table name."""
    digests = {}
    for name in sorted(ctx.tables):
        rows = ctx.tables[name]
        digest = hashlib.sha256()
        # repr of plain tuples (text, numbers, booleans, datetimes): stable between two reads
        # of the same rows by the same driver, which is all a plan needs
        for line in sorted(map(repr, rows.existing.items())):
            digest.update(line.encode())
            digest.update(b"\n")
        for line in sorted(map(repr, rows.unmanaged)):
            digest.update(b"unmanaged " + line.encode() + b"\n")
        digests[name] = digest.hexdigest()
    digests["seo_metadata"] = seo_digest(ctx.seo.stored)
    return digests


def seo_digest(stored: Mapping[str, Mapping[str, Mapping[str, object]]]) -> str:
    """The SEO the plan read (`sync/seo.py`: by translation table, parent and locale)."""
    digest = hashlib.sha256()
    for table in sorted(stored):
        for parent in sorted(stored[table]):
            for locale, row in sorted(stored[table][parent].items()):
                digest.update(repr((table, parent, locale, row)).encode() + b"\n")
    return digest.hexdigest()


def moved_tables(saved: dict[str, str], now: dict[str, str]) -> list[str]:
    """The tables whose rows differ between the two digests, as a person names them
    (`prices`)."""
    names = sorted(set(saved) | set(now))
    shown = [_shown(name) for name in names if saved.get(name) != now.get(name)]
    return list(dict.fromkeys(shown))


_ENTITIES = {
    "org_locale": "org locale",
    "org_brand": "brand",
    "org_market": "market",
    "org_instructor_affiliation": "instructor",
    "org_product": "product",
    "org_product_collection": "collection",
    "org_discount": "offer",
    "org_discount_amount": "offer amount",
    "org_promotion": "promotion",
}


def _shown(table: str) -> str:
    """`prices`, `products`; a table without a noun by its name (`product translation`)."""
    noun = _ENTITIES.get(table) or NOUNS.get(table)
    return f"{noun}s" if noun else table.removeprefix("org_").replace("_", " ")
