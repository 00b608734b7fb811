"""The migration revisions this volmify knows, oldest first, as constants.

Ordinary commands compare the database's revision with HEAD without importing Alembic (start-up
is a feature); a test keeps these constants equal to the revision scripts.
"""

REVISIONS: tuple[str, ...] = (
    "0001_reference",
    "0002_identity",
    "0003_orgs",
    "0004_catalog",
    "0005_offers",
    "0006_courses",
    "0007_sales",
    "0008_child_org_fks",
    "0009_catalog_fingerprints",
    "0010_price_child_of_plan",
    "0011_course_own_lessons",
    "0012_refunds_return_tax",
    "0013_payouts",
    "0014_ledger_entries",
    "0015_ledger_updates_and_closes",
    "0016_org_timezone",
    "0017_revenue_rollups",
    "0018_catalog_managed",
    "0019_metadata",
    "0020_market_country_once",
    "0021_offer_amounts",
    "0022_rating_rated_at",
    "0023_collection_seo",
    "0024_usage_unit_prices",
    "0025_per_unit_prices",
    "0026_allocation_entry_reference",
    "0027_allocation_child_of_entry",
    "0028_split_part_of_entry",
    "0029_day_totals_in_months",
    "0030_item_plan_of_its_variant",
    "0031_enum_checks_as_equalities",
)
HEAD = REVISIONS[-1]
