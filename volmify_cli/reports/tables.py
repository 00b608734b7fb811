"""Lightweight Core views of the tables the reports read.

A report is one aggregate query; importing the SQLModel classes of every table it touches (and
the lookups that pull in the whole catalog's models) would cost more start-up time than a
report over a small ledger takes to run. These `table()` clauses name only the columns the
reports use, with the same column types; a test checks them against the models' metadata.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Integer, String, TableClause, Uuid, column, table

from volmify_cli.db.types import UTCDateTime


def _table(name: str, *columns: tuple[str, object]) -> TableClause:
    return table(name, *(column(key, kind) for key, kind in columns))  # type: ignore[arg-type]


ID = Uuid()
ORDER = _table(
    "org_order",
    ("org_id", ID), ("id", ID), ("ordered_at", UTCDateTime()), ("market_id", ID),
    ("currency_code", String()),
)  # fmt: skip
ITEM = _table(
    "org_order_item",
    ("org_id", ID), ("id", ID), ("order_id", ID), ("product_id", ID),
    ("line_amount_minor", BigInteger()), ("net_minor", BigInteger()),
)  # fmt: skip
ALLOCATION = _table(
    "org_order_item_allocation",
    ("org_id", ID), ("item_id", ID), ("recipient_kind", String()), ("profile_id", ID),
    ("brand_id", ID), ("share_bp", Integer()), ("amount_minor", BigInteger()),
    ("currency_code", String()),
)  # fmt: skip
PRODUCT_BRAND = _table(
    "org_product_brand_attribution",
    ("org_id", ID), ("product_id", ID), ("brand_id", ID), ("is_primary", Boolean()),
)  # fmt: skip
ORG = _table("org", ("id", ID), ("slug", String()), ("name", String()))
PROFILE = _table(
    "user_profile", ("id", ID), ("slug", String()), ("display_name", String()), ("type", String())
)
PRODUCT = _table("org_product", ("org_id", ID), ("id", ID), ("slug", String()))
MARKET = _table("org_market", ("org_id", ID), ("id", ID), ("slug", String()))
BRAND = _table("org_brand", ("org_id", ID), ("id", ID), ("slug", String()))


def _translation(name: str, parent: str, field: str) -> TableClause:
    return _table(
        name,
        ("org_id", ID), (parent, ID), ("locale_key", String()), ("is_default", Boolean()),
        (field, String()),
    )  # fmt: skip


PRODUCT_TITLE = _translation("org_product_translation", "product_id", "title")
MARKET_NAME = _translation("org_market_translation", "market_id", "name")
BRAND_NAME = _translation("org_brand_translation", "brand_id", "name")

ALL = (
    ORDER, ITEM, ALLOCATION, PRODUCT_BRAND, ORG, PROFILE, PRODUCT, MARKET, BRAND, PRODUCT_TITLE,
    MARKET_NAME, BRAND_NAME,
)  # fmt: skip
