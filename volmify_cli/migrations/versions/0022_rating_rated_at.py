"""courses: a rating's own date (issue 21)

`org_product_course_rating.rated_at`: when the learner rated, which an instructor's response no
longer moves (the rating's date was its `updated_at`, which a response changed). Existing
ratings take their `updated_at`, the best record of it there is.

Revision ID: 0022_rating_rated_at
Revises: 0021_offer_amounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_rating_rated_at"
down_revision = "0021_offer_amounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("org_product_course_rating", sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE org_product_course_rating SET rated_at = updated_at")


def downgrade() -> None:
    op.drop_column("org_product_course_rating", "rated_at")
