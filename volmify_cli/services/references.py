"""Rows that point at a row: what a delete would take with it, or what refuses it.

The schema decides (DOMAIN rule 8): children that cannot live without their parent cascade,
references that carry history refuse the delete. Walking the foreign keys of the metadata keeps
these checks true when tables are added, instead of a hand-kept list per parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session

# Table -> the noun a person understands; translation tables are all "translation".
NOUNS: dict[str, str] = {
    "org_market": "market",
    "org_market_locale": "market",
    "org_market_country": "market country",
    "org_order": "order",
    "org_order_item_allocation": "revenue allocation",
    "org_product_variant_payment_plan_market_price": "price",
    "org_product_brand_attribution": "product attribution",
    "org_product_instructor_attribution": "product attribution",
    "org_instructor_affiliation": "affiliation",
    "org_member_course_enrollment": "enrollment",
    "org_member_subscription": "subscription",
    "org_discount_market": "offer target",
}


def noun_of(table: str) -> str:
    if table.endswith("_translation"):
        return "translation"
    return NOUNS.get(table, table.replace("_", " "))


def referencing_counts(
    session: Session,
    *,
    table: str,
    key: Mapping[str, Any],
    cascade: bool | None = None,
) -> dict[str, int]:
    """How many rows of each table refer to the row of `table` identified by `key` (its column
    values, e.g. {"org_id": …, "id": …}). `cascade` picks only the foreign keys that cascade
    (True) or only those that refuse the delete (False); None counts both. Tables with no rows
    are left out. A foreign key over columns that `key` does not name is skipped."""
    from volmify_cli.models import load_all

    counts: dict[str, int] = {}
    for child in load_all().sorted_tables:
        for fk in child.foreign_key_constraints:
            if fk.referred_table.name != table:
                continue
            cascades = (fk.ondelete or "").upper() == "CASCADE"
            if cascade is not None and cascades != cascade:
                continue
            referred = [element.column.name for element in fk.elements]
            if not all(name in key for name in referred):
                continue
            condition = and_(
                *(element.parent == key[element.column.name] for element in fk.elements)
            )
            count = session.execute(
                select(func.count()).select_from(child).where(condition)
            ).scalar_one()
            if count:
                counts[child.name] = counts.get(child.name, 0) + int(count)
    return counts


def describe_counts(counts: Mapping[str, int]) -> str:
    """`{"org_order": 2, "org_product_translation": 1}` -> "2 orders and 1 translation"."""
    by_noun: dict[str, int] = {}
    for table, count in counts.items():
        noun = noun_of(table)
        by_noun[noun] = by_noun.get(noun, 0) + count
    parts = [f"{n} {noun if n == 1 else noun + 's'}" for noun, n in sorted(by_noun.items())]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
