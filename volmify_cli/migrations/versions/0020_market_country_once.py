"""markets: a country belongs to at most one market of an org (issue 20)

A unique index on `org_market_country (org_id, country_code)`. A database that has a country in
two markets of one org keeps it in the market it was added to first (then by market slug) and
drops it from the others; the upgrade says which, org by org, so nothing changes unnoticed.

Revision ID: 0020_market_country_once
Revises: 0019_metadata
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import context, op

revision = "0020_market_country_once"
down_revision = "0019_metadata"
branch_labels = None
depends_on = None

INDEX = "uq_org_market_country_org_id_country_code"


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT c.org_id, c.country_code, c.market_id, m.slug, o.slug"
            " FROM org_market_country c"
            " JOIN org_market m ON m.org_id = c.org_id AND m.id = c.market_id"
            " JOIN org o ON o.id = c.org_id"
            " ORDER BY o.slug, c.country_code, c.created_at, m.slug"
        )
    ).all()
    markets: dict[tuple[object, str], list[tuple[object, str, str]]] = defaultdict(list)
    for org_id, country, market_id, market, org in rows:
        markets[(org_id, country)].append((market_id, market, org))
    notices = []
    for (org_id, country), held in markets.items():
        if len(held) < 2:
            continue
        (_kept_id, kept, org), others = held[0], held[1:]
        for market_id, _market, _org in others:
            connection.execute(
                sa.text(
                    "DELETE FROM org_market_country"
                    " WHERE org_id = :org AND market_id = :market AND country_code = :country"
                ),
                {"org": org_id, "market": market_id, "country": country},
            )
        dropped = ", ".join(market for _id, market, _org in others)
        notices.append(
            f"org {org}: country {country} was in markets {kept} and {dropped}: kept in {kept},"
            f" removed from {dropped} (a country belongs to one market of an org)"
        )
    op.create_index(INDEX, "org_market_country", ["org_id", "country_code"], unique=True)
    context.config.attributes.setdefault("notices", []).extend(notices)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="org_market_country")
