"""`volmify plans price PLAN --market M --usage N` (issue 20, SPEC 5) on both databases: usage
charges of per_unit, tiered and volume plans in USD, JPY and KWD against charges computed by
hand, offers applied to the charge, the refusals (no --usage on a usage plan, --usage on
another plan, a negative usage), and unit prices to 12 decimals on the command line and in
catalog files (more is refused: exit 1, or exit 3 with FILE:LINE:COLUMN), exported exactly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.catalog_world import build_world
from tests.support import Cli

PLAN = "p/standard/"


@pytest.fixture
def acme(cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """build_world's acme: markets us (USD), eu (EUR), jp (JPY), kw (KWD); product p."""
    build_world(db_url)
    monkeypatch.setenv("VOLMIFY_ORG", "acme")
    cli.json("products", "create", "p", "--type", "digital", "--title", "P", "--status", "active")
    return cli


def usage_plan(cli: Cli, slug: str, model: str, included: int, *prices: str) -> Any:
    return cli.json(
        "plans", "create", "p", slug, "--type", "usage-based", "--tier", "1", "--unit", "call",
        "--pricing-model", model, "--included-units", str(included), *prices,
    )  # fmt: skip


def charge(cli: Cli, slug: str, market: str, usage: int, *more: str) -> Any:
    return cli.json(
        "plans", "price", PLAN + slug, "--market", market, "--usage", str(usage),
        "--at", "2026-06-01", *more,
    )  # fmt: skip


def test_specs_example_tiered_usage_1500_costs_62_00(acme: Cli) -> None:
    usage_plan(acme, "gpu", "tiered", 60, "--price", "us=0",
               "--usage-tier", "us=1000:0.05", "--usage-tier", "us=inf:0.03")  # fmt: skip
    quote = charge(acme, "gpu", "us", 1500)
    # 940 x 0.05 + 500 x 0.03 = 47.00 + 15.00
    assert (quote["list_price_minor"], quote["final_price_minor"]) == (6200, 6200)
    assert (quote["final_price"], quote["currency"], quote["usage"]) == ("62.00", "USD", 1500)
    lines = quote["usage_charge"]["tiers"]
    assert [(t["up_to"], t["units"], t["unit_price"], t["amount"]) for t in lines] == [
        (1000, 940, "0.05", "47.00"),
        (None, 500, "0.03", "15.00"),
    ]
    assert quote["usage_charge"]["total_minor"] == 6200
    # the table prints the same lines under the quote
    table = acme.ok("plans", "price", PLAN + "gpu", "--market", "us", "--usage", "1500",
                    "--at", "2026-06-01", "--format", "table").stdout  # fmt: skip
    assert "1500 call (tiered, 60 included)" in table
    assert re.search(r"1000\W+940\W+0\.05\W+47\.00", table)
    assert re.search(r"no limit\W+500\W+0\.03\W+15\.00", table)
    assert "$62.00" in table
    # within the included units: nothing to pay
    assert charge(acme, "gpu", "us", 60)["final_price_minor"] == 0
    assert charge(acme, "gpu", "us", 0)["usage_charge"]["billable_units"] == 0


def test_sub_unit_prices_in_jpy_and_kwd_tiered_and_volume(acme: Cli) -> None:
    tiers = ("--price", "jp=0", "--price", "kw=0",
             "--usage-tier", "jp=1000:0.5", "--usage-tier", "jp=inf:0.25",
             "--usage-tier", "kw=1000:0.0015", "--usage-tier", "kw=inf:0.00075")  # fmt: skip
    usage_plan(acme, "graduated", "tiered", 100, *tiers)
    usage_plan(acme, "bulk", "volume", 100, *tiers)
    # JPY tiered, 1501 used: 900 x 0.5 + 501 x 0.25 = 450 + 125.25 = 575.25 -> 575
    assert charge(acme, "graduated", "jp", 1501)["final_price_minor"] == 575
    # JPY volume, 1501 used: 1401 x 0.25 = 350.25 -> 350; 1000 used: 900 x 0.5 = 450
    assert charge(acme, "bulk", "jp", 1501)["final_price_minor"] == 350
    assert charge(acme, "bulk", "jp", 1000)["final_price_minor"] == 450
    # JPY volume, 103 used: 3 x 0.5 = 1.5 -> 2 (half up)
    assert charge(acme, "bulk", "jp", 103)["final_price_minor"] == 2
    # KWD tiered, 1501 used: 900 x 0.0015 + 501 x 0.00075 = 1.35 + 0.37575 = 1.72575 -> 1.726
    quote = charge(acme, "graduated", "kw", 1501)
    assert (quote["final_price_minor"], quote["final_price"]) == (1726, "1.726")
    assert [t["amount"] for t in quote["usage_charge"]["tiers"]] == ["1.350", "0.37575"]
    # KWD volume, 1501 used: 1401 x 0.00075 = 1.05075 -> 1.051
    assert charge(acme, "bulk", "kw", 1501)["final_price_minor"] == 1051


def test_per_unit_charges_every_billable_unit_at_the_plans_price(acme: Cli) -> None:
    usage_plan(acme, "seat", "per-unit", 2, "--price", "kw=0.125", "--price", "us=1.99")
    # KWD: (10 - 2) x 0.125 = 1.000
    assert charge(acme, "seat", "kw", 10)["final_price_minor"] == 1000
    # USD: (7 - 2) x 1.99 = 9.95
    quote = charge(acme, "seat", "us", 7)
    assert (quote["final_price_minor"], quote["usage_charge"]["tiers"][0]["units"]) == (995, 5)
    assert charge(acme, "seat", "us", 1)["final_price_minor"] == 0


def test_offers_apply_to_the_usage_charge(acme: Cli) -> None:
    usage_plan(acme, "gpu", "tiered", 60, "--price", "us=0",
               "--usage-tier", "us=1000:0.05", "--usage-tier", "us=inf:0.03")  # fmt: skip
    acme.json("offers", "create", "usage-ten", "--type", "percentage", "--percent", "10",
              "--plan", PLAN + "gpu")  # fmt: skip
    quote = charge(acme, "gpu", "us", 1500)
    # 10% of 62.00 = 6.20 off
    assert (quote["offer"], quote["discount_minor"], quote["final_price_minor"]) == (
        "usage-ten",
        620,
        5580,
    )


def test_usage_is_for_usage_based_plans_and_they_need_it(acme: Cli) -> None:
    usage_plan(acme, "gpu", "tiered", 0, "--price", "us=0", "--usage-tier", "us=inf:0.03")
    acme.json("plans", "create", "p", "once", "--type", "one-time", "--tier", "1",
              "--price", "us=10")  # fmt: skip
    missing = acme.fails(1, "plans", "price", PLAN + "gpu", "--market", "us")
    assert "is usage-based" in missing.stderr and "--usage N" in missing.stderr
    other = acme.fails(1, "plans", "price", PLAN + "once", "--market", "us", "--usage", "5")
    assert "is a one-time plan: --usage prices usage-based plans only" in other.stderr
    negative = acme.fails(1, "plans", "price", PLAN + "gpu", "--market", "us", "--usage", "-1")
    assert "usage must be at least 0, not -1" in negative.stderr
    acme.fails(2, "plans", "price", PLAN + "gpu", "--market", "us", "--usage", "1.5")


def test_unit_prices_take_12_decimals_and_refuse_13(acme: Cli) -> None:
    made = usage_plan(acme, "fine", "volume", 0, "--price", "us=0",
                      "--usage-tier", "us=inf:0.000000000001")  # fmt: skip
    assert [t["unit_amount"] for t in made["usage_tiers"]] == ["0.000000000001"]
    # a trillion units at 10**-12 USD: exactly 1.00
    assert charge(acme, "fine", "us", 10**12)["final_price_minor"] == 100
    before = acme.json("plans", "list")
    refused = acme.fails(1, "plans", "create", "p", "finer", "--type", "usage-based",
                         "--tier", "1", "--pricing-model", "volume", "--price", "us=0",
                         "--usage-tier", "us=inf:0.0000000000001")  # fmt: skip
    assert "unit price '0.0000000000001' has more than 12 decimals" in refused.stderr
    assert "market 'us'" in refused.stderr
    assert acme.json("plans", "list") == before
    # a per_unit plan's price keeps the currency's digits; the error says where a finer one goes
    per_unit = acme.fails(1, "plans", "create", "p", "seat", "--type", "usage-based", "--tier",
                          "1", "--price", "us=0.005")  # fmt: skip
    assert "too many decimals for USD" in per_unit.stderr
    assert "--usage-tier us=inf:0.005" in per_unit.stderr
    negative = acme.fails(1, "plans", "update", PLAN + "fine", "--price", "us=0",
                          "--usage-tier", "us=inf:-0.5")  # fmt: skip
    assert "must not be negative" in negative.stderr


FIXTURE_CATALOG = Path(__file__).parent.parent.parent / "fixtures" / "acme" / "catalog"


def test_catalog_files_read_and_export_unit_prices_exactly(cli: Cli, tmp_path: Path) -> None:
    """The demo catalog's sub-cent volume plan (compute-credits/inference/api-calls)."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert '"0.005"' in exported and '"0.00075"' in exported
    file = tmp_path / "catalog.yaml"
    file.write_text(exported, encoding="utf-8")
    assert cli.json("catalog", "diff", str(file), "--org", "acme")["changes"] == []
    cli.ok("catalog", "import", str(file))
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported  # byte-identical
    # 1000 included, 150000 used in KWD, volume: 149000 x 0.00075 = 111.750
    quote = cli.json("plans", "price", "compute-credits/inference/api-calls", "--market", "gulf",
                     "--usage", "150000", "--at", "2026-06-01", "--org", "acme")  # fmt: skip
    assert (quote["final_price_minor"], quote["final_price"]) == (111750, "111.750")
    # 13 decimals in a file: exit 3 at the value's line, on import and validate
    bad = exported.replace('"0.00075"', '"0.0000000000075"', 1)
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if "0.0000000000075" in text)
    file.write_text(bad, encoding="utf-8")
    for command in (("catalog", "import", str(file)), ("catalog", "validate", str(file))):
        result = cli.fails(3, *command, "--format", "table")
        assert re.search(rf"{re.escape(str(file))}:{line}:\d+: .*usage_tiers\[1\]", result.stderr)
        assert "more than 12 decimals" in result.stderr
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported  # nothing written
    # a usage-based plan's price with more decimals than its currency: exit 3, and where it goes
    per_unit = exported.replace('us: "0.00"', 'us: "0.001"', 1)
    assert per_unit != exported
    file.write_text(per_unit, encoding="utf-8")
    result = cli.fails(3, "catalog", "validate", str(file), "--format", "table")
    assert "too many decimals for USD" in result.stderr
    assert 'usage_tiers: [{up_to: null, prices: {us: "0.001"}}]' in result.stderr
