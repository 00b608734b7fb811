"""the ledger, append-only through updates and closed periods (SPEC 5, revision 2)

- `org_order_item.superseded_at`: `sales import --update` no longer deletes an order; its
  earlier item stays, superseded, with its entries and their reversal; a `correction` entry
  records the order again on a new item (the entry kinds' CHECK gains it).
- `org_ledger_close`: each `revenue close` / `revenue reopen`, who and when; the latest row's
  `closed_through` is the lock date. `for_date` on entries and payouts: the day a row belongs to
  when that day was closed (it is dated the first open day instead).
- Existing ledgers: a refunded order recorded before revision 2 is one sale entry holding the net
  after its refund, with the whole tax kept (revision 1). Its sale entry now holds the sale (the
  net before the refund, split by its share snapshot), and the refunded part becomes a refund
  entry dated at the sale (there is no better date), recomputed with the revision-2 tax rule: the
  refund returns `tax * refunded / amount`, half-up. The upgrade says how many orders changed and
  by how much per currency.

  Two shapes cannot be told apart and are converted as revision 1: an order recorded between
  0012 and 0014 from a line that said `tax_refunded` 0 (stored as the column's default 0) gets
  the proportional tax; and an order whose refund grew under 0014 already has a refund entry, so
  it is left as it is (its sale entry holds the net after the first refund: totals and dates are
  right, a statement counts that first refund among its sales). Both only arise on databases
  that ran this development line's 0012-0014.

Revision ID: 0015_ledger_updates_and_closes
Revises: 0014_ledger_entries
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from volmify_cli.migrations.sqlite_tables import rebuild_table, replace_once
from volmify_cli.money import format_amount, line_net, refunded_tax

revision = "0015_ledger_updates_and_closes"
down_revision = "0014_ledger_entries"
branch_labels = None
depends_on = None

ENTRY = "org_ledger_entry"
KINDS = "ck_org_ledger_entry_entry_kind_valid"
OLD_KINDS = "entry_kind IN ('sale', 'refund', 'reversal')"
NEW_KINDS = "entry_kind IN ('sale', 'refund', 'reversal', 'correction')"
CLOSE = "org_ledger_close"
BASIS_POINTS = 10_000

# Refunded orders whose item holds one entry, its sale: recorded before the ledger's refunds.
REVISION_1_REFUNDS = """
SELECT o.currency_code, o.id, i.id, e.id, e.entry_at, e.created_at, o.total_minor, o.tax_minor,
       o.fee_minor, o.refunded_minor, o.tax_refunded_minor, i.net_minor
FROM org_order o
JOIN org_order_item i ON i.org_id = o.org_id AND i.order_id = o.id
JOIN org_ledger_entry e ON e.org_id = i.org_id AND e.item_id = i.id AND e.entry_kind = 'sale'
WHERE o.org_id = :org AND o.refunded_minor > 0
  AND NOT EXISTS (SELECT 1 FROM org_ledger_entry r
                  WHERE r.org_id = i.org_id AND r.item_id = i.id AND r.entry_kind <> 'sale')
ORDER BY o.ordered_at, o.id
"""
SPLITS_OF = """
SELECT id, recipient_kind, profile_id, brand_id, share_bp FROM org_order_item_allocation
WHERE org_id = :org AND entry_id = :entry ORDER BY recipient_kind DESC, profile_id, brand_id
"""


def _split(net: int, shares: list[int]) -> list[int]:
    """SPEC 5: each creator floor(net * share / 10000), 0 when net <= 0; the org the rest."""
    parts = [net * bp // BASIS_POINTS if net > 0 else 0 for bp in shares]
    return [*parts, net - sum(parts)]


def _new_id(sqlite: bool) -> Any:
    value = uuid.uuid4()
    return value.hex if sqlite else value


def _convert_refunds(connection: sa.Connection) -> list[str]:
    """Re-record the revision-1 refunds; returns what the upgrade says."""
    sqlite = connection.dialect.name == "sqlite"
    delta: dict[str, int] = defaultdict(int)
    changed = converted = 0
    orgs = [row[0] for row in connection.execute(sa.text("SELECT id FROM org"))]
    for org in orgs:
        for row in connection.execute(sa.text(REVISION_1_REFUNDS), {"org": org}).all():
            (currency, order_id, item_id, sale_id, sold_at, recorded, amount, tax, fee,
             refunded, tax_refunded, old_net) = row  # fmt: skip
            tax_refunded = tax_refunded or refunded_tax(tax, refunded, amount)
            sold_net = amount - tax - fee
            new_net = line_net(amount, tax, fee, refunded, tax_refunded)
            splits = connection.execute(sa.text(SPLITS_OF), {"org": org, "entry": sale_id}).all()
            creators = [s for s in splits if s.recipient_kind != "org"]
            org_rows = [s for s in splits if s.recipient_kind == "org"]
            shares = [s.share_bp for s in creators]
            sold, after = _split(sold_net, shares), _split(new_net, shares)
            for split, amount_minor in zip([*creators, *org_rows], sold, strict=True):
                connection.execute(
                    sa.text("UPDATE org_order_item_allocation SET amount_minor = :amount"
                            " WHERE org_id = :org AND id = :id"),
                    {"amount": amount_minor, "org": org, "id": split.id},
                )  # fmt: skip
            connection.execute(
                sa.text(f"UPDATE {ENTRY} SET line_net_minor = :net WHERE org_id = :org AND id = :id"),
                {"net": sold_net, "org": org, "id": sale_id},
            )
            refund_id = _new_id(sqlite)
            connection.execute(
                sa.text(
                    f"INSERT INTO {ENTRY} (created_at, updated_at, org_id, id, item_id,"
                    " entry_kind, entry_at, line_count, line_gross_minor, line_net_minor,"
                    " currency_code) VALUES (:at, :at, :org, :id, :item, 'refund', :sold_at, 0,"
                    " 0, :net, :currency)"
                ),
                {"at": recorded, "org": org, "id": refund_id, "item": item_id,
                 "sold_at": sold_at, "net": new_net - sold_net, "currency": currency},
            )  # fmt: skip
            for split, before, now in zip([*creators, *org_rows], sold, after, strict=True):
                connection.execute(
                    sa.text(
                        "INSERT INTO org_order_item_allocation (created_at, updated_at, org_id,"
                        " id, item_id, recipient_kind, profile_id, brand_id, share_bp,"
                        " amount_minor, currency_code, entry_id) VALUES (:at, :at, :org, :id,"
                        " :item, :kind, :profile, :brand, :share, :amount, :currency, :entry)"
                    ),
                    {"at": recorded, "org": org, "id": _new_id(sqlite), "item": item_id,
                     "kind": split.recipient_kind, "profile": split.profile_id,
                     "brand": split.brand_id, "share": split.share_bp, "amount": now - before,
                     "currency": currency, "entry": refund_id},
                )  # fmt: skip
            connection.execute(
                sa.text("UPDATE org_order_item SET net_minor = :net WHERE org_id = :org AND id = :id"),
                {"net": new_net, "org": org, "id": item_id},
            )
            connection.execute(
                sa.text("UPDATE org_order SET tax_refunded_minor = :tax"
                        " WHERE org_id = :org AND id = :id"),
                {"tax": tax_refunded, "org": org, "id": order_id},
            )  # fmt: skip
            converted += 1
            if new_net != old_net:
                changed += 1
                delta[currency] += new_net - old_net
    if not converted:
        return []
    moved = ", ".join(
        f"{code} {'+' if delta[code] >= 0 else ''}{format_amount(delta[code], code)}"
        for code in sorted(delta)
    )
    return [
        f"{converted} refunded orders recorded before revision 2 now hold a refund entry of "
        f"their own (dated at their sale); {changed} of them changed net, as their refund now "
        f"returns its part of the tax (SPEC 5)" + (f": {moved}" if moved else "")
    ]


def _sqlite_kinds(old: str, new: str) -> Any:
    def edit(sql: str) -> str:
        return replace_once(sql, old, new)

    return edit


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    op.add_column(
        "org_order_item", sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(ENTRY, sa.Column("for_date", sa.Date(), nullable=True))
    op.add_column("org_payout", sa.Column("for_date", sa.Date(), nullable=True))
    if sqlite:
        rebuild_table(ENTRY, _sqlite_kinds(OLD_KINDS, NEW_KINDS))
    else:
        op.drop_constraint(KINDS, ENTRY, type_="check")
        op.create_check_constraint(KINDS, ENTRY, NEW_KINDS)
    op.create_table(
        CLOSE,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("closed_through", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "action IN ('close', 'reopen')", name="ck_org_ledger_close_action_valid"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["org.id"], name="fk_org_ledger_close_org_id_org", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name="pk_org_ledger_close"),
    )
    op.create_index("ix_org_ledger_close_org_id_created_at", CLOSE, ["org_id", "created_at"])
    notices = _convert_refunds(connection)
    context.config.attributes.setdefault("notices", []).extend(notices)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.execute(
        sa.text(
            f"SELECT 1 FROM {ENTRY} WHERE entry_kind IN ('reversal', 'correction')"
            " OR for_date IS NOT NULL"
        )
    ).first():
        raise RuntimeError(
            "cannot downgrade: the ledger holds updates or entries moved out of closed periods,"
            " which the older schema cannot hold"
        )
    op.drop_index("ix_org_ledger_close_org_id_created_at", CLOSE)
    op.drop_table(CLOSE)
    if connection.dialect.name == "sqlite":
        rebuild_table(ENTRY, _sqlite_kinds(NEW_KINDS, OLD_KINDS))
    else:
        op.drop_constraint(KINDS, ENTRY, type_="check")
        op.create_check_constraint(KINDS, ENTRY, OLD_KINDS)
    op.drop_column("org_payout", "for_date")
    op.drop_column(ENTRY, "for_date")
    op.drop_column("org_order_item", "superseded_at")
