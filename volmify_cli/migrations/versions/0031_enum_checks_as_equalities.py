"""every CHECK that a column holds one of a list: equalities joined by OR, not IN (...)

SQLite builds the lookup table of an IN list anew for every row it checks: 2 us a row, where the
same condition written as `status = 'paid' OR status = 'partially_refunded' OR ...` takes 0.05
us. A sales line writes five rows with such a CHECK (its order, its entry, three splits): 10%
of a 200,000-line import on SQLite (26.5 s -> 23.9 s). The conditions are the same, NULL included, so
no stored row is looked at: on SQLite the tables' stored CREATE TABLE text is edited in place
(`migrations/sqlite_tables.edit_in_place`, SQLite's documented procedure for such a change: no
table is copied, however large the ledger); PostgreSQL drops and adds each constraint (it reads
each table once to validate it). The models write them with `models/base.one_of`.

Revision ID: 0031_enum_checks_as_equalities
Revises: 0030_item_plan_of_its_variant
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from alembic import op

from volmify_cli.migrations.sqlite_tables import edit_in_place, replace_once

revision = "0031_enum_checks_as_equalities"
down_revision = "0030_item_plan_of_its_variant"
branch_labels = None
depends_on = None

LEVELS = ("beginner", "intermediate", "advanced", "expert")
RECIPIENTS = ("instructor", "brand", "org")
INTERVALS = ("day", "week", "month", "year")
PROGRESS = ("not_started", "in_progress", "completed")


class OneOf(NamedTuple):
    """One CHECK constraint: `column` holds one of `values` (or is NULL, written out, where
    `nullable`)."""

    table: str
    name: str
    column: str
    values: tuple[str, ...]
    nullable: bool = False

    def condition(self, *, equalities: bool) -> str:
        if equalities:
            text = " OR ".join(f"{self.column} = '{value}'" for value in self.values)
        else:
            text = f"{self.column} IN ({', '.join(repr(value) for value in self.values)})"
        return f"{self.column} IS NULL OR {text}" if self.nullable else text

    def clause(self, *, equalities: bool) -> str:
        """As SQLAlchemy writes it in SQLite's stored CREATE TABLE text."""
        return f"CONSTRAINT {self.name} CHECK ({self.condition(equalities=equalities)})"


CHECKS = (
    OneOf("locale", "ck_locale_direction_valid", "direction", ("ltr", "rtl")),
    OneOf("org", "ck_org_status_valid", "status", ("active", "suspended", "archived")),
    OneOf("org_discount", "ck_org_discount_duration_valid", "duration",
          ("once", "repeating", "forever")),
    OneOf("org_discount", "ck_org_discount_type_valid", "type", ("percentage", "fixed_amount")),
    OneOf("org_instructor_affiliation", "ck_org_instructor_affiliation_status_valid", "status",
          ("pending", "active", "suspended", "ended")),
    OneOf("org_instructor_affiliation", "ck_org_instructor_affiliation_type_valid", "type",
          ("owner", "employee", "contractor", "partner", "guest")),
    OneOf("org_ledger_close", "ck_org_ledger_close_action_valid", "action", ("close", "reopen")),
    OneOf("org_ledger_entry", "ck_org_ledger_entry_entry_kind_valid", "entry_kind",
          ("sale", "refund", "reversal", "correction")),
    OneOf("org_lesson", "ck_org_lesson_type_valid", "type",
          ("video", "text", "quiz", "assignment", "interactive")),
    OneOf("org_market", "ck_org_market_status_valid", "status", ("active", "inactive")),
    OneOf("org_market", "ck_org_market_type_valid", "type",
          ("single_country", "multi_region", "linguistic", "economic", "custom")),
    OneOf("org_member", "ck_org_member_role_valid", "role",
          ("owner", "admin", "instructor", "member")),
    OneOf("org_member", "ck_org_member_status_valid", "status",
          ("invited", "active", "suspended", "left")),
    OneOf("org_member_course_enrollment", "ck_org_member_course_enrollment_status_valid",
          "status", PROGRESS),
    OneOf("org_member_lesson_progress", "ck_org_member_lesson_progress_status_valid", "status",
          PROGRESS),
    OneOf("org_member_subscription", "ck_org_member_subscription_status_valid", "status",
          ("trialing", "active", "past_due", "canceled", "expired")),
    OneOf("org_order", "ck_org_order_status_valid", "status",
          ("paid", "partially_refunded", "refunded")),
    OneOf("org_order_item_allocation", "ck_org_order_item_allocation_recipient_kind_valid",
          "recipient_kind", RECIPIENTS),
    OneOf("org_payout", "ck_org_payout_recipient_kind_valid", "recipient_kind",
          ("instructor", "brand")),
    OneOf("org_product", "ck_org_product_status_valid", "status", ("draft", "active", "archived")),
    OneOf("org_product", "ck_org_product_type_valid", "type",
          ("course", "digital", "physical", "service")),
    OneOf("org_product_course", "ck_org_product_course_level_valid", "level", LEVELS),
    OneOf("org_product_course_rating", "ck_org_product_course_rating_level_rating_valid",
          "level_rating", LEVELS),
    OneOf("org_product_course_skill", "ck_org_product_course_skill_kind_valid", "kind",
          ("taught", "prerequisite")),
    OneOf("org_product_course_skill", "ck_org_product_course_skill_proficiency_level_valid",
          "proficiency_level", LEVELS, nullable=True),
    OneOf("org_product_service", "ck_org_product_service_delivery_mode_valid", "delivery_mode",
          ("online", "in_person", "hybrid")),
    OneOf("org_product_variant", "ck_org_product_variant_status_valid", "status",
          ("active", "inactive")),
    OneOf("org_product_variant_payment_plan", "ck_org_product_variant_payment_plan_status_valid",
          "status", ("active", "inactive", "archived")),
    OneOf("org_product_variant_payment_plan", "ck_org_product_variant_payment_plan_type_valid",
          "type", ("one_time", "subscription", "usage_based")),
    OneOf("org_product_variant_payment_plan_market_price",
          "ck_org_product_variant_payment_plan_market_price_tax_b_4fa602bd", "tax_behavior",
          ("inclusive", "exclusive")),
    OneOf("org_product_variant_payment_plan_subscription",
          "ck_org_product_variant_payment_plan_subscription_interval_valid", "interval",
          INTERVALS),
    OneOf("org_product_variant_payment_plan_usage_based",
          "ck_org_product_variant_payment_plan_usage_based_interval_valid", "interval", INTERVALS),
    OneOf("org_product_variant_payment_plan_usage_based",
          "ck_org_product_variant_payment_plan_usage_based_pricin_f57ff7fd", "pricing_model",
          ("per_unit", "tiered", "volume")),
    OneOf("org_product_variant_payment_plan_usage_based",
          "ck_org_product_variant_payment_plan_usage_based_usage__bc708cd1", "usage_type",
          ("metered", "licensed")),
    OneOf("org_revenue_day_recipient", "ck_org_revenue_day_recipient_recipient_kind_valid",
          "recipient_kind", RECIPIENTS),
    OneOf("org_revenue_month_recipient", "ck_org_revenue_month_recipient_recipient_kind_valid",
          "recipient_kind", RECIPIENTS),
    OneOf("platform_marketplace_listing", "ck_platform_marketplace_listing_status_valid",
          "status", ("draft", "listed", "delisted")),
    OneOf("user_profile", "ck_user_profile_type_valid", "type", ("main", "instructor")),
)  # fmt: skip


def _rewritten(checks: list[OneOf], *, equalities: bool) -> Callable[[str], str]:
    def edit(sql: str) -> str:
        for check in checks:
            sql = replace_once(
                sql, check.clause(equalities=not equalities), check.clause(equalities=equalities)
            )
        return sql

    return edit


def _rewrite(*, equalities: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        tables: dict[str, list[OneOf]] = {}
        for check in CHECKS:
            tables.setdefault(check.table, []).append(check)
        for table, checks in tables.items():
            edit_in_place(table, _rewritten(checks, equalities=equalities))
        return
    # An upgrade runs every revision in one transaction, and PostgreSQL refuses to ALTER a table
    # with deferred foreign-key checks still pending from rows an earlier revision wrote (0029's
    # day totals): they are checked now, as they would have been at the commit.
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for check in CHECKS:
        op.drop_constraint(check.name, check.table, type_="check")
        op.create_check_constraint(check.name, check.table, check.condition(equalities=equalities))


def upgrade() -> None:
    _rewrite(equalities=True)


def downgrade() -> None:
    _rewrite(equalities=False)
