"""Replacing an order (`sales import --update`, SPEC 5): nothing recorded is rewritten or
deleted. The order's current item is superseded, and a reversal entry, dated when the update is
recorded, takes back exactly what each recipient holds of it (its line count, gross and net
too); the importer then records the order again on a new item, as a correction entry dated the
same moment. A period before the update keeps its figures; the update's period shows the
difference.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session

from volmify_cli.db.tables import table_of
from volmify_cli.enums import EntryKind
from volmify_cli.models.sales import OrgLedgerEntry, OrgOrder, OrgOrderItem
from volmify_cli.services.allocation import Shares
from volmify_cli.services.ledger_entries import EntryWriter, Item, holdings


def supersede(
    session: Session, entries: EntryWriter, org_id: uuid.UUID, orders: dict[str, str]
) -> dict[str, tuple[str, Shares]]:
    """Reverse the current items of `orders` (order id -> the line's order_id, for warnings)
    and mark them superseded. Returns each order's product and recipient share snapshot (of
    its first recording: a correction carries the snapshot it was recorded with)."""
    i, e, o = table_of(OrgOrderItem).c, table_of(OrgLedgerEntry).c, table_of(OrgOrder).c
    current = {
        item_id: (order_id.hex, product_id.hex, market_id.hex)
        for order_id, item_id, product_id, market_id in session.execute(
            select(i.order_id, i.id, i.product_id, o.market_id)
            .join_from(
                table_of(OrgOrderItem),
                table_of(OrgOrder),
                and_(o.org_id == i.org_id, o.id == i.order_id),
            )
            .where(
                i.org_id == org_id,
                i.order_id.in_([uuid.UUID(hex=order) for order in orders]),
                i.superseded_at.is_(None),
            )
        )
    }
    if not current:
        return {}
    items = list(current)
    figures: dict[Any, tuple[int, int, int, str]] = {
        item_id: (int(count), int(gross), int(net), currency)  # PostgreSQL sums as numeric
        for item_id, count, gross, net, currency in session.execute(
            select(
                e.item_id,
                func.sum(e.line_count),
                func.sum(e.line_gross_minor),
                func.sum(e.line_net_minor),
                func.max(e.currency_code),
            )
            .where(e.org_id == org_id, e.item_id.in_(items))
            .group_by(e.item_id)
        )
    }
    held_by_item = holdings(session, org_id, items)
    entries.reserve(sum(2 + len(held_by_item[item][0].recipients) for item in items))
    snapshots: dict[str, tuple[str, Shares]] = {}
    superseded: list[tuple[Any, ...]] = []
    for item_id in items:
        order_id, product_id, market_id = current[item_id]
        shares, held = held_by_item[item_id]
        count, gross, net, currency = figures[item_id]
        reversed_item = Item(item_id.hex, product_id, market_id)
        entries.add(
            reversed_item, EntryKind.REVERSAL, entries.writer.now, orders[order_id],
            (-count, -gross, -net, currency),
            [(kind, profile, brand, share, -held.get((kind, profile, brand), 0))
             for kind, profile, brand, share, _ in shares.split(0)],
        )  # fmt: skip
        snapshots[order_id] = (product_id, shares)
        superseded.append((entries.writer.now_value, org_id.hex, item_id.hex))
    entries.writer.execute_many(
        "UPDATE org_order_item SET superseded_at = ? WHERE org_id = ? AND id = ?", superseded
    )
    return snapshots
