"""The tables a catalog import writes, with their natural keys within the org and the columns the
files decide, in the order their foreign keys need (parents first)."""

from __future__ import annotations

from volmify_cli.services.sync.rows import Table

DEFAULT = ("is_default",)


def translation(name: str, parent: str, *fields: str) -> Table:
    return Table(
        name,
        key=(parent, "locale_key"),
        data=("is_default", *fields),
        has_id=False,
        flags=DEFAULT,
        bools=DEFAULT,
        ids=(parent,),
    )


def link(name: str, left: str, right: str) -> Table:
    return Table(name, key=(left, right), data=(), has_id=False, ids=(left, right))


ORG_LOCALE = Table(
    "org_locale",
    key=("locale_key",),
    data=("is_default",),
    has_id=False,
    flags=DEFAULT,
    bools=DEFAULT,
    insert_only=("sort_order",),
)
BRAND = Table("org_brand", key=("slug",), data=())
BRAND_TR = translation("org_brand_translation", "brand_id", "name", "description")
MARKET = Table(
    "org_market",
    key=("slug",),
    data=("type", "currency_code", "brand_id", "domain", "is_default", "status"),
    flags=DEFAULT,
    bools=DEFAULT,
    ids=("brand_id",),
)
MARKET_TR = translation("org_market_translation", "market_id", "name")
MARKET_LOCALE = Table(
    "org_market_locale",
    key=("market_id", "locale_key"),
    data=("is_default",),
    has_id=False,
    flags=DEFAULT,
    bools=DEFAULT,
    ids=("market_id",),
    insert_only=("sort_order",),
)
MARKET_COUNTRY = Table(
    "org_market_country",
    key=("market_id", "country_code"),
    data=("default_locale_key",),
    has_id=False,
    ids=("market_id",),
    insert_only=("sort_order",),
)
AFFILIATION = Table(
    "org_instructor_affiliation",
    key=("profile_id",),
    data=("type", "status", "default_share_bp"),
    ids=("profile_id",),
)
PRODUCT = Table("org_product", key=("slug",), data=("type", "status"))
PRODUCT_TR = translation("org_product_translation", "product_id", "title", "description")
DIGITAL = Table(
    "org_product_digital",
    key=("product_id",),
    data=("file_url", "file_size_bytes", "download_limit"),
    has_id=False,
    ids=("product_id",),
)
PHYSICAL = Table(
    "org_product_physical",
    key=("product_id",),
    data=("sku", "weight_grams", "requires_shipping"),
    has_id=False,
    bools=("requires_shipping",),
    ids=("product_id",),
)
SERVICE = Table(
    "org_product_service",
    key=("product_id",),
    data=("duration_minutes", "delivery_mode"),
    has_id=False,
    ids=("product_id",),
)
COURSE = Table(
    "org_product_course",
    key=("product_id",),
    data=("level", "difficulty", "estimated_minutes"),
    has_id=False,
    ids=("product_id",),
)
BRAND_ATTRIBUTION = Table(
    "org_product_brand_attribution",
    key=("product_id", "brand_id"),
    data=("is_primary", "share_bp"),
    has_id=False,
    flags=("is_primary",),
    bools=("is_primary",),
    ids=("product_id", "brand_id"),
    insert_only=("sort_order",),
)
INSTRUCTOR_ATTRIBUTION = Table(
    "org_product_instructor_attribution",
    key=("product_id", "profile_id"),
    data=("share_bp",),
    has_id=False,
    ids=("product_id", "profile_id"),
    insert_only=("is_primary", "sort_order"),
)
VARIANT = Table(
    "org_product_variant",
    key=("product_id", "slug"),
    data=("is_default", "status"),
    flags=DEFAULT,
    bools=DEFAULT,
    ids=("product_id",),
    insert_only=("sort_order",),
)
VARIANT_TR = translation("org_product_variant_translation", "variant_id", "name")
PLAN = Table(
    "org_product_variant_payment_plan",
    key=("variant_id", "slug"),
    data=("type", "access_tier", "is_default", "is_featured", "status", "starts_at", "ends_at"),
    flags=DEFAULT,
    bools=("is_default", "is_featured"),
    times=("starts_at", "ends_at"),
    ids=("variant_id",),
    insert_only=("sort_order",),
)
PLAN_TR = translation("org_product_variant_payment_plan_translation", "plan_id", "name")
ONE_TIME = Table(
    "org_product_variant_payment_plan_one_time",
    key=("plan_id",),
    data=("access_duration_days", "max_purchases_per_user", "allow_gifting", "is_transferable"),
    has_id=False,
    bools=("allow_gifting", "is_transferable"),
    ids=("plan_id",),
)
SUBSCRIPTION = Table(
    "org_product_variant_payment_plan_subscription",
    key=("plan_id",),
    data=("interval", "interval_count", "trial_days"),
    has_id=False,
    ids=("plan_id",),
)
USAGE = Table(
    "org_product_variant_payment_plan_usage_based",
    key=("plan_id",),
    data=("unit_name", "pricing_model", "included_units", "interval"),
    has_id=False,
    ids=("plan_id",),
    extra=(("usage_type", "metered"),),
)
PRICE = Table(
    "org_product_variant_payment_plan_market_price",
    key=("plan_id", "market_id"),
    data=("currency_code", "amount_minor", "compare_at_minor", "setup_fee_minor", "tax_behavior"),
    ids=("plan_id", "market_id"),
)
TIER = Table(
    "org_product_variant_payment_plan_usage_tier",
    key=("price_id", "sort_order"),
    data=("up_to_units", "unit_amount_minor"),
    ids=("price_id",),
    extra=(("flat_amount_minor", 0),),
)
COLLECTION = Table("org_product_collection", key=("slug",), data=())
COLLECTION_TR = translation("org_product_collection_translation", "collection_id", "name")
COLLECTION_PRODUCT = Table(
    "org_product_collection_product",
    key=("collection_id", "product_id"),
    data=("sort_order",),
    has_id=False,
    ids=("collection_id", "product_id"),
)
WINDOW = ("starts_at", "ends_at")
DISCOUNT = Table(
    "org_discount",
    key=("slug",),
    data=(
        "type",
        "percent_bp",
        "amount_minor",
        "currency_code",
        "duration",
        "duration_periods",
        "starts_at",
        "ends_at",
        "usage_limit",
        "is_active",
    ),
    bools=("is_active",),
    times=WINDOW,
)
DISCOUNT_TR = translation("org_discount_translation", "discount_id", "name")
DISCOUNT_PRODUCT = link("org_discount_product", "discount_id", "product_id")
DISCOUNT_VARIANT = link("org_discount_variant", "discount_id", "variant_id")
DISCOUNT_PLAN = link("org_discount_plan", "discount_id", "plan_id")
DISCOUNT_COLLECTION = link("org_discount_collection", "discount_id", "collection_id")
DISCOUNT_MARKET = link("org_discount_market", "discount_id", "market_id")
COUPON = Table(
    "org_coupon",
    key=("code_normalized",),
    data=("discount_id", "code", "usage_limit", "starts_at", "ends_at"),
    times=WINDOW,
    ids=("discount_id",),
)
PROMOTION = Table("org_promotion", key=("slug",), data=WINDOW, times=WINDOW)
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
    PRODUCT_TR,
    DIGITAL,
    PHYSICAL,
    SERVICE,
    COURSE,
    BRAND_ATTRIBUTION,
    INSTRUCTOR_ATTRIBUTION,
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
