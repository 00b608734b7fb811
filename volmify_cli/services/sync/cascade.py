"""What goes with a deleted entity: the rows that ON DELETE CASCADE removes with it, counted by
kind (`3 modules, 12 lessons, 2 plans, 8 prices`), so that a plan names them before anything is
deleted. The tables below an entity are found in the models' foreign keys, not listed by hand:
a table added later is walked too (and counted once it has a noun below)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from functools import cache

from volmify_cli.db.bulk import Bulk
from volmify_cli.models import load_all

# The rows a person counts, by table; the others (translations, type extensions, fingerprints)
# are parts of the entity itself and go with it unnamed, but their own children are walked.
NOUNS: dict[str, str] = {
    "org_product_variant": "variant",
    "org_product_variant_payment_plan": "plan",
    "org_product_variant_payment_plan_market_price": "price",
    "org_product_variant_payment_plan_usage_tier": "price tier",
    "org_product_brand_attribution": "attribution",
    "org_product_instructor_attribution": "attribution",
    "org_product_collection_product": "collection placement",
    "org_discount_product": "offer target",
    "org_discount_variant": "offer target",
    "org_discount_plan": "offer target",
    "org_discount_collection": "offer target",
    "org_discount_market": "offer target",
    "org_coupon": "coupon",
    "org_promotion_discount": "promotion link",
    "org_course_module": "module",
    "org_course_module_section": "section",
    "org_course_module_section_lesson": "lesson placement",
    "org_lesson": "lesson",
    "org_member_lesson_progress": "progress record",
    "org_product_course_rating": "rating",
    "org_product_course_skill": "skill link",
    "org_market_country": "country",
    "platform_marketplace_listing": "marketplace listing",
}
CHUNK = 500  # ids per IN (...) list
MAX_DEPTH = 8


@cache
def _children(table: str) -> tuple[tuple[str, str, str], ...]:
    """(child table, its column, the column of `table` it points at) for every foreign key
    that deletes the child with a row of `table`."""
    found = []
    for child in load_all().sorted_tables:
        for key in child.foreign_key_constraints:
            if key.referred_table.name != table or (key.ondelete or "").upper() != "CASCADE":
                continue
            for element in key.elements:
                own, parent = element.parent.name, element.column.name
                if own != "org_id" and parent != "org_id" and parent.endswith("id"):
                    found.append((child.name, own, parent))
    return tuple(sorted(found))


def cascade_counts(
    db: Bulk, table: str, org_id: str, ids: Collection[str]
) -> dict[str, Counter[str]]:
    """For each id (hex) of the org's rows of `table`, the rows deleted with it, by noun."""
    counts: dict[str, Counter[str]] = {row_id: Counter() for row_id in ids}
    _walk(db, table, org_id, {"id": {row_id: row_id for row_id in ids}}, counts, 0)
    return counts


def _walk(
    db: Bulk,
    table: str,
    org_id: str,
    keys: dict[str, dict[str, str]],  # column of `table` -> {its value: the deleted entity}
    counts: dict[str, Counter[str]],
    depth: int,
) -> None:
    for child, column, parent_column in _children(table):
        roots = keys.get(parent_column)
        if not roots or depth >= MAX_DEPTH:
            continue
        pointed = sorted({parent for _c, _own, parent in _children(child)})
        below: dict[str, dict[str, str]] = {name: {} for name in pointed}
        noun = NOUNS.get(child)
        for row in _rows(db, child, org_id, column, pointed, list(roots)):
            root = roots[row[0]]
            if noun is not None:
                counts[root][noun] += 1
            for name, value in zip(pointed, row[1:], strict=True):
                below[name][value] = root
        if any(below.values()):
            _walk(db, child, org_id, below, counts, depth + 1)


def _rows(
    db: Bulk, table: str, org_id: str, column: str, pointed: Sequence[str], values: list[str]
) -> Iterator[tuple[str, ...]]:
    selected = ", ".join(db.id_sql(name) for name in (column, *pointed))
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT {selected} FROM {table} WHERE org_id = ? AND {column} IN ({marks})"
        yield from db.query(sql, (org_id, *chunk))


def described(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """The counts as (noun, count) pairs, most first, then by noun."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
