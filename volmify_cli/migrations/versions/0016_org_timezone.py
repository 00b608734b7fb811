"""orgs: a time zone (SPEC 5, revision 2)

`org.timezone`, an IANA name (default UTC): report periods, the months of `--by month` and closed
periods are days of the org's zone. Existing orgs keep UTC, so every report gives what it gave.

Revision ID: 0016_org_timezone
Revises: 0015_ledger_updates_and_closes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_org_timezone"
down_revision = "0015_ledger_updates_and_closes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "org",
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("org", "timezone")
