"""The ledger is append-only (SPEC 5, revision 2): a sale is recorded as entries dated when it
was sold, a refund as entries of its own dated when it was refunded. A report of the sale's
month never changes when the refund comes later; the refund lowers the month it was made in;
re-importing an order whose refund grew records only the new refund, without `--update`, and
leaves every earlier entry's row byte-identical."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from tests.world import build_world
from volmify_cli.db.direct import reader_of
from volmify_cli.exchange.sales_files import open_sales_file
from volmify_cli.reports.periods import parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.sales import import_sales
from volmify_cli.services.sales_read import get_sale

HEADER = "order_id,sold_at,product,plan,market,currency,amount,tax,fee,refunded,refunded_at"
SALE = "L-1,2026-01-10,python-101,basic,us,USD,49.00,4.00,1.50"


@pytest.fixture
def world(session: Session) -> Session:
    build_world(session)
    return session


def _import(session: Session, path: Path, body: str) -> Any:
    path.write_text(f"{HEADER}\n{body}\n", encoding="utf-8")
    return import_sales(session, org_slug="acme", lines=open_sales_file(path).lines, file="s.csv")


def _month(session: Session, period: str) -> dict[str, Any]:
    report = revenue_report(reader_of(session), org_slug="acme", period=parse_period(period))
    return {(r["kind"], r["key"]): r for r in report["rows"]}


def _entries(session: Session) -> list[tuple[Any, ...]]:
    """Every ledger row (entries, then their splits), its id first, oldest first: ids grow with
    time."""
    return [
        tuple(row)
        for table in ("org_ledger_entry", "org_order_item_allocation")
        for row in session.execute(text(f"SELECT id, * FROM {table} ORDER BY id"))
    ]


def test_a_later_refund_lowers_its_own_month_and_never_the_sales(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _import(world, path, f"{SALE},,")
    january = _month(world, "2026-01")
    sale_entries = _entries(world)
    # half refunded in March: recorded as the refund alone, no --update
    made = _import(world, path, f"{SALE},24.50,2026-03-05T10:00:00Z")
    assert (made["refunded"], made["replaced"], made["created"]) == (["L-1"], [], 0)
    assert _month(world, "2026-01") == january  # the January report never changes
    earlier = [row for row in _entries(world) if row[0] in {r[0] for r in sale_entries}]
    assert earlier == sale_entries  # every earlier row byte-identical
    march = _month(world, "2026-03")
    org = march[("org", "org:acme")]
    # the refund returns half the tax: 49.00 - 4.00 - 1.50 - (24.50 - 2.00) = 21.00 after it
    assert (org["sales"], org["gross_minor"], org["net_minor"]) == (0, 0, 2100 - 4350)
    jane = march[("instructor", "jane-doe")]
    assert jane["amount_minor"] == 2100 * 4000 // 10000 - 4350 * 4000 // 10000
    whole = revenue_report(reader_of(world), org_slug="acme")
    totals = {t["currency"]: t for t in whole["totals"]}
    assert (totals["USD"]["sales"], totals["USD"]["net_minor"]) == (1, 2100)
    # the same file again is a no-op; a refund that grew again records only the difference
    assert _import(world, path, f"{SALE},24.50,2026-03-05T10:00:00Z")["unchanged"] == 1
    again = _import(world, path, f"{SALE},49.00,2026-04-01")
    assert again["refunded"] == ["L-1"]
    april = _month(world, "2026-04")[("org", "org:acme")]
    assert april["net_minor"] == -150 - 2100  # fully refunded: the org keeps -fee
    assert _month(world, "2026-03") == march


def test_a_refund_recorded_with_its_sale_is_dated_by_its_line(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _import(world, path, f"{SALE},49.00,2026-02-02")
    assert _month(world, "2026-01")[("org", "org:acme")]["net_minor"] == 4350
    february = _month(world, "2026-02")[("org", "org:acme")]
    assert (february["sales"], february["net_minor"]) == (0, -150 - 4350)
    kinds = {row[0] for row in world.execute(text("SELECT entry_kind FROM org_ledger_entry"))}
    assert kinds == {"sale", "refund"}


def test_a_sale_shows_its_ledger_entries_and_what_each_recipient_holds(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _import(world, path, f"{SALE},,")
    _import(world, path, f"{SALE},49.00,2026-03-05")
    sale = get_sale(world, org_slug="acme", order_id="L-1")
    assert [(e["kind"], e["at"].date().isoformat(), e["net_minor"]) for e in sale["entries"]] == [
        ("sale", "2026-01-10", 4350),
        ("refund", "2026-03-05", -150 - 4350),
    ]
    holdings = {a["key"]: a["amount_minor"] for a in sale["allocations"]}
    assert holdings.pop("org:acme") == -150  # the fee: the org's alone
    assert set(holdings.values()) == {0}  # every creator's share clawed back exactly
