"""Revenue reports (SPEC 5) against the independent reference, on both databases: four
currencies (JPY and KWD included), refunds, fees, a negative net, multi-recipient products and
an attribution change in the middle of the period."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from tests.revenue_reference import (
    BETA,
    PART_1,
    PART_2,
    Sale,
    csv_text,
    expected_report,
    standard_ledger,
)
from tests.world import build_world, set_instructor_share
from volmify_cli.db.direct import DirectReader, reader_of
from volmify_cli.errors import NotFoundError, UsageError
from volmify_cli.exchange.sales_csv import read_sales_csv
from volmify_cli.reports.periods import Period, parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.sales import import_sales


def _import(session: Session, tmp_path: Path, org: str, sales: list[Sale], name: str) -> None:
    path = tmp_path / name
    path.write_text(csv_text(sales), encoding="utf-8")
    import_sales(session, org_slug=org, lines=read_sales_csv(path), file=name)


@pytest.fixture
def ledger(session: Session, tmp_path: Path) -> DirectReader:
    """The reference ledger, read through the driver inside the test's transaction."""
    build_world(session)
    _import(session, tmp_path, "acme", PART_1, "part1.csv")
    _import(session, tmp_path, "beta", BETA, "beta.csv")
    set_instructor_share(session, "acme", "python-101", "jane-doe", 5000)
    set_instructor_share(session, "acme", "python-101", "john-roe", 1000)
    _import(session, tmp_path, "acme", PART_2, "part2.csv")
    session.flush()
    return reader_of(session)


def plain(report: Any) -> Any:
    return json.loads(json.dumps(report, default=str))


CASES = [
    {"by": "creator", "start": "2026-01-01", "end": "2026-03-31"},
    {"by": "creator"},
    {"by": "product", "start": "2026-01-01", "end": "2026-03-31"},
    {"by": "market", "start": "2026-01-01", "end": "2026-03-31"},
    {"by": "month"},
    {"by": "brand", "start": "2026-02-01", "end": "2026-03-31"},
    {"by": "creator", "creator": "jane-doe", "start": "2026-01-01", "end": "2026-03-31"},
    {"by": "product", "creator": "jane-doe"},
    {"by": "month", "creator": "jane-doe", "start": "2026-01-01", "end": "2026-03-31"},
    {"by": "market", "creator": "kim-lee"},
    {"by": "brand", "creator": "john-roe"},
    {"by": "creator", "currency": "KWD"},
    {"by": "month", "currency": "JPY", "start": "2026-03-01", "end": "2026-03-31"},
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_every_view_matches_the_reference(ledger: DirectReader, case: dict[str, str]) -> None:
    start, end = case.get("start"), case.get("end")
    report = revenue_report(
        ledger,
        org_slug="acme",
        by=case["by"],
        period=parse_period(f"{start}..{end}") if start and end else None,
        creator=case.get("creator"),
        currency=case.get("currency"),
    )
    expected = expected_report(
        standard_ledger(),
        by=case["by"],
        start=start,
        end=end,
        creator=case.get("creator"),
        currency=case.get("currency"),
    )
    assert plain(report) == expected


def test_q1_by_creator_by_hand(ledger: DirectReader) -> None:
    report = revenue_report(ledger, org_slug="acme", period=parse_period("2026-Q1"))
    jane = {
        r["currency"]: r
        for r in report["rows"]
        if (r.get("kind"), r["key"]) == ("instructor", "jane-doe")
    }
    # EUR: S2 5.82 + S9 14.60 (40%) + S13 7.28 (50%); KWD: S4 5.750 + S12 7.396; JPY 2520 + 2652
    assert {c: (r["amount_minor"], r["amount"]) for c, r in jane.items()} == {
        "EUR": (2770, "27.70"),
        "JPY": (5172, "5172"),
        "KWD": (13146, "13.146"),
        "USD": (4104, "41.04"),
    }
    # S14 (April 1st, 00:00 UTC) is outside; S13 (March 31st, 23:59:59) and S11 inside
    assert jane["USD"]["sales"] == 2 and jane["EUR"]["sales"] == 3
    # the brand that shares Jane's slug takes part in data-viz lines with nothing to receive
    brand = [r for r in report["rows"] if (r.get("kind"), r["key"]) == ("brand", "jane-doe")]
    assert {(r["currency"], r["sales"], r["amount_minor"]) for r in brand} == {
        ("USD", 2, 0), ("KWD", 1, 0)
    }  # fmt: skip
    org_usd = next(r for r in report["rows"] if r["key"] == "org:acme" and r["currency"] == "USD")
    # S1 43.50 + S5 -0.90 (fully refunded: the fee) + S10 47.28 + S6: 120.00 - 20.00 tax - 3.50
    # fee - (10.00 refunded - 1.67 of its tax returned: 20.00 * 10 / 120 = 1.666.. -> 1.67) = 88.17
    assert (org_usd["sales"], org_usd["net_minor"]) == (4, 4350 - 90 + 4728 + 8817)


def test_amounts_of_the_rows_sum_to_the_totals_per_currency(ledger: DirectReader) -> None:
    report = revenue_report(ledger, org_slug="acme")
    for total in report["totals"]:
        rows = [r for r in report["rows"] if r["currency"] == total["currency"]]
        assert sum(r["amount_minor"] for r in rows) == total["amount_minor"] == total["net_minor"]
    assert [t["currency"] for t in report["totals"]] == ["EUR", "JPY", "KWD", "USD"]


def test_all_orgs_gives_a_creators_earnings_everywhere(ledger: DirectReader) -> None:
    report = revenue_report(ledger, org_slug=None, creator="jane-doe", all_orgs=True)
    assert plain(report) == expected_report(standard_ledger(), org=None, creator="jane-doe")
    eur = next(r for r in report["rows"] if r["currency"] == "EUR")
    # acme EUR 27.70 + beta's rust-intro: net 39.00-6.23-1.00 = 31.77 at 30% = 9.53
    assert eur["amount_minor"] == 2770 + 953


def test_labels_follow_the_display_locale(ledger: DirectReader) -> None:
    report = revenue_report(ledger, org_slug="acme", by="month", locale="de-DE")
    assert {r["label"] for r in report["rows"]} == {
        "Januar 2026",
        "Februar 2026",
        "März 2026",
        "April 2026",
    }


def test_an_empty_period_has_no_rows_and_no_totals(ledger: DirectReader) -> None:
    report = revenue_report(
        ledger, org_slug="acme", period=Period(*parse_period("2025").__dict__.values())
    )
    assert (report["rows"], report["totals"]) == ([], [])


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"by": "weekday"}, UsageError),
        ({"all_orgs": True}, UsageError),
        ({"all_orgs": True, "creator": "jane-doe", "by": "product"}, UsageError),
        ({"currency": "XYZ"}, UsageError),
        ({"creator": "nobody"}, NotFoundError),
    ],
)
def test_bad_options_are_refused(
    ledger: DirectReader, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        revenue_report(ledger, org_slug="acme", **options)
