"""`volmify offers …` (with coupons and promotions) and `volmify collections …`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.catalog_world import build_world, record_order
from tests.cli.test_products_cli import one_error_line
from tests.support import Cli


@pytest.fixture
def acme(cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    build_world(db_url)
    monkeypatch.setenv("VOLMIFY_ORG", "acme")
    for slug in ("a", "b", "c"):
        cli.json("products", "create", slug, "--type", "course", "--title", slug.upper())
    cli.json(
        "plans", "create", "a", "basic", "--type", "one-time", "--tier", "1", "--price", "us=20"
    )
    return cli


def offers(cli: Cli) -> Any:
    return cli.json("offers", "list")


def test_create_show_list_delete(acme: Cli) -> None:
    record = acme.json(
        "offers",
        "create",
        "spring",
        "--type",
        "percentage",
        "--percent",
        "25%",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-03-31",
        "--product",
        "a",
        "--variant",
        "b/standard",
        "--plan",
        "a/basic",
        "--market",
        "us",
        "--market",
        "eu",
        "--coupon",
        "Spring25",
        "--usage-limit",
        "100",
        "--duration",
        "repeating",
        "--periods",
        "3",
        "--name",
        "Spring sale",
    )
    assert (record["starts"], record["ends"]) == ("2026-03-01", "2026-03-31")
    assert (record["percent_bp"], record["percent"], record["duration"], record["periods"]) == (
        2500,
        "25%",
        "repeating",
        3,
    )
    assert record["targets"] == {
        "products": ["a"],
        "variants": ["b/standard"],
        "plans": ["a/standard/basic"],
        "collections": [],
        "markets": ["eu", "us"],
    }
    assert (record["coupons"], record["automatic"], record["usage_limit"]) == (
        ["Spring25"],
        False,
        100,
    )
    assert acme.json("offers", "show", "spring") == record
    fixed = acme.json(
        "offers",
        "create",
        "ten-off",
        "--type",
        "fixed-amount",
        "--amount",
        "1500",
        "--currency",
        "JPY",
    )
    assert (fixed["amount_minor"], fixed["amount"], fixed["currency"]) == (1500, "1500", "JPY")
    assert fixed["targets"]["products"] == [] and fixed["automatic"] is True
    assert [o["slug"] for o in offers(acme)] == ["spring", "ten-off"]
    acme.ok("offers", "delete", "ten-off", "--yes")
    assert [o["slug"] for o in offers(acme)] == ["spring"]


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (
            [
                "--type",
                "percentage",
                "--percent",
                "10",
                "--starts",
                "2026-03-10",
                "--ends",
                "2026-03-09",
            ],
            1,
            ["ends on 2026-03-09, before it starts on 2026-03-10"],
        ),
        (["--type", "percentage", "--percent", "10", "--ends", "2026-02-30"], 2, ["2026-02-30"]),
        (["--type", "percentage", "--percent", "abc"], 1, ["'abc'"]),
        (["--type", "percentage"], 2, ["needs --percent"]),
        (
            ["--type", "fixed-amount", "--amount", "9.999", "--currency", "EUR"],
            1,
            ["'9.999'", "too many decimals for EUR"],
        ),
        (["--type", "fixed-amount", "--amount", "5"], 2, ["--currency"]),
        (
            ["--type", "percentage", "--percent", "5", "--product", "globex-course"],
            1,
            ["product 'globex-course' not found in org acme"],
        ),
        (
            ["--type", "percentage", "--percent", "5", "--market", "gx"],
            1,
            ["market 'gx' not found in org acme"],
        ),
        (
            ["--type", "percentage", "--percent", "5", "--coupon", "bad code!"],
            1,
            ["coupon code 'bad code!' is not valid"],
        ),
    ],
)
def test_bad_offers_write_nothing(
    acme: Cli, args: list[str], code: int, needles: list[str]
) -> None:
    before = offers(acme)
    result = acme.fails(code, "offers", "create", "bad", *args)
    for needle in needles:
        assert needle in result.stderr
    if code == 1:
        one_error_line(result.stderr, *needles)
    assert offers(acme) == before


def test_duplicate_offer_slug_and_coupon_code(acme: Cli) -> None:
    acme.json("offers", "create", "x", "--type", "percentage", "--percent", "5", "--coupon", "SAVE")
    before = offers(acme)
    result = acme.fails(1, "offers", "create", "x", "--type", "percentage", "--percent", "9")
    one_error_line(result.stderr, "offer 'x' already exists in org acme")
    result = acme.fails(
        1, "offers", "create", "y", "--type", "percentage", "--percent", "9", "--coupon", "save"
    )
    one_error_line(result.stderr, "coupon code 'SAVE' is already used in org acme")
    assert offers(acme) == before


def test_coupons(acme: Cli) -> None:
    acme.json("offers", "create", "x", "--type", "percentage", "--percent", "5")
    added = acme.json(
        "offers",
        "coupons",
        "add",
        "x",
        "Summer",
        "WINTER",
        "--usage-limit",
        "2",
        "--ends",
        "2026-12-31",
    )
    assert [(c["code"], c["usage_limit"], c["ends"]) for c in added] == [
        ("Summer", 2, "2026-12-31"),
        ("WINTER", 2, "2026-12-31"),
    ]
    assert acme.json("offers", "show", "x")["automatic"] is False
    record_order(acme.db_url or "", plan="a/basic", coupon="summer")
    listed = acme.json("offers", "coupons", "list", "x")
    assert [(c["code"], c["redemptions"]) for c in listed] == [("Summer", 1), ("WINTER", 0)]
    result = acme.fails(1, "offers", "coupons", "remove", "SUMMER", "--yes")
    one_error_line(result.stderr, "redeemed by 1 order(s)")
    result = acme.fails(1, "offers", "delete", "x", "--yes")
    one_error_line(result.stderr, "offer 'x' has coupons redeemed by 1 order(s)")
    acme.ok("offers", "coupons", "remove", "winter", "--yes")
    assert [c["code"] for c in acme.json("offers", "coupons", "list")] == ["Summer"]
    deactivated = acme.json("offers", "update", "x", "--inactive")
    assert deactivated["is_active"] is False


def test_update_moves_the_window(acme: Cli) -> None:
    acme.json(
        "offers",
        "create",
        "x",
        "--type",
        "percentage",
        "--percent",
        "5",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-03-31",
    )
    record = acme.json("offers", "update", "x", "--ends", "2026-04-15", "--name", "Longer")
    assert (record["starts"], record["ends"], record["name"]) == (
        "2026-03-01",
        "2026-04-15",
        "Longer",
    )
    result = acme.fails(1, "offers", "update", "x", "--ends", "2026-02-01")
    one_error_line(result.stderr, "ends on 2026-02-01, before it starts on 2026-03-01")
    assert acme.json("offers", "show", "x")["ends"] == "2026-04-15"


def test_promotions(acme: Cli) -> None:
    acme.json("offers", "create", "x", "--type", "percentage", "--percent", "5")
    acme.json("offers", "create", "y", "--type", "percentage", "--percent", "6")
    record = acme.json(
        "offers",
        "promotions",
        "create",
        "spring",
        "--name",
        "Spring",
        "--offer",
        "y",
        "--offer",
        "x",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-03-01",
    )
    assert (record["offers"], record["starts"], record["ends"]) == (
        ["x", "y"],
        "2026-03-01",
        "2026-03-01",
    )
    assert acme.json("offers", "promotions", "show", "spring") == record
    assert [p["slug"] for p in acme.json("offers", "promotions", "list")] == ["spring"]
    result = acme.fails(2, "offers", "promotions", "create", "other")
    one_error_line(result.stderr, "missing --name")
    acme.ok("offers", "promotions", "delete", "spring", "--yes")
    assert acme.json("offers", "promotions", "list") == []
    assert [o["slug"] for o in offers(acme)] == ["x", "y"]


def test_collections(acme: Cli) -> None:
    record = acme.json(
        "collections",
        "create",
        "best",
        "--name",
        "Bestsellers",
        "--product",
        "c",
        "--product",
        "a",
    )
    assert [p["slug"] for p in record["products"]] == ["c", "a"]
    record = acme.json("collections", "add", "best", "b", "c")
    assert [p["slug"] for p in record["products"]] == ["c", "a", "b"]
    record = acme.json("collections", "remove", "best", "a")
    assert [p["slug"] for p in record["products"]] == ["c", "b"]
    assert acme.json("collections", "show", "best") == record
    assert acme.json("collections", "list") == [
        {"slug": "best", "name": "Bestsellers", "is_active": True, "products": 2}
    ]
    result = acme.fails(1, "collections", "add", "best", "globex-course")
    one_error_line(result.stderr, "product 'globex-course' not found in org acme")
    result = acme.fails(1, "collections", "create", "best", "--name", "Again")
    one_error_line(result.stderr, "collection 'best' already exists in org acme")
    assert acme.json("collections", "show", "best") == record
    acme.json(
        "offers",
        "create",
        "shelf",
        "--type",
        "percentage",
        "--percent",
        "5",
        "--collection",
        "best",
    )
    result = acme.fails(1, "collections", "delete", "best", "--yes")
    one_error_line(result.stderr, "only target of offer(s) 'shelf'")
    acme.ok("offers", "delete", "shelf", "--yes")
    acme.ok("collections", "delete", "best", "--yes")
    assert acme.json("collections", "list") == []
