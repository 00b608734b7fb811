"""the ledger's entries are dated (SPEC 5, revision 2: the ledger is append-only)

Each allocation row becomes a ledger entry: `entry_kind` (sale | refund | reversal), `entry_at`
(when it counts: reports and balances read the entries dated in their period), and the figures
of its sales line it adds (`line_count`, `line_gross_minor`, `line_net_minor`: a report adds up
entries alone, without re-reading items and orders). Entries recorded before are sales dated at
their order, adding their item's figures, so every report gives what it gave. A creator's refund
entry is negative (it claws back what the sale entry gave): the CHECK `only_org_negative` holds
for sale entries. `org_order.refunded_at` keeps a line's refund date.

SQLite rebuilds the table from its stored CREATE TABLE text (`migrations/sqlite_tables.py`).

Revision ID: 0014_ledger_entries
Revises: 0013_payouts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, replace_once

revision = "0014_ledger_entries"
down_revision = "0013_payouts"
branch_labels = None
depends_on = None

TABLE = "org_order_item_allocation"
INDEX = "ix_org_order_item_allocation_org_id_entry_at"
NEGATIVE = "ck_org_order_item_allocation_only_org_negative"
KIND = "ck_org_order_item_allocation_entry_kind_valid"
OLD_NEGATIVE = "recipient_kind = 'org' OR amount_minor >= 0"
NEW_NEGATIVE = "recipient_kind = 'org' OR entry_kind <> 'sale' OR amount_minor >= 0"
KINDS = "entry_kind IN ('sale', 'refund', 'reversal')"
PLACEHOLDER = "'1970-01-01 00:00:00.000000'"  # SQLite adds a NOT NULL column with a default

BACKFILL_SQLITE = f"""
UPDATE {TABLE} SET
  entry_at = (SELECT o.ordered_at FROM org_order_item i
              JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id
              WHERE i.org_id = {TABLE}.org_id AND i.id = {TABLE}.item_id),
  line_gross_minor = (SELECT i.line_amount_minor FROM org_order_item i
                      WHERE i.org_id = {TABLE}.org_id AND i.id = {TABLE}.item_id),
  line_net_minor = (SELECT i.net_minor FROM org_order_item i
                    WHERE i.org_id = {TABLE}.org_id AND i.id = {TABLE}.item_id)
"""
BACKFILL_POSTGRESQL = f"""
UPDATE {TABLE} a SET entry_at = o.ordered_at, line_gross_minor = i.line_amount_minor,
  line_net_minor = i.net_minor
FROM org_order_item i JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id
WHERE i.org_id = a.org_id AND i.id = a.item_id
"""


def _sqlite_upgrade(sql: str) -> str:
    sql = replace_once(sql, f"entry_at DATETIME DEFAULT {PLACEHOLDER} NOT NULL", "entry_at DATETIME NOT NULL")
    sql = replace_once(sql, f"CHECK ({OLD_NEGATIVE})", f"CHECK ({NEW_NEGATIVE})")
    body, closing = sql.rstrip().rsplit(")", 1)
    return f"{body.rstrip()}, \n\tCONSTRAINT {KIND} CHECK ({KINDS})\n){closing}"


def _sqlite_downgrade(sql: str) -> str:
    sql = replace_once(sql, f", \n\tCONSTRAINT {KIND} CHECK ({KINDS})", "")
    return replace_once(sql, f"CHECK ({NEW_NEGATIVE})", f"CHECK ({OLD_NEGATIVE})")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("org_order", sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        TABLE,
        sa.Column("entry_kind", sa.String(length=20), server_default="sale", nullable=False),
    )
    op.add_column(
        TABLE,
        sa.Column(
            "entry_at",
            sa.DateTime(timezone=True),
            server_default=sa.text(PLACEHOLDER) if sqlite else None,
            nullable=not sqlite,
        ),
    )
    op.add_column(TABLE, sa.Column("line_count", sa.Integer(), server_default="1", nullable=False))
    for name in ("line_gross_minor", "line_net_minor"):
        op.add_column(TABLE, sa.Column(name, sa.BigInteger(), server_default="0", nullable=False))
    op.execute(BACKFILL_SQLITE if sqlite else BACKFILL_POSTGRESQL)
    if sqlite:
        rebuild_table(TABLE, _sqlite_upgrade)
    else:
        op.alter_column(TABLE, "entry_at", nullable=False)
        op.drop_constraint(NEGATIVE, TABLE, type_="check")
        op.create_check_constraint(NEGATIVE, TABLE, NEW_NEGATIVE)
        op.create_check_constraint(KIND, TABLE, KINDS)
    op.create_index(INDEX, TABLE, ["org_id", "entry_at"])


def downgrade() -> None:
    if op.get_bind().execute(sa.text(f"SELECT 1 FROM {TABLE} WHERE entry_kind <> 'sale'")).first():
        raise RuntimeError(
            "cannot downgrade: the ledger holds refund or reversal entries, which the older "
            "schema cannot hold"
        )
    op.drop_index(INDEX, TABLE)
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_downgrade)
    else:
        op.drop_constraint(KIND, TABLE, type_="check")
        op.drop_constraint(NEGATIVE, TABLE, type_="check")
        op.create_check_constraint(NEGATIVE, TABLE, OLD_NEGATIVE)
    for name in ("line_net_minor", "line_gross_minor", "line_count", "entry_at", "entry_kind"):
        op.drop_column(TABLE, name)
    op.drop_column("org_order", "refunded_at")
