"""The ledger's entries (SPEC 5, revision 2: append-only): a sale is an entry dated when it was
sold, split at the net before any refund; a refund is an entry of its own, dated when it was
refunded, which takes from each recipient the difference between what the split of the net
after it leaves and what the recipient holds already, with the sale's share snapshot.

Re-importing an order whose `refunded` grew (or that now says its `refunded_at` or
`tax_refunded`) records only the refund, without `--update`, and no earlier row changes; it is
dated `refunded_at`, or the day the refund is recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.db.tables import table_of
from volmify_cli.enums import EntryKind, OrderStatus, RecipientKind
from volmify_cli.ids import uuid7_hex_batch
from volmify_cli.inputs.sales import SaleLine
from volmify_cli.models.sales import OrgOrder, OrgOrderItem, OrgOrderItemAllocation
from volmify_cli.services.allocation import Recipient, Shares
from volmify_cli.services.sales_catalog import Resolved

Candidate = tuple[SaleLine, Resolved, str, str]  # line, what it names, its digest, order id
Row = tuple[Any, ...]
ALLOCATION_COLUMNS = (
    "created_at", "updated_at", "org_id", "id", "item_id", "recipient_kind", "profile_id",
    "brand_id", "share_bp", "amount_minor", "currency_code", "entry_id",
)  # fmt: skip
ENTRY_COLUMNS = (
    "created_at", "updated_at", "org_id", "id", "item_id", "entry_kind", "entry_at",
    "line_count", "line_gross_minor", "line_net_minor", "currency_code",
)  # fmt: skip


def sale_entries(
    shares: Sequence[tuple[str, SaleLine, Shares]],
    stamp: Any,
    org_id: str,
    timestamp: Callable[[Any], Any],
) -> tuple[list[Row], list[Row]]:
    """Each new line's entries (its sale, and its refund when it has one) and their splits, as
    rows of ENTRY_COLUMNS and of ALLOCATION_COLUMNS."""
    events = sum(2 if line.refunded else 1 for _, line, _ in shares)
    count = events + sum(
        (len(split.recipients) + 1) * (2 if line.refunded else 1) for _, line, split in shares
    )
    fresh = iter(uuid7_hex_batch(count))
    entries: list[Row] = []
    splits: list[Row] = []
    for item_id, line, split in shares:
        sold_net = line.amount - line.tax - line.fee
        sold = split.split(sold_net)
        entry_id = next(fresh)
        entries.append(
            (stamp, stamp, org_id, entry_id, item_id, EntryKind.SALE.value,
             timestamp(line.sold_at), 1, line.amount, sold_net, line.currency)
        )  # fmt: skip
        splits += [
            (stamp, stamp, org_id, next(fresh), item_id, *part, line.currency, entry_id)
            for part in sold
        ]
        if line.refunded:
            entry_id = next(fresh)
            entries.append(
                (stamp, stamp, org_id, entry_id, item_id, EntryKind.REFUND.value,
                 timestamp(line.refunded_at or line.sold_at), 0, 0, line.net - sold_net,
                 line.currency)
            )  # fmt: skip
            splits += [
                (stamp, stamp, org_id, next(fresh), item_id, *after[:4], after[4] - before[4],
                 line.currency, entry_id)
                for before, after in zip(sold, split.split(line.net), strict=True)
            ]  # fmt: skip
    return entries, splits


@dataclass
class _Stored:
    item_id: uuid.UUID
    sale: tuple[Any, ...]  # what the sale is, as the line would say it (see `_sale_of`)
    refunded: int
    net: int
    refunded_at: Any


def order_status(line: SaleLine) -> str:
    if line.refunded == 0:
        return OrderStatus.PAID.value
    if line.refunded == line.amount:
        return OrderStatus.REFUNDED.value
    return OrderStatus.PARTIALLY_REFUNDED.value


def _sale_of(line: SaleLine, resolved: Resolved) -> tuple[Any, ...]:
    """What a line says of its sale, refund apart."""
    return (
        line.sold_at, resolved.product_id, resolved.variant_id, resolved.plan_id,
        resolved.market_id, line.currency, line.amount, line.tax, line.fee, line.quantity,
        line.customer, resolved.coupon_id,
    )  # fmt: skip


def _hex(value: Any) -> Any:
    return value.hex if isinstance(value, uuid.UUID) else value


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
    session: Session, writer: Bulk, org_id: uuid.UUID, candidates: Sequence[Candidate]
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
        _record(session, writer, org_id, refunds)
    return [line.order_id for line, *_ in refunds], others


def _holdings(
    session: Session, org_id: uuid.UUID, item_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[Shares, dict[tuple[str, Any, Any], int]]]:
    """Per item: the sale's share snapshot, and what each recipient holds now."""
    a = table_of(OrgOrderItemAllocation).c
    rows = session.execute(
        select(
            a.item_id, a.recipient_kind, a.profile_id, a.brand_id, func.max(a.share_bp),
            func.sum(a.amount_minor),
        )
        .where(a.org_id == org_id, a.item_id.in_(item_ids))
        .group_by(a.item_id, a.recipient_kind, a.profile_id, a.brand_id)
        .order_by(a.item_id, a.recipient_kind.desc(), a.profile_id, a.brand_id)
    )  # fmt: skip
    recipients: dict[uuid.UUID, list[Recipient]] = {item: [] for item in item_ids}
    held: dict[uuid.UUID, dict[tuple[str, Any, Any], int]] = {item: {} for item in item_ids}
    for item_id, kind, profile, brand, share, amount in rows:
        key = (kind, _hex(profile), _hex(brand))
        held[item_id][key] = int(amount)  # PostgreSQL sums bigint as numeric
        if kind != RecipientKind.ORG.value:
            recipients[item_id].append(Recipient(RecipientKind(kind), key[1], key[2], share))
    return {item: (Shares.of(recipients[item]), held[item]) for item in item_ids}


def _record(
    session: Session, writer: Bulk, org_id: uuid.UUID, refunds: list[tuple[SaleLine, str, _Stored]]
) -> None:
    holdings = _holdings(session, org_id, [known.item_id for *_, known in refunds])
    stamp, org, now = writer.now_value, org_id.hex, writer.now
    count = sum(  # one id for each refund's entry and each of its splits
        2 + len(holdings[known.item_id][0].recipients)
        for line, _, known in refunds
        if line.net != known.net
    )
    fresh = iter(uuid7_hex_batch(count))
    entries: list[Row] = []
    splits: list[Row] = []
    orders: list[Row] = []
    items: list[Row] = []
    for line, digest, known in refunds:
        shares, held = holdings[known.item_id]
        added = line.net - known.net
        if added:
            entry_id = next(fresh)
            entries.append(
                (stamp, stamp, org, entry_id, known.item_id.hex, EntryKind.REFUND.value,
                 writer.time_value(line.refunded_at or now), 0, 0, added, line.currency)
            )  # fmt: skip
            splits += [
                (stamp, stamp, org, next(fresh), known.item_id.hex, kind, profile, brand, share,
                 amount - held.get((kind, profile, brand), 0), line.currency, entry_id)
                for kind, profile, brand, share, amount in shares.split(line.net)
            ]  # fmt: skip
        orders.append(
            (line.refunded, line.tax_refunded, writer.time_value(line.refunded_at),
             order_status(line), digest, org, line.order_id)
        )  # fmt: skip
        items.append((line.net, org, known.item_id.hex))
    writer.insert("org_ledger_entry", ENTRY_COLUMNS, entries, org=org)
    writer.insert("org_order_item_allocation", ALLOCATION_COLUMNS, splits, org=org)
    writer.execute_many(
        "UPDATE org_order SET refunded_minor = ?, tax_refunded_minor = ?, refunded_at = ?,"
        " status = ?, source_digest = ? WHERE org_id = ? AND external_id = ?",
        orders,
    )
    item_net = "UPDATE org_order_item SET net_minor = ? WHERE org_id = ? AND id = ?"
    writer.execute_many(item_net, items)
