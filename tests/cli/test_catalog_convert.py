"""`volmify catalog convert`: a store's product CSV becomes a catalog file that `catalog validate`
accepts and `catalog import` loads (prices in exact minor units), warnings on stderr with their
FILE:LINE, the summary as JSON, and `-o` that never overwrites without --force."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support import HELP_MUST_NOT_IMPORT, Cli, modules_imported_by

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "convert"
SHOPIFY = FIXTURES / "shopify-products.csv"
LEGACY = FIXTURES / "shopify-products-legacy.csv"
MEDUSA = FIXTURES / "medusa-products.csv"

# fixture, its options, and what the import must show: product -> variant -> market -> minor
CASES: dict[str, tuple[Path, list[str], dict[str, dict[str, dict[str, int]]]]] = {
    "shopify": (
        SHOPIFY,
        ["--from", "shopify-csv", "--currency", "USD"],
        {
            "python-foundations": {"self-paced": {"usd": 4900}, "live-cohort": {"usd": 19900}},
            "sql-pocket-guide": {"standard": {"usd": 1250}},
            "data-viz-workshop": {"1-seat": {"usd": 12000}, "team-of-5": {"usd": 50000}},
            "sticker-pack": {"standard": {"usd": 500}},
            "surprise-study-box": {},
        },
    ),
    "shopify-legacy": (
        LEGACY,
        ["--from", "shopify-csv", "--currency", "EUR"],
        {
            "ux-research-basics": {
                "lifetime-english": {"eur": 8900},
                "lifetime-spanish": {"eur": 8900},
                "one-year-english": {"eur": 5900},
            },
            "ml-cheatsheets": {"standard": {"eur": 999}},
            "career-coaching": {"30-minutes": {"eur": 7500}, "60-minutes": {"eur": 14000}},
            "web-bootcamp-2019": {"standard": {"eur": 49900}},
            "mentor-mug": {"standard": {"eur": 1400}},
            "gift-card-25": {"25-00": {"eur": 2500}},
        },
    ),
    "medusa": (
        MEDUSA,
        ["--from", "medusa-csv"],
        {
            "design-systems-course": {
                "self-paced": {"usd": 7900, "eur": 7200, "japan": 11800},
                "with-mentor-reviews": {"usd": 14900, "eur": 13900, "japan": 21800},
            },
            "figma-shortcuts-poster": {"a2": {"usd": 1800, "eur": 1650}},
            "portfolio-review": {"45-minutes": {"usd": 9500}},
            "color-theory-notes": {},
        },
    ),
}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def convert(*args: str) -> Any:
    """`catalog convert ARGS` without a database; exit 0 and its JSON summary."""
    result = Cli().run("catalog", "convert", *args, "--format", "json", db=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def imported_prices(cli: Cli, org: str) -> dict[str, dict[str, dict[str, int]]]:
    """product -> variant -> market -> amount in minor units, as `products show` reads them."""
    shown: dict[str, dict[str, dict[str, int]]] = {}
    for listed in cli.json("products", "list", "--org", org):
        product = cli.json("products", "show", listed["slug"], "--org", org)
        shown[listed["slug"]] = {
            plan["variant"]: {p["market"]: p["amount_minor"] for p in plan["prices"]}
            for plan in product["plans"]
        }
    return shown


@pytest.mark.parametrize("case", sorted(CASES))
def test_convert_validate_import_round_trip(cli: Cli, case: str) -> None:
    source, options, expected = CASES[case]
    result = convert(str(source), *options, "-o", "catalog.yaml")
    assert result["written"] == "catalog.yaml"
    assert result["products"] == len(expected)
    # a product whose variants have no price still has its one variant (without a plan)
    assert result["variants"] == sum(len(variants) or 1 for variants in expected.values())
    assert all(w["file"] == str(source) and w["line"] >= 1 for w in result["warnings"])
    validated = cli.json("catalog", "validate", "catalog.yaml")
    assert validated["counts"]["products"] == len(expected)
    assert validated["warnings"] == []
    first = cli.json("catalog", "import", "catalog.yaml", "--org", "converted")
    assert first["created"] > 0 and first["updated"] == 0
    again = cli.json("catalog", "import", "catalog.yaml", "--org", "converted")
    assert (again["created"], again["updated"]) == (0, 0)  # the file is stable: nothing moves
    assert imported_prices(cli, "converted") == expected


def test_shopify_compare_at_and_statuses_reach_the_database(cli: Cli) -> None:
    convert(str(SHOPIFY), "--from", "shopify-csv", "--currency", "USD", "-o", "shop.yaml")
    cli.ok("catalog", "import", "shop.yaml", "--org", "shop")
    products = {p["slug"]: p for p in cli.json("products", "list", "--org", "shop")}
    assert {slug: (p["type"], p["status"]) for slug, p in products.items()} == {
        "data-viz-workshop": ("service", "archived"),
        "python-foundations": ("course", "active"),
        "sql-pocket-guide": ("digital", "draft"),
        "sticker-pack": ("physical", "active"),
        "surprise-study-box": ("physical", "active"),
    }
    assert products["python-foundations"]["brands"] == ["northwind-learning"]
    plans = cli.json("products", "show", "python-foundations", "--org", "shop")["plans"]
    compare = {plan["variant"]: plan["prices"][0]["compare_at_minor"] for plan in plans}
    assert compare == {"self-paced": 7900, "live-cohort": None}  # 149.00 < 199.00: dropped


def test_market_option_uses_the_orgs_existing_market(cli: Cli) -> None:
    cli.ok("catalog", "import", str(write_org_with_market()), "--org", "shop")
    result = convert(
        str(MEDUSA), "--from", "medusa-csv", "--market", "us=USD", "-o", "catalog.yaml"
    )
    assert {m["slug"]: m["defined"] for m in result["markets"]} == {
        "eur": True,
        "japan": True,
        "us": False,
    }
    text = Path("catalog.yaml").read_text()
    assert "slug: us\n" not in text
    assert (
        '              us:\n                amount: "79.00"\n                currency: USD\n'
        in text
    )
    cli.ok("catalog", "import", "catalog.yaml", "--org", "shop")
    assert imported_prices(cli, "shop")["figma-shortcuts-poster"] == {
        "a2": {"us": 1800, "eur": 1650}
    }
    again = cli.json("catalog", "import", "catalog.yaml", "--org", "shop")
    assert (again["created"], again["updated"]) == (0, 0)


def write_org_with_market() -> Path:
    path = Path("org.yaml")
    path.write_text(
        "version: 1\nkind: catalog\norg: shop\nlocales: [en-US]\nmarkets:\n"
        "  - slug: us\n    name: United States\n    type: single_country\n    currency: USD\n"
        "    countries: [US]\n    locales: [en-US]\n    default: true\n",
        encoding="utf-8",
    )
    return path


def test_stdout_holds_the_catalog_and_stderr_the_warnings() -> None:
    result = Cli().run(
        "catalog", "convert", str(SHOPIFY), "--from", "shopify-csv", "--currency", "USD",
        db=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("version: 1\nkind: catalog\n")
    assert "slug: python-foundations" in result.stdout
    assert "Warning" not in result.stdout
    stderr = result.stderr
    assert f"Warning: {SHOPIFY}:3: compare-at price 149.00 USD is below the price" in stderr
    assert f"Warning: {SHOPIFY}:5: SKU '3.65275E+11' was mangled by a spreadsheet" in stderr
    assert f"Warning: {SHOPIFY}:9: variant surprise-study-box/standard has no price" in stderr
    assert "Converted 5 products with 7 variants from shopify-csv" in stderr
    # `-o -` is stdout too, and the same bytes as a file
    dash = Cli().run(
        "catalog", "convert", str(SHOPIFY), "--from", "shopify-csv", "--currency", "USD",
        "-o", "-", db=False,
    )  # fmt: skip
    assert dash.stdout == result.stdout
    convert(str(SHOPIFY), "--from", "shopify-csv", "--currency", "USD", "-o", "file.yaml")
    assert Path("file.yaml").read_text(encoding="utf-8") == result.stdout


def test_stdin_is_read_with_dash() -> None:
    result = Cli().run(
        "catalog", "convert", "-", "--from", "medusa-csv", input=MEDUSA.read_text(), db=False
    )
    assert result.exit_code == 0, result.stderr
    assert "slug: design-systems-course" in result.stdout
    assert "Warning: <stdin>:4: SKU '5.01234E+12'" in result.stderr


def test_an_existing_file_is_kept_without_force() -> None:
    Path("catalog.yaml").write_text("mine\n", encoding="utf-8")
    args = ("catalog", "convert", str(MEDUSA), "--from", "medusa-csv", "-o", "catalog.yaml")
    refused = Cli().run(*args, db=False)
    assert refused.exit_code == 1
    assert "catalog.yaml already exists" in refused.stderr and "--force" in refused.stderr
    assert Path("catalog.yaml").read_text(encoding="utf-8") == "mine\n"
    assert Cli().run(*args, "--force", db=False).exit_code == 0
    assert Path("catalog.yaml").read_text(encoding="utf-8").startswith("version: 1\n")


def test_unreadable_rows_exit_3_and_write_nothing() -> None:
    Path("broken.csv").write_text(
        "Handle,Title,Variant Price\nbook,Book,1.00\nbook,Book\n,Orphan,2.00\n", encoding="utf-8"
    )
    result = Cli().run(
        "catalog", "convert", "broken.csv", "--from", "shopify-csv", "--currency", "USD",
        "-o", "out.yaml", db=False,
    )  # fmt: skip
    assert result.exit_code == 3
    assert "broken.csv:3: expected 3 fields, found 2" in result.stderr
    assert "broken.csv:4: Handle: no handle: the row belongs to no product" in result.stderr
    assert "Error: 2 problems found; nothing was written" in result.stderr
    assert not Path("out.yaml").exists()
    missing = Cli().run(
        "catalog", "convert", "broken.csv", "--from", "medusa-csv", "-o", "out.yaml", db=False
    )
    assert missing.exit_code == 3
    assert "broken.csv:1: Product Handle: missing column 'Product Handle'" in missing.stderr
    assert not Path("out.yaml").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "shopify-csv"], "store's currency"),
        (["--from", "woocommerce-csv"], "not a layout"),
        (["--from", "medusa-csv", "--currency", "USD"], "--currency is for shopify-csv"),
        (["--from", "shopify-csv", "--currency", "ABC"], "unknown currency"),
        (["--from", "medusa-csv", "--market", "us"], "is not SLUG=CURRENCY"),
        (["--from", "medusa-csv", "--market", "U S=USD"], "not a valid slug"),
        (["--from", "medusa-csv", "--market", "us=USD", "--market", "us2=usd"], "twice"),
        (["--from", "medusa-csv", "--locale", "xx-Nowhere"], "locale"),
        (["--from", "medusa-csv", "--format", "json"], "--format json needs -o FILE"),
        (["--from", "medusa-csv", "-o", "catalog.json"], ".json names no format"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], words: str) -> None:
    result = Cli().run("catalog", "convert", str(MEDUSA if "medusa-csv" in args else SHOPIFY),
                       *args, db=False)  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert words in result.stderr
    assert result.stdout == ""
    assert not Path("catalog.json").exists()


def test_org_and_locale_options_are_written() -> None:
    convert(str(MEDUSA), "--from", "medusa-csv", "--org", "hilltop", "--locale", "de-DE",
            "-o", "catalog.yaml")  # fmt: skip
    text = Path("catalog.yaml").read_text(encoding="utf-8")
    assert text.startswith("version: 1\nkind: catalog\norg: hilltop\nlocales: [de-DE]\n")
    assert "    locales: [de-DE]\n" in text  # the generated markets speak it too


@pytest.mark.parametrize(
    ("argv", "shown"),
    [(["catalog", "--help"], "  convert"), (["catalog", "convert", "--help"], "--market")],
)
def test_help_stays_light(argv: list[str], shown: str) -> None:
    stdout, heavy = modules_imported_by(argv, HELP_MUST_NOT_IMPORT)
    assert heavy == []
    assert shown in stdout
