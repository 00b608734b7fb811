"""What a statement reads of the ledger, section by section: the share snapshots, the earnings
by entry kind, the refunds and adjustments, the payouts, the balance sums and (for statements
for everyone) each creator's share by product. For one creator, or for every instructor and
brand of the org at once (`creator` None), each keyed by `Creator.key`.

One statement reads its creator's splits alone (`revenue_queries.creator_splits`). Statements
for everyone read each section once for the whole period, where a statement per creator would
read the org's splits again for each one (on SQLite a pass over them all). Both are the same
queries, grouped by creator, so a statement written by `--all` is the one `revenue statement
SLUG` prints, byte for byte.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from volmify_cli.db.direct import DirectReader
from volmify_cli.enums import EntryKind
from volmify_cli.reports.balances import Key, balance_totals
from volmify_cli.reports.labels import CREATORS, Creator, OrgRef
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue_queries import (
    ENTRIES,
    ITEM,
    ORDERS,
    SPLITS,
    Group,
    LedgerQuery,
    creator_splits,
    dated_within,
)

CreatorKey = tuple[str, Any, Any]  # kind, profile id, brand id (`Creator.key`)
Sums = tuple[dict[Key, int], dict[Key, int]]  # earned and paid per creator and currency
PRODUCT = " JOIN org_product p ON p.org_id = i.org_id AND p.id = i.product_id"


class Sections:
    """The sections of the statements of `creator` (None: of every creator) in `org` over
    `period` (days of the org's zone), each read once, when first asked for."""

    def __init__(
        self, reader: DirectReader, org: OrgRef, period: Period, creator: Creator | None
    ) -> None:
        self.reader = reader
        self.org = org
        self.period = period
        self.creator = creator

    def _splits(self) -> tuple[str, str, list[Any]]:
        """The FROM of the splits (`a`) and entries (`e`) read, the conditions on them (the
        creator's, or every creator's, dated in the period) and their parameters."""
        dated, moments = dated_within(self.period)
        if self.creator is None:
            kinds = ", ".join("?" for _ in CREATORS)
            conditions = ["e.org_id = ?", f"a.recipient_kind IN ({kinds})", *dated]
            return ENTRIES + SPLITS, " AND ".join(conditions), [self.org.id, *CREATORS, *moments]
        who = self.creator
        conditions = ["a.org_id = ?", "a.recipient_kind = ?", f"a.{who.column} = ?", *dated]
        params = [self.org.id, who.kind, who.id, *moments]
        return creator_splits(self.reader.dialect), " AND ".join(conditions), params

    @cached_property
    def products(self) -> dict[CreatorKey, list[Group]]:
        """Every creator's share per product and currency (`revenue_report`'s every_creator);
        empty for one creator, whose report reads its own."""
        if self.creator is not None:
            return {}
        ledger = LedgerQuery(self.reader, self.org, self.period, None, None)
        return ledger.keyed_per_creator("product")

    @cached_property
    def shares(self) -> dict[CreatorKey, dict[tuple[str, str], list[int]]]:
        """The distinct share snapshots of each creator's sale lines, per product slug and
        currency (more than one when the attribution changed during the period)."""
        source, where, params = self._splits()
        found: dict[CreatorKey, dict[tuple[str, str], list[int]]] = {}
        for kind, profile, brand, slug, currency, share in self.reader.rows(
            "SELECT a.recipient_kind, a.profile_id, a.brand_id, p.slug, e.currency_code,"
            f" a.share_bp {source}{ITEM}{PRODUCT} WHERE {where}"
            " GROUP BY a.recipient_kind, a.profile_id, a.brand_id, p.slug, e.currency_code,"
            " a.share_bp ORDER BY p.slug, e.currency_code, a.share_bp",
            params,
        ):
            found.setdefault((kind, profile, brand), {}).setdefault((slug, currency), []).append(
                share
            )
        return found

    @cached_property
    def earned_by_kind(self) -> dict[CreatorKey, dict[str, dict[str, int]]]:
        """Per creator, currency and entry kind: what its entries dated in the period add."""
        source, where, params = self._splits()
        found: dict[CreatorKey, dict[str, dict[str, int]]] = {}
        for kind, profile, brand, currency, entry_kind, total in self.reader.rows(
            "SELECT a.recipient_kind, a.profile_id, a.brand_id, e.currency_code, e.entry_kind,"
            f" sum(a.amount_minor) {source} WHERE {where} GROUP BY 1, 2, 3, 4, 5",
            params,
        ):
            of_creator = found.setdefault((kind, profile, brand), {})
            of_creator.setdefault(currency, {})[entry_kind] = int(total)  # PostgreSQL: numeric
        return found

    @cached_property
    def adjustments(self) -> dict[CreatorKey, list[tuple[Any, ...]]]:
        """Each creator's refunds, reversals and corrections dated in the period, in time
        order: (entry_at, for_date, kind, order id, product slug, currency, amount)."""
        source, where, params = self._splits()
        found: dict[CreatorKey, list[tuple[Any, ...]]] = {}
        for kind, profile, brand, *row in self.reader.rows(
            "SELECT a.recipient_kind, a.profile_id, a.brand_id, e.entry_at, e.for_date,"
            " e.entry_kind, o.external_id, p.slug, e.currency_code, a.amount_minor"
            f" {source}{ITEM}{ORDERS}{PRODUCT} WHERE {where} AND e.entry_kind <> ?"
            " ORDER BY e.entry_at, o.external_id, e.id",
            [*params, EntryKind.SALE.value],
        ):
            found.setdefault((kind, profile, brand), []).append(tuple(row))
        return found

    @cached_property
    def payouts(self) -> dict[CreatorKey, list[tuple[Any, ...]]]:
        """The payouts to each creator dated in the period, in time order: (paid_at,
        for_date, reference, currency, amount)."""
        start, end = self.period.bounds()
        conditions = ["p.org_id = ?"]
        params: list[Any] = [self.org.id]
        if self.creator is not None:
            conditions += ["p.recipient_kind = ?", f"p.{self.creator.column} = ?"]
            params += [self.creator.kind, self.creator.id]
        for condition, bound in (("p.paid_at >= ?", start), ("p.paid_at < ?", end)):
            if bound is not None:
                conditions.append(condition)
                params.append(bound)
        found: dict[CreatorKey, list[tuple[Any, ...]]] = {}
        for kind, profile, brand, *row in self.reader.rows(
            "SELECT p.recipient_kind, p.profile_id, p.brand_id, p.paid_at, p.for_date,"
            " p.reference, p.currency_code, p.amount_minor"
            f" FROM org_payout p WHERE {' AND '.join(conditions)} ORDER BY p.paid_at, p.id",
            params,
        ):
            found.setdefault((kind, profile, brand), []).append(tuple(row))
        return found

    @cached_property
    def balances(self) -> tuple[Sums, Sums]:
        """What each creator earned and was paid before the period opened, and by its end, per
        currency (`balance_totals`: the running totals and the payouts)."""
        first, last = self.period.start, self.period.end
        reader, org, creator = self.reader, self.org, self.creator
        opened = (
            balance_totals(reader, org, creator=creator, through=first - dt.timedelta(days=1))
            if first is not None and first > dt.date.min
            else ({}, {})
        )
        return opened, balance_totals(reader, org, creator=creator, through=last)
