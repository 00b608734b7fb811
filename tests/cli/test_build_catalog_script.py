"""Issue 4's closing test: `tests/scripts/build_catalog.sh` builds a whole catalog from nothing
with `volmify` commands alone (the installed entry point, in a real shell), checking each step;
then this test reads the result back on its own and compares it with values computed by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import Cli

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_catalog.sh"
VOLMIFY = Path(sys.executable).parent / "volmify"


def run_script(db_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("VOLMIFY_")}
    env.update(
        # the venv's `volmify` and `python3` first on PATH
        PATH=f"{VOLMIFY.parent}{os.pathsep}{env.get('PATH', '')}",
        VOLMIFY_HOME=str(home),
        VOLMIFY_DATABASE_URL=db_url,
        NO_COLOR="1",
    )
    return subprocess.run(
        ["bash", str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_script_builds_the_catalog_it_describes(db_url: str, tmp_path: Path) -> None:
    assert VOLMIFY.exists(), f"the volmify entry point is not installed at {VOLMIFY}"
    result = run_script(db_url, tmp_path / "script-home")
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert "catalog of org acme built and checked" in result.stderr
    cli = Cli(db_url)
    check_organization(cli)
    check_plans_and_prices(cli)


def check_organization(cli: Cli) -> None:
    org = cli.json("orgs", "show", "acme")
    assert (org["default_locale"], org["default_currency"]) == ("en-US", "USD")
    assert org["locales"] == ["en-US", "ar-EG", "de-DE"]

    brand = cli.json("orgs", "brands", "show", "academy", "--org", "acme")
    assert {k: v["name"] for k, v in brand["translations"].items()} == {
        "en-US": "Acme Academy",
        "ar-EG": "أكاديمية أكمي",
        "de-DE": "Acme Akademie",
    }

    markets = {m["slug"]: m for m in cli.json("markets", "list", "--org", "acme")}
    assert {slug: m["currency"] for slug, m in markets.items()} == {
        "us": "USD",
        "eu": "EUR",
        "jp": "JPY",
        "gulf": "KWD",
    }
    assert markets["gulf"]["countries"] == [
        {"country": "KW", "locale": None},
        {"country": "EG", "locale": "ar-EG"},
    ]
    assert markets["us"]["domain"] == "academy.acme.example"

    course = cli.json("products", "show", "python-101", "--org", "acme", "--locale", "ar-EG")
    assert course["title"] == "بايثون \u0661\u0660\u0661"  # Arabic-Indic digits 101
    assert [(i["slug"], i["share_bp"], i["is_primary"]) for i in course["instructors"]] == [
        ("jane-doe", 4000, True),  # the affiliation's default share
        ("max-roe", 1550, False),
    ]
    assert [(b["slug"], b["share_bp"]) for b in course["brands"]] == [("academy", 1000)]
    assert course["org_share_bp"] == 10000 - 4000 - 1550 - 1000
    types = {p["slug"]: p["type"] for p in cli.json("products", "list", "--org", "acme")}
    assert types == {
        "python-101": "course",
        "ebook": "digital",
        "mug": "physical",
        "coaching": "service",
    }


def check_plans_and_prices(cli: Cli) -> None:
    basic = cli.json("plans", "show", "python-101/basic", "--org", "acme")
    assert basic["plan"] == "python-101/standard/basic"
    assert {p["market"]: p["amount_minor"] for p in basic["prices"]} == {
        "us": 4900,
        "eu": 4500,
        "jp": 6500,
        "gulf": 15250,
    }
    monthly = cli.json("plans", "show", "python-101/team/monthly", "--org", "acme")
    assert monthly["tier"] == 2
    assert {p["market"]: p["setup_fee_minor"] for p in monthly["prices"]} == {
        "us": 500,
        "eu": 450,
    }
    hours = cli.json("plans", "show", "coaching/hours", "--org", "acme")
    assert [(t["up_to"], t["unit_amount"]) for t in hours["usage_tiers"]] == [
        (10, "80.00"),
        (None, "70.00"),
    ]

    def quote(plan: str, market: str, at: str, *coupon: str) -> tuple[str | None, int]:
        q = cli.json(
            "plans", "price", plan, "--market", market, "--at", at, *coupon, "--org", "acme"
        )
        return q["offer"], q["final_price_minor"]

    # Spring's last day (inclusive): 25% off 6500 JPY; the bundle's 12.5% (813) is less.
    assert quote("python-101/basic", "jp", "2026-03-31") == ("spring", 4875)
    # Outside March only the bundle: 15.250 KWD - 1.906 (1906.25 rounds to 1906).
    assert quote("python-101/basic", "gulf", "2026-04-01") == ("bundle", 13344)
    # GULF10 (10% = 1.525) beats nothing in April: the bundle's 1.906 is still better.
    assert quote("python-101/basic", "gulf", "2026-04-01", "--coupon", "gulf10") == (
        "bundle",
        13344,
    )
    # A plan of a product in the bundle's collection: 12.5% of 199.00 = 24.875 -> 24.88.
    assert quote("python-101/vip", "us", "2026-06-01") == ("bundle", 19900 - 2488)
    # The mug left the collection: only WELCOME5 (whole catalog, 5.00 USD) applies.
    assert quote("mug/blue/buy", "us", "2026-06-01", "--coupon", "WELCOME5") == ("welcome", 700)
    # GULF10 targets the gulf market only: nothing off in eu.
    assert quote("mug/blue/buy", "eu", "2026-06-01", "--coupon", "GULF10") == (None, 1100)
