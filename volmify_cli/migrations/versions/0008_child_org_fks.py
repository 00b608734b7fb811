"""child tables drop their own org_id -> org FK (their cascading tenant FK carries the tenant)

A child table has a cascading composite tenant FK `(org_id, parent_id) -> parent(org_id, id)` to
an org-owned parent: the parent's row proves that the org exists and deleting the org cascades
through the parent, so the child's own FK to `org` only costs a trigger per written row. Tables
that hold a NO ACTION tenant FK to a table the org's cascade reaches sooner keep theirs (see the
note in volmify_cli/models/base.py); they are not listed here.

SQLite cannot drop a constraint: each table is rebuilt from its own stored CREATE TABLE text with
the one constraint clause removed (or added back) (`migrations/sqlite_tables.py`).

Revision ID: 0008_child_org_fks
Revises: 0007_sales
"""

from __future__ import annotations

import re
from functools import partial

from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, with_clauses

revision = "0008_child_org_fks"
down_revision = "0007_sales"
branch_labels = None
depends_on = None

# (table, name of its org_id -> org.id FK), as the naming convention names them.
CHILD_ORG_FKS: tuple[tuple[str, str], ...] = (
    ("org_brand_contact_info", "fk_org_brand_contact_info_org_id_org"),
    ("org_coupon", "fk_org_coupon_org_id_org"),
    ("org_course_module", "fk_org_course_module_org_id_org"),
    ("org_course_module_section", "fk_org_course_module_section_org_id_org"),
    ("org_discount_collection", "fk_org_discount_collection_org_id_org"),
    ("org_discount_market", "fk_org_discount_market_org_id_org"),
    ("org_discount_plan", "fk_org_discount_plan_org_id_org"),
    ("org_discount_product", "fk_org_discount_product_org_id_org"),
    ("org_discount_variant", "fk_org_discount_variant_org_id_org"),
    ("org_member_course_enrollment", "fk_org_member_course_enrollment_org_id_org"),
    ("org_member_lesson_progress", "fk_org_member_lesson_progress_org_id_org"),
    ("org_member_subscription", "fk_org_member_subscription_org_id_org"),
    ("org_product_brand_attribution", "fk_org_product_brand_attribution_org_id_org"),
    ("org_product_collection_product", "fk_org_product_collection_product_org_id_org"),
    ("org_product_course", "fk_org_product_course_org_id_org"),
    ("org_product_course_rating", "fk_org_product_course_rating_org_id_org"),
    ("org_product_course_skill", "fk_org_product_course_skill_org_id_org"),
    ("org_product_digital", "fk_org_product_digital_org_id_org"),
    ("org_product_physical", "fk_org_product_physical_org_id_org"),
    ("org_product_service", "fk_org_product_service_org_id_org"),
    ("org_product_variant", "fk_org_product_variant_org_id_org"),
    ("org_product_variant_payment_plan", "fk_org_product_variant_payment_plan_org_id_org"),
    (
        "org_product_variant_payment_plan_one_time",
        "fk_org_product_variant_payment_plan_one_time_org_id_org",
    ),
    (
        "org_product_variant_payment_plan_subscription",
        "fk_org_product_variant_payment_plan_subscription_org_id_org",
    ),
    (
        "org_product_variant_payment_plan_usage_based",
        "fk_org_product_variant_payment_plan_usage_based_org_id_org",
    ),
    (
        "org_product_variant_payment_plan_usage_tier",
        "fk_org_product_variant_payment_plan_usage_tier_org_id_org",
    ),
    ("org_promotion_discount", "fk_org_promotion_discount_org_id_org"),
    ("platform_marketplace_listing", "fk_platform_marketplace_listing_org_id_org"),
)


def _clause(name: str) -> str:
    return f"CONSTRAINT {name} FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE"


def _without(sql: str, name: str) -> str:
    new, count = re.subn(rf",\s*{re.escape(_clause(name))}", "", sql)
    if count != 1:
        raise RuntimeError(f"expected one {name} clause in the stored CREATE TABLE, found {count}")
    return new


def _with(sql: str, name: str) -> str:
    if _clause(name) in sql:
        raise RuntimeError(f"{name} is already in the stored CREATE TABLE")
    return with_clauses(sql, _clause(name))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, name in CHILD_ORG_FKS:
        if sqlite:
            rebuild_table(table, partial(_without, name=name))
        else:
            op.drop_constraint(name, table, type_="foreignkey")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, name in CHILD_ORG_FKS:
        if sqlite:
            rebuild_table(table, partial(_with, name=name))
        else:
            op.create_foreign_key(name, table, "org", ["org_id"], ["id"], ondelete="CASCADE")
