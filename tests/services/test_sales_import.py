"""Recording sales (SPEC 4.3, 5): allocation at record time, idempotency, updates, atomicity."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from tests.revenue_reference import (
    ATTRIBUTION_1,
    ATTRIBUTION_2,
    PART_1,
    PART_2,
    Sale,
    csv_text,
    split,
)
from tests.world import build_world, set_instructor_share
from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.sales_csv import read_sales_csv
from volmify_cli.exchange.sales_files import open_sales_file
from volmify_cli.services.sales import SalesImportRead, import_sales
from volmify_cli.services.sales_read import get_sale

# What each recipient holds of each order: its entries, added up (an update's earlier item is
# reversed to nothing: recipients who held a part of it hold 0 and are left out).
LEDGER_SQL = """
SELECT o.external_id, a.recipient_kind,
       COALESCE(p.slug, b.slug, 'org:' || g.slug) AS recipient, a.share_bp, SUM(a.amount_minor),
       e.currency_code
FROM org_order_item_allocation a
JOIN org_ledger_entry e ON e.org_id = a.org_id AND e.id = a.entry_id
JOIN org_order_item i ON i.org_id = e.org_id AND i.id = e.item_id
JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id
JOIN org g ON g.id = a.org_id
LEFT JOIN user_profile p ON p.id = a.profile_id
LEFT JOIN org_brand b ON b.org_id = a.org_id AND b.id = a.brand_id
GROUP BY o.external_id, a.recipient_kind, p.slug, b.slug, g.slug, a.share_bp, e.currency_code,
         i.superseded_at
HAVING i.superseded_at IS NULL OR SUM(a.amount_minor) <> 0
"""


def ledger(session: Session) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in session.execute(text(LEDGER_SQL))}


def expected(recorded: list[tuple[Sale, dict[str, Any]]]) -> set[tuple[Any, ...]]:
    return {
        (sale.order_id, part.kind, part.key, part.share, part.amount, sale.currency)
        for sale, shares in recorded
        for part in split(sale, shares[sale.product])
    }


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in ("org_order", "org_order_item", "org_order_item_allocation")
    )


@pytest.fixture
def world(session: Session) -> Session:
    build_world(session)
    return session


def record(
    session: Session, tmp_path: Path, sales: list[Sale], name: str = "s.csv", **options: Any
) -> SalesImportRead:
    path = tmp_path / name
    path.write_text(csv_text(sales), encoding="utf-8")
    return import_sales(
        session, org_slug="acme", lines=read_sales_csv(path, name=name), file=name, **options
    )


def problems_of(session: Session, tmp_path: Path, sales: list[Sale], **options: Any) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        record(session, tmp_path, sales, **options)
    return [str(problem) for problem in caught.value.problems]


def test_each_line_is_split_by_the_attribution_at_the_moment_it_is_recorded(
    world: Session, tmp_path: Path
) -> None:
    first = record(world, tmp_path, PART_1)
    set_instructor_share(world, "acme", "python-101", "jane-doe", 5000)
    set_instructor_share(world, "acme", "python-101", "john-roe", 1000)
    second = record(world, tmp_path, PART_2, name="s2.csv")
    assert (first["created"], second["created"]) == (len(PART_1), len(PART_2))
    assert ledger(world) == expected(
        [(s, ATTRIBUTION_1) for s in PART_1] + [(s, ATTRIBUTION_2) for s in PART_2]
    )
    # a few by hand: S1 net 49.00-4.00-1.50 = 43.50 -> 40% 17.40, 20% 8.70, 10% 4.35, org 13.05
    found = ledger(world)
    assert {r[2:5] for r in found if r[0] == "S1"} == {
        ("jane-doe", 4000, 1740), ("john-roe", 2000, 870), ("acme-academy", 1000, 435),
        ("org:acme", 3000, 1305),
    }  # fmt: skip
    # S5: a full refund whose fee was kept: net -0.90, borne by the org; kim and the brand get 0
    assert {r[2:5] for r in found if r[0] == "S5"} == {
        ("kim-lee", 5000, 0), ("jane-doe", 0, 0), ("org:acme", 5000, -90)
    }  # fmt: skip
    # S10 after the change: net 47.28 at 50% / 10% / 10% -> 23.64, 4.72, 4.72, org 14.20
    assert {r[2:5] for r in found if r[0] == "S10"} == {
        ("jane-doe", 5000, 2364), ("john-roe", 1000, 472), ("acme-academy", 1000, 472),
        ("org:acme", 3000, 1420),
    }  # fmt: skip


def test_allocations_sum_to_each_items_net_and_orders_balance(
    world: Session, tmp_path: Path
) -> None:
    record(world, tmp_path, PART_1 + PART_2)
    off = world.execute(
        text(
            "SELECT i.id FROM org_order_item i"
            " JOIN org_ledger_entry e ON e.org_id = i.org_id AND e.item_id = i.id"
            " JOIN org_order_item_allocation a ON a.org_id = e.org_id AND a.entry_id = e.id"
            " GROUP BY i.id, i.net_minor HAVING sum(a.amount_minor) <> i.net_minor"
        )
    ).all()
    assert off == []
    row = world.execute(
        text(
            "SELECT total_minor, subtotal_minor, discount_minor, tax_minor, fee_minor,"
            " refunded_minor, status, customer_email FROM org_order WHERE external_id = 'S9'"
        )
    ).one()
    assert tuple(row) == (4500, 4500 - 718, 0, 718, 131, 0, "paid", "buyer@example.org")
    statuses = dict(world.execute(text("SELECT external_id, status FROM org_order")).all())
    assert (statuses["S5"], statuses["S6"], statuses["S1"]) == (
        "refunded", "partially_refunded", "paid"
    )  # fmt: skip


def test_a_known_customer_is_linked_to_the_user(world: Session, tmp_path: Path) -> None:
    record(world, tmp_path, PART_1)
    linked = world.execute(
        text(
            'SELECT u.email FROM org_order o JOIN "user" u ON u.id = o.customer_user_id'
            " WHERE o.external_id = 'S9'"
        )
    ).scalar_one()
    assert linked == "buyer@example.org"


def test_reimporting_the_same_lines_is_a_no_op(world: Session, tmp_path: Path) -> None:
    record(world, tmp_path, PART_1)
    before = (counts(world), ledger(world))
    again = record(world, tmp_path, PART_1)
    assert (again["created"], again["unchanged"], again["replaced"]) == (0, len(PART_1), [])
    assert (counts(world), ledger(world)) == before


def test_same_order_id_with_other_content_is_refused_naming_the_line(
    world: Session, tmp_path: Path
) -> None:
    record(world, tmp_path, PART_1)
    before = (counts(world), ledger(world))
    changed = [dataclasses.replace(s, fee=300) if s.order_id == "S3" else s for s in PART_1]
    with pytest.raises(InvalidInputError) as caught:
        record(world, tmp_path, changed)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv:4: order_id: order_id 'S3' is already recorded with different content"
    ]
    assert caught.value.hint == "pass --update to replace changed orders"
    assert (counts(world), ledger(world)) == before


def test_update_replaces_changed_orders_from_their_first_share_snapshot(
    world: Session, tmp_path: Path
) -> None:
    record(world, tmp_path, PART_1)
    set_instructor_share(world, "acme", "python-101", "jane-doe", 5000)
    set_instructor_share(world, "acme", "python-101", "john-roe", 1000)
    s1 = dataclasses.replace(PART_1[0], fee=250)  # same product: the first recording's shares
    s3 = Sale("S3", "2026-01-20", "mentoring", "", "hour", "jp", "JPY", 12000, fee=100)
    lines = [s1 if s.order_id == "S1" else s3 if s.order_id == "S3" else s for s in PART_1]
    result = record(world, tmp_path, lines, update=True)
    assert (result["created"], result["unchanged"], result["replaced"]) == (
        0, len(PART_1) - 2, ["S1", "S3"]
    )  # fmt: skip
    found = ledger(world)
    # S1: net 49.00-4.00-2.50 = 42.50 at the first recording's 40% / 20% / 10%
    assert {r[2:5] for r in found if r[0] == "S1"} == {
        ("jane-doe", 4000, 1700), ("john-roe", 2000, 850), ("acme-academy", 1000, 425),
        ("org:acme", 3000, 1275),
    }  # fmt: skip
    # S3 now sells mentoring (a different product): its current attribution (nobody) applies
    assert {r[2:5] for r in found if r[0] == "S3"} == {("org:acme", 10000, 11900)}
    assert counts(world)[0] == len(PART_1)


def test_a_refused_import_leaves_the_ledger_unchanged_even_after_full_batches(
    world: Session, tmp_path: Path
) -> None:
    record(world, tmp_path, PART_1[:2])
    before = (counts(world), ledger(world))
    bad = [*PART_1, dataclasses.replace(PART_2[0], market="mars")]
    with pytest.raises(InvalidInputError):
        record(world, tmp_path, bad, batch_size=2)  # four batches are written before the error
    assert (counts(world), ledger(world)) == before


def test_every_catalog_problem_is_reported_at_once(world: Session, tmp_path: Path) -> None:
    base = PART_1[0]
    lines = [
        dataclasses.replace(base, order_id="X1", product="nope"),
        dataclasses.replace(base, order_id="X2", variant="deluxe"),
        dataclasses.replace(base, order_id="X3", plan="gold"),
        dataclasses.replace(base, order_id="X4", market="mars", coupon="NOPE"),
        dataclasses.replace(base, order_id="X5", currency="EUR"),
        dataclasses.replace(base, order_id="X6", plan="premium", market="jp", currency="JPY",
                            amount=2000, tax=0, fee=0),
        dataclasses.replace(base, order_id="X7"),
        dataclasses.replace(base, order_id="X7", amount=5000),
    ]  # fmt: skip
    assert problems_of(world, tmp_path, lines) == [
        "s.csv:2: product: product 'nope' not found in org acme",
        "s.csv:3: variant: variant 'python-101/deluxe' not found in org acme",
        "s.csv:4: plan: plan 'python-101/standard/gold' not found in org acme",
        "s.csv:5: market: market 'mars' not found in org acme",
        "s.csv:5: coupon: coupon 'NOPE' not found in org acme",
        "s.csv:6: currency: currency EUR is not the currency of plan 'python-101/standard/basic' in market 'us' (USD)",
        "s.csv:7: market: plan 'python-101/standard/premium' has no price in market 'jp'",
        "s.csv:9: order_id: order_id 'X7' appears on line 8 with different content",
    ]
    assert counts(world) == (0, 0, 0)


def test_a_line_repeated_in_the_file_is_recorded_once(world: Session, tmp_path: Path) -> None:
    result = record(world, tmp_path, [PART_1[0], PART_1[1], PART_1[0]], batch_size=1)
    assert (result["created"], result["unchanged"]) == (2, 1)
    changed = dataclasses.replace(PART_1[0], order_id="S1b")
    assert problems_of(
        world, tmp_path, [changed, PART_1[1], dataclasses.replace(changed, fee=1)], batch_size=1
    ) == ["s.csv:4: order_id: order_id 'S1b' appears earlier in this file with different content"]


def test_a_dry_run_counts_but_writes_nothing(world: Session, tmp_path: Path) -> None:
    result = record(world, tmp_path, PART_1, dry_run=True)
    assert (result["created"], result["dry_run"]) == (len(PART_1), True)
    assert counts(world) == (0, 0, 0)


def test_redemptions_over_a_coupon_or_offer_limit_are_warnings(
    world: Session, tmp_path: Path
) -> None:
    base = PART_1[8]  # S9 redeems SPRING10 (coupon limit 1, offer limit 2)
    first = record(world, tmp_path, [base])
    assert first["warnings"] == []
    more = [dataclasses.replace(base, order_id=f"C{n}") for n in range(2)]
    result = record(world, tmp_path, more)
    assert result["warnings"] == [
        "coupon SPRING10 has been redeemed 3 times, over its usage limit of 1",
        "offer spring-sale has been redeemed 3 times, over its usage limit of 2",
    ]
    assert counts(world)[0] == 3


def test_problems_are_reported_in_line_order_whoever_found_them(
    world: Session, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        csv_text([dataclasses.replace(PART_1[0], product="nope")])
        + "S2,someday,python-101,,basic,us,USD,1.00,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as caught:
        import_sales(world, org_slug="acme", lines=read_sales_csv(path, name="m.csv"), file="m.csv")
    assert [p.line for p in caught.value.problems] == [2, 3]


def test_statistics_are_refreshed_as_the_ledger_doubles(
    world: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mechanism that keeps a large import linear on PostgreSQL (SPEC 7): its own rows are
    invisible to autovacuum, so the import analyzes the ledger whenever it has doubled."""
    import volmify_cli.services.sales as sales
    from volmify_cli.db.bulk import Bulk

    ledger_at_analyze: list[int] = []
    monkeypatch.setattr(sales, "LARGE_LOAD", 4)
    monkeypatch.setattr(
        Bulk, "analyze", lambda self, *tables: ledger_at_analyze.append(sum(counts(world)))
    )
    monkeypatch.setattr(Bulk, "analyze_stale", lambda self, *tables: [])  # another mechanism
    many = [dataclasses.replace(PART_1[0], order_id=f"N{n}") for n in range(40)]
    assert record(world, tmp_path, many, batch_size=2)["created"] == 40
    *during, last = ledger_at_analyze
    assert len(during) >= 3 and during[0] >= 4
    assert all(after >= 2 * before for before, after in itertools.pairwise(during))
    assert last == sum(counts(world))  # and once more at the end, for the reports


def test_a_line_that_says_the_tax_its_refund_returned_records_the_difference(
    world: Session, tmp_path: Path
) -> None:
    """Lines recorded before the column existed keep their digest (a re-import is a no-op);
    one that now says what tax its refund returned is a change of its refund: recorded as a
    refund entry of the difference, without --update."""
    path = tmp_path / "refund.csv"
    plain = (
        "order_id,sold_at,product,plan,market,currency,amount,tax,fee,refunded\n"
        "R-1,2026-02-03,python-101,basic,us,USD,49.00,4.00,1.50,49.00\n"
    )
    path.write_text(plain, encoding="utf-8")
    import_sales(world, org_slug="acme", lines=open_sales_file(path).lines, file=path.name)
    again = import_sales(world, org_slug="acme", lines=open_sales_file(path).lines, file="x")
    assert (again["created"], again["unchanged"]) == (0, 1)
    sale = get_sale(world, org_slug="acme", order_id="R-1")
    assert (sale["tax_refunded_minor"], sale["net_minor"]) == (400, -150)  # the fee, not -5.50
    path.write_text(plain.replace("refunded\n", "refunded,tax_refunded\n").replace(
        "49.00\n", "49.00,3.00\n"), encoding="utf-8")  # fmt: skip
    made = import_sales(world, org_slug="acme", lines=open_sales_file(path).lines, file="y")
    assert (made["refunded"], made["replaced"]) == (["R-1"], [])
    sale = get_sale(world, org_slug="acme", order_id="R-1")
    assert (sale["tax_refunded_minor"], sale["net_minor"]) == (300, -250)
    assert sum(a["amount_minor"] for a in sale["allocations"]) == -250
