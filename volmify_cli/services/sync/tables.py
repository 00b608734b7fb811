"""The tables a catalog import writes, with their natural keys within the org and the columns the
files decide, in the order their foreign keys need (parents first).

What a column *is* comes from the models' metadata, never restated here: whether the table has
an `id`, which columns hold ids (compared as hex text), flags (0/1 on SQLite) and timestamps.
What the catalog *does* with it is declared: the natural key, the data the files decide, the
columns set once on insert. Every other column of a table is listed in NOT_WRITTEN with the
reason the catalog leaves it alone (tests/test_sync_tables.py holds the two to the schema).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from volmify_cli.db.types import UTCDateTime
from volmify_cli.models import load_all
from volmify_cli.services.sync.rows import Table

DEFAULT = ("is_default",)
STAMPS = ("org_id", "created_at", "updated_at")  # written by the writer itself
_METADATA = load_all()


def spec(
    name: str,
    *,
    key: tuple[str, ...],
    data: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
    insert_only: tuple[str, ...] = (),
    extra: tuple[tuple[str, Any], ...] = (),
    managed: bool = False,
) -> Table:
    """The table `name` as the catalog writes it; the kinds of its columns from the models."""
    columns = _METADATA.tables[name].columns
    compared = key + data

    def of_kind(kind: Any, among: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(c for c in among if isinstance(columns[c].type, kind))

    return Table(
        name,
        key=key,
        data=data,
        has_id="id" in columns,
        flags=flags,
        bools=of_kind(sa.Boolean, compared),
        times=of_kind((sa.DateTime, UTCDateTime), data),
        ids=of_kind(sa.Uuid, compared),
        extra=extra,
        insert_only=insert_only,
        managed=managed,
    )


def translation(name: str, parent: str, *fields: str) -> Table:
    return spec(name, key=(parent, "locale_key"), data=("is_default", *fields), flags=DEFAULT)


def link(name: str, left: str, right: str) -> Table:
    return spec(name, key=(left, right))


ORG_LOCALE = spec(
    "org_locale",
    key=("locale_key",),
    data=("is_default",),
    flags=DEFAULT,
    insert_only=("sort_order",),
)
BRAND = spec("org_brand", key=("slug",), data=(), managed=True)
BRAND_TR = translation("org_brand_translation", "brand_id", "name", "description")
MARKET = spec(
    "org_market",
    key=("slug",),
    data=("type", "currency_code", "brand_id", "domain", "is_default", "status"),
    flags=DEFAULT,
    managed=True,
)
MARKET_TR = translation("org_market_translation", "market_id", "name")
# A market's locales and countries keep the order they are written in (the first locale is
# the market's default): the order is compared and rewritten like any other value.
MARKET_LOCALE = spec(
    "org_market_locale",
    key=("market_id", "locale_key"),
    data=("is_default", "sort_order"),
    flags=DEFAULT,
)
MARKET_COUNTRY = spec(
    "org_market_country",
    key=("market_id", "country_code"),
    data=("default_locale_key", "sort_order"),
)
AFFILIATION = spec(
    "org_instructor_affiliation",
    key=("profile_id",),
    data=("type", "status", "default_share_bp", "started_at", "ended_at"),
    managed=True,
)
PRODUCT = spec("org_product", key=("slug",), data=("type", "status", "metadata_json"), managed=True)
PRODUCT_TR = translation("org_product_translation", "product_id", "title", "description")
DIGITAL = spec(
    "org_product_digital",
    key=("product_id",),
    data=("file_url", "file_size_bytes", "download_limit"),
)
PHYSICAL = spec(
    "org_product_physical",
    key=("product_id",),
    data=("sku", "weight_grams", "requires_shipping"),
)
SERVICE = spec(
    "org_product_service",
    key=("product_id",),
    data=("duration_minutes", "delivery_mode"),
)
COURSE = spec(
    "org_product_course",
    key=("product_id",),
    data=("level", "difficulty", "estimated_minutes"),
)
BRAND_ATTRIBUTION = spec(
    "org_product_brand_attribution",
    key=("product_id", "brand_id"),
    data=("is_primary", "share_bp"),
    flags=("is_primary",),
    insert_only=("sort_order",),
)
INSTRUCTOR_ATTRIBUTION = spec(
    "org_product_instructor_attribution",
    key=("product_id", "profile_id"),
    data=("share_bp",),
    insert_only=("is_primary", "sort_order"),
)
# The tables keyed by a product's id (below it, beside its variants).
OF_PRODUCT = (
    PRODUCT_TR,
    DIGITAL,
    PHYSICAL,
    SERVICE,
    COURSE,
    BRAND_ATTRIBUTION,
    INSTRUCTOR_ATTRIBUTION,
)
VARIANT = spec(
    "org_product_variant",
    key=("product_id", "slug"),
    data=("is_default", "status", "metadata_json"),
    flags=DEFAULT,
    insert_only=("sort_order",),
)
VARIANT_TR = translation("org_product_variant_translation", "variant_id", "name")
PLAN = spec(
    "org_product_variant_payment_plan",
    key=("variant_id", "slug"),
    data=(
        "type",
        "access_tier",
        "is_default",
        "is_featured",
        "status",
        "starts_at",
        "ends_at",
        "metadata_json",
    ),
    flags=DEFAULT,
    insert_only=("sort_order",),
)
PLAN_TR = translation("org_product_variant_payment_plan_translation", "plan_id", "name")
ONE_TIME = spec(
    "org_product_variant_payment_plan_one_time",
    key=("plan_id",),
    data=("access_duration_days", "max_purchases_per_user", "allow_gifting", "is_transferable"),
)
SUBSCRIPTION = spec(
    "org_product_variant_payment_plan_subscription",
    key=("plan_id",),
    data=("interval", "interval_count", "trial_days"),
)
USAGE = spec(
    "org_product_variant_payment_plan_usage_based",
    key=("plan_id",),
    data=("unit_name", "pricing_model", "included_units", "interval"),
    extra=(("usage_type", "metered"),),
)
PRICE = spec(
    "org_product_variant_payment_plan_market_price",
    key=("plan_id", "market_id"),
    data=(
        "currency_code", "amount_minor", "compare_at_minor", "setup_fee_minor", "tax_behavior",
        "unit_amount_e12",
    ),
)  # fmt: skip
TIER = spec(
    "org_product_variant_payment_plan_usage_tier",
    key=("price_id", "sort_order"),
    data=("up_to_units", "unit_amount_e12"),
    extra=(("flat_amount_minor", 0),),
)
COLLECTION = spec("org_product_collection", key=("slug",), data=("metadata_json",), managed=True)
COLLECTION_TR = translation("org_product_collection_translation", "collection_id", "name")
COLLECTION_PRODUCT = spec(
    "org_product_collection_product",
    key=("collection_id", "product_id"),
    data=("sort_order",),
)
WINDOW = ("starts_at", "ends_at")
DISCOUNT = spec(
    "org_discount",
    key=("slug",),
    data=(
        "type",
        "percent_bp",
        "duration",
        "duration_periods",
        "starts_at",
        "ends_at",
        "usage_limit",
        "is_active",
    ),
    managed=True,
)
# A fixed-amount offer's amount in each of its currencies.
DISCOUNT_AMOUNT = spec(
    "org_discount_amount", key=("discount_id", "currency_code"), data=("amount_minor",)
)
DISCOUNT_TR = translation("org_discount_translation", "discount_id", "name")
DISCOUNT_PRODUCT = link("org_discount_product", "discount_id", "product_id")
DISCOUNT_VARIANT = link("org_discount_variant", "discount_id", "variant_id")
DISCOUNT_PLAN = link("org_discount_plan", "discount_id", "plan_id")
DISCOUNT_COLLECTION = link("org_discount_collection", "discount_id", "collection_id")
DISCOUNT_MARKET = link("org_discount_market", "discount_id", "market_id")
COUPON = spec(
    "org_coupon",
    key=("code_normalized",),
    data=("discount_id", "code", "usage_limit", "starts_at", "ends_at"),
)
PROMOTION = spec("org_promotion", key=("slug",), data=WINDOW, managed=True)
PROMOTION_TR = translation("org_promotion_translation", "promotion_id", "name")
PROMOTION_DISCOUNT = link("org_promotion_discount", "promotion_id", "discount_id")

ORDER: tuple[Table, ...] = (
    ORG_LOCALE,
    BRAND,
    BRAND_TR,
    MARKET,
    MARKET_TR,
    MARKET_LOCALE,
    MARKET_COUNTRY,
    AFFILIATION,
    PRODUCT,
    *OF_PRODUCT,
    VARIANT,
    VARIANT_TR,
    PLAN,
    PLAN_TR,
    ONE_TIME,
    SUBSCRIPTION,
    USAGE,
    PRICE,
    TIER,
    COLLECTION,
    COLLECTION_TR,
    COLLECTION_PRODUCT,
    DISCOUNT,
    DISCOUNT_AMOUNT,
    DISCOUNT_TR,
    DISCOUNT_PRODUCT,
    DISCOUNT_VARIANT,
    DISCOUNT_PLAN,
    DISCOUNT_COLLECTION,
    DISCOUNT_MARKET,
    COUPON,
    PROMOTION,
    PROMOTION_TR,
    PROMOTION_DISCOUNT,
)

# Columns of these tables that a catalog import leaves alone, and why (the rest it writes).
NOT_WRITTEN: dict[str, dict[str, str]] = {
    "org_locale": {"is_active": "set by `orgs locales`, not by a catalog"},
    "org_brand": {
        "logo_url": "no catalog key yet",
        "is_active": "set by `orgs brands`, not by a catalog",
    },
    "org_brand_translation": {
        "story": "no catalog key yet",
        "seo_metadata_id": "written by sync/seo.py after the rows (seo:, issue 21)",
    },
    "org_market_translation": {"description": "no catalog key yet"},
    "org_product": {"thumbnail_url": "set by `products update --thumbnail-url` only"},
    "org_product_translation": {
        "seo_metadata_id": "written by sync/seo.py after the rows (seo:, issue 21)"
    },
    "org_product_digital": {"product_type": "a constant: the server default, part of the key"},
    "org_product_physical": {"product_type": "a constant: the server default, part of the key"},
    "org_product_service": {"product_type": "a constant: the server default, part of the key"},
    "org_product_course": {"product_type": "a constant: the server default, part of the key"},
    "org_product_instructor_attribution": {"role": "set by `products attribute`"},
    "org_product_variant_translation": {"description": "no catalog key yet"},
    "org_product_variant_payment_plan_translation": {"description": "no catalog key yet"},
    "org_product_variant_payment_plan_one_time": {
        "plan_type": "a constant: the server default, part of the key"
    },
    "org_product_variant_payment_plan_subscription": {
        "plan_type": "a constant: the server default, part of the key"
    },
    "org_product_variant_payment_plan_usage_based": {
        "plan_type": "a constant: the server default, part of the key"
    },
    "org_product_collection": {"is_active": "set by `collections`, not by a catalog"},
    "org_product_collection_translation": {
        "description": "no catalog key yet",
        "seo_metadata_id": "written by sync/seo.py after the rows (seo:, issue 21)",
    },
    "org_discount_translation": {"description": "no catalog key yet"},
    "org_coupon": {"is_active": "set by `offers coupons`, not by a catalog"},
    "org_promotion": {"is_active": "set by `offers promotions`, not by a catalog"},
    "org_promotion_translation": {"description": "no catalog key yet"},
}
