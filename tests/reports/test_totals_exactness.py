"""The running totals per day are exact (SPEC 7 revision 2, issue 18): a stateful test records
random sales (with and without refunds, dated or not), later refunds, updates of the fee or of
the product, payouts to instructors and brands, closes and reopens of months, and time zone
changes, and after every step every view of the revenue report over several periods, read from
the totals, equals the same report added up from the ledger's entries, and every creator's
balance read from the totals (as `revenue balance` and statements read it, by month and by day,
and day by day as a conversion reads it) equals the one added up from the entries and payouts,
on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import Session

from tests.world import build_world
from volmify_cli.db.direct import reader_of
from volmify_cli.exchange.sales_files import open_sales_file
from volmify_cli.reports.balances import balance_sums, balance_totals, daily_sums, end_of
from volmify_cli.reports.labels import find_org
from volmify_cli.reports.periods import Period, parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.ledger_closes import close_period, closed_through, reopen_period
from volmify_cli.services.lookup import get_org
from volmify_cli.services.orgs import update_org
from volmify_cli.services.payouts import record_payout
from volmify_cli.services.sales import import_sales
from volmify_cli.windows import local_date

HEADER = "order_id,sold_at,product,plan,market,currency,amount,tax,fee,refunded,refunded_at"
# what tests/world.py sells: product, plan, market, currency, the currency's digits
OFFERS = [
    ("python-101", "basic", "us", "USD", 2),
    ("python-101", "basic", "eu", "EUR", 2),
    ("python-101", "basic", "jp", "JPY", 0),
    ("python-101", "basic", "kw", "KWD", 3),
    ("data-viz", "basic", "us", "USD", 2),
    ("mentoring", "hour", "jp", "JPY", 0),
]
ZONES = ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/New_York"]
VIEWS = [
    {"by": "creator"},
    {"by": "product"},
    {"by": "market"},
    {"by": "month"},
    {"by": "brand"},
    {"by": "month", "creator": "jane-doe"},
    {"by": "creator", "creator": "kim-lee"},
    {"by": "month", "creator": "brand:acme-academy"},
    {"by": "creator", "creator": "brand:jane-doe"},
]
PERIODS = [None, "2026-01", "2026-02-10..2026-03-20", "2026-Q1"]
# who is paid: instructors and brands of tests/world.py (brand:jane-doe shares jane's slug)
PAYEES = ["jane-doe", "kim-lee", "brand:acme-academy", "brand:jane-doe"]
BALANCE_DAYS = [None, dt.date(2026, 1, 31), dt.date(2026, 2, 14), dt.date(2026, 3, 31)]
days = st.integers(min_value=0, max_value=89).map(
    lambda n: dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n)
)


# a sales line's random parts (the `sell` rule's arguments)
SALE: dict[str, Any] = {
    "offer": st.sampled_from(OFFERS),
    "amount": st.integers(min_value=100, max_value=200_000),
    "tax_rate": st.sampled_from([0, 7, 19]),
    "fee": st.integers(min_value=0, max_value=300),
    "refund": st.sampled_from([0, 1, 2]),  # none, half, whole
    "sold": days,
    "refunded_at": st.one_of(st.none(), days),
    "hour": st.integers(min_value=0, max_value=23),
}


def _other_offer(line: list[Any]) -> tuple[str, str] | None:
    """Another product and plan sold in the line's market and currency, if there is one."""
    return next(
        ((product, plan) for product, plan, market, currency, _ in OFFERS
         if (market, currency) == (line[4], line[5]) and product != line[2]),
        None,
    )  # fmt: skip


def _text(minor: int, digits: int) -> str:
    return str(minor) if digits == 0 else f"{minor // 10**digits}.{minor % 10**digits:0{digits}d}"


class Ledger(RuleBasedStateMachine):
    """One org's ledger, driven by random work; the totals are compared after every step."""

    session: Session
    folder: Path

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = self.session.begin_nested()
        self.orders: dict[str, list[Any]] = {}  # order id -> its line's fields
        self.count = 0

    def teardown(self) -> None:
        self.savepoint.rollback()

    def _import(self, lines: list[list[Any]], *, update: bool = False) -> None:
        path = self.folder / "s.csv"
        body = "\n".join(",".join(str(v) for v in line[:-1]) for line in lines)
        path.write_text(f"{HEADER}\n{body}\n", encoding="utf-8")
        import_sales(self.session, org_slug="acme", lines=open_sales_file(path).lines,
                     file="s.csv", update=update)  # fmt: skip

    @initialize(first=st.lists(st.tuples(*SALE.values()), min_size=2, max_size=5))
    def start_in_utc_with_a_few_sales(self, first: list[tuple[Any, ...]]) -> None:
        """Every run starts with sales: the rules after them (refunds, updates, payouts,
        closes, zones) then work on a ledger, not on an empty one."""
        update_org(self.session, slug="acme", timezone="UTC")
        for sale in first:
            self.sell(*sale)

    @rule(**SALE)
    def sell(self, offer: Any, amount: int, tax_rate: int, fee: int, refund: int,
             sold: dt.datetime, refunded_at: dt.datetime | None, hour: int) -> None:  # fmt: skip
        product, plan, market, currency, digits = offer
        self.count += 1
        tax = amount * tax_rate // 119
        refunded = amount * refund // 2
        moment = sold + dt.timedelta(hours=hour)
        later = max(refunded_at, moment) if refunded_at and refunded else None
        line = [
            f"H{self.count}", moment.isoformat(), product, plan, market, currency,
            _text(amount, digits), _text(tax, digits), _text(min(fee, amount - tax), digits),
            _text(refunded, digits) if refunded else "", later.isoformat() if later else "",
            digits,
        ]  # fmt: skip
        self._import([line])
        self.orders[line[0]] = line

    @precondition(lambda self: bool(self.orders))
    @rule(data=st.data(), when=days)
    def refund_later(self, data: Any, when: dt.datetime) -> None:
        order = data.draw(st.sampled_from(sorted(self.orders)))
        line = list(self.orders[order])
        line[9], line[10] = line[6], max(when, dt.datetime.fromisoformat(line[1])).isoformat()
        self._import([line])
        self.orders[order] = line

    @precondition(lambda self: bool(self.orders))
    @rule(data=st.data(), fee=st.integers(min_value=0, max_value=50))
    def update_fee(self, data: Any, fee: int) -> None:
        order = data.draw(st.sampled_from(sorted(self.orders)))
        line = list(self.orders[order])
        line[8] = _text(fee, line[11])
        self._import([line], update=True)
        self.orders[order] = line

    @precondition(lambda self: any(_other_offer(line) for line in self.orders.values()))
    @rule(data=st.data())
    def update_product(self, data: Any) -> None:
        """`--update` of an order to another product in its market: its entries are reversed
        under the old product and recorded again, as a correction, under the new one."""
        movable = sorted(order for order, line in self.orders.items() if _other_offer(line))
        order = data.draw(st.sampled_from(movable))
        line = list(self.orders[order])
        line[2], line[3] = _other_offer(line)
        self._import([line], update=True)
        self.orders[order] = line

    @rule(
        payee=st.sampled_from(PAYEES),
        offer=st.sampled_from(OFFERS),
        minor=st.integers(min_value=1, max_value=50_000),
        when=days,
    )
    def pay(self, payee: str, offer: Any, minor: int, when: dt.datetime) -> None:
        """A payout (a day of a closed month is recorded on the first open day)."""
        currency, digits = offer[3], offer[4]
        creator = f"instructor:{payee}" if payee == "jane-doe" else payee
        record_payout(self.session, org="acme", creator=creator, amount=_text(minor, digits),
                      currency=currency, at=when.date())  # fmt: skip

    @rule(month=st.sampled_from(["2026-01", "2026-02"]))
    def close(self, month: str) -> None:
        close_period(self.session, org_slug="acme", period=month, by="test")

    @rule()
    def reopen(self) -> None:
        reopen_period(self.session, org_slug="acme", period="2026-01", by="test")

    @rule(zone=st.sampled_from(ZONES))
    def move_to(self, zone: str) -> None:
        if closed_through(self.session, get_org(self.session, "acme").id) is None:
            update_org(self.session, slug="acme", timezone=zone)

    @invariant()
    def totals_equal_the_entries(self) -> None:
        self.session.flush()
        reader = reader_of(self.session)
        for view in VIEWS:
            for period in PERIODS:
                chosen = parse_period(period) if period else Period()
                reports = [
                    revenue_report(
                        reader, org_slug="acme", period=chosen, from_ledger=ledger, **view
                    )
                    for ledger in (False, True)
                ]
                assert reports[0] == reports[1], (view, period)

    @invariant()
    def balances_by_day_equal_the_entries_and_payouts(self) -> None:
        self.session.flush()
        reader = reader_of(self.session)
        org = find_org(reader, "acme")
        # and the days of the latest sales (of the org's zone) and the days before them: a
        # day's own entries are in its balance, the next day's are not
        sold = [local_date(dt.datetime.fromisoformat(line[1]), org.timezone)
                for line in list(self.orders.values())[-3:]]  # fmt: skip
        edges = {day + dt.timedelta(days=shift) for day in sold for shift in (-1, 0)}
        for at in [*BALANCE_DAYS, *sorted(edges)]:
            earned, paid = balance_sums(reader, org, before=end_of(at, org.timezone))
            assert balance_totals(reader, org, through=at) == (earned, paid), at  # balances
            by_day = daily_sums(reader, org, at)  # a conversion's
            assert {k: v for k, v in earned.items() if v} == added(by_day[0]), at
            assert paid == added(by_day[1]), at


def added(days: dict[Any, list[tuple[int, dt.date]]]) -> dict[Any, int]:
    """Each key's amounts over its days, without the keys that add up to nothing."""
    sums = {key: sum(amount for amount, _ in amounts) for key, amounts in days.items()}
    return {key: total for key, total in sums.items() if total}


@pytest.mark.slow
def test_the_running_totals_equal_the_entries_after_any_work(
    session: Session, tmp_path: Path
) -> None:
    build_world(session)
    Ledger.session = session
    Ledger.folder = tmp_path
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
