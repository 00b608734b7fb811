"""Every catalog list/show renders in every format (table, json, yaml, csv) without error."""

from __future__ import annotations

import csv
import io

import pytest

from tests.cli.catalog_world import build_world
from tests.support import Cli

COMMANDS = [
    ["products", "list"],
    ["products", "show", "p"],
    ["products", "variants", "list", "p"],
    ["products", "attribute", "p", "--instructor", "jane-doe"],
    ["plans", "list"],
    ["plans", "show", "p/basic"],
    ["plans", "price", "p/basic", "--market", "eu", "--at", "2026-03-02"],
    ["offers", "list"],
    ["offers", "show", "spring"],
    ["offers", "coupons", "list"],
    ["offers", "promotions", "list"],
    ["offers", "promotions", "show", "launch"],
    ["collections", "list"],
    ["collections", "show", "shelf"],
]


@pytest.fixture
def world(cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    build_world(db_url)
    monkeypatch.setenv("VOLMIFY_ORG", "acme")
    cli.json(
        "products", "create", "p", "--type", "course", "--title", "P", "--brand", "acme-academy",
        "--status", "active",  # for sale: `plans price` quotes it
    )  # fmt: skip
    cli.json(
        "plans",
        "create",
        "p",
        "basic",
        "--type",
        "one-time",
        "--tier",
        "1",
        "--price",
        "eu=45",
        "--compare-at",
        "eu=59",
        "--price",
        "kw=15.250",
    )
    cli.json(
        "offers",
        "create",
        "spring",
        "--type",
        "percentage",
        "--percent",
        "10",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-03-31",
        "--coupon",
        "SPRING",
    )
    cli.json("offers", "promotions", "create", "launch", "--name", "Launch", "--offer", "spring")
    cli.json("collections", "create", "shelf", "--name", "Shelf", "--product", "p")
    return cli


def test_every_command_in_every_format(world: Cli) -> None:
    for command in COMMANDS:
        for fmt in ("table", "yaml", "csv"):
            result = world.run("--locale", "de-DE", *command, "--format", fmt)
            assert result.exit_code == 0, (command, fmt, result.stderr)
            assert result.stdout.strip(), (command, fmt)
            if fmt == "csv":
                header = next(csv.reader(io.StringIO(result.stdout)))
                assert header, command


def test_money_in_tables_uses_the_display_locale_and_iso_digits(world: Cli) -> None:
    table = world.ok("plans", "show", "p/basic", "--format", "table", "--locale", "de-DE").stdout
    flat = table.replace("\xa0", " ")
    assert "45,00 €" in flat and "59,00 €" in flat
    assert "15,250 KWD" in flat  # three decimals from ISO 4217, not babel's CLDR digits
