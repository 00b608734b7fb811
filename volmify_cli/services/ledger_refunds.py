"""Later refunds (SPEC 5, revision 2): re-importing an order whose `refunded` grew (or that now
says its `refunded_at` or `tax_refunded`) records only the refund, without `--update`, and no
earlier entry changes. The refund is an entry of its own, dated `refunded_at` or the day it is
recorded (the first open day when that day is closed), which takes from each recipient the
difference between what the split of the net after it leaves and what the recipient holds, with
the sale's share snapshot.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.tables import table_of
from volmify_cli.enums import EntryKind
from volmify_cli.inputs.sales import SaleLine
from volmify_cli.models.sales import OrgOrder, OrgOrderItem
from volmify_cli.services.ledger_entries import EntryWriter, Item, Row, holdings, order_status
from volmify_cli.services.sales_catalog import Resolved

Candidate = tuple[SaleLine, Resolved, str, str]  # line, what it names, its digest, order id


@dataclass
class _Stored:
    item_id: uuid.UUID
    sale: tuple[Any, ...]  # what the sale is, as the line would say it (see `_sale_of`)
    refunded: int
    net: int
    refunded_at: Any


def _sale_of(line: SaleLine, resolved: Resolved) -> tuple[Any, ...]:
    """What a line says of its sale, refund apart."""
    return (
        line.sold_at, resolved.product_id, resolved.variant_id, resolved.plan_id,
        resolved.market_id, line.currency, line.amount, line.tax, line.fee, line.quantity,
        line.customer, resolved.coupon_id,
    )  # fmt: skip


def _stored(session: Session, org_id: uuid.UUID, order_ids: list[str]) -> dict[str, _Stored]:
    o, i = table_of(OrgOrder).c, table_of(OrgOrderItem).c
    rows = session.execute(
        select(
            o.id, i.id, o.ordered_at, i.product_id, i.variant_id, i.plan_id, o.market_id,
            o.currency_code, o.total_minor, o.tax_minor, o.fee_minor, i.quantity,
            o.customer_email, o.coupon_id, o.refunded_minor, i.net_minor, o.refunded_at,
        )
        .join_from(table_of(OrgOrder), table_of(OrgOrderItem),
                   and_(i.org_id == o.org_id, i.order_id == o.id))
        .where(o.org_id == org_id, o.id.in_([uuid.UUID(hex=x) for x in order_ids]))
        .where(i.superseded_at.is_(None))  # the order's current item
    )  # fmt: skip
    found: dict[str, _Stored] = {}
    for row in rows:
        (order_id, item_id, sold_at, product, variant, plan, market, currency, amount, tax, fee,
         quantity, customer, coupon, refunded, net, refunded_at) = row  # fmt: skip
        sale = (
            sold_at, product.hex, variant.hex, plan.hex, market.hex, currency, amount, tax, fee,
            quantity, customer, coupon.hex if coupon else None,
        )  # fmt: skip
        found[order_id.hex] = _Stored(item_id, sale, refunded, net, refunded_at)
    return found


def later_refunds(
    session: Session, entries: EntryWriter, org_id: uuid.UUID, candidates: Sequence[Candidate]
) -> tuple[list[str], list[Candidate]]:
    """Record the refunds among `candidates` (recorded orders whose line changed); returns the
    order ids refunded and the candidates that changed otherwise (for `--update`)."""
    if not candidates:
        return [], []
    stored = _stored(session, org_id, [order_id for *_, order_id in candidates])
    refunds: list[tuple[SaleLine, str, _Stored]] = []
    others: list[Candidate] = []
    for candidate in candidates:
        line, resolved, _digest, order_id = candidate
        known = stored[order_id]
        if _sale_of(line, resolved) == known.sale and line.refunded >= known.refunded:
            refunds.append((line, candidate[2], known))
        else:
            others.append(candidate)
    if refunds:
        _record(session, entries, org_id, refunds)
    return [line.order_id for line, *_ in refunds], others


def _record(
    session: Session,
    entries: EntryWriter,
    org_id: uuid.UUID,
    refunds: list[tuple[SaleLine, str, _Stored]],
) -> None:
    held_by_item = holdings(session, org_id, [known.item_id for *_, known in refunds])
    writer, org = entries.writer, org_id.hex
    entries.reserve(
        sum(  # one id for each refund's entry and each of its splits
            2 + len(held_by_item[known.item_id][0].recipients)
            for line, _, known in refunds
            if line.net != known.net
        )
    )
    orders: list[Row] = []
    items: list[Row] = []
    for line, digest, known in refunds:
        shares, held = held_by_item[known.item_id]
        added = line.net - known.net
        if added:
            refunded = Item(known.item_id.hex, known.sale[1], known.sale[4])  # product, market
            entries.add(
                refunded, EntryKind.REFUND, line.refunded_at or writer.now, line.order_id,
                (0, 0, added, line.currency),
                [(kind, profile, brand, share, amount - held.get((kind, profile, brand), 0))
                 for kind, profile, brand, share, amount in shares.split(line.net)],
            )  # fmt: skip
        orders.append(
            (line.refunded, line.tax_refunded, writer.time_value(line.refunded_at),
             order_status(line), digest, org, line.order_id)
        )  # fmt: skip
        items.append((line.net, org, known.item_id.hex))
    writer.execute_many(
        "UPDATE org_order SET refunded_minor = ?, tax_refunded_minor = ?, refunded_at = ?,"
        " status = ?, source_digest = ? WHERE org_id = ? AND external_id = ?",
        orders,
    )
    item_net = "UPDATE org_order_item SET net_minor = ? WHERE org_id = ? AND id = ?"
    writer.execute_many(item_net, items)
