"""Migration 0024 (issue 20): a usage tier's unit price moves from minor units of its currency
(`unit_amount_minor`) to 10**-12 major units (`unit_amount_e12`), exactly.

A database at 0023 (made by downgrading one built at head) holds tiers in USD (2 decimals),
JPY (0) and KWD (3); the upgrade multiplies each by 10**(12 - its currency's digits), the
quotes charge what they charged before, and the renamed CHECK holds on both databases. A
downgrade refuses a unit price with a fraction of the minor unit, an upgrade one too large for
the new scale, each naming the plan. Run on both databases.
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

BEFORE = "0023_collection_seo"
ACME_FILE = Path(__file__).resolve().parent.parent / "data" / "catalog" / "acme.yaml"
ORG = ("--org", "acme")
TIER = "org_product_variant_payment_plan_usage_tier"
TIERS = f"""
SELECT pl.slug, m.slug, t.up_to_units, t.{{column}} FROM {TIER} t
JOIN org_product_variant_payment_plan_market_price p ON p.org_id = t.org_id AND p.id = t.price_id
JOIN org_product_variant_payment_plan pl ON pl.org_id = p.org_id AND pl.id = p.plan_id
JOIN org_market m ON m.org_id = p.org_id AND m.id = p.market_id
"""
# acme.yaml's ebook/pdf/api (us: 0.10 up to 100, then 0.05), and `meter` made here
METER = ("--usage-tier", "jp=1000:2", "--usage-tier", "jp=inf:1",
         "--usage-tier", "kw=1000:0.002", "--usage-tier", "kw=inf:0.001")  # fmt: skip


def tiers(connection: Connection, column: str) -> list[tuple[object, ...]]:
    rows = connection.execute(text(TIERS.format(column=column)))
    return sorted(
        (tuple(row) for row in rows), key=lambda r: (str(r[0]), str(r[1]), r[2] is None, r[2] or 0)
    )


def make_meter(cli: Cli, *tier_options: str) -> None:
    cli.ok("catalog", "import", str(ACME_FILE))
    cli.ok("products", "update", "ebook", "--status", "active", *ORG)  # a draft quotes nothing
    cli.ok("plans", "create", "ebook/pdf", "meter", "--type", "usage-based", "--tier", "1",
           "--pricing-model", "tiered", "--price", "jp=0", "--price", "kw=0", *tier_options,
           *ORG)  # fmt: skip


def quote(cli: Cli, plan: str, market: str, usage: int) -> int:
    result = cli.json("plans", "price", f"ebook/pdf/{plan}", "--market", market, "--usage",
                      str(usage), "--at", "2026-06-01", *ORG)  # fmt: skip
    return int(result["final_price_minor"])


def test_upgrade_converts_every_unit_price_exactly(cli: Cli) -> None:
    assert cli.db_url
    make_meter(cli, *METER)
    # by hand: 1500 JPY units = 1000 x 2 + 500 x 1 = 2500; KWD 0.002 x 1000 + 0.001 x 500 =
    # 2.500; USD api: 100 x 0.10 + 50 x 0.05 = 12.50
    charged = {("meter", "jp"): 2500, ("meter", "kw"): 2500, ("api", "us"): 1250}
    usage = {"meter": 1500, "api": 150}
    for (plan, market), minor in charged.items():
        assert quote(cli, plan, market, usage[plan]) == minor
    with engine_at(cli.db_url) as engine:
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            assert tiers(connection, "unit_amount_minor") == [
                ("api", "us", 100, 10), ("api", "us", None, 5),
                ("meter", "jp", 1000, 2), ("meter", "jp", None, 1),
                ("meter", "kw", 1000, 2), ("meter", "kw", None, 1),
            ]  # fmt: skip
        upgrade(engine)
        with engine.connect() as connection:
            assert tiers(connection, "unit_amount_e12") == [
                ("api", "us", 100, 10 * 10**10), ("api", "us", None, 5 * 10**10),
                ("meter", "jp", 1000, 2 * 10**12), ("meter", "jp", None, 1 * 10**12),
                ("meter", "kw", 1000, 2 * 10**9), ("meter", "kw", None, 1 * 10**9),
            ]  # fmt: skip
            columns = {c["name"] for c in sa.inspect(connection).get_columns(TIER)}
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == HEAD
        assert "unit_amount_minor" not in columns
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(f"UPDATE {TIER} SET unit_amount_e12 = -1"))
    for (plan, market), minor in charged.items():
        assert quote(cli, plan, market, usage[plan]) == minor
    shown = cli.json("plans", "show", "ebook/pdf/meter", *ORG)["usage_tiers"]
    assert [t["unit_amount"] for t in shown] == ["2", "1", "0.002", "0.001"]


def test_a_downgrade_refuses_a_fraction_of_the_minor_unit(cli: Cli) -> None:
    assert cli.db_url
    make_meter(cli, "--usage-tier", "jp=inf:0.5", "--usage-tier", "kw=inf:0.001")
    with engine_at(cli.db_url) as engine:
        with pytest.raises(RuntimeError, match=r"acme/meter \(500000000000\).*fraction"):
            downgrade(engine, BEFORE)
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns(TIER)}
        assert "unit_amount_e12" in columns  # nothing was converted


def test_an_upgrade_refuses_a_unit_price_too_large_for_the_new_scale(cli: Cli) -> None:
    assert cli.db_url
    make_meter(cli, *METER)
    with engine_at(cli.db_url) as engine:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            # 10 million JPY a unit at 0023 would be 10**19 at the new scale: over BIGINT
            connection.execute(
                text(f"UPDATE {TIER} SET unit_amount_minor = 10000000 WHERE up_to_units IS NULL")
            )
        with pytest.raises(RuntimeError, match=r"acme/meter \(10000000\).*does not fit"):
            upgrade(engine)
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == BEFORE
            assert ("meter", "jp", None, 10_000_000) in tiers(connection, "unit_amount_minor")
