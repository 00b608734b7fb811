"""Migration 0025 (issue 20): a per_unit plan's price moves from `amount_minor` (minor units of
its currency) to the new `unit_amount_e12` (10**-12 major units) exactly, with `amount_minor`
0; a tiered or volume plan's amount, never charged, becomes 0.

A database at 0024 (made by downgrading one built at head) holds a per_unit plan priced in USD
(2 decimals), JPY (0) and KWD (3) and a tiered plan with an amount; the upgrade moves each
price, the quotes charge what they charged before, and the new CHECK holds. A downgrade refuses
a unit price with a fraction of the minor unit, naming the plan. Run on both databases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from tests.support import Cli, engine_at
from volmify_cli.migrations.head import HEAD
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0024_usage_unit_prices"
REVISION = "0025_per_unit_prices"
ACME_FILE = Path(__file__).resolve().parent.parent / "data" / "catalog" / "acme.yaml"
ORG = ("--org", "acme")
PRICE = "org_product_variant_payment_plan_market_price"
PRICES = f"""
SELECT pl.slug, m.slug, {{columns}} FROM {PRICE} p
JOIN org_product_variant_payment_plan pl ON pl.org_id = p.org_id AND pl.id = p.plan_id
JOIN org_market m ON m.org_id = p.org_id AND m.id = p.market_id
WHERE pl.slug IN ('seat', 'api')
"""


def prices(connection: Connection, columns: str) -> list[tuple[object, ...]]:
    rows = connection.execute(text(PRICES.format(columns=columns)))
    return sorted(tuple(row) for row in rows)


def make_seat(cli: Cli, *price_options: str) -> None:
    """acme.yaml's ebook/pdf/api (tiered, us) and a per_unit `seat` priced here."""
    cli.ok("catalog", "import", str(ACME_FILE))
    cli.ok("products", "update", "ebook", "--status", "active", *ORG)  # a draft quotes nothing
    cli.ok("plans", "create", "ebook/pdf", "seat", "--type", "usage-based", "--tier", "1",
           "--included-units", "2", *price_options, *ORG)  # fmt: skip


def quote(cli: Cli, plan: str, market: str, usage: int) -> int:
    result = cli.json("plans", "price", f"ebook/pdf/{plan}", "--market", market, "--usage",
                      str(usage), "--at", "2026-06-01", *ORG)  # fmt: skip
    return int(result["final_price_minor"])


def test_upgrade_moves_per_unit_prices_exactly_and_zeroes_tiered_amounts(cli: Cli) -> None:
    assert cli.db_url
    make_seat(cli, "--price", "us=1.99", "--price", "jp=5", "--price", "kw=0.125")
    # by hand, 12 used, 2 included: 10 x 1.99 = 19.90 USD; 10 x 5 = 50 JPY; 10 x 0.125 =
    # 1.250 KWD; api: 100 x 0.10 + 50 x 0.05 = 12.50 USD
    charged = {("seat", "us"): 1990, ("seat", "jp"): 50, ("seat", "kw"): 1250, ("api", "us"): 1250}
    usage = {"seat": 12, "api": 150}
    for (plan, market), minor in charged.items():
        assert quote(cli, plan, market, usage[plan]) == minor
    with engine_at(cli.db_url) as engine:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            assert prices(connection, "p.amount_minor") == [
                ("api", "us", 0), ("seat", "jp", 5), ("seat", "kw", 125), ("seat", "us", 199),
            ]  # fmt: skip
            # a tiered plan's amount that 0024 accepted (and never charged)
            connection.execute(
                text(
                    f"UPDATE {PRICE} SET amount_minor = 10 WHERE plan_id IN (SELECT id FROM"
                    " org_product_variant_payment_plan WHERE slug = 'api')"
                )
            )
        upgrade(engine)
        with engine.connect() as connection:
            assert prices(connection, "p.amount_minor, p.unit_amount_e12") == [
                ("api", "us", 0, None),
                ("seat", "jp", 0, 5 * 10**12),
                ("seat", "kw", 0, 125 * 10**9),
                ("seat", "us", 0, 199 * 10**10),
            ]
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == HEAD
        # the CHECK: a unit price never sits beside an amount, and is never negative
        for change in ("amount_minor = 1", "unit_amount_e12 = -1"):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(
                    text(f"UPDATE {PRICE} SET {change} WHERE unit_amount_e12 IS NOT NULL")
                )
    for (plan, market), minor in charged.items():
        assert quote(cli, plan, market, usage[plan]) == minor
    shown = cli.json("plans", "show", "ebook/pdf/seat", *ORG)["prices"]
    assert [(p["market"], p["unit_amount"]) for p in shown] == [
        ("jp", "5"), ("kw", "0.125"), ("us", "1.99"),
    ]  # fmt: skip


def test_a_downgrade_moves_whole_prices_back_and_refuses_a_fraction(cli: Cli) -> None:
    assert cli.db_url
    make_seat(cli, "--price", "us=1.99", "--price", "jp=0.5")
    with engine_at(cli.db_url) as engine:
        downgrade(engine, REVISION)  # the later revisions first (SQLite commits each one)
        with pytest.raises(RuntimeError, match=r"acme/seat \(500000000000\).*fraction"):
            downgrade(engine, BEFORE)
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns(PRICE)}
            assert "unit_amount_e12" in columns  # nothing was converted
        upgrade(engine)
        cli.ok("plans", "update", "ebook/pdf/seat", "--price", "jp=1", *ORG)
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns(PRICE)}
            assert "unit_amount_e12" not in columns
            assert prices(connection, "p.amount_minor") == [
                ("api", "us", 0), ("seat", "jp", 1), ("seat", "us", 199),
            ]  # fmt: skip
        upgrade(engine)
    # 3 used, 2 included: 1 x 1.99
    assert quote(cli, "seat", "us", 3) == 199
