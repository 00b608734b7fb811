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
    # a per_unit plan's price is its unit price: 12 decimals too, and 13 refused alike
    per_unit = acme.json("plans", "create", "p", "seat", "--type", "usage-based", "--tier",
                         "1", "--price", "us=0.000000000001")  # fmt: skip
    assert [(p["amount_minor"], p["unit_amount"]) for p in per_unit["prices"]] == [
        (0, "0.000000000001")
    ]
    finer = acme.fails(1, "plans", "update", PLAN + "seat", "--price", "us=0.0000000000001")
    assert "unit price '0.0000000000001' has more than 12 decimals" in finer.stderr
    assert "market 'us'" in finer.stderr
    # a tiered or volume plan's finer amount: the error says where unit prices go
    tiered = acme.fails(1, "plans", "update", PLAN + "fine", "--price", "us=0.005",
                        "--usage-tier", "us=inf:0.005")  # fmt: skip
    assert "too many decimals for USD" in tiered.stderr
    assert "--usage-tier us=inf:0.005" in tiered.stderr
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
    # a tiered or volume plan's price with more decimals than its currency: exit 3, and where
    # its unit prices go
    tiered = exported.replace('us: "0.00"', 'us: "0.001"', 1)
    assert tiered != exported
    file.write_text(tiered, encoding="utf-8")
    result = cli.fails(3, "catalog", "validate", str(file), "--format", "table")
    assert "too many decimals for USD" in result.stderr
    assert 'usage_tiers: [{up_to: null, prices: {us: "0.001"}}]' in result.stderr


# -- a per_unit plan's own unit price (12 decimals) and a tiered/volume plan's amount (0) ----


def unit_prices(cli: Cli, plan: str, *org: str) -> dict[str, tuple[int, str | None]]:
    shown = cli.json("plans", "show", PLAN + plan if "/" not in plan else plan, *org)
    return {p["market"]: (p["amount_minor"], p.get("unit_amount")) for p in shown["prices"]}


def test_per_unit_sub_minor_unit_prices_in_usd_jpy_and_kwd(acme: Cli) -> None:
    usage_plan(acme, "meter", "per-unit", 100,
               "--price", "us=0.005", "--price", "jp=0.5", "--price", "kw=0.0015")  # fmt: skip
    assert unit_prices(acme, "meter") == {
        "jp": (0, "0.5"), "kw": (0, "0.0015"), "us": (0, "0.005"),
    }  # fmt: skip
    # USD, 1001 used, 100 included: 901 x 0.005 = 4.505 -> 4.51 (half up, once)
    quote = charge(acme, "meter", "us", 1001)
    assert (quote["final_price_minor"], quote["final_price"]) == (451, "4.51")
    line = quote["usage_charge"]["tiers"]
    assert [(t["units"], t["unit_price"], t["amount"]) for t in line] == [(901, "0.005", "4.505")]
    # USD, 1000 used: 900 x 0.005 = 4.50 exactly
    assert charge(acme, "meter", "us", 1000)["final_price_minor"] == 450
    # JPY: 3 x 0.5 = 1.5 -> 2; 2 x 0.5 = 1
    assert charge(acme, "meter", "jp", 103)["final_price_minor"] == 2
    assert charge(acme, "meter", "jp", 102)["final_price_minor"] == 1
    # KWD: 901 x 0.0015 = 1.3515 -> 1.352; within the included units nothing
    quote = charge(acme, "meter", "kw", 1001)
    assert (quote["final_price_minor"], quote["final_price"]) == (1352, "1.352")
    assert charge(acme, "meter", "kw", 100)["final_price_minor"] == 0
    # the tables show the exact unit price, never a rounded one
    shown = acme.ok("plans", "show", PLAN + "meter", "--format", "table").stdout
    assert "us 0.005 USD a unit" in shown and "kw 0.0015 KWD a unit" in shown
    listed = acme.ok("plans", "list", "--format", "table").stdout
    assert "jp 0.5 JPY a unit" in listed
    table = acme.ok("plans", "price", PLAN + "meter", "--market", "us", "--usage", "1001",
                    "--at", "2026-06-01", "--format", "table").stdout  # fmt: skip
    assert re.search(r"901\W+0\.005\W+4\.505", table) and "$4.51" in table
    # a buyer's view of the market shows the unit price too
    sold = acme.json("products", "list", "--market", "kw")
    seen = [p for row in sold for p in row["prices"] if p["plan"] == PLAN + "meter"]
    assert [(p["amount_minor"], p["unit_amount"]) for p in seen] == [(0, "0.0015")]


def test_per_unit_price_updates_and_model_changes(acme: Cli) -> None:
    usage_plan(acme, "meter", "per-unit", 0, "--price", "us=0.005")
    acme.json("plans", "update", PLAN + "meter", "--price", "us=0.0045")
    # 1001 x 0.0045 = 4.5045 -> 4.50
    assert charge(acme, "meter", "us", 1001)["final_price_minor"] == 450
    # a change of another part keeps the unit price
    acme.json("plans", "update", PLAN + "meter", "--included-units", "1")
    assert unit_prices(acme, "meter") == {"us": (0, "0.0045")}
    # tiered now: the tiers are its price, the unit price goes
    acme.json("plans", "update", PLAN + "meter", "--pricing-model", "tiered", "--price", "us=0",
              "--usage-tier", "us=inf:0.003")  # fmt: skip
    assert unit_prices(acme, "meter") == {"us": (0, None)}
    # 1000 billable x 0.003 = 3.00
    assert charge(acme, "meter", "us", 1001)["final_price_minor"] == 300
    # back to per_unit needs a unit price (the tiers cannot be one)
    refused = acme.fails(1, "plans", "update", PLAN + "meter", "--pricing-model", "per-unit")
    assert "market 'us'" in refused.stderr


@pytest.mark.parametrize(("model", "price"), [("tiered", "us=1"), ("volume", "jp=5")])
def test_a_tiered_or_volume_plans_amount_must_be_0(acme: Cli, model: str, price: str) -> None:
    market = price.split("=")[0]
    before = acme.json("plans", "list")
    refused = acme.fails(1, "plans", "create", "p", "gpu", "--type", "usage-based", "--tier",
                         "1", "--pricing-model", model, "--price", price,
                         "--usage-tier", f"{market}=inf:0.03")  # fmt: skip
    assert refused.stderr == (
        f"Error: a {model} plan's price amount must be 0: its usage tiers are its price"
        f" (unit prices up to 12 decimals go there) in market '{market}'\n"
    )
    assert acme.json("plans", "list") == before
    usage_plan(acme, "gpu", model, 0, "--price", f"{market}=0",
               "--usage-tier", f"{market}=inf:0.03")  # fmt: skip
    again = acme.fails(1, "plans", "update", PLAN + "gpu", "--price", price,
                       "--usage-tier", f"{market}=inf:0.03")  # fmt: skip
    assert "price amount must be 0" in again.stderr


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_tiered_or_volume_amount_in_a_file_is_refused_at_its_line(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    file = tmp_path / "catalog.yaml"
    # the first `us: "0.00"` is a demo plan of compute-credits, tiered or volume (the order of
    # the export decides); short and long form alike
    for written in ('us: "1.00"', 'us: {amount: "1.00", tax: exclusive}'):
        bad = exported.replace('us: "0.00"', written, 1)
        line = _line_of(bad, written)
        file.write_text(bad, encoding="utf-8")
        for command in ("validate", "import"):
            result = cli.fails(3, "catalog", command, str(file), "--format", "table")
            assert re.search(
                rf"{re.escape(str(file))}:{line}:\d+: \S*prices\.us\S*: a (?:tiered|volume) plan's price"
                r" amount must be 0",
                result.stderr,
            ), result.stderr
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported  # nothing written


def test_a_per_unit_price_round_trips_a_catalog_file_exactly(cli: Cli, tmp_path: Path) -> None:
    org = ("--org", "acme")
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    tokens = "compute-credits/inference/tokens"
    cli.ok("plans", "create", "compute-credits/inference", "tokens", "--type", "usage-based",
           "--tier", "1", "--unit", "token", "--price", "us=0.000002", "--price",
           "gulf=0.0000006", *org)  # fmt: skip
    exported = cli.ok("catalog", "export", *org).stdout
    assert 'us: "0.000002"' in exported and 'gulf: "0.0000006"' in exported
    file = tmp_path / "catalog.yaml"
    file.write_text(exported, encoding="utf-8")
    assert cli.json("catalog", "diff", str(file), *org)["changes"] == []
    cli.ok("catalog", "import", str(file))
    assert cli.ok("catalog", "export", *org).stdout == exported  # byte-identical
    # a changed unit price reads in the diff as the file writes it, then imports exactly
    file.write_text(exported.replace('us: "0.000002"', 'us: "0.0000025"'), encoding="utf-8")
    changes = cli.json("catalog", "diff", str(file), *org)["changes"]
    assert changes == [{
        "action": "update", "entity": "price", "key": f"{tokens}@us",
        "fields": {"unit_amount": {"old": "0.000002", "new": "0.0000025"}},
    }]  # fmt: skip
    cli.ok("catalog", "import", str(file))
    assert unit_prices(cli, tokens, *org) == {"gulf": (0, "0.0000006"), "us": (0, "0.0000025")}
    # 1,250,001 tokens x 0.0000025 = 3.1250025 -> 3.13; KWD x 0.0000006 = 0.7500006 -> 0.750
    for market, minor in (("us", 313), ("gulf", 750)):
        quote = cli.json("plans", "price", tokens, "--market", market, "--usage", "1250001",
                         "--at", "2026-06-01", *org)  # fmt: skip
        assert quote["final_price_minor"] == minor
    # the long form takes a unit price too, and is written back as it was
    long_form = exported.replace('us: "0.000002"', 'us: {amount: "0.0000025", tax: exclusive}')
    file.write_text(long_form, encoding="utf-8")
    cli.ok("catalog", "import", str(file))
    again = cli.ok("catalog", "export", *org).stdout
    assert "amount: '0.0000025'" in again or 'amount: "0.0000025"' in again
    # 13 decimals: exit 3 at the value's line, nothing written
    bad = exported.replace('gulf: "0.0000006"', 'gulf: "0.0000000000006"')
    line = _line_of(bad, "0.0000000000006")
    file.write_text(bad, encoding="utf-8")
    result = cli.fails(3, "catalog", "import", str(file), "--format", "table")
    assert re.search(
        rf"{re.escape(str(file))}:{line}:\d+: \S*prices\.gulf: unit price", result.stderr
    )
    assert "more than 12 decimals" in result.stderr
    assert cli.ok("catalog", "export", *org).stdout == again
