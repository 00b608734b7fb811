"""The ledger's entries (SPEC 5, revision 2: append-only): a sale is an entry dated when it was
sold, split at the net before any refund; a refund is an entry of its own, dated when it was
refunded, split as the difference between what the net after it leaves each recipient and what
the recipient holds; `sales import --update` reverses what an order's earlier item holds and
records it again as a correction. Every entry is dated through the org's open ledger: on a
closed day, it is dated the first open day and keeps the day it belongs to.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.db.rollups import RollupDeltas, write_totals
from volmify_cli.db.tables import table_of
from volmify_cli.enums import EntryKind, OrderStatus, RecipientKind
from volmify_cli.ids import hex_of, uuid7_hex_batch
from volmify_cli.inputs.sales import SaleLine
from volmify_cli.models.sales import OrgLedgerEntry, OrgOrderItemAllocation
from volmify_cli.services.allocation import Recipient, Shares
from volmify_cli.services.ledger_closes import LedgerDates
from volmify_cli.windows import local_date

Row = tuple[Any, ...]
ALLOCATION_COLUMNS = (
    "org_id", "entry_id", "id", "recipient_kind", "profile_id", "brand_id", "share_bp",
    "amount_minor",
)  # fmt: skip
ENTRY_COLUMNS = (
    "created_at", "updated_at", "org_id", "id", "item_id", "entry_kind", "entry_at",
    "line_count", "line_gross_minor", "line_net_minor", "currency_code", "for_date",
)  # fmt: skip
# Running totals' keys held before they are written (~260 bytes each, about twice that while
# they are written). A day's key met again after a flush is upserted again: at 50,000 a
# 200,000-line import upserted 690,000 keys (27.4 s); at 150,000, 7% faster for 50 MB more. A
# 200,000-line import holds about 250,000 keys: at 250,000 it wrote each once, 6% faster again
# (farm-bench, 4 pairs) for 42 MB more; a 1,000,000-line import peaks at 283 MB (at 400,000:
# 348 MB, no faster).
MAX_PENDING_TOTALS = 250_000
Figures = tuple[int, int, int, str]  # an entry's sales-line count, gross and net, its currency


class Item(NamedTuple):
    """What an entry is of: the order item, and the product and market the reports key it by
    (ids as 32 hex digits)."""

    id: str
    product: str
    market: str


class EntryWriter:
    """Builds the rows of entries and their splits for one org and one run: every entry is
    dated through the org's open ledger (`LedgerDates`), every entry stamped with the run's time,
    and the running totals of its day (`db/rollups`) follow in the same transaction."""

    def __init__(self, writer: Bulk, org_id: str, dates: LedgerDates) -> None:
        self.writer = writer
        self.org = org_id
        self.dates = dates
        self.entries: list[Row] = []
        self.splits: list[Row] = []
        self.totals = RollupDeltas()
        self._ids: list[str] = []  # reserved, last first

    def add(
        self, item: Item, kind: EntryKind, at: dt.datetime, order: str, figures: Figures,
        parts: Sequence[tuple[Any, ...]],
    ) -> None:  # fmt: skip
        """One entry of `item` (its sales-line figures: count, gross, net, currency) split into
        `parts` (kind, profile, brand, share, amount)."""
        stamp, org = self.writer.now_value, self.org
        dated, belongs = self.dates.place(at, order)
        entry_id = self._id()
        count, gross, net, currency = figures
        self.entries.append(
            (stamp, stamp, org, entry_id, item.id, kind.value, self.writer.time_value(dated),
             count, gross, net, currency, self.writer.date_value(belongs))
        )  # fmt: skip
        self.splits += [(org, entry_id, self._id(), *part) for part in parts]
        self.totals.add(
            local_date(dated, self.dates.zone), currency, item.product, item.market,
            (count, gross, net), parts,
        )  # fmt: skip

    def reserve(self, count: int) -> None:
        """Draw `count` ids at once (one clock read for a batch), in time order."""
        self._ids = uuid7_hex_batch(count)[::-1] + self._ids

    def _id(self) -> str:
        return self._ids.pop() if self._ids else uuid7_hex_batch(1)[0]

    def finish(self) -> None:
        """Add this run's entries to the running totals (one upsert per key and day for the
        whole run: a day's lines come in many batches). In the run's transaction."""
        write_totals(self.writer, self.org, self.totals)
        self.totals = RollupDeltas()

    def write(self) -> int:
        """Insert the rows built so far (their running totals wait for `finish`); returns how
        many."""
        self.writer.insert("org_ledger_entry", ENTRY_COLUMNS, self.entries, org=self.org)
        self.writer.insert(
            "org_order_item_allocation", ALLOCATION_COLUMNS, self.splits, org=self.org
        )
        written = len(self.entries) + len(self.splits)
        self.entries, self.splits = [], []
        if len(self.totals) > MAX_PENDING_TOTALS:  # memory stays flat on any file
            self.finish()
        return written


def sale_entries(
    entries: EntryWriter, shares: Sequence[tuple[Item, SaleLine, Shares, bool]]
) -> None:
    """Each new line's entries and their splits: its sale (and its refund when it has one), or
    for a line that replaces an order (`corrected`), one correction at its net after any refund,
    dated when the update is recorded."""
    entries.reserve(
        sum(
            (1 if corrected else 2 if line.refunded else 1) * (len(split.recipients) + 2)
            for _, line, split, corrected in shares
        )
    )
    for item, line, split, corrected in shares:
        if corrected:
            entries.add(
                item, EntryKind.CORRECTION, entries.writer.now, line.order_id,
                (1, line.amount, line.net, line.currency), split.split(line.net),
            )  # fmt: skip
            continue
        sold_net = line.amount - line.tax - line.fee
        sold = split.split(sold_net)
        entries.add(
            item, EntryKind.SALE, line.sold_at, line.order_id,
            (1, line.amount, sold_net, line.currency), sold,
        )  # fmt: skip
        if line.refunded:
            entries.add(
                item, EntryKind.REFUND, line.refunded_at or line.sold_at, line.order_id,
                (0, 0, line.net - sold_net, line.currency),
                [(*after[:4], after[4] - before[4])
                 for before, after in zip(sold, split.split(line.net), strict=True)],
            )  # fmt: skip


# read once: an enum member's `.value` is a property, and this runs for every sales line
_PAID, _REFUNDED, _PARTLY = (
    OrderStatus.PAID.value, OrderStatus.REFUNDED.value, OrderStatus.PARTIALLY_REFUNDED.value
)  # fmt: skip


def order_status(line: SaleLine) -> str:
    if line.refunded == 0:
        return _PAID
    return _REFUNDED if line.refunded == line.amount else _PARTLY


def holdings(
    session: Session, org_id: uuid.UUID, item_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[Shares, dict[tuple[str, Any, Any], int]]]:
    """Per item: the sale's share snapshot, and what each recipient holds now."""
    a, e = table_of(OrgOrderItemAllocation).c, table_of(OrgLedgerEntry).c
    rows = session.execute(
        select(
            e.item_id, a.recipient_kind, a.profile_id, a.brand_id, func.max(a.share_bp),
            func.sum(a.amount_minor),
        )
        .join_from(table_of(OrgLedgerEntry), table_of(OrgOrderItemAllocation),
                   (a.org_id == e.org_id) & (a.entry_id == e.id))
        .where(e.org_id == org_id, e.item_id.in_(item_ids))
        .group_by(e.item_id, a.recipient_kind, a.profile_id, a.brand_id)
        .order_by(e.item_id, a.recipient_kind.desc(), a.profile_id, a.brand_id)
    )  # fmt: skip
    recipients: dict[uuid.UUID, list[Recipient]] = {item: [] for item in item_ids}
    held: dict[uuid.UUID, dict[tuple[str, Any, Any], int]] = {item: {} for item in item_ids}
    for item_id, kind, profile, brand, share, amount in rows:
        key = (kind, hex_of(profile), hex_of(brand))
        held[item_id][key] = int(amount)  # PostgreSQL sums bigint as numeric
        if kind != RecipientKind.ORG.value:
            recipients[item_id].append(Recipient(RecipientKind(kind), key[1], key[2], share))
    return {item: (Shares.of(recipients[item]), held[item]) for item in item_ids}
