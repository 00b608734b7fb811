"""`sales list` (issue 22): newest first by default, filters and sorts, every format streamed
(`--format ndjson` too), `--fields` in any format and CSV with every field JSON has."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.support import Cli

ORG = ("--org", "acme")


@pytest.fixture(scope="module")
def every(demo: Cli) -> list[dict]:
    return demo.json("sales", "list", *ORG, "--sort", "oldest")


def test_newest_first_by_default_and_the_other_orders(demo: Cli, every: list[dict]) -> None:
    assert len(every) > 100
    oldest = [(s["sold_at"], s["order_id"]) for s in every]
    assert oldest == sorted(oldest)
    newest = demo.json("sales", "list", *ORG)
    assert [s["order_id"] for s in newest] == [s["order_id"] for s in reversed(every)]
    by_amount = demo.json("sales", "list", *ORG, "--sort", "amount")
    keys = [(s["currency"], -s["amount_minor"]) for s in by_amount]
    assert keys == sorted(keys)  # per currency, the largest first


def test_filters_keep_exactly_the_matching_sales(demo: Cli, every: list[dict]) -> None:
    def ids(*options: str) -> set[str]:
        return {s["order_id"] for s in demo.json("sales", "list", *ORG, *options)}

    assert ids("--product", "python-101") == {
        s["order_id"] for s in every if s["product"] == "python-101"
    }
    assert ids("--market", "eu") == {s["order_id"] for s in every if s["market"] == "eu"}
    customer = every[0]["customer"]
    assert ids("--customer", customer.upper()) == {
        s["order_id"] for s in every if (s["customer"] or "").lower() == customer.lower()
    }
    assert ids("--coupon", "spring25") == {
        s["order_id"] for s in every if s["coupon"] == "SPRING25"
    }
    refunded = {s["order_id"] for s in every if s["refunded_minor"] > 0}
    assert refunded and ids("--refunded") == refunded
    assert ids("--not-refunded") == {s["order_id"] for s in every} - refunded
    shared = ids("--creator", "omar-haddad")
    assert shared and shared < {s["order_id"] for s in every}
    for order in sorted(shared)[:3]:
        keys = {a["key"] for a in demo.json("sales", "show", order, *ORG)["allocations"]}
        assert "omar-haddad" in keys
    outside = sorted({s["order_id"] for s in every} - shared)[:3]
    for order in outside:
        keys = {a["key"] for a in demo.json("sales", "show", order, *ORG)["allocations"]}
        assert "omar-haddad" not in keys
    missing = demo.fails(1, "sales", "list", *ORG, "--product", "no-such-product")
    assert "product 'no-such-product' not found" in missing.stderr


def test_fields_and_formats(demo: Cli, every: list[dict]) -> None:
    picked = demo.json("sales", "list", *ORG, "--limit", "3", "--fields", "order_id,net")
    assert [list(s) for s in picked] == [["order_id", "net"]] * 3
    lines = demo.ok("sales", "list", *ORG, "--format", "ndjson", "--sort", "oldest").stdout
    assert [json.loads(line) for line in lines.splitlines()] == every
    text = demo.ok("sales", "list", *ORG, "--format", "csv", "--sort", "oldest").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(every[0])  # the same fields as JSON, in its order
    assert [r["order_id"] for r in rows] == [s["order_id"] for s in every]
    assert rows[0]["net_minor"] == str(every[0]["net_minor"])
    bad = demo.fails(2, "sales", "list", *ORG, "--fields", "order_id,nope")
    assert "no field 'nope'" in bad.stderr and "net_minor" in bad.stderr


def test_the_list_is_read_as_a_stream() -> None:
    """The mechanism of SPEC 7's flat memory: the service yields rows, it never builds the
    list (the output writes each one as it comes)."""
    import inspect

    from volmify_cli.services.sales_read import list_sales

    assert inspect.isgeneratorfunction(list_sales)


def test_revenue_report_limit_keeps_the_first_rows_of_each_currency(demo: Cli) -> None:
    full = demo.json("revenue", "report", *ORG, "--by", "product")
    limited = demo.json("revenue", "report", *ORG, "--by", "product", "--limit", "1")
    firsts: dict[str, dict] = {}
    for row in full["rows"]:
        firsts.setdefault(row["currency"], row)
    assert limited["rows"] == list(firsts.values())
    assert limited["totals"] == full["totals"]  # the totals stay everyone's


def test_a_large_import_leaves_sqlite_the_statistics_of_its_orders(
    cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mechanism of `sales list`'s first row at once on SQLite: after a large load the
    planner knows the orders (else it sorts them all before the first row)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's statistics are refreshed during the load (ANALYZE)")
    from pathlib import Path

    from sqlalchemy import text

    from volmify_cli.db.engine import make_engine
    from volmify_cli.services import sales

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "acme"
    cli.ok("catalog", "import", str(fixtures / "catalog"), "--org", "acme")
    monkeypatch.setattr(sales, "LARGE_LOAD", 10)  # the demo's file stands for a large one
    cli.ok("sales", "import", str(fixtures / "sales.csv"), "--org", "acme")
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            tables = set(connection.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
    finally:
        engine.dispose()
    assert {
        "org_order",
        "org_order_item",
        "org_ledger_entry",
        "org_order_item_allocation",
    } <= tables


def test_a_creator_filter_is_its_splits_read_once(demo: Cli, every: list[dict]) -> None:
    """`--creator` keeps the sales a brand or an instructor has a split of, found once from its
    splits: on SQLite no part of the list's query runs again for each order (tested order by
    order, it read every split of the org for each one: 230 s for 20 sales of one instructor on
    a 200,000-line ledger)."""
    from sqlalchemy import Engine, event

    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "FROM org_order " in sql:
            statements.append((sql, params))

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        brand = {s["order_id"] for s in demo.json("sales", "list", *ORG, "--creator", "acme-press")}
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert brand and brand < {s["order_id"] for s in every}
    for order in sorted(brand)[:3]:
        allocations = demo.json("sales", "show", order, *ORG)["allocations"]
        assert ("brand", "acme-press") in {(a["kind"], a["key"]) for a in allocations}
    assert demo.db_url
    if demo.db_url.startswith("sqlite"):
        import sqlite3

        (sql, params) = statements[-1]
        connection = sqlite3.connect(demo.db_url.removeprefix("sqlite:///"))
        try:
            plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        finally:
            connection.close()
        assert not [step for step in plan if "CORRELATED" in step], plan
