"""Issue 20: markets are checked against their type and against each other, with one rule for
the command line (exit 1) and for catalog files (exit 3, FILE:LINE:COLUMN, across every file of
a catalog and the markets the org already holds), on SQLite and PostgreSQL:

- a single_country market has exactly one country;
- a country is in at most one market of an org (the message names the other market); another
  org may hold the same country;
- a refused value leaves the database as it was, and never reaches the unique index as a
  database error; a catalog may move a country between markets in one import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import assert_one_error
from tests.support import Cli

ORG = ("--org", "acme")
HEAD = "version: 1\nkind: catalog\norg: acme\nlocales: [en-US, de-DE]\n"


def market(slug: str, kind: str, countries: str, currency: str = "EUR") -> str:
    """A market of a catalog file; `countries` as written in the file (`[DE, FR]`)."""
    return (
        f"  - slug: {slug}\n    name: {slug.upper()}\n    type: {kind}\n"
        f"    currency: {currency}\n    countries: {countries}\n    locales: [en-US]\n"
    )


def catalog(*markets: str, head: str = HEAD) -> str:
    return head + "markets:\n" + "".join(markets)


def at(text: str, line_holding: str, item: str) -> tuple[int, int]:
    """The 1-based line and column of `item` on the first line holding `line_holding`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line_holding in line:
            return number, line.index(item, line.index(line_holding)) + 1
    raise AssertionError(f"{line_holding!r} not in the text")


def write(tmp_path: Path, text: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def countries_of(cli: Cli, org: str = "acme") -> dict[str, list[str]]:
    """Each market's countries, by slug, as `markets list` shows them."""
    return {
        m["slug"]: [c["country"] for c in m["countries"]]
        for m in cli.json("markets", "list", "--org", org)
    }


def create(cli: Cli, slug: str, kind: str, *countries: str, org: str = "acme") -> Any:
    args = [a for c in countries for a in ("--country", c)]
    return cli.run(
        "markets", "create", slug, "--name", slug.upper(), "--type", kind, "--currency", "EUR",
        *args, "--org", org, "--format", "json",
    )  # fmt: skip


@pytest.fixture
def acme(cli: Cli) -> Cli:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "locales", "add", "de-DE", *ORG)
    cli.ok("orgs", "create", "rival", "--name", "Rival")
    return cli


# -- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("countries", "words"),
    [((), "exactly one country, none given"), (("US", "CA"), "exactly one country, not 2")],
    ids=["none", "two"],
)
def test_create_refuses_a_single_country_market_without_exactly_one_country(
    acme: Cli, countries: tuple[str, ...], words: str
) -> None:
    result = create(acme, "us", "single-country", *countries)
    assert result.exit_code == 1
    assert_one_error(result, words)
    assert countries_of(acme) == {}


def test_update_keeps_a_single_country_market_to_one_country(acme: Cli) -> None:
    assert create(acme, "us", "single-country", "US").exit_code == 0
    assert create(acme, "eu", "multi-region", "DE", "FR").exit_code == 0
    refused = acme.fails(1, "markets", "update", "us", "--country", "US", "--country", "CA", *ORG)
    assert_one_error(refused, "single_country", "not 2 (US, CA)")
    refused = acme.fails(1, "markets", "update", "eu", "--type", "single-country", *ORG)
    assert_one_error(refused, "single_country", "not 2 (DE, FR)")
    markets = {m["slug"]: m for m in acme.json("markets", "list", *ORG)}
    assert (markets["eu"]["type"], countries_of(acme)) == (
        "multi_region",
        {"eu": ["DE", "FR"], "us": ["US"]},
    )
    # one country: a market may become single_country, or change its one country
    acme.ok("markets", "update", "eu", "--country", "FR", "--type", "single-country", *ORG)
    acme.ok("markets", "update", "us", "--country", "PR", *ORG)
    assert countries_of(acme) == {"eu": ["FR"], "us": ["PR"]}


def test_a_country_is_in_one_market_of_an_org(acme: Cli) -> None:
    assert create(acme, "us", "single-country", "US").exit_code == 0
    refused = create(acme, "na", "multi-region", "CA", "us")  # lower case is the same country
    assert refused.exit_code == 1
    assert_one_error(refused, "country US is already in market 'us'")
    assert "Hint: take US out of market us first" in refused.stderr
    assert create(acme, "eu", "multi-region", "DE").exit_code == 0
    refused = acme.fails(1, "markets", "update", "eu", "--country", "DE", "--country", "US", *ORG)
    assert_one_error(refused, "country US is already in market 'us'")
    assert countries_of(acme) == {"eu": ["DE"], "us": ["US"]}
    # another org holds its own markets; a market keeps its own countries on update
    assert create(acme, "us", "single-country", "US", org="rival").exit_code == 0
    acme.ok("markets", "update", "us", "--country", "US", "--name", "USA", *ORG)
    # once US has left market us, eu may take it
    acme.ok("markets", "update", "us", "--country", "PR", *ORG)
    acme.ok("markets", "update", "eu", "--country", "DE", "--country", "US", *ORG)
    assert countries_of(acme) == {"eu": ["DE", "US"], "us": ["PR"]}
    assert countries_of(acme, "rival") == {"us": ["US"]}


# -- catalog files -------------------------------------------------------------------------------


def test_a_file_names_where_a_single_country_market_breaks_the_rule(
    acme: Cli, tmp_path: Path
) -> None:
    text = catalog(
        market("us", "single_country", "[US, CA]", "USD"),
        market("jp", "single_country", "[]", "JPY"),
        market("eu", "multi_region", "[DE, FR]"),
    )
    path = write(tmp_path, text)
    two, none = at(text, "[US, CA]", "CA"), at(text, "slug: jp", "slug")
    expected = [
        f"{path}:{two[0]}:{two[1]}: markets[0].countries: a single_country market has exactly"
        " one country, not 2 (US, CA)",
        f"{path}:{none[0]}:{none[1]}: markets[1].countries: a single_country market has exactly"
        " one country, none given",
    ]
    for command in ("validate", "import"):
        result = acme.fails(3, "catalog", command, str(path))
        assert [line for line in result.stderr.splitlines() if line.startswith(str(path))] == (
            expected
        )
    assert countries_of(acme) == {}


def test_a_country_in_two_markets_of_a_catalog_is_named_across_its_files(
    acme: Cli, tmp_path: Path
) -> None:
    first_text = catalog(market("eu", "multi_region", "[DE, FR]"))
    second_text = "version: 1\nkind: catalog\nmarkets:\n" + market(
        "dach", "multi_region", "[AT, {country: DE}, CH]"
    )
    first, second = write(tmp_path, first_text, "a.yaml"), write(tmp_path, second_text, "b.yaml")
    held, taken = at(first_text, "[DE, FR]", "DE"), at(second_text, "[AT,", "{country")
    expected = (
        f"{second}:{taken[0]}:{taken[1]}: markets[0].countries[1]: country DE is already in"
        f" market 'eu' ({first}:{held[0]}:{held[1]}); a country belongs to one market of an org"
    )
    for command in ("validate", "import"):
        result = acme.fails(3, "catalog", command, str(first), str(second))
        assert expected in result.stderr.splitlines(), result.stderr
    assert countries_of(acme) == {}


def test_a_file_may_not_take_a_country_from_a_market_the_org_keeps(
    acme: Cli, tmp_path: Path
) -> None:
    assert create(acme, "ch", "single-country", "CH").exit_code == 0  # made by a command
    acme.ok("catalog", "import", str(write(tmp_path, catalog(market("gulf", "economic", "[KW]")))))
    text = catalog(market("dach", "multi_region", "[DE, CH]"), market("kw", "custom", "[KW]"))
    path = write(tmp_path, text, "next.yaml")
    # validate has no database: it knows only the files
    assert acme.run("catalog", "validate", str(path)).exit_code == 0
    ch, kw = at(text, "[DE, CH]", "CH"), at(text, "[KW]", "KW")
    expected = [
        f"{path}:{ch[0]}:{ch[1]}: markets[0].countries[1]: country CH is already in market 'ch'"
        " (in the database, not in these files); a country belongs to one market of an org",
        f"{path}:{kw[0]}:{kw[1]}: markets[1].countries[0]: country KW is already in market"
        " 'gulf' (in the database, not in these files); a country belongs to one market of an"
        " org",
    ]
    for args in ((), ("--prune", "--yes")):  # a prune keeps the market a command made
        result = acme.fails(3, "catalog", "import", str(path), *args)
        problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
        assert problems == (expected if not args else expected[:1]), result.stderr
    assert countries_of(acme) == {"ch": ["CH"], "gulf": ["KW"]}


def test_a_catalog_moves_countries_between_markets_in_one_import(acme: Cli, tmp_path: Path) -> None:
    first = catalog(
        market("eu", "multi_region", "[DE, FR, AT]"), market("old", "single_country", "[CH]")
    )
    acme.ok("catalog", "import", str(write(tmp_path, first)))
    # DE and AT leave eu (redefined without them) for dach; CH leaves old, which the prune
    # deletes: each row leaves its market before the index sees it in the new one
    moved = catalog(
        market("eu", "multi_region", "[FR]"),
        market("dach", "multi_region", "[{country: DE}, AT, CH]"),
    )
    path = write(tmp_path, moved, "moved.yaml")
    plan = acme.json("catalog", "import", str(path), "--prune", "--yes")
    assert {(c["action"], c["key"]) for c in plan["changes"]} == {
        ("update", "eu"),
        ("create", "dach"),
        ("delete", "old"),
    }
    assert countries_of(acme) == {"dach": ["DE", "AT", "CH"], "eu": ["FR"]}
    again = acme.json("catalog", "import", str(path))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    # and back again without a prune: eu takes DE from dach, which the file redefines
    back = catalog(
        market("eu", "multi_region", "[FR, DE]"), market("dach", "multi_region", "[AT, CH]")
    )
    acme.ok("catalog", "import", str(write(tmp_path, back, "back.yaml")))
    assert countries_of(acme) == {"dach": ["AT", "CH"], "eu": ["FR", "DE"]}
