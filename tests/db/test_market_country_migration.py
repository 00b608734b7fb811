"""Migration 0020 (issue 20): a country belongs to at most one market of an org. A database at
0019 that holds a country in several markets of one org keeps it in the market it was added to
first (whatever the slugs' order), drops it from the others and says so; another org's
markets and every other country are left as they were; the unique index then refuses a
second market for the country. Run on both databases."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from tests.support import Cli, engine_at
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0019_metadata"
# Created in this order: zeta holds DE first, alpha and mid are given it under 0019.
ACME_MARKETS = [("zeta", ["DE", "AT"]), ("alpha", ["FR"]), ("mid", ["IT"]), ("keep", ["US"])]
ADD_DE = """
INSERT INTO org_market_country
    (org_id, market_id, country_code, default_locale_key, sort_order, created_at, updated_at)
SELECT c.org_id, c.market_id, 'DE', NULL, 9, c.created_at, c.updated_at
FROM org_market_country c
JOIN org_market m ON m.org_id = c.org_id AND m.id = c.market_id
JOIN org o ON o.id = m.org_id
WHERE o.slug = 'acme' AND m.slug = :market
"""


def held(connection: Connection) -> dict[str, dict[str, list[str]]]:
    """Per org, each market's countries (sorted)."""
    found: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for org, market, country in connection.execute(
        text(
            "SELECT o.slug, m.slug, c.country_code FROM org_market_country c"
            " JOIN org_market m ON m.org_id = c.org_id AND m.id = c.market_id"
            " JOIN org o ON o.id = c.org_id ORDER BY o.slug, m.slug, c.country_code"
        )
    ):
        found[org].setdefault(market, []).append(country)
    return dict(found)


def test_upgrade_keeps_a_country_in_its_first_market_and_names_what_it_removed(
    cli: Cli,
) -> None:
    assert cli.db_url
    for org in ("acme", "rival"):
        cli.ok("orgs", "create", org, "--name", org.title())
    markets = [*((slug, countries, "acme") for slug, countries in ACME_MARKETS)]
    markets.append(("eu", ["DE"], "rival"))  # another org's DE: not a duplicate
    for slug, countries, org in markets:
        cli.ok(
            "markets", "create", slug, "--name", slug, "--type", "multi-region",
            "--currency", "EUR", *[a for c in countries for a in ("--country", c)],
            "--org", org,
        )  # fmt: skip
    with engine_at(cli.db_url) as engine:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            for market in ("alpha", "mid"):  # added after zeta's DE (their rows' time)
                connection.execute(text(ADD_DE), {"market": market})
            assert held(connection)["acme"] == {
                "alpha": ["DE", "FR"], "keep": ["US"], "mid": ["DE", "IT"], "zeta": ["AT", "DE"],
            }  # fmt: skip
        notices = upgrade(engine)
        with engine.connect() as connection:
            after = held(connection)
        assert after == {
            "acme": {"alpha": ["FR"], "keep": ["US"], "mid": ["IT"], "zeta": ["AT", "DE"]},
            "rival": {"eu": ["DE"]},
        }
        assert len(notices) == 1, notices
        for words in ("org acme", "country DE", "kept in zeta", "removed from alpha, mid"):
            assert words in notices[0], notices[0]
        assert upgrade(engine) == []  # nothing left to do
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(ADD_DE), {"market": "alpha"})
        with engine.connect() as connection:
            assert held(connection) == after
    assert cli.json("markets", "resolve", "DE", "--org", "acme")["market"] == "zeta"
    refused = cli.fails(1, "markets", "update", "alpha", "--country", "DE", "--org", "acme")
    assert "country DE is already in market 'zeta'" in refused.stderr
