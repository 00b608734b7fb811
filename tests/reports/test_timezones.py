"""An org's time zone (SPEC 5, revision 2): its report periods, the months of `--by month`, its
closed days, `--at` of balances and payouts are its own days, on both databases. Offsets that are
not whole hours and a daylight-saving change inside a month included; the zone is refused while
periods are closed (the closed days would move)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from tests.world import build_world
from volmify_cli.db.direct import reader_of
from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.exchange.sales_files import open_sales_file
from volmify_cli.reports.balances import creator_balances
from volmify_cli.reports.periods import parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.ledger_closes import close_period, reopen_period
from volmify_cli.services.orgs import create_org, update_org
from volmify_cli.services.payouts import record_payout
from volmify_cli.services.sales import import_sales
from volmify_cli.services.sales_read import get_sale

HEADER = "order_id,sold_at,product,plan,market,currency,amount,tax,fee"


@pytest.fixture
def world(session: Session) -> Session:
    build_world(session)
    return session


def _sell(session: Session, tmp_path: Path, *moments: str) -> Any:
    """One 10.00 USD sale of python-101 at each moment (order ids T1, T2, ...)."""
    lines = [f"T{n},{at},python-101,basic,us,USD,10.00,0,0" for n, at in enumerate(moments, 1)]
    path = tmp_path / "s.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return import_sales(session, org_slug="acme", lines=open_sales_file(path).lines, file="s.csv")


def _months(session: Session, period: str | None = None, sort: str = "key") -> list[Any]:
    report = revenue_report(
        reader_of(session),
        org_slug="acme",
        by="month",
        period=parse_period(period) if period else None,
        sort=sort,
    )
    return [(row["key"], row["sales"]) for row in report["rows"]]


def test_a_berlin_orgs_periods_and_months_are_berlin_days(world: Session, tmp_path: Path) -> None:
    update_org(world, slug="acme", timezone="Europe/Berlin")
    _sell(
        world,
        tmp_path,
        "2026-01-31T22:59:59Z",  # January 31st, 23:59:59 in Berlin
        "2026-01-31T23:00:00Z",  # February 1st, 00:00 in Berlin
        "2026-03-31T21:59:59Z",  # March 31st, 23:59:59 in Berlin (summer time: +2)
        "2026-03-31T22:00:00Z",  # April 1st in Berlin
    )
    assert _months(world) == [("2026-01", 1), ("2026-02", 1), ("2026-03", 1), ("2026-04", 1)]
    assert _months(world, "2026-02") == [("2026-02", 1)]
    assert _months(world, "2026-Q1") == [("2026-01", 1), ("2026-02", 1), ("2026-03", 1)]
    report = revenue_report(reader_of(world), org_slug="acme", period=parse_period("2026-03"))
    assert report["timezone"] == "Europe/Berlin"
    assert report["totals"][0]["sales"] == 1
    update_org(world, slug="acme", timezone="UTC")  # nothing is closed: the zone may change
    assert _months(world) == [("2026-01", 2), ("2026-03", 2)]


def test_half_hour_offsets_and_a_daylight_saving_change_inside_a_month(
    world: Session, tmp_path: Path
) -> None:
    update_org(world, slug="acme", timezone="Asia/Kolkata")  # +05:30
    _sell(world, tmp_path, "2026-02-28T18:29:59Z", "2026-02-28T18:30:00Z")
    assert _months(world) == [("2026-02", 1), ("2026-03", 1)]
    update_org(world, slug="acme", timezone="America/New_York")  # -5, then -4 from March 8th
    assert _months(world) == [("2026-02", 2)]
    _sell(world, tmp_path, "2026-02-28T18:29:59Z", "2026-02-28T18:30:00Z", "2026-04-01T03:59:59Z")
    assert _months(world) == [("2026-02", 2), ("2026-03", 1)]  # T3 is March 31st, 23:59:59 EDT


def test_sort_chooses_the_order_of_every_view(world: Session, tmp_path: Path) -> None:
    _sell(world, tmp_path, "2026-01-10", "2026-03-10", "2026-03-11")
    assert _months(world, sort="key") == [("2026-01", 1), ("2026-03", 2)]
    assert _months(world, sort="amount") == [("2026-03", 2), ("2026-01", 1)]
    assert _months(world, sort="sales") == [("2026-03", 2), ("2026-01", 1)]


def test_closed_days_are_the_orgs_days(world: Session, tmp_path: Path) -> None:
    update_org(world, slug="acme", timezone="Europe/Berlin")
    close_period(world, org_slug="acme", period="2026-01", by="finance")
    made = _sell(world, tmp_path, "2026-01-31T22:30:00Z", "2026-01-31T23:30:00Z")
    assert any("T1" in warning and "T2" not in warning for warning in made["warnings"])
    moved = get_sale(world, org_slug="acme", order_id="T1")["entries"][0]
    # recorded on February 1st, 00:00 in Berlin, for January 31st in Berlin
    assert (moved["at"], moved["for_date"]) == (
        dt.datetime(2026, 1, 31, 23, 0, tzinfo=dt.UTC),
        dt.date(2026, 1, 31),
    )
    kept = get_sale(world, org_slug="acme", order_id="T2")["entries"][0]
    assert (kept["at"], kept["for_date"]) == (dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC), None)
    with pytest.raises(ConflictError):
        update_org(world, slug="acme", timezone="UTC")
    reopen_period(world, org_slug="acme", period="2026-01", by="finance")
    close_period(world, org_slug="acme", period="2025-12", by="finance")
    with pytest.raises(ConflictError):  # still closed through 2025-12-31
        update_org(world, slug="acme", timezone="UTC")


def test_balances_and_payouts_at_a_day_are_the_orgs_days(world: Session, tmp_path: Path) -> None:
    update_org(world, slug="acme", timezone="America/New_York")
    _sell(world, tmp_path, "2026-03-01T03:00:00Z")  # February 28th, 22:00 in New York
    made = record_payout(world, org="acme", creator="instructor:jane-doe", amount="1.00",
                         currency="USD", at=dt.date(2026, 3, 1))  # fmt: skip
    assert made["payout"]["paid_at"] == dt.datetime(2026, 3, 1, 5, 0, tzinfo=dt.UTC)
    february = creator_balances(reader_of(world), org_slug="acme", at=dt.date(2026, 2, 28))
    jane = [r for r in february["rows"] if (r["kind"], r["key"]) == ("instructor", "jane-doe")]
    assert [(r["earned_minor"], r["paid_minor"]) for r in jane] == [(400, 0)]
    assert february["timezone"] == "America/New_York"
    march = creator_balances(reader_of(world), org_slug="acme", at=dt.date(2026, 3, 1))
    jane = [r for r in march["rows"] if (r["kind"], r["key"]) == ("instructor", "jane-doe")]
    assert [(r["earned_minor"], r["paid_minor"]) for r in jane] == [(400, 100)]


def test_a_time_zone_must_be_an_iana_name(world: Session) -> None:
    with pytest.raises(RuleError, match="IANA"):
        create_org(world, slug="mars", name="Mars", timezone="Mars/Olympus")
    with pytest.raises(RuleError):
        update_org(world, slug="acme", timezone="../../etc/passwd")
    assert create_org(world, slug="tokyo", name="Tokyo", timezone="Asia/Tokyo")["timezone"] == (
        "Asia/Tokyo"
    )
