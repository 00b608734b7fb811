"""The dated ledger against the independent reference (`tests/revenue_reference.Book`), on both
databases: later refunds dated by `refunded_at` (one with its own `tax_refunded`), updates of
the same product (the first recording's shares) and of another product (its shares now), a
closed month with a late sale, a late refund and a payout dated in it, and payouts. Every view,
over every period, and every balance equals the reference to the minor unit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from tests.revenue_reference import (
    ATTRIBUTION_1,
    ATTRIBUTION_2,
    BETA,
    PART_1,
    PART_2,
    Book,
    Payout,
    Sale,
    csv_text,
    expected_balances,
    expected_report,
)
from tests.world import build_world, set_instructor_share
from volmify_cli.db.direct import reader_of
from volmify_cli.exchange.sales_csv import read_sales_csv
from volmify_cli.reports.balances import creator_balances
from volmify_cli.reports.periods import Period, parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.ledger_closes import close_period
from volmify_cli.services.payouts import record_payout
from volmify_cli.services.sales import import_sales
from volmify_cli.services.sales_read import get_sale

BY_ORDER = {sale.order_id: sale for sale in PART_1 + PART_2}
LATE = Sale("S20", "2026-02-25", "data-viz", "", "basic", "us", "USD", 3000, tax=200, fee=90)


def _import(session: Session, tmp_path: Path, sales: list[Sale], *, org: str = "acme",
            update: bool = False) -> dict[str, Any]:  # fmt: skip
    path = tmp_path / "lines.csv"
    path.write_text(csv_text(sales), encoding="utf-8")
    made = import_sales(session, org_slug=org, lines=read_sales_csv(path), file="lines.csv",
                        update=update)  # fmt: skip
    return dict(made)


def _recorded_at(session: Session, order_id: str, kind: str) -> dt.datetime:
    """When the code under test recorded an entry of `order_id` (the moment an update or an
    undated refund is dated: the reference takes it as given)."""
    entries = get_sale(session, org_slug="acme", order_id=order_id)["entries"]
    return max(e["at"] for e in entries if e["kind"] == kind)


@pytest.fixture
def scenario(session: Session, tmp_path: Path) -> tuple[Session, Book, list[Payout]]:
    build_world(session)
    book = Book()
    _import(session, tmp_path, PART_1)
    for sale in PART_1:
        book.record(sale, ATTRIBUTION_1[sale.product])
    _import(session, tmp_path, BETA, org="beta")
    for sale in BETA:
        book.record(sale, ATTRIBUTION_1[sale.product])
    # refunds reported later, each dated by its line; S4's says what tax it returned
    refunds = [
        dataclasses.replace(BY_ORDER["S1"], refunded=2450, refunded_at="2026-03-05"),
        dataclasses.replace(BY_ORDER["S4"], refunded=15250, refunded_at="2026-02-27T18:00:00Z",
                            tax_refunded_given=300),
    ]  # fmt: skip
    assert _import(session, tmp_path, refunds)["refunded"] == ["S1", "S4"]
    for sale in refunds:
        book.refund(sale, sale.moment)
    set_instructor_share(session, "acme", "python-101", "jane-doe", 5000)
    set_instructor_share(session, "acme", "python-101", "john-roe", 1000)
    _import(session, tmp_path, PART_2)
    for sale in PART_2:
        book.record(sale, ATTRIBUTION_2[sale.product])
    # February is closed; a late sale, a late refund and a payout dated in it come after
    close_period(session, org_slug="acme", period="2026-02", by="finance")
    book.closed_through = dt.date(2026, 2, 28)
    late_refund = dataclasses.replace(BY_ORDER["S9"], refunded=4500, refunded_at="2026-02-20")
    made = _import(session, tmp_path, [late_refund, LATE])
    assert (made["refunded"], made["created"]) == (["S9"], 1)
    book.refund(late_refund, late_refund.moment)
    book.record(LATE, ATTRIBUTION_2[LATE.product])
    # updates: S2's fee (same product: its first shares); S3 now sells mentoring (nobody's)
    s2 = dataclasses.replace(BY_ORDER["S2"], fee=155)
    s3 = Sale("S3", "2026-01-20", "mentoring", "", "hour", "jp", "JPY", 12000, fee=100)
    made = _import(session, tmp_path, [s2, s3], update=True)
    assert made["replaced"] == ["S2", "S3"]
    for sale in (s2, s3):
        at = _recorded_at(session, sale.order_id, "correction")
        book.update(sale, at, ATTRIBUTION_2[sale.product])
    payouts = []
    for kind, key, currency, amount, day in (
        ("instructor", "jane-doe", "USD", 1000, "2026-02-10"),  # closed: dated March 1st
        ("instructor", "kim-lee", "USD", 500, "2026-03-10"),
        ("brand", "acme-academy", "KWD", 1525, "2026-03-31"),
    ):
        made_payout = record_payout(
            session, org="acme", creator=f"{kind}:{key}", amount=f"{amount / 10 ** (3 if currency == 'KWD' else 2)}",
            currency=currency, at=dt.date.fromisoformat(day),
        )  # fmt: skip
        paid_on = made_payout["payout"]["paid_at"].date().isoformat()
        payouts.append(Payout(kind, key, currency, amount, paid_on))
    assert [p.paid_on for p in payouts] == ["2026-03-01", "2026-03-10", "2026-03-31"]
    session.flush()
    return session, book, payouts


def _plain(report: Any) -> Any:
    return json.loads(json.dumps(report, default=str))


THIS_MONTH = dt.datetime.now(dt.UTC).strftime("%Y-%m")
PERIODS = [None, "2026-01", "2026-02", "2026-03", "2026-Q1", THIS_MONTH]
VIEWS = [
    {"by": "creator"},
    {"by": "product"},
    {"by": "market"},
    {"by": "month"},
    {"by": "brand"},
    {"by": "creator", "creator": "jane-doe"},
    {"by": "product", "creator": "kim-lee"},
    {"by": "month", "creator": "brand:acme-academy"},  # a brand's share, from the totals
    {"by": "product", "creator": "brand:jane-doe"},  # the brand, not the instructor jane-doe
    {"by": "creator", "currency": "USD"},
]


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()))
def test_every_view_of_every_period_equals_the_reference(
    scenario: tuple[Session, Book, list[Payout]], view: dict[str, str]
) -> None:
    session, book, _ = scenario
    for period in PERIODS:
        chosen = parse_period(period) if period else Period()
        start, end = (d.isoformat() if d else None for d in (chosen.start, chosen.end))
        report = revenue_report(
            reader_of(session), org_slug="acme", by=view["by"], period=chosen,
            creator=view.get("creator"), currency=view.get("currency"),
        )  # fmt: skip
        expected = expected_report(
            book.entries, by=view["by"], start=start, end=end, creator=view.get("creator"),
            currency=view.get("currency"),
        )  # fmt: skip
        assert _plain(report) == expected, period


def test_balances_equal_earnings_minus_payouts_at_every_day(
    scenario: tuple[Session, Book, list[Payout]],
) -> None:
    session, book, payouts = scenario
    for at in (None, "2026-01-31", "2026-02-28", "2026-03-01", "2026-03-31"):
        day = dt.date.fromisoformat(at) if at else None
        shown = creator_balances(reader_of(session), org_slug="acme", at=day)
        assert _plain(shown["rows"]) == expected_balances(book.entries, payouts, at=at), at


def test_what_came_after_the_close_is_dated_the_first_open_day(
    scenario: tuple[Session, Book, list[Payout]],
) -> None:
    session, book, _ = scenario
    march_first = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    late = {(e.kind, e.sale.order_id) for e, _ in book.entries if e.moment == march_first}
    assert late == {("refund", "S9"), ("sale", "S20")}
    moved = [
        (e["kind"], e["for_date"])
        for order in ("S9", "S20")
        for e in get_sale(session, org_slug="acme", order_id=order)["entries"]
        if e["at"] == march_first
    ]
    assert sorted(moved) == [("refund", dt.date(2026, 2, 20)), ("sale", dt.date(2026, 2, 25))]
