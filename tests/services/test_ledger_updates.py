"""`sales import --update` and closed periods keep the ledger append-only (SPEC 5, revision 2).

An update supersedes the order's item and records a reversal of what it held and a correction,
both dated when the update is recorded: the sale's month keeps its figures, the update's month
shows the difference, and no earlier row changes. A period that finance closed keeps its reports
and statements: a sale, refund or payout dated in it is recorded on the first open day, with the
day it belongs to (`for_date`) and a warning naming the orders.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from tests.world import build_world
from volmify_cli.db.direct import reader_of
from volmify_cli.errors import UsageError
from volmify_cli.exchange.sales_files import open_sales_file
from volmify_cli.reports.periods import parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.ledger_closes import close_period, list_closes, reopen_period
from volmify_cli.services.payouts import record_payout
from volmify_cli.services.sales import import_sales
from volmify_cli.services.sales_read import get_sale
from volmify_cli.services.statements import creator_statement

HEADER = "order_id,sold_at,product,plan,market,currency,amount,tax,fee,refunded,refunded_at"
SALE = "L-1,2026-01-10,python-101,basic,us,USD,49.00,4.00,1.50"
JANE = ("instructor", "jane-doe")
ORG = ("org", "org:acme")


@pytest.fixture
def world(session: Session) -> Session:
    build_world(session)
    return session


def _import(session: Session, path: Path, body: str, *, update: bool = False) -> Any:
    path.write_text(f"{HEADER}\n{body}\n", encoding="utf-8")
    return import_sales(
        session, org_slug="acme", lines=open_sales_file(path).lines, file="s.csv", update=update
    )


def _report(session: Session, period: str | None = None, by: str = "creator") -> dict[Any, Any]:
    report = revenue_report(
        reader_of(session),
        org_slug="acme",
        by=by,
        period=parse_period(period) if period else None,
    )
    return {(r.get("kind"), r["key"]): r for r in report["rows"]}


def _rows(session: Session, table: str) -> dict[Any, tuple[Any, ...]]:
    return {
        row[0]: tuple(row)
        for row in session.execute(text(f"SELECT id, * FROM {table} ORDER BY id"))
    }


def _ledger(session: Session) -> dict[Any, tuple[Any, ...]]:
    """Every entry and split row, by id."""
    return _rows(session, "org_ledger_entry") | _rows(session, "org_order_item_allocation")


def _this_month() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m")


def test_an_update_reverses_and_corrects_in_its_own_month_and_rewrites_nothing(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _import(world, path, f"{SALE},,")
    _import(world, path, f"{SALE},24.50,2026-03-05")  # a later refund, as its own entry
    before = _ledger(world)
    january, march = _report(world, "2026-01"), _report(world, "2026-03")
    # the fee was wrong: 2.50, not 1.50
    made = _import(world, path, "L-1,2026-01-10,python-101,basic,us,USD,49.00,4.00,2.50,24.50,"
                   "2026-03-05", update=True)  # fmt: skip
    assert made["replaced"] == ["L-1"]
    after = _ledger(world)
    assert {key: after[key] for key in before} == before  # every earlier row byte-identical
    assert _report(world, "2026-01") == january
    assert _report(world, "2026-03") == march
    kinds = [e["kind"] for e in get_sale(world, org_slug="acme", order_id="L-1")["entries"]]
    assert kinds == ["sale", "refund", "reversal", "correction"]
    # 49.00 - 4.00 - 2.50 - (24.50 - 2.00) = 20.00 now, 21.00 before: the update's month -1.00
    now = _report(world, _this_month())
    assert (now[ORG]["sales"], now[ORG]["gross_minor"], now[ORG]["net_minor"]) == (0, 0, -100)
    assert now[JANE]["amount_minor"] == 2000 * 4000 // 10000 - 2100 * 4000 // 10000
    whole = _report(world)
    assert (whole[ORG]["sales"], whole[ORG]["net_minor"]) == (1, 2000)
    shown = get_sale(world, org_slug="acme", order_id="L-1")
    assert (shown["fee_minor"], shown["net_minor"]) == (250, 2000)
    held = {a["key"]: a["amount_minor"] for a in shown["allocations"]}
    assert sum(held.values()) == 2000 and held["jane-doe"] == 800
    items = world.execute(text("SELECT count(*), count(superseded_at) FROM org_order_item")).one()
    assert tuple(items) == (2, 1)  # the earlier item stays, superseded


def test_an_order_updated_twice_and_then_refunded_holds_its_last_figures(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _import(world, path, f"{SALE},,")
    _import(world, path, "L-1,2026-01-10,python-101,basic,us,USD,59.00,4.00,1.50,,", update=True)
    _import(world, path, "L-1,2026-01-10,python-101,basic,us,USD,39.00,3.00,1.50,,", update=True)
    made = _import(world, path, "L-1,2026-01-10,python-101,basic,us,USD,39.00,3.00,1.50,39.00,"
                   "2026-12-01")  # fmt: skip
    assert made["refunded"] == ["L-1"]
    whole = _report(world)
    # fully refunded: the org keeps -fee, every creator 0, one sale line of 39.00
    assert (whole[ORG]["sales"], whole[ORG]["gross_minor"]) == (1, 3900)
    assert (whole[ORG]["net_minor"], whole[ORG]["amount_minor"]) == (-150, -150)
    assert whole[JANE]["amount_minor"] == 0


def test_a_closed_month_keeps_its_report_and_statement_and_late_entries_go_to_the_next(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    _import(world, path, f"{SALE},,")
    january = _report(world, "2026-01")
    statement = creator_statement(
        reader_of(world), org_slug="acme", creator="jane-doe", period=parse_period("2026-01")
    )
    closed = close_period(world, org_slug="acme", period="2026-01", by="fin")
    assert closed["closed_through"] == dt.date(2026, 1, 31)
    # refunded in January after all, and a January sale that came in late
    late = _import(world, path, f"{SALE},49.00,2026-01-20\nL-2,2026-01-15,python-101,basic,us,"
                   "USD,20.00,0,1.00,,")  # fmt: skip
    assert any("L-1, L-2" in warning for warning in late["warnings"])
    record_payout(world, org="acme", creator="instructor:jane-doe", amount="5.00", currency="USD",
                  at=dt.date(2026, 1, 25))  # fmt: skip
    assert _report(world, "2026-01") == january
    again = creator_statement(
        reader_of(world), org_slug="acme", creator="jane-doe", period=parse_period("2026-01")
    )
    assert again == statement
    february = _report(world, "2026-02")
    assert february[ORG]["sales"] == 1  # L-2, dated the first open day
    assert february[ORG]["net_minor"] == (-150 - 4350) + 1900
    moved = {
        (e["kind"], e["at"], e["for_date"])
        for order in ("L-1", "L-2")
        for e in get_sale(world, org_slug="acme", order_id=order)["entries"]
        if e["for_date"] is not None
    }
    first_open = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    assert moved == {
        ("refund", first_open, dt.date(2026, 1, 20)),
        ("sale", first_open, dt.date(2026, 1, 15)),
    }
    feb_statement = creator_statement(
        reader_of(world), org_slug="acme", creator="jane-doe", period=parse_period("2026-02")
    )
    assert [(p["date"], p["for_date"]) for p in feb_statement["payouts"]] == [
        (dt.date(2026, 2, 1), dt.date(2026, 1, 25))
    ]
    assert [(a["kind"], a["order_id"], a["for_date"]) for a in feb_statement["adjustments"]] == [
        ("refund", "L-1", dt.date(2026, 1, 20))
    ]


def test_reopening_dates_entries_as_given_again_and_the_history_keeps_who_and_when(
    world: Session, tmp_path: Path
) -> None:
    close_period(world, org_slug="acme", period="2026-Q1", by="fin")
    assert close_period(world, org_slug="acme", period="2026-02", by="fin")["close"] is None
    reopened = reopen_period(world, org_slug="acme", period="2026-03", by="cfo")
    assert reopened["closed_through"] == dt.date(2026, 2, 28)
    made = _import(
        world, tmp_path / "s.csv", "L-3,2026-03-02,python-101,basic,us,USD,20.00,0,1.00,,"
    )
    assert made["warnings"] == []
    assert _report(world, "2026-03")[ORG]["sales"] == 1
    history = list_closes(world, org_slug="acme")
    assert [(c["action"], c["period"], c["closed_through"], c["recorded_by"]) for c in history] == [
        ("close", "2026-Q1", dt.date(2026, 3, 31), "fin"),
        ("reopen", "2026-03", dt.date(2026, 2, 28), "cfo"),
    ]
    assert all(c["recorded_at"] is not None for c in history)
    assert reopen_period(world, org_slug="acme", period="2026-06", by="cfo")["close"] is None


def test_a_period_that_cannot_be_read_is_a_usage_error(world: Session) -> None:
    with pytest.raises(UsageError):
        close_period(world, org_slug="acme", period="2026-13", by="fin")
