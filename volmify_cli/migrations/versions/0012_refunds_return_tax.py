"""orders: the tax a refund returned (SPEC 5, revision 2)

`org_order.tax_refunded_minor`: the part of the tax that went back to the customer with the
refund (the sales line's `tax_refunded`, else tax * refunded / amount rounded half-up). net =
amount - tax - fee - (refunded - tax_refunded). Orders recorded before are kept as they were
recorded (0: revision 1 returned no tax); the ledger's refund entries recompute them.

SQLite rebuilds the table from its stored CREATE TABLE text to add the CHECKs.

Revision ID: 0012_refunds_return_tax
Revises: 0011_course_own_lessons
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, with_clauses, without_clauses

revision = "0012_refunds_return_tax"
down_revision = "0011_course_own_lessons"
branch_labels = None
depends_on = None

TABLE = "org_order"
CHECKS = {
    "ck_org_order_tax_refund_within_tax": "tax_refunded_minor <= tax_minor",
    "ck_org_order_tax_refund_within_refund": "tax_refunded_minor <= refunded_minor",
    "ck_org_order_tax_refunded_minor_non_negative": "tax_refunded_minor >= 0",
}


def _clauses() -> list[str]:
    return [f"CONSTRAINT {name} CHECK ({condition})" for name, condition in CHECKS.items()]


def _sqlite_upgrade(sql: str) -> str:
    return with_clauses(sql, *_clauses())


def _sqlite_downgrade(sql: str) -> str:
    return without_clauses(sql, *_clauses())


def upgrade() -> None:
    op.add_column(
        TABLE,
        sa.Column("tax_refunded_minor", sa.BigInteger(), server_default="0", nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_upgrade)
        return
    for name, condition in CHECKS.items():
        op.create_check_constraint(name, TABLE, condition)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_downgrade)
    else:
        for name in CHECKS:
            op.drop_constraint(name, TABLE, type_="check")
    op.drop_column(TABLE, "tax_refunded_minor")
