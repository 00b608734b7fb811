"""ledger: a split is part of its entry, keyed (org_id, entry_id, id)

`org_order_item_allocation` repeated what its entry holds: the item, the currency (both checked
against the entry by 0026's four-column reference, which needed a unique constraint of its own on
`org_ledger_entry`) and the time it was recorded (`created_at`, `updated_at`: splits are written
with their entry and never changed). Those four columns go; a split is read through its entry.
Its key becomes `(org_id, entry_id, id)`, which also serves the reference to its entry and its
cascade, so its two indexes and the entry's extra unique constraint go too. On SQLite the table
is stored WITHOUT ROWID: the key's b-tree is the table, one b-tree where there were four. A sales
line writes three or four splits, the most rows of any table; a 200,000-line import wrote its
splits in 4.0 s instead of 7.5 s (commit included) on SQLite.

Tenancy is unchanged: the key starts with `org_id`, and the one reference to the entry is
`(org_id, entry_id) -> org_ledger_entry (org_id, id)`. The downgrade puts the columns back from
each split's entry.

Revision ID: 0028_split_part_of_entry
Revises: 0027_allocation_child_of_entry
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, with_clauses, without_clauses

revision = "0028_split_part_of_entry"
down_revision = "0027_allocation_child_of_entry"
branch_labels = None
depends_on = None

ENTRY = "org_ledger_entry"
SPLIT = "org_order_item_allocation"
PK = "pk_org_order_item_allocation"
ENTRY_FK = "fk_org_order_item_allocation_org_id_entry_id_org_ledger_entry"
WIDE_FK = "fk_org_order_item_allocation_org_id_entry_id_item_id_c_c0d52f93"  # 0026's
UNIQUE = "uq_org_ledger_entry_org_id_id_item_id_currency_code"
UNIQUE_CLAUSE = f"CONSTRAINT {UNIQUE} UNIQUE (org_id, id, item_id, currency_code)"
INDEXES = {
    "ix_org_order_item_allocation_org_id_item_id": ["org_id", "item_id"],
    "ix_org_order_item_allocation_org_id_entry_id": ["org_id", "entry_id"],
}
DROPPED = ("created_at", "updated_at", "item_id", "currency_code")
KEPT = (
    "org_id, entry_id, id, recipient_kind, profile_id, brand_id, share_bp, amount_minor"
)

_CHECKS = """
	CONSTRAINT ck_org_order_item_allocation_recipient_kind_valid CHECK (recipient_kind IN ('instructor', 'brand', 'org')), 
	CONSTRAINT ck_org_order_item_allocation_share_bp_range CHECK (share_bp >= 0 AND share_bp <= 10000), 
	CONSTRAINT ck_org_order_item_allocation_recipient_matches_kind CHECK ((recipient_kind = 'instructor' AND profile_id IS NOT NULL AND brand_id IS NULL) OR (recipient_kind = 'brand' AND brand_id IS NOT NULL AND profile_id IS NULL) OR (recipient_kind = 'org' AND profile_id IS NULL AND brand_id IS NULL)), 
	CONSTRAINT fk_org_order_item_allocation_org_id_brand_id_org_brand FOREIGN KEY(org_id, brand_id) REFERENCES org_brand (org_id, id) DEFERRABLE INITIALLY DEFERRED, 
	CONSTRAINT fk_org_order_item_allocation_profile_id_user_profile FOREIGN KEY(profile_id) REFERENCES user_profile (id)"""  # noqa: W291
# SQLite's tables as SQLAlchemy writes them (frozen: migrations import no models)
SQLITE_NARROW = f"""CREATE TABLE {SPLIT} (
	org_id CHAR(32) NOT NULL, 
	entry_id CHAR(32) NOT NULL, 
	id CHAR(32) NOT NULL, 
	recipient_kind VARCHAR(20) NOT NULL, 
	profile_id CHAR(32), 
	brand_id CHAR(32), 
	share_bp INTEGER NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	CONSTRAINT {PK} PRIMARY KEY (org_id, entry_id, id), 
	CONSTRAINT {ENTRY_FK} FOREIGN KEY(org_id, entry_id) REFERENCES {ENTRY} (org_id, id) ON DELETE CASCADE,{_CHECKS}
) WITHOUT ROWID"""  # noqa: W291
SQLITE_WIDE = f"""CREATE TABLE {SPLIT} (
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	org_id CHAR(32) NOT NULL, 
	id CHAR(32) NOT NULL, 
	item_id CHAR(32) NOT NULL, 
	recipient_kind VARCHAR(20) NOT NULL, 
	profile_id CHAR(32), 
	brand_id CHAR(32), 
	share_bp INTEGER NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	currency_code VARCHAR(3) NOT NULL, 
	entry_id CHAR(32) NOT NULL, 
	CONSTRAINT {PK} PRIMARY KEY (org_id, id), 
	CONSTRAINT {WIDE_FK} FOREIGN KEY(org_id, entry_id, item_id, currency_code) REFERENCES {ENTRY} (org_id, id, item_id, currency_code) ON DELETE CASCADE,{_CHECKS}
)"""  # noqa: W291
# a split's former columns, from its entry
FROM_ENTRY = (
    f"SELECT e.created_at, e.created_at, a.org_id, a.id, e.item_id, a.recipient_kind,"
    f" a.profile_id, a.brand_id, a.share_bp, a.amount_minor, e.currency_code, a.entry_id"
    f" FROM _narrow_{SPLIT} a JOIN {ENTRY} e ON e.org_id = a.org_id AND e.id = a.entry_id"
)


def _sqlite_swap(create: str, copy: str) -> None:
    """Replace the split table by `create`'s, its rows copied by `copy` (which reads the old
    table renamed `_narrow_<table>`)."""
    connection = op.get_bind()
    connection.exec_driver_sql(f"ALTER TABLE {SPLIT} RENAME TO _narrow_{SPLIT}")
    connection.exec_driver_sql(create)
    connection.exec_driver_sql(copy)
    connection.exec_driver_sql(f"DROP TABLE _narrow_{SPLIT}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in INDEXES:
            op.drop_index(name, SPLIT)
        _sqlite_swap(
            SQLITE_NARROW,
            f"INSERT INTO {SPLIT} ({KEPT}) SELECT {KEPT} FROM _narrow_{SPLIT}"
            " ORDER BY org_id, entry_id, id",
        )
        rebuild_table(ENTRY, lambda sql: without_clauses(sql, UNIQUE_CLAUSE))
        return
    op.drop_constraint(WIDE_FK, SPLIT, type_="foreignkey")
    for name in INDEXES:
        op.drop_index(name, SPLIT)
    op.drop_constraint(PK, SPLIT, type_="primary")
    for column in DROPPED:
        op.drop_column(SPLIT, column)
    op.create_primary_key(PK, SPLIT, ["org_id", "entry_id", "id"])
    op.create_foreign_key(
        ENTRY_FK, SPLIT, ENTRY, ["org_id", "entry_id"], ["org_id", "id"], ondelete="CASCADE"
    )
    op.drop_constraint(UNIQUE, ENTRY, type_="unique")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(ENTRY, lambda sql: with_clauses(sql, UNIQUE_CLAUSE))
        _sqlite_swap(SQLITE_WIDE, f"INSERT INTO {SPLIT} {FROM_ENTRY}")
        for name, columns in INDEXES.items():
            op.create_index(name, SPLIT, columns)
        return
    op.create_unique_constraint(UNIQUE, ENTRY, ["org_id", "id", "item_id", "currency_code"])
    op.drop_constraint(ENTRY_FK, SPLIT, type_="foreignkey")
    op.drop_constraint(PK, SPLIT, type_="primary")
    for column, type_ in (
        ("created_at", sa.DateTime(timezone=True)),
        ("updated_at", sa.DateTime(timezone=True)),
        ("item_id", sa.Uuid()),
        ("currency_code", sa.String(3)),
    ):
        op.add_column(SPLIT, sa.Column(column, type_, nullable=True))
    op.execute(
        f"UPDATE {SPLIT} a SET created_at = e.created_at, updated_at = e.created_at,"
        f" item_id = e.item_id, currency_code = e.currency_code FROM {ENTRY} e"
        " WHERE e.org_id = a.org_id AND e.id = a.entry_id"
    )
    for column in DROPPED:
        op.alter_column(SPLIT, column, nullable=False)
    op.create_primary_key(PK, SPLIT, ["org_id", "id"])
    op.create_foreign_key(
        WIDE_FK, SPLIT, ENTRY, ["org_id", "entry_id", "item_id", "currency_code"],
        ["org_id", "id", "item_id", "currency_code"], ondelete="CASCADE",
    )  # fmt: skip
    for name, columns in INDEXES.items():
        op.create_index(name, SPLIT, columns)
