"""An order item names its variant with its product and its plan with its variant (0030): the
database refuses an item whose plan is another variant's, or whose variant is another product's,
even through raw SQL, on both databases; the import's own items pass, and a ledger recorded at
head goes back to 0029 and up again with every item as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tests.db.ledger_at_head import record, report
from tests.revenue_reference import Sale, csv_text
from tests.support import Cli, engine_at
from tests.world import build_world
from volmify_cli.exchange.sales_csv import read_sales_csv
from volmify_cli.migrations.runner import downgrade, upgrade
from volmify_cli.services.sales import import_sales

BEFORE = "0029_day_totals_in_months"

PLAN_OF = text(
    "SELECT v.id, pl.id FROM org_product_variant_payment_plan pl"
    " JOIN org_product_variant v ON v.org_id = pl.org_id AND v.id = pl.variant_id"
    " JOIN org_product p ON p.org_id = v.org_id AND p.id = v.product_id"
    " JOIN org o ON o.id = p.org_id"
    " WHERE o.slug = 'acme' AND p.slug = :product AND v.slug = :variant AND pl.slug = :plan"
)


@pytest.fixture
def sold(session: Session, tmp_path: Path) -> Session:
    """acme's world with one sale of data-viz/standard/basic recorded."""
    build_world(session)
    path = tmp_path / "s.csv"
    sale = Sale("S1", "2026-02-03", "data-viz", "standard", "basic", "us", "USD", 3000)
    path.write_text(csv_text([sale]), encoding="utf-8")
    import_sales(session, org_slug="acme", lines=read_sales_csv(path), file="s.csv")
    session.commit()
    return session


def _plan(session: Session, product: str, variant: str, plan: str) -> tuple[Any, Any]:
    variant_id, plan_id = session.execute(
        PLAN_OF, {"product": product, "variant": variant, "plan": plan}
    ).one()
    return variant_id, plan_id


def _refused(session: Session, sets: str, values: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text(f"UPDATE org_order_item SET {sets}"), values)


def test_an_item_whose_plan_is_another_variants_is_refused(sold: Session) -> None:
    _team, team_basic = _plan(sold, "data-viz", "team", "basic")
    _refused(sold, "plan_id = :plan", {"plan": team_basic})


def test_an_item_whose_variant_is_another_products_is_refused(sold: Session) -> None:
    python_standard, python_basic = _plan(sold, "python-101", "standard", "basic")
    # the plan and variant agree; the variant is not the item's product's
    _refused(sold, "variant_id = :variant, plan_id = :plan",
             {"variant": python_standard, "plan": python_basic})  # fmt: skip


def test_an_item_naming_a_variant_and_plan_of_its_product_is_taken(sold: Session) -> None:
    team, team_basic = _plan(sold, "data-viz", "team", "basic")
    with sold.begin_nested():
        sold.execute(
            text("UPDATE org_order_item SET variant_id = :variant, plan_id = :plan"),
            {"variant": team, "plan": team_basic},
        )
    assert sold.execute(text("SELECT variant_id, plan_id FROM org_order_item")).one() == (
        team,
        team_basic,
    )


def _items(connection: Connection) -> list[tuple[str, ...]]:
    rows = connection.execute(
        text("SELECT org_id, id, order_id, product_id, variant_id, plan_id FROM org_order_item")
    )
    return sorted(tuple(str(v) for v in row) for row in rows)


def _item_references(connection: Connection) -> set[tuple[str, tuple[str, ...]]]:
    return {
        (fk["referred_table"], tuple(fk["constrained_columns"]))
        for fk in inspect(connection).get_foreign_keys("org_order_item")
    }


def test_the_round_trip_keeps_every_item(cli: Cli, tmp_path: Path) -> None:
    sales = [
        Sale("R1", "2026-01-05", "python-101", "", "basic", "us", "USD", 4900, fee=150),
        Sale("R2", "2026-02-03", "data-viz", "team", "basic", "us", "USD", 12000, refunded=2000),
    ]
    recorded = record(cli, tmp_path, sales)
    assert recorded.db_url
    before = report(recorded)
    with engine_at(recorded.db_url) as engine:
        with engine.connect() as connection:
            at_head = _items(connection)
            assert len(at_head) == 2
            assert ("org_product_variant_payment_plan", ("org_id", "variant_id", "plan_id")) in (
                _item_references(connection)
            )
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            assert _items(connection) == at_head
            assert ("org", ("org_id",)) in _item_references(connection)
        upgrade(engine)
        with engine.connect() as connection:
            assert _items(connection) == at_head
            assert ("org", ("org_id",)) not in _item_references(connection)
    assert report(recorded) == before
