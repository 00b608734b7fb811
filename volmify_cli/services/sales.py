"""Recording sales (SPEC 4.3 and 5): `sales import` streams lines in batches, checks each
against the org's catalog held in memory, and bulk-writes orders, items and their revenue
allocations (split at record time by the product's attribution as it is then).

`order_id` is the idempotency key: a line already recorded with the same content is a no-op; the
same id with other content is a problem (exit 3) unless `update`, which replaces the order and
recomputes its allocations from the share snapshot of the first recording (when the product is
unchanged) or from the current attribution. The whole import runs in a savepoint: any problem
(all of the file is read, up to 100 problems) or a dry run rolls everything back.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.db.rollups import DAY_TABLES, MONTH_TABLES
from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.ids import uuid7_hex_batch
from volmify_cli.inputs.sales import SaleLine
from volmify_cli.models.base import metadata
from volmify_cli.models.orgs import Org
from volmify_cli.services.allocation import Shares
from volmify_cli.services.ledger_closes import LedgerDates
from volmify_cli.services.ledger_entries import EntryWriter, Item, order_status, sale_entries
from volmify_cli.services.ledger_refunds import later_refunds
from volmify_cli.services.ledger_reversals import supersede
from volmify_cli.services.lookup import get_org
from volmify_cli.services.sales_catalog import Resolved, SalesCatalog
from volmify_cli.services.sales_coupons import redemption_warnings

BATCH_SIZE = 5_000
MAX_PROBLEMS = 100
MAX_LINE_WARNINGS = 100  # listed; `line_warnings_total` counts them all
LARGE_LOAD = 10_000  # ledger rows after which PostgreSQL's statistics are refreshed
LEDGER_CACHE_MIB = 64  # SQLite's page cache while lines are recorded (`Bulk.page_cache`)

ORDER_COLUMNS = (
    "created_at", "updated_at", "org_id", "id", "external_id", "ordered_at", "coupon_id",
    "customer_user_id", "customer_email", "market_id", "currency_code", "subtotal_minor",
    "discount_minor", "tax_minor", "fee_minor", "refunded_minor", "total_minor", "status",
    "source_digest", "tax_refunded_minor", "refunded_at",
)  # fmt: skip
ITEM_COLUMNS = (
    "created_at", "updated_at", "org_id", "id", "order_id", "product_id", "variant_id",
    "plan_id", "access_tier", "quantity", "unit_amount_minor", "line_amount_minor", "net_minor",
)  # fmt: skip
LEDGER_TABLES = ("org_order", "org_order_item", "org_ledger_entry", "org_order_item_allocation")
ROLLUP_TABLES = (*DAY_TABLES, *MONTH_TABLES.values())


def checked_parents() -> set[str]:
    """The tables the foreign keys of the ledger's tables point at: each line's checks read
    them (products, plans, markets, brands, profiles, currencies ...)."""
    written = (*LEDGER_TABLES, *ROLLUP_TABLES)
    return {
        key.target_fullname.partition(".")[0]
        for name in written
        for key in metadata.tables[name].foreign_keys
    } - set(written)


class LineWarningRead(TypedDict):
    """Something about one recorded line that is worth a look but does not stop it (a sale is
    a fact): a coupon that could not have applied to it."""

    order_id: str
    line: int
    reason: str


class SalesImportRead(TypedDict):
    org: str
    file: str
    lines: int
    created: int
    unchanged: int
    replaced: list[str]
    refunded: list[str]  # recorded orders whose (later) refund this import recorded
    dry_run: bool
    warnings: list[str]
    line_warnings: list[LineWarningRead]
    line_warnings_total: int


def _by_line(warning: LineWarningRead) -> int:
    return warning["line"]


@dataclass(frozen=True, slots=True)
class _Recorded:
    id: str
    digest: str | None
    this_run: bool


def digest_of(line: SaleLine, resolved: Resolved) -> str:
    """sha256 of the normalised line: what a re-import compares, one column per order."""
    fields: tuple[str, ...] = (
        line.order_id,
        line.sold_at.isoformat(),
        line.product,
        resolved.variant_slug,
        line.plan,
        line.market,
        line.currency,
        str(line.amount),
        str(line.tax),
        str(line.fee),
        str(line.refunded),
        str(line.quantity),
        line.customer or "",
        line.coupon or "",
    )
    # newer columns, named: older lines keep their digest
    if line.tax_refunded_given is not None:
        fields += (f"tax_refunded={line.tax_refunded_given}",)
    if line.refunded_at is not None:
        fields += (f"refunded_at={line.refunded_at.isoformat()}",)
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def import_sales(
    session: Session,
    *,
    org_slug: str,
    lines: Iterable[SaleLine | Problem],
    file: str,
    update: bool = False,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> SalesImportRead:
    """Record the lines of a sales file in org `org_slug`.

    Raises NotFoundError for an unknown org, and InvalidInputError (exit 3, nothing written)
    listing up to 100 problems of the whole file: malformed values (from the reader), unknown
    product/variant/plan/market/coupon, a plan not priced in the market or in another currency,
    and an order_id recorded with other content (unless `update`).
    """
    org = get_org(session, org_slug)
    catalog = SalesCatalog.load(session, org)
    importer = _Importer(session, org, catalog, file=file, update=update)
    importer.writer.analyze_stale(*LEDGER_TABLES, *ROLLUP_TABLES, *checked_parents())
    with importer.writer.page_cache(LEDGER_CACHE_MIB):
        savepoint = session.begin_nested()
        # SQLAlchemy emits the SAVEPOINT when the session next uses its connection; the rows go
        # through the bulk writer's raw connection, which the session does not see: begin it now
        session.connection()
        next_analyze = LARGE_LOAD
        try:
            for batch in _batches(lines, batch_size, importer):
                importer.record(batch)
                if importer.written >= next_analyze:
                    # One transaction: autovacuum never sees these rows, and PostgreSQL would look
                    # up each later batch's order ids as if the ledger were empty (by org alone,
                    # filtering every order: quadratic in the file). ANALYZE sees this
                    # transaction's own rows; redone each time the ledger doubles.
                    importer.writer.analyze(*LEDGER_TABLES)
                    next_analyze = 2 * importer.written
                if progress is not None:
                    progress(len(batch))
                if importer.full():
                    break
            if importer.problems:
                hint = "pass --update to replace changed orders" if importer.conflicts else None
                hint = importer.stopped or hint
                if importer.full():
                    hint = f"stopped after {MAX_PROBLEMS} problems" + (f"; {hint}" if hint else "")
                # a batch's catalog problems are found after the reader's: report in line order
                found = sorted(importer.problems, key=lambda problem: problem.line or 0)
                raise InvalidInputError(found[:MAX_PROBLEMS], hint)
            warnings = redemption_warnings(
                session, org_id=org.id, coupon_ids=[uuid.UUID(c) for c in importer.coupons_used]
            )
            importer.entries.finish()
            moved = importer.dates.warning()
            if moved is not None:
                warnings.append(moved)
            if not dry_run and importer.written >= LARGE_LOAD:
                importer.writer.analyze(*LEDGER_TABLES)  # the statistics the reports will plan on
                importer.writer.analyze_sqlite(*LEDGER_TABLES)  # `sales list`, `sales show`
        except BaseException:
            savepoint.rollback()
            raise
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return SalesImportRead(
        org=org_slug,
        file=file,
        lines=importer.lines,
        created=importer.created,
        unchanged=importer.unchanged,
        replaced=importer.replaced,
        refunded=importer.refunded,
        dry_run=dry_run,
        warnings=warnings,
        line_warnings=sorted(importer.line_warnings, key=_by_line)[:MAX_LINE_WARNINGS],
        line_warnings_total=importer.line_warnings_total,
    )


def _batches(
    lines: Iterable[SaleLine | Problem], size: int, importer: _Importer
) -> Iterator[list[SaleLine]]:
    """Lines in lists of `size`; problems found by the reader go straight to the importer. A
    reader that stops early (a line over its limit: InvalidInputError) is reported with the
    problems found before it."""
    batch: list[SaleLine] = []
    try:
        for item in lines:
            if isinstance(item, Problem):
                importer.problem(item)
                if importer.full():
                    break
                continue
            importer.lines += 1
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    except InvalidInputError as stopped:
        if not importer.problems:
            raise
        for problem in stopped.problems:
            importer.problem(problem)
        importer.stopped = stopped.hint
    if batch:
        yield batch


class _Importer:
    def __init__(
        self, session: Session, org: Org, catalog: SalesCatalog, *, file: str, update: bool
    ) -> None:
        self.session = session
        self.org = org
        self.catalog = catalog
        self.file = file
        self.update = update
        self.writer = Bulk(session)
        self.stamp = self.writer.now_value  # every row written by this run carries it
        self.org_id = org.id.hex
        self.dates = LedgerDates.of(session, org.id)
        self.entries = EntryWriter(self.writer, self.org_id, self.dates)
        self.problems: list[Problem] = []
        self.conflicts = False
        self.stopped: str | None = None  # the hint of a reader that stopped early
        self.lines = self.created = self.unchanged = self.written = 0
        self.replaced: list[str] = []
        self.refunded: list[str] = []  # orders whose later refund was recorded
        self.coupons_used: set[str] = set()
        self.line_warnings: list[LineWarningRead] = []
        self.line_warnings_total = 0

    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def problem(self, problem: Problem) -> None:
        if not self.full():
            self.problems.append(problem)

    def at(self, line: SaleLine, column: str, message: str) -> None:
        self.problem(Problem(self.file, line.line, None, column, message))

    # -- one batch -------------------------------------------------------------------------

    def record(self, batch: Sequence[SaleLine]) -> None:
        checked: list[tuple[SaleLine, Resolved, str]] = []
        seen: dict[str, tuple[str, int]] = {}
        for line in batch:
            resolved = self.catalog.resolve(line, self.file)
            if isinstance(resolved, list):
                for problem in resolved:
                    self.problem(problem)
                continue
            digest = digest_of(line, resolved)
            earlier = seen.get(line.order_id)
            if earlier is not None:
                if earlier[0] == digest:
                    self.unchanged += 1
                else:
                    self.at(
                        line,
                        "order_id",
                        f"order_id {line.order_id!r} appears on line {earlier[1]} with different"
                        " content",
                    )
                continue
            seen[line.order_id] = (digest, line.line)
            checked.append((line, resolved, digest))
        recorded = self._recorded([line.order_id for line, _, _ in checked])
        new: list[tuple[SaleLine, Resolved, str, str | None]] = []
        replacing: list[tuple[SaleLine, Resolved, str, str | None]] = []
        changed: list[tuple[SaleLine, Resolved, str, str]] = []
        for line, resolved, digest in checked:
            found = recorded.get(line.order_id)
            if found is None:
                new.append((line, resolved, digest, None))
            elif found.digest == digest:
                self.unchanged += 1
            elif found.this_run:
                self.at(
                    line,
                    "order_id",
                    f"order_id {line.order_id!r} appears earlier in this file with different"
                    " content",
                )
            else:
                changed.append((line, resolved, digest, found.id))
        refunded, others = later_refunds(self.session, self.entries, self.org.id, changed)
        self.refunded += refunded
        for line, resolved, digest, order_id in others:
            if self.update:
                replacing.append((line, resolved, digest, order_id))
                continue
            self.conflicts = True
            self.at(
                line,
                "order_id",
                f"order_id {line.order_id!r} is already recorded with different content",
            )
        snapshots = {}
        if replacing:
            orders = {order_id: line.order_id for line, _, _, order_id in replacing if order_id}
            snapshots = supersede(self.session, self.entries, self.org.id, orders)
        self._write([*new, *replacing], snapshots)
        self.written += self.entries.write()
        self.created += len(new)
        self.replaced += [line.order_id for line, *_ in replacing]

    def _recorded(self, order_ids: list[str]) -> dict[str, _Recorded]:
        """The batch's orders already recorded, by order id. Plain SQL on the bulk writer: a
        batch names 5,000 ids, and SQLAlchemy compiled their IN list anew each time (1 s of a
        200,000-line import)."""
        if not order_ids:
            return {}
        writer = self.writer
        rows = writer.query(
            f"SELECT external_id, {writer.id_sql('id')}, source_digest, created_at FROM org_order"
            f" WHERE org_id = ? AND external_id IN ({', '.join('?' for _ in order_ids)})",
            (self.org_id, *order_ids),
        )
        # written by this run ("earlier in this file"): its rows carry the writer's time
        return {
            external: _Recorded(order_id, digest, writer.written_now(created))
            for external, order_id, digest, created in rows
        }

    def _customers(self, emails: set[str]) -> dict[str, str]:
        """The users of the batch's customer e-mails, by e-mail (ids as 32 hex digits). Plain
        SQL on the bulk writer, as `_recorded`: SQLAlchemy compiled the IN list of a batch's
        e-mails anew each time."""
        if not emails:
            return {}
        writer = self.writer
        return dict(
            writer.query(
                f'SELECT email_normalized, {writer.id_sql("id")} FROM "user"'
                f" WHERE email_normalized IN ({', '.join('?' for _ in emails)})",
                tuple(emails),
            )
        )

    def _write(
        self,
        entries: list[tuple[SaleLine, Resolved, str, str | None]],
        snapshots: dict[str, tuple[str, Shares]],
    ) -> None:
        if not entries:
            return
        customers = self._customers({line.customer for line, *_ in entries if line.customer})
        fresh = iter(uuid7_hex_batch(2 * len(entries)))
        stamp, org_id, timestamp = self.stamp, self.org_id, self.writer.time_value
        orders: list[tuple[Any, ...]] = []
        items: list[tuple[Any, ...]] = []
        replaced: list[tuple[Any, ...]] = []
        shares: list[tuple[Item, SaleLine, Shares, bool]] = []
        for line, resolved, digest, existing in entries:
            order_id = existing or next(fresh)
            item_id = next(fresh)
            if resolved.coupon_id is not None:
                self.coupons_used.add(resolved.coupon_id)
                self._check_coupon(line, resolved)
            (replaced if existing else orders).append(
                (
                    stamp, stamp, org_id, order_id, line.order_id, timestamp(line.sold_at),
                    resolved.coupon_id, customers.get(line.customer) if line.customer else None,
                    line.customer, resolved.market_id, line.currency, line.amount - line.tax, 0,
                    line.tax, line.fee, line.refunded, line.amount, order_status(line), digest,
                    line.tax_refunded, timestamp(line.refunded_at),
                )
            )  # fmt: skip
            net = line.net
            items.append(
                (
                    stamp, stamp, org_id, item_id, order_id, resolved.product_id,
                    resolved.variant_id, resolved.plan_id, resolved.access_tier, line.quantity,
                    line.amount // line.quantity, line.amount, net,
                )
            )  # fmt: skip
            snapshot = snapshots.get(order_id) if existing else None
            if snapshot is not None and snapshot[0] == resolved.product_id:
                split = snapshot[1]
            else:
                split = self.catalog.shares(resolved.product_id)
            sold = Item(item_id, resolved.product_id, resolved.market_id)
            shares.append((sold, line, split, existing is not None))
        self.writer.insert("org_order", ORDER_COLUMNS, orders)
        self._replace_orders(replaced)
        self.writer.insert("org_order_item", ITEM_COLUMNS, items)
        sale_entries(self.entries, shares)
        self.written += len(orders) + len(replaced) + len(items)

    def _replace_orders(self, rows: list[tuple[Any, ...]]) -> None:
        """The orders an update replaces say what their new line says (their earlier items and
        entries stay, superseded and reversed)."""
        if not rows:
            return
        kept = ("created_at", "org_id", "id")
        changed = [c for c in ORDER_COLUMNS if c not in kept]
        where = [ORDER_COLUMNS.index(c) for c in ("org_id", "id")]
        values = [ORDER_COLUMNS.index(c) for c in changed]
        self.writer.execute_many(
            f"UPDATE org_order SET {', '.join(f'{c} = ?' for c in changed)}"
            " WHERE org_id = ? AND id = ?",
            [tuple(row[i] for i in [*values, *where]) for row in rows],
        )

    def _check_coupon(self, line: SaleLine, resolved: Resolved) -> None:
        """A coupon that could not apply to the sale is recorded all the same (the sale
        happened, and it counts as a redemption: SPEC 4.3), with a warning naming the line."""
        reason = self.catalog.coupon_problem(line, resolved)
        if reason is None:
            return
        self.line_warnings_total += 1
        self.line_warnings.append(
            LineWarningRead(order_id=line.order_id, line=line.line, reason=reason)
        )
        if len(self.line_warnings) >= 2 * MAX_LINE_WARNINGS:  # the first lines, in bounded memory
            self.line_warnings.sort(key=_by_line)
            del self.line_warnings[MAX_LINE_WARNINGS:]
