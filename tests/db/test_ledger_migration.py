"""Migration 0015 (SPEC 5, revision 2) on a ledger recorded before it, on both databases.

Revision 1 recorded a refunded order as one sale entry holding its net after the refund, the
whole tax kept (net = amount - tax - fee - refunded), split between its creators and the org.
The upgrade re-records it as revision 2 does: the sale entry holds the sale (amount - tax - fee,
split again), and a refund entry dated at the sale holds the rest, with the refund returning its
part of the tax (tax * refunded / amount, half-up). Tested here, with expectations computed in
this file:

- each converted order's entries, their splits, what each recipient ends with (a full refund
  leaves every creator at 0 and the org at -fee), the item's net and the order's tax refunded;
- an order recorded between 0012 and 0014 (its refund already returned tax) is converted without
  changing its net; orders without a refund are left as they were, row for row;
- the upgrade's notice: how many orders were converted and changed, the change per currency;
- a second upgrade converts nothing, and `revenue report` reads the converted ledger.

The revision-1 ledger is made by importing the lines at head (which records revision 2's sale
and refund entries), downgrading to 0014 and rewriting each refunded order in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Connection, text

from tests.conftest import BACKENDS, Databases
from tests.revenue_reference import Sale, csv_text
from tests.support import Cli, engine_at
from tests.world import build_world_at
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0014_ledger_entries"

# The share snapshots of tests/world.py, by recipient ("kind:slug"); the org gets the rest.
SHARES = {
    "python-101": {
        "instructor:jane-doe": 4000, "instructor:john-roe": 2000, "brand:acme-academy": 1000,
    },
    "data-viz": {"instructor:kim-lee": 5000, "brand:jane-doe": 0},
    "mentoring": {},
}  # fmt: skip

# Refunded orders recorded under revision 1: the refund kept the whole tax.
REVISION_1 = [
    Sale("R1", "2026-01-05", "python-101", "", "basic", "us", "USD", 4900, tax=400, fee=150,
         refunded=1000),  # partial: returns 82 of tax
    Sale("R2", "2026-01-12T09:30:00Z", "python-101", "", "basic", "eu", "EUR", 4500, tax=718,
         fee=131, refunded=4500),  # full: returns all 718
    Sale("R3", "2026-01-20", "data-viz", "", "basic", "eu", "EUR", 2800, tax=447, fee=84,
         refunded=700),  # returns 111.75 -> 112
    Sale("R4", "2026-02-02", "python-101", "", "basic", "kw", "KWD", 15250, tax=750, fee=125,
         refunded=5000),  # returns 245.90 -> 246
    Sale("R5", "2026-02-10", "mentoring", "", "hour", "jp", "JPY", 12000, fee=360,
         refunded=2000),  # no tax: converted, net unchanged
]  # fmt: skip
# Recorded between 0012 and 0014: one sale entry, but its refund already returned its tax.
TAX_ALREADY_RETURNED = [
    Sale("K1", "2026-02-14", "python-101", "", "basic", "us", "USD", 4900, tax=400, fee=150,
         refunded=2450),
]  # fmt: skip
NOT_REFUNDED = [
    Sale("P1", "2026-01-08", "python-101", "", "basic", "us", "USD", 4900, tax=400, fee=150),
    Sale("P2", "2026-02-20", "data-viz", "", "basic", "eu", "EUR", 2800, tax=447, fee=84),
]  # fmt: skip
REFUNDED = REVISION_1 + TAX_ALREADY_RETURNED
ALL_SALES = REFUNDED + NOT_REFUNDED


# -- the arithmetic of SPEC 5, written out here ------------------------------------------------


def split(net: int, shares: dict[str, int]) -> dict[str, int]:
    """Each creator floor(net * share / 10000), 0 when net <= 0; the org the rest."""
    parts = {who: net * bp // 10_000 if net > 0 else 0 for who, bp in shares.items()}
    return parts | {"org": net - sum(parts.values())}


def minus(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {who: after[who] - before[who] for who in after}


def sold_net(sale: Sale) -> int:
    return sale.amount - sale.tax - sale.fee


def revision_1_net(sale: Sale) -> int:
    return sale.amount - sale.tax - sale.fee - sale.refunded


def tax_returned(sale: Sale) -> int:
    """tax * refunded / amount, rounded half-up (in integers)."""
    return (2 * sale.tax * sale.refunded + sale.amount) // (2 * sale.amount)


def new_net(sale: Sale) -> int:
    return sale.amount - sale.tax - sale.fee - (sale.refunded - tax_returned(sale))


def final_net(sale: Sale) -> int:
    return new_net(sale) if sale.refunded else sold_net(sale)


# -- reading the ledger ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    at: Any  # as the database returns it: compared between entries, never parsed
    count: int
    gross: int
    net: int
    splits: dict[str, int]


LEDGER = """
SELECT o.external_id, e.entry_kind, e.entry_at, e.line_count, e.line_gross_minor,
       e.line_net_minor, a.recipient_kind, p.slug, b.slug, a.amount_minor
FROM org_order o
JOIN org_order_item i ON i.org_id = o.org_id AND i.order_id = o.id
JOIN org_ledger_entry e ON e.org_id = i.org_id AND e.item_id = i.id
JOIN org_order_item_allocation a ON a.org_id = e.org_id AND a.entry_id = e.id
LEFT JOIN user_profile p ON p.id = a.profile_id
LEFT JOIN org_brand b ON b.org_id = a.org_id AND b.id = a.brand_id
"""


def ledger(connection: Connection) -> dict[str, dict[str, Entry]]:
    """Per order, its entries by kind, each with its splits by recipient ("kind:slug", "org")."""
    found: dict[str, dict[str, Entry]] = defaultdict(dict)
    for order, kind, at, count, gross, net, recipient, profile, brand, amount in connection.execute(
        text(LEDGER)
    ).all():
        entry = found[order].setdefault(kind, Entry(at, count, gross, net, {}))
        assert (entry.at, entry.count, entry.gross, entry.net) == (at, count, gross, net), (
            f"order {order} has two {kind} entries"
        )
        who = "org" if recipient == "org" else f"{recipient}:{profile or brand}"
        assert who not in entry.splits
        entry.splits[who] = amount
    return dict(found)


def holdings(entries: dict[str, Entry]) -> dict[str, int]:
    """What each recipient holds of an order: its splits summed over the order's entries."""
    held: dict[str, int] = defaultdict(int)
    for entry in entries.values():
        for who, amount in entry.splits.items():
            held[who] += amount
    return dict(held)


def orders(connection: Connection) -> dict[str, tuple[int, int]]:
    """Per order: its item's net and its tax refunded."""
    rows = connection.execute(
        text(
            "SELECT o.external_id, i.net_minor, o.tax_refunded_minor FROM org_order o"
            " JOIN org_order_item i ON i.org_id = o.org_id AND i.order_id = o.id"
        )
    ).all()
    return {order: (net, tax_refunded) for order, net, tax_refunded in rows}


def raw_rows_of(connection: Connection, order_ids: list[str]) -> list[tuple[Any, ...]]:
    """Every stored value of the orders' items, entries and splits (ids and stamps included)."""
    rows = connection.execute(
        text(
            "SELECT o.external_id, o.tax_refunded_minor, i.id, i.net_minor, e.id, e.created_at,"
            " e.updated_at, e.entry_kind, e.entry_at, e.line_count, e.line_gross_minor,"
            " e.line_net_minor, e.currency_code, a.id, a.recipient_kind, a.profile_id,"
            " a.brand_id, a.share_bp, a.amount_minor FROM org_order o"
            " JOIN org_order_item i ON i.org_id = o.org_id AND i.order_id = o.id"
            " JOIN org_ledger_entry e ON e.org_id = i.org_id AND e.item_id = i.id"
            " JOIN org_order_item_allocation a ON a.org_id = e.org_id AND a.entry_id = e.id"
        )
    ).all()
    return sorted(tuple(str(value) for value in row) for row in rows if row[0] in order_ids)


# -- making the revision-1 ledger --------------------------------------------------------------


def record_as_before_0015(connection: Connection, sale: Sale, *, tax_was_returned: bool) -> None:
    """Rewrite a refunded order as it stood before 0015: one sale entry holding the net after
    the refund, split by its snapshot; under revision 1 (`tax_was_returned` false) the refund kept
    the whole tax and the order says it returned none."""
    (item,) = connection.execute(
        text(
            "SELECT i.id FROM org_order o JOIN org_order_item i"
            " ON i.org_id = o.org_id AND i.order_id = o.id WHERE o.external_id = :order"
        ),
        {"order": sale.order_id},
    ).one()
    entries: dict[str, Any] = dict(
        connection.execute(
            text("SELECT entry_kind, id FROM org_ledger_entry WHERE item_id = :item"),
            {"item": item},
        ).all()
    )
    assert sorted(entries) == ["refund", "sale"]
    for statement in (
        "DELETE FROM org_order_item_allocation WHERE entry_id = :entry",
        "DELETE FROM org_ledger_entry WHERE id = :entry",
    ):
        connection.execute(text(statement), {"entry": entries["refund"]})
    net = new_net(sale) if tax_was_returned else revision_1_net(sale)
    splits = connection.execute(
        text(
            "SELECT id, recipient_kind, share_bp FROM org_order_item_allocation"
            " WHERE entry_id = :entry"
        ),
        {"entry": entries["sale"]},
    ).all()
    creators = [(row.id, row.share_bp) for row in splits if row.recipient_kind != "org"]
    (org_split,) = [row.id for row in splits if row.recipient_kind == "org"]
    amounts = {split_id: net * bp // 10_000 if net > 0 else 0 for split_id, bp in creators}
    amounts[org_split] = net - sum(amounts.values())
    for split_id, amount in amounts.items():
        connection.execute(
            text("UPDATE org_order_item_allocation SET amount_minor = :amount WHERE id = :id"),
            {"amount": amount, "id": split_id},
        )
    connection.execute(
        text("UPDATE org_ledger_entry SET line_net_minor = :net WHERE id = :id"),
        {"net": net, "id": entries["sale"]},
    )
    connection.execute(
        text("UPDATE org_order_item SET net_minor = :net WHERE id = :id"),
        {"net": net, "id": item},
    )
    if not tax_was_returned:
        connection.execute(
            text("UPDATE org_order SET tax_refunded_minor = 0 WHERE external_id = :order"),
            {"order": sale.order_id},
        )


@dataclass
class Upgraded:
    cli: Cli
    url: str
    notices: list[str]
    recorded_at_head: dict[str, dict[str, Entry]]  # the ledger as revision 2 recorded the lines
    untouched_before: list[tuple[Any, ...]]  # the unrefunded orders' rows before the upgrade


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def upgraded(
    backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Upgraded]:
    """The sales imported at head, the ledger taken back to its shape before 0015, upgraded."""
    folder = tmp_path_factory.mktemp("ledger-migration")
    url = databases.migrated(backend)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(folder / "home"))
        build_world_at(url)
        cli = Cli(url)
        (folder / "sales.csv").write_text(csv_text(ALL_SALES), encoding="utf-8")
        cli.json("sales", "import", str(folder / "sales.csv"), "--org", "acme")
    with engine_at(url) as engine:
        with engine.connect() as connection:
            recorded_at_head = ledger(connection)
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            for sale in REVISION_1:
                record_as_before_0015(connection, sale, tax_was_returned=False)
            for sale in TAX_ALREADY_RETURNED:
                record_as_before_0015(connection, sale, tax_was_returned=True)
            untouched_before = raw_rows_of(connection, [s.order_id for s in NOT_REFUNDED])
            before = orders(connection)
        assert {s.order_id: before[s.order_id] for s in REVISION_1} == {
            s.order_id: (revision_1_net(s), 0) for s in REVISION_1
        }
        notices = upgrade(engine)
    yield Upgraded(cli, url, notices, recorded_at_head, untouched_before)
    databases.drop(url)


def read(url: str, reader: Callable[[Connection], Any]) -> Any:
    with engine_at(url) as engine, engine.connect() as connection:
        return reader(connection)


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sale", REFUNDED, ids=lambda s: s.order_id)
def test_a_refunded_order_holds_its_sale_and_a_refund_entry_dated_at_the_sale(
    upgraded: Upgraded, sale: Sale
) -> None:
    entries = read(upgraded.url, ledger)[sale.order_id]
    assert sorted(entries) == ["refund", "sale"]
    sold, refund = entries["sale"], entries["refund"]
    shares = SHARES[sale.product]
    assert (sold.count, sold.gross, sold.net) == (1, sale.amount, sold_net(sale))
    assert sold.splits == split(sold_net(sale), shares)
    assert (refund.at, refund.count, refund.gross) == (sold.at, 0, 0)
    assert refund.net == new_net(sale) - sold_net(sale)
    assert refund.splits == minus(split(new_net(sale), shares), split(sold_net(sale), shares))
    for entry in (sold, refund):
        assert sum(entry.splits.values()) == entry.net


@pytest.mark.parametrize("sale", REFUNDED, ids=lambda s: s.order_id)
def test_each_recipient_ends_with_its_split_of_the_net_after_the_refund(
    upgraded: Upgraded, sale: Sale
) -> None:
    held = holdings(read(upgraded.url, ledger)[sale.order_id])
    assert held == split(new_net(sale), SHARES[sale.product])


def test_a_full_refund_leaves_every_creator_nothing_and_the_org_the_fee_it_paid(
    upgraded: Upgraded,
) -> None:
    assert holdings(read(upgraded.url, ledger)["R2"]) == {
        "instructor:jane-doe": 0, "instructor:john-roe": 0, "brand:acme-academy": 0, "org": -131,
    }  # fmt: skip


def test_the_upgrade_gives_the_ledger_revision_2_records_for_the_same_lines(
    upgraded: Upgraded,
) -> None:
    assert read(upgraded.url, ledger) == upgraded.recorded_at_head


def test_items_hold_the_net_after_the_refund_and_orders_the_tax_it_returned(
    upgraded: Upgraded,
) -> None:
    assert read(upgraded.url, orders) == {
        sale.order_id: (final_net(sale), tax_returned(sale)) for sale in ALL_SALES
    }
    # the figures above, by hand: R1 returns 82 of 400 tax, R3 112 of 447, R4 246 of 750
    assert {s.order_id: new_net(s) for s in REVISION_1} == {
        "R1": 3432, "R2": -131, "R3": 1681, "R4": 9621, "R5": 9640,
    }  # fmt: skip


def test_orders_without_a_refund_are_left_as_they_were(upgraded: Upgraded) -> None:
    after = read(upgraded.url, lambda c: raw_rows_of(c, [s.order_id for s in NOT_REFUNDED]))
    assert upgraded.untouched_before  # both orders, with their sale entry and splits
    assert after == upgraded.untouched_before


def test_the_upgrade_says_how_many_orders_it_converted_and_what_changed_per_currency(
    upgraded: Upgraded,
) -> None:
    # changed: R1 (USD +0.82), R2 and R3 (EUR +7.18 +1.12), R4 (KWD +0.246, three digits);
    # R5 (no tax) and K1 (tax already returned) are converted, their net unchanged
    (notice,) = upgraded.notices
    assert notice.startswith("6 refunded orders recorded before revision 2 now hold a refund")
    assert "; 4 of them changed net" in notice
    assert notice.endswith(": EUR +8.30, KWD +0.246, USD +0.82")
    delta: dict[str, int] = defaultdict(int)
    for sale in REVISION_1:
        delta[sale.currency] += new_net(sale) - revision_1_net(sale)
    assert dict(delta) == {"USD": 82, "EUR": 830, "KWD": 246, "JPY": 0}


def test_a_second_upgrade_converts_nothing(upgraded: Upgraded, databases: Databases) -> None:
    copy = databases.copy(upgraded.url)
    engine = make_engine(copy)
    try:
        assert upgrade(engine) == []
        # and run again from 0014: the converted orders hold their refund entry already
        downgrade(engine, BEFORE)
        assert upgrade(engine) == []
        with engine.connect() as connection:
            assert ledger(connection) == read(upgraded.url, ledger)
            assert orders(connection) == read(upgraded.url, orders)
    finally:
        engine.dispose()
        databases.drop(copy)


def test_the_revenue_report_reads_the_converted_ledger(upgraded: Upgraded) -> None:
    report = upgraded.cli.json("revenue", "report", "--org", "acme", "--by", "creator")
    nets: dict[str, int] = defaultdict(int)
    for sale in ALL_SALES:
        nets[sale.currency] += final_net(sale)
    assert {t["currency"]: (t["net_minor"], t["amount_minor"]) for t in report["totals"]} == {
        currency: (net, net) for currency, net in nets.items()
    }
    earned: dict[tuple[str, str], int] = defaultdict(int)
    for sale in ALL_SALES:
        for who, amount in split(final_net(sale), SHARES[sale.product]).items():
            earned[who, sale.currency] += amount
    received = {(recipient_of(row), row["currency"]): row["amount_minor"] for row in report["rows"]}
    assert received == earned


def recipient_of(row: dict[str, Any]) -> str:
    """A creator-view row's recipient, named as `ledger` names it."""
    return "org" if row["kind"] == "org" else f"{row['kind']}:{row['key']}"
