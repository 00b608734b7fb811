"""the ledger's entries: dated events that allocations split (SPEC 5, revision 2)

`org_ledger_entry`: one row per event of an order item (its sale, a refund, the reversal of a
replaced order), dated (`entry_at`) when it counts, with the figures of its sales line that it
adds (`line_count`, `line_gross_minor`, `line_net_minor`) and its currency; reports read the
entries dated in their period. Every allocation row now belongs to an entry (`entry_id`). Each
item recorded before becomes one sale entry dated at its order, adding its item's figures, so
every report gives what it gave. A creator's refund allocation is negative (it claws back what
the sale gave), so the per-row CHECK `only_org_negative` goes: what the rule protects is the
creator's holding of an item, which the importer keeps (tests/test_refund_net.py).
`org_order.refunded_at` keeps a line's refund date.

Revision ID: 0014_ledger_entries
Revises: 0013_payouts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import (
    rebuild_table,
    replace_once,
    with_clauses,
    without_clauses,
)

revision = "0014_ledger_entries"
down_revision = "0013_payouts"
branch_labels = None
depends_on = None

ENTRY = "org_ledger_entry"
SPLITS = "org_order_item_allocation"
NEGATIVE = "ck_org_order_item_allocation_only_org_negative"
NEGATIVE_SQL = "recipient_kind = 'org' OR amount_minor >= 0"
ENTRY_FK = "fk_org_order_item_allocation_org_id_entry_id_org_ledger_entry"
SPLITS_INDEX = "ix_org_order_item_allocation_org_id_entry_id"
PLACEHOLDER = "'00000000000000000000000000000000'"  # SQLite adds a NOT NULL column with a default
NEW_ID = {"sqlite": "lower(hex(randomblob(16)))", "postgresql": "gen_random_uuid()"}
ENTRY_FK_CLAUSE = (
    f"CONSTRAINT {ENTRY_FK} FOREIGN KEY(org_id, entry_id) REFERENCES {ENTRY} (org_id, id)"
    " ON DELETE CASCADE"
)


def _sales_of_items(dialect: str) -> str:
    return f"""
INSERT INTO {ENTRY} (created_at, updated_at, org_id, id, item_id, entry_kind, entry_at,
                     line_count, line_gross_minor, line_net_minor, currency_code)
SELECT i.created_at, i.updated_at, i.org_id, {NEW_ID[dialect]}, i.id, 'sale', o.ordered_at, 1,
       i.line_amount_minor, i.net_minor, o.currency_code
FROM org_order_item i JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id
"""


SPLITS_OF_SALES = f"""
UPDATE {SPLITS} SET entry_id = (
  SELECT e.id FROM {ENTRY} e WHERE e.org_id = {SPLITS}.org_id AND e.item_id = {SPLITS}.item_id)
"""


def _sqlite_upgrade(sql: str) -> str:
    sql = replace_once(sql, f"entry_id CHAR(32) DEFAULT {PLACEHOLDER} NOT NULL", "entry_id CHAR(32) NOT NULL")
    sql = without_clauses(sql, f"CONSTRAINT {NEGATIVE} CHECK ({NEGATIVE_SQL})")
    return with_clauses(sql, ENTRY_FK_CLAUSE)


def _sqlite_downgrade(sql: str) -> str:
    sql = without_clauses(sql, ENTRY_FK_CLAUSE)
    return with_clauses(sql, f"CONSTRAINT {NEGATIVE} CHECK ({NEGATIVE_SQL})")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    sqlite = dialect == "sqlite"
    op.add_column("org_order", sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        ENTRY,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("entry_kind", sa.String(length=20), nullable=False),
        sa.Column("entry_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("line_gross_minor", sa.BigInteger(), nullable=False),
        sa.Column("line_net_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.CheckConstraint(
            "entry_kind IN ('sale', 'refund', 'reversal')",
            name="ck_org_ledger_entry_entry_kind_valid",
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"], ["currency.code"], name="fk_org_ledger_entry_currency_code_currency"
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "item_id"],
            ["org_order_item.org_id", "org_order_item.id"],
            name="fk_org_ledger_entry_org_id_item_id_org_order_item",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name="pk_org_ledger_entry"),
    )
    op.create_index("ix_org_ledger_entry_org_id_entry_at", ENTRY, ["org_id", "entry_at"])
    op.create_index("ix_org_ledger_entry_org_id_item_id", ENTRY, ["org_id", "item_id"])
    op.execute(_sales_of_items(dialect))
    op.add_column(
        SPLITS,
        sa.Column(
            "entry_id",
            sa.Uuid(),
            server_default=sa.text(PLACEHOLDER) if sqlite else None,
            nullable=not sqlite,
        ),
    )
    op.execute(SPLITS_OF_SALES)
    if sqlite:
        rebuild_table(SPLITS, _sqlite_upgrade)
    else:
        op.alter_column(SPLITS, "entry_id", nullable=False)
        op.drop_constraint(NEGATIVE, SPLITS, type_="check")
        op.create_foreign_key(
            ENTRY_FK, SPLITS, ENTRY, ["org_id", "entry_id"], ["org_id", "id"], ondelete="CASCADE"
        )
    op.create_index(SPLITS_INDEX, SPLITS, ["org_id", "entry_id"])


def downgrade() -> None:
    if op.get_bind().execute(sa.text(f"SELECT 1 FROM {ENTRY} WHERE entry_kind <> 'sale'")).first():
        raise RuntimeError(
            "cannot downgrade: the ledger holds refund or reversal entries, which the older "
            "schema cannot hold"
        )
    op.drop_index(SPLITS_INDEX, SPLITS)
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(SPLITS, _sqlite_downgrade)
    else:
        op.drop_constraint(ENTRY_FK, SPLITS, type_="foreignkey")
        op.create_check_constraint(NEGATIVE, SPLITS, NEGATIVE_SQL)
    op.drop_column(SPLITS, "entry_id")
    op.drop_index("ix_org_ledger_entry_org_id_item_id", ENTRY)
    op.drop_index("ix_org_ledger_entry_org_id_entry_at", ENTRY)
    op.drop_table(ENTRY)
    op.drop_column("org_order", "refunded_at")
