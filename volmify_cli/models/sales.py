"""org/sales: orders, their items, the revenue ledger (dated entries and their splits), payouts.

The ledger is append-only (SPEC 5): a sale is recorded as entries dated when it was sold, a
refund as entries of its own dated when it was refunded. For every item the entries sum exactly
to the item's net. Reports read the entries dated in their period, so a refund lowers the month
of the refund and an earlier report never changes; changing an attribution later changes only
future sales.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, Index, String, column
from sqlmodel import Field

from volmify_cli.db.types import FirstOfMonth
from volmify_cli.enums import CloseAction, EntryKind, OrderStatus, RecipientKind
from volmify_cli.ids import uuid7
from volmify_cli.models.base import (
    Base,
    OrgChild,
    OrgOwned,
    check,
    child_org_id,
    currency_field,
    enum_check,
    non_negative,
    org_id_field,
    share_check,
    tenant_fk,
    text_field,
    unique,
    utc_field,
)


class OrgOrder(OrgOwned, table=True):
    """An order. `external_id` is the idempotency key of imports; a sales line's amount (tax
    included) is the order's total; net = total - tax - fee - (refunded - tax_refunded): a
    refund returns its part of the tax (SPEC 5, revision 2)."""

    __tablename__ = "org_order"

    external_id: str = text_field(200)
    ordered_at: dt.datetime = utc_field(nullable=False)
    coupon_id: uuid.UUID | None = Field(default=None)
    customer_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL"
    )
    customer_email: str | None = text_field(320, nullable=True, default=None)
    market_id: uuid.UUID = Field(nullable=False)
    currency_code: str = currency_field()
    subtotal_minor: int = Field(sa_type=BigInteger, nullable=False)
    discount_minor: int = Field(default=0, sa_type=BigInteger, nullable=False)
    tax_minor: int = Field(default=0, sa_type=BigInteger, nullable=False)
    fee_minor: int = Field(default=0, sa_type=BigInteger, nullable=False)
    refunded_minor: int = Field(default=0, sa_type=BigInteger, nullable=False)
    total_minor: int = Field(sa_type=BigInteger, nullable=False)
    status: str = Field(default=OrderStatus.PAID, sa_type=String(20), nullable=False)
    refunded_at: dt.datetime | None = utc_field()  # the line's `refunded_at`, when it says
    # A digest of the imported line, so a re-import compares one column per order.
    source_digest: str | None = text_field(64, nullable=True, default=None)
    tax_refunded_minor: int = Field(
        default=0, sa_type=BigInteger, nullable=False, sa_column_kwargs={"server_default": "0"}
    )

    __table_args__ = (
        unique("org_id", "external_id"),
        tenant_fk(["coupon_id"], "org_coupon", ondelete="NO ACTION"),
        tenant_fk(["market_id"], "org_market", ondelete="NO ACTION"),
        Index("ix_org_order_org_id_ordered_at", "org_id", "ordered_at"),
        non_negative("subtotal_minor"),
        non_negative("discount_minor"),
        non_negative("tax_minor"),
        non_negative("fee_minor"),
        non_negative("refunded_minor"),
        non_negative("total_minor"),
        check("total_balances", "total_minor = subtotal_minor - discount_minor + tax_minor"),
        check("refund_within_total", "refunded_minor <= total_minor"),
        check("tax_refund_within_tax", "tax_refunded_minor <= tax_minor"),
        check("tax_refund_within_refund", "tax_refunded_minor <= refunded_minor"),
        non_negative("tax_refunded_minor"),
        enum_check("status", OrderStatus),
    )


class OrgOrderItem(OrgChild, table=True):
    """What was bought. History restricts deletes: a product or plan that was sold stays. An
    order replaced by `sales import --update` keeps its earlier item, `superseded_at` when the
    update was recorded (its entries stay, reversed); the current item has none.

    Its variant is referenced with its product, and its plan with its variant (0030): the
    database refuses an item whose plan is not of its variant, or whose variant is not of its
    product, and a sales line's item is checked by three references, not five (its order's
    carries the tenant)."""

    __tablename__ = "org_order_item"

    order_id: uuid.UUID = Field(nullable=False)
    product_id: uuid.UUID = Field(nullable=False)
    variant_id: uuid.UUID = Field(nullable=False)
    plan_id: uuid.UUID = Field(nullable=False)
    access_tier: int = Field(default=1, nullable=False)
    quantity: int = Field(default=1, nullable=False)
    unit_amount_minor: int = Field(sa_type=BigInteger, nullable=False)
    line_amount_minor: int = Field(sa_type=BigInteger, nullable=False)
    net_minor: int = Field(sa_type=BigInteger, nullable=False)
    superseded_at: dt.datetime | None = utc_field()

    __table_args__ = (
        tenant_fk(["order_id"], "org_order"),
        tenant_fk(
            ["product_id", "variant_id"],
            "org_product_variant",
            ("product_id", "id"),
            ondelete="NO ACTION",
        ),
        tenant_fk(
            ["variant_id", "plan_id"],
            "org_product_variant_payment_plan",
            ("variant_id", "id"),
            ondelete="NO ACTION",
        ),
        Index("ix_org_order_item_org_id_order_id", "org_id", "order_id"),
        check("access_tier_min", "access_tier >= 1"),
        check("quantity_positive", "quantity > 0"),
        non_negative("unit_amount_minor"),
        non_negative("line_amount_minor"),
    )


class OrgLedgerEntry(OrgChild, table=True):
    """One event of an item in the ledger: its sale, a refund of it, or (when `sales import
    --update` replaces its order) the reversal of what it held, and the correction that records
    the order again on its new item. Dated (`entry_at`) when it counts, with the figures of
    its sales line that it adds (`line_count` 1 for a sale, 0 for a refund; gross; the net it
    adds), so keyed reports read one row per line and event. Its allocations split it."""

    __tablename__ = "org_ledger_entry"

    item_id: uuid.UUID = Field(nullable=False)
    entry_kind: str = Field(sa_type=String(20), nullable=False)
    entry_at: dt.datetime = utc_field(nullable=False)
    line_count: int = Field(nullable=False)
    line_gross_minor: int = Field(sa_type=BigInteger, nullable=False)
    line_net_minor: int = Field(sa_type=BigInteger, nullable=False)
    currency_code: str = currency_field()
    # The day it belongs to when that day was closed: it is dated the first open day instead.
    for_date: dt.date | None = Field(default=None, sa_type=Date, nullable=True)

    __table_args__ = (
        tenant_fk(["item_id"], "org_order_item"),
        Index("ix_org_ledger_entry_org_id_entry_at", "org_id", "entry_at"),
        Index("ix_org_ledger_entry_org_id_item_id", "org_id", "item_id"),
        enum_check("entry_kind", EntryKind),
    )


class OrgOrderItemAllocation(Base, table=True):
    """The revenue ledger's splits: one row per recipient of a ledger entry (a sale or refund
    of an item), with the share snapshot of the sale. A creator's refund rows are negative: they
    claw back what its sale row gave; only the org's holding of an item goes below zero.

    A split is part of its entry and is read through it: the entry holds the item, the currency
    and the time it was recorded, so a split cannot disagree with them (migration 0028; 0026
    checked the same with a four-column reference). Keyed `(org_id, entry_id, id)`: the one
    index is the table itself on SQLite (WITHOUT ROWID) and the one b-tree beside the heap on
    PostgreSQL, where it had four; a sales line writes three or four splits, the most rows of
    any table. Its brand reference is checked at commit (deferred, so deleting the org, which
    reaches brands before splits, still works; a brand with splits is refused as before), and
    it has no reference of its own to org (migration 0027)."""

    __tablename__ = "org_order_item_allocation"

    org_id: uuid.UUID = child_org_id(primary_key=True)
    entry_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    recipient_kind: str = Field(sa_type=String(20), nullable=False)
    profile_id: uuid.UUID | None = Field(default=None, foreign_key="user_profile.id")
    brand_id: uuid.UUID | None = Field(default=None)
    share_bp: int = Field(default=0, nullable=False)
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)

    __table_args__ = (
        tenant_fk(["entry_id"], "org_ledger_entry"),
        tenant_fk(["brand_id"], "org_brand", ondelete="NO ACTION", deferred=True),
        enum_check("recipient_kind", RecipientKind),
        share_check(),
        check(
            "recipient_matches_kind",
            "(recipient_kind = 'instructor' AND profile_id IS NOT NULL AND brand_id IS NULL)"
            " OR (recipient_kind = 'brand' AND brand_id IS NOT NULL AND profile_id IS NULL)"
            " OR (recipient_kind = 'org' AND profile_id IS NULL AND brand_id IS NULL)",
        ),
        {"sqlite_with_rowid": False},
    )


class OrgPayout(OrgOwned, table=True):
    """Money paid to a creator (an instructor or a brand) of the org: append-only, exact in
    minor units. What a creator is owed is what its ledger entries earned minus its payouts."""

    __tablename__ = "org_payout"

    recipient_kind: str = Field(sa_type=String(20), nullable=False)
    profile_id: uuid.UUID | None = Field(default=None, foreign_key="user_profile.id")
    brand_id: uuid.UUID | None = Field(default=None)
    currency_code: str = currency_field()
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)
    paid_at: dt.datetime = utc_field(nullable=False)
    reference: str | None = text_field(200, nullable=True, default=None)
    # The day it was paid when that day was closed: it is dated the first open day instead.
    for_date: dt.date | None = Field(default=None, sa_type=Date, nullable=True)

    __table_args__ = (
        tenant_fk(["brand_id"], "org_brand", ondelete="NO ACTION"),
        Index("ix_org_payout_org_id_paid_at", "org_id", "paid_at"),
        enum_check("recipient_kind", (RecipientKind.INSTRUCTOR, RecipientKind.BRAND)),
        check(
            "recipient_matches_kind",
            "(recipient_kind = 'instructor' AND profile_id IS NOT NULL AND brand_id IS NULL)"
            " OR (recipient_kind = 'brand' AND brand_id IS NOT NULL AND profile_id IS NULL)",
        ),
        check("amount_positive", "amount_minor > 0"),
    )


class OrgLedgerClose(OrgOwned, table=True):
    """Finance's lock date, as a history: each `revenue close PERIOD` or `revenue reopen PERIOD`
    with who did it and when (`created_at`). The latest row's `closed_through` is the last
    closed day (None: nothing is closed). Entries and payouts dated on a closed day are dated
    the first open day instead, keeping the day they belong to (`for_date`)."""

    __tablename__ = "org_ledger_close"

    action: str = Field(sa_type=String(20), nullable=False)
    period: str = text_field(40)
    closed_through: dt.date | None = Field(default=None, sa_type=Date, nullable=True)
    recorded_by: str = text_field(200)

    __table_args__ = (
        Index("ix_org_ledger_close_org_id_created_at", "org_id", "created_at"),
        enum_check("action", CloseAction),
    )


# -- the ledger's running totals (SPEC 7: reports read these, never the whole ledger) -----------
#
# Kept in the transaction that records the entries (`db/rollups.RollupDeltas`), one row per day of
# the org's time zone and currency and key, adding every entry dated that day, and the same per
# month (a report reads whole months there, and the days at its period's edges). Derived data:
# `db/rollups.rebuild` recomputes an org's rows from its entries (a new time zone moves days).


class LineTotals(Base):
    """What a running total adds up: the sales lines, their gross and their net (columns of
    every `org_revenue_*` table)."""

    line_count: int = Field(sa_type=BigInteger, nullable=False)
    gross_minor: int = Field(sa_type=BigInteger, nullable=False)
    net_minor: int = Field(sa_type=BigInteger, nullable=False)


# On SQLite a day's row lives in its key's b-tree (WITHOUT ROWID): one b-tree written per row,
# not a rowid table and its key's index (as the splits, 0028).
_ONE_B_TREE = {"sqlite_with_rowid": False}


def _in_its_month(key: list[str], month_table: str) -> tuple[Any, ...]:
    """A day's running total is part of its month's: one cascading reference to the month's row
    (same org, month, currency and key) vouches for the org, the currency and the key, where
    three references would each cost a check per row written (on PostgreSQL about 8.5 us each,
    a quarter of a million day rows per 200,000 sales lines); its key starts with that
    reference's columns, so a month's delete finds its days by the key. `month` is the first day
    of `day`'s month (CHECK, in each database's own SQL)."""
    return (
        tenant_fk(["month", "currency_code", *key], month_table, ["month", "currency_code", *key]),
        CheckConstraint(column("month") == FirstOfMonth(column("day")), name="month_of_day"),
    )


class OrgRevenueDayProduct(LineTotals, table=True):
    """Per day, currency and product: the sales lines, gross and net the entries add."""

    __tablename__ = "org_revenue_day_product"

    org_id: uuid.UUID = child_org_id(primary_key=True)
    month: dt.date = Field(sa_type=Date, primary_key=True)  # the first day of `day`'s month
    currency_code: str = Field(sa_type=String(3), primary_key=True)
    product_id: uuid.UUID = Field(primary_key=True)
    day: dt.date = Field(sa_type=Date, primary_key=True)

    __table_args__ = (*_in_its_month(["product_id"], "org_revenue_month_product"), _ONE_B_TREE)


class OrgRevenueDayMarket(LineTotals, table=True):
    """Per day, currency and market: the sales lines, gross and net the entries add."""

    __tablename__ = "org_revenue_day_market"

    org_id: uuid.UUID = child_org_id(primary_key=True)
    month: dt.date = Field(sa_type=Date, primary_key=True)  # the first day of `day`'s month
    currency_code: str = Field(sa_type=String(3), primary_key=True)
    market_id: uuid.UUID = Field(primary_key=True)
    day: dt.date = Field(sa_type=Date, primary_key=True)

    __table_args__ = (*_in_its_month(["market_id"], "org_revenue_month_market"), _ONE_B_TREE)


class OrgRevenueDayRecipient(LineTotals, table=True):
    """Per day, currency and recipient (an instructor, a brand, the org: `recipient_key` is the
    profile's or brand's id as 32 hex digits, empty for the org): the sales lines it took part
    in, their gross and net, and the amount it received."""

    __tablename__ = "org_revenue_day_recipient"

    org_id: uuid.UUID = child_org_id(primary_key=True)
    month: dt.date = Field(sa_type=Date, primary_key=True)  # the first day of `day`'s month
    currency_code: str = Field(sa_type=String(3), primary_key=True)
    recipient_kind: str = Field(sa_type=String(20), primary_key=True)
    recipient_key: str = Field(sa_type=String(32), primary_key=True)
    day: dt.date = Field(sa_type=Date, primary_key=True)
    profile_id: uuid.UUID | None = Field(default=None, foreign_key="user_profile.id")
    brand_id: uuid.UUID | None = Field(default=None)
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)

    __table_args__ = (
        *_in_its_month(["recipient_kind", "recipient_key"], "org_revenue_month_recipient"),
        # deferred: a child of its month, deleted after the org's brands (models/base.py)
        tenant_fk(["brand_id"], "org_brand", ondelete="NO ACTION", deferred=True),
        enum_check("recipient_kind", RecipientKind),
        _ONE_B_TREE,
    )


class OrgRevenueMonthProduct(LineTotals, table=True):
    """Per month, currency and product: the sales lines, gross and net the entries add."""

    __tablename__ = "org_revenue_month_product"

    org_id: uuid.UUID = org_id_field(primary_key=True)
    month: dt.date = Field(sa_type=Date, primary_key=True)  # its first day
    currency_code: str = Field(sa_type=String(3), primary_key=True, foreign_key="currency.code")
    product_id: uuid.UUID = Field(primary_key=True)

    __table_args__ = (tenant_fk(["product_id"], "org_product", ondelete="NO ACTION"),)


class OrgRevenueMonthMarket(LineTotals, table=True):
    """Per month, currency and market: the sales lines, gross and net the entries add."""

    __tablename__ = "org_revenue_month_market"

    org_id: uuid.UUID = org_id_field(primary_key=True)
    month: dt.date = Field(sa_type=Date, primary_key=True)  # its first day
    currency_code: str = Field(sa_type=String(3), primary_key=True, foreign_key="currency.code")
    market_id: uuid.UUID = Field(primary_key=True)

    __table_args__ = (tenant_fk(["market_id"], "org_market", ondelete="NO ACTION"),)


class OrgRevenueMonthRecipient(LineTotals, table=True):
    """Per month, currency and recipient (an instructor, a brand, the org: `recipient_key` is the
    profile's or brand's id as 32 hex digits, empty for the org): the sales lines it took part
    in, their gross and net, and the amount it received."""

    __tablename__ = "org_revenue_month_recipient"

    org_id: uuid.UUID = org_id_field(primary_key=True)
    month: dt.date = Field(sa_type=Date, primary_key=True)  # its first day
    currency_code: str = Field(sa_type=String(3), primary_key=True, foreign_key="currency.code")
    recipient_kind: str = Field(sa_type=String(20), primary_key=True)
    recipient_key: str = Field(sa_type=String(32), primary_key=True)
    profile_id: uuid.UUID | None = Field(default=None, foreign_key="user_profile.id")
    brand_id: uuid.UUID | None = Field(default=None)
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)

    __table_args__ = (
        tenant_fk(["brand_id"], "org_brand", ondelete="NO ACTION"),
        enum_check("recipient_kind", RecipientKind),
    )
