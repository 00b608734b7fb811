"""Reading the sales ledger: `sales list` and `sales show`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from volmify_cli.db.tables import table_of
from volmify_cli.enums import RecipientKind
from volmify_cli.errors import NotFoundError, RuleError
from volmify_cli.models.core import UserProfile
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.offers import OrgCoupon
from volmify_cli.models.orgs import OrgBrand
from volmify_cli.models.plans import OrgProductVariantPaymentPlan
from volmify_cli.models.products import OrgProduct, OrgProductVariant
from volmify_cli.models.sales import (
    OrgLedgerEntry,
    OrgOrder,
    OrgOrderItem,
    OrgOrderItemAllocation,
)
from volmify_cli.money import format_amount, format_percent
from volmify_cli.reports.periods import Period
from volmify_cli.rules import check_line, normalize_coupon_code
from volmify_cli.services.lookup import (
    get_coupon,
    get_instructor,
    get_market,
    get_org,
    get_product,
)


class SaleRead(TypedDict):
    order_id: str
    sold_at: dt.datetime
    product: str
    variant: str
    plan: str
    market: str
    currency: str
    quantity: int
    amount_minor: int
    amount: str
    tax_minor: int
    tax: str
    fee_minor: int
    fee: str
    refunded_minor: int
    refunded: str
    tax_refunded_minor: int  # the tax the refund returned (SPEC 5)
    tax_refunded: str
    net_minor: int
    net: str
    customer: str | None
    coupon: str | None
    status: str


class AllocationRead(TypedDict):
    kind: str
    key: str
    share_bp: int
    share: str
    amount_minor: int
    amount: str


class EntryRead(TypedDict):
    """One event of the order in the ledger: its sale, a refund, or an update's reversal and
    correction, dated when it counts (`for_date`: the closed day it belongs to, if moved)."""

    kind: str
    at: dt.datetime
    for_date: dt.date | None
    net_minor: int  # the net it adds to the line
    net: str


class SaleDetailRead(SaleRead):
    allocations: list[AllocationRead]
    entries: list[EntryRead]


def _query() -> Any:
    o, i = table_of(OrgOrder), table_of(OrgOrderItem)
    p, v = table_of(OrgProduct), table_of(OrgProductVariant)
    plan, m = table_of(OrgProductVariantPaymentPlan), table_of(OrgMarket)
    coupon = table_of(OrgCoupon)
    source = (
        o.join(  # the order's current item (an update supersedes the earlier one)
            i,
            and_(i.c.org_id == o.c.org_id, i.c.order_id == o.c.id, i.c.superseded_at.is_(None)),
        )
        .join(p, and_(p.c.org_id == i.c.org_id, p.c.id == i.c.product_id))
        .join(v, and_(v.c.org_id == i.c.org_id, v.c.id == i.c.variant_id))
        .join(plan, and_(plan.c.org_id == i.c.org_id, plan.c.id == i.c.plan_id))
        .join(m, and_(m.c.org_id == o.c.org_id, m.c.id == o.c.market_id))
        .outerjoin(coupon, and_(coupon.c.org_id == o.c.org_id, coupon.c.id == o.c.coupon_id))
    )
    return select(
        o.c.external_id, o.c.ordered_at, p.c.slug, v.c.slug, plan.c.slug, m.c.slug,
        o.c.currency_code, i.c.quantity, o.c.total_minor, o.c.tax_minor, o.c.fee_minor,
        o.c.refunded_minor, i.c.net_minor, o.c.customer_email, coupon.c.code, o.c.status,
        o.c.tax_refunded_minor, i.c.id,  # the item id last: get_sale reads its allocations
    ).select_from(source)  # fmt: skip


def _read(row: Any) -> SaleRead:
    (order_id, sold_at, product, variant, plan, market, cur, quantity, amount, tax, fee,
     refunded, net, customer, coupon, status, tax_refunded, _item) = row  # fmt: skip
    return SaleRead(
        order_id=order_id,
        sold_at=sold_at,
        product=product,
        variant=variant,
        plan=plan,
        market=market,
        currency=cur,
        quantity=quantity,
        amount_minor=amount,
        amount=format_amount(amount, cur),
        tax_minor=tax,
        tax=format_amount(tax, cur),
        fee_minor=fee,
        fee=format_amount(fee, cur),
        refunded_minor=refunded,
        refunded=format_amount(refunded, cur),
        tax_refunded_minor=tax_refunded,
        tax_refunded=format_amount(tax_refunded, cur),
        net_minor=net,
        net=format_amount(net, cur),
        customer=customer,
        coupon=coupon,
        status=status,
    )


@dataclass(frozen=True)
class SaleFilter:
    """What `sales list` narrows to; None: no condition."""

    product: str | None = None
    market: str | None = None
    creator: str | None = None  # an instructor's or a brand's slug with a share of the sale
    customer: str | None = None  # an e-mail address
    coupon: str | None = None
    refunded: bool | None = None  # True: refunded in part or whole; False: not refunded


SALE_ORDERS = ("newest", "oldest", "amount")


def list_sales(
    session: Session,
    *,
    org_slug: str,
    period: Period | None = None,
    limit: int | None = None,
    where: SaleFilter | None = None,
    sort: str = "newest",
) -> Iterator[SaleRead]:
    """The org's sales (newest first, or `oldest` first, or by `amount`, largest first)
    within `period` (inclusive days of the org's time zone) and the filter, streamed from the
    database in batches (a ledger of 300,000 sales is never held at once); `limit + 1` rows,
    so the caller can say some were left out. Raises NotFoundError, RuleError."""
    org = get_org(session, org_slug)
    o = table_of(OrgOrder).c
    if sort not in SALE_ORDERS:
        raise RuleError(f"cannot sort sales by {sort!r}", f"choose {', '.join(SALE_ORDERS)}")
    order = {
        "newest": (o.ordered_at.desc(), o.external_id.desc()),
        "oldest": (o.ordered_at, o.external_id),
        # amounts compare within a currency only: by currency, then the largest first
        "amount": (o.currency_code, o.total_minor.desc(), o.ordered_at.desc(), o.external_id),
    }[sort]
    where = where or SaleFilter()
    creators = _check_names(session, org, where)
    query = _narrowed(_query().where(o.org_id == org.id), where, org.id, creators)
    query = query.order_by(*order)
    start, end = (period or Period()).in_zone(org.timezone).bounds()
    if start is not None:
        query = query.where(o.ordered_at >= start)
    if end is not None:
        query = query.where(o.ordered_at < end)
    if limit is not None:
        query = query.limit(limit + 1)
    for row in session.execute(query.execution_options(yield_per=READ_BATCH)):
        yield _read(row)


READ_BATCH = 2000


Recipient = tuple[str, Any]  # a split's recipient kind, and its profile or brand id


def _check_names(session: Session, org: Any, where: SaleFilter) -> list[Recipient]:
    """A filter naming nothing the org has is a mistake, not an empty list; the recipients
    `--creator` names (the org's brand of that slug and the instructor of that slug, either or
    both). Raises NotFoundError."""
    if where.product is not None:
        get_product(session, org, where.product)
    if where.market is not None:
        get_market(session, org, where.market)
    if where.coupon is not None:
        get_coupon(session, org, where.coupon)
    if where.creator is None:
        return []
    brand = table_of(OrgBrand).c
    recipients: list[Recipient] = [
        (RecipientKind.BRAND.value, brand_id)
        for brand_id in session.execute(
            select(brand.id).where(brand.org_id == org.id, brand.slug == where.creator)
        ).scalars()
    ]
    try:
        recipients.append(
            (RecipientKind.INSTRUCTOR.value, get_instructor(session, where.creator).id)
        )
    except NotFoundError:
        if not recipients:
            raise NotFoundError(
                f"creator {where.creator!r} is neither an instructor nor a brand of org {org.slug}",
                "see `volmify instructors list` and `volmify orgs brands list`",
            ) from None
    return recipients


def _narrowed(query: Any, where: SaleFilter, org_id: Any, creators: list[Recipient]) -> Any:
    o, i = table_of(OrgOrder).c, table_of(OrgOrderItem).c
    p, m = table_of(OrgProduct).c, table_of(OrgMarket).c
    if where.product is not None:
        query = query.where(p.slug == where.product)
    if where.market is not None:
        query = query.where(m.slug == where.market)
    if where.customer is not None:
        query = query.where(func.lower(o.customer_email) == where.customer.lower())
    if where.coupon is not None:
        query = query.where(
            table_of(OrgCoupon).c.code_normalized == normalize_coupon_code(where.coupon)
        )
    if where.refunded is not None:
        query = query.where(o.refunded_minor > 0 if where.refunded else o.refunded_minor == 0)
    if creators:
        # the items the creator has a split of, found once from its splits: tested order by
        # order, SQLite read every split of the org again for each one (230 s for the newest
        # 20 sales of one instructor on a 200,000-line ledger; now 1 s)
        a, e = table_of(OrgOrderItemAllocation).c, table_of(OrgLedgerEntry).c
        of_creator = [
            and_(
                a.recipient_kind == kind,
                (a.brand_id if kind == RecipientKind.BRAND.value else a.profile_id) == rid,
            )
            for kind, rid in creators
        ]
        items = (
            select(e.item_id)
            .select_from(
                table_of(OrgOrderItemAllocation).join(
                    table_of(OrgLedgerEntry), and_(e.org_id == a.org_id, e.id == a.entry_id)
                )
            )
            .where(a.org_id == org_id, or_(*of_creator))
        )
        query = query.where(i.id.in_(items))
    return query


def get_sale(session: Session, *, org_slug: str, order_id: str) -> SaleDetailRead:
    """One order with its allocations (the revenue ledger). Raises NotFoundError, RuleError
    (an order id holding a control character)."""
    check_line(order_id)
    org = get_org(session, org_slug)
    o = table_of(OrgOrder).c
    row = session.execute(_query().where(o.org_id == org.id, o.external_id == order_id)).first()
    if row is None:
        raise NotFoundError(f"order {order_id!r} not found in org {org.slug}")
    sale = _read(row)
    a, entry, profile, brand = (
        table_of(OrgOrderItemAllocation),
        table_of(OrgLedgerEntry),
        table_of(UserProfile),
        table_of(OrgBrand),
    )
    # what each recipient holds: its sale entry and any refund entries, added up
    parts = session.execute(
        select(
            a.c.recipient_kind, profile.c.slug, brand.c.slug, func.max(a.c.share_bp),
            func.sum(a.c.amount_minor),
        )
        .select_from(
            entry.join(a, and_(a.c.org_id == entry.c.org_id, a.c.entry_id == entry.c.id))
            .outerjoin(profile, profile.c.id == a.c.profile_id)
            .outerjoin(brand, and_(brand.c.org_id == a.c.org_id, brand.c.id == a.c.brand_id))
        )
        .where(entry.c.org_id == org.id, entry.c.item_id == row[-1])
        .group_by(a.c.recipient_kind, a.c.profile_id, a.c.brand_id, profile.c.slug, brand.c.slug)
    )  # fmt: skip
    allocations = [
        AllocationRead(
            kind=kind,
            key=f"org:{org.slug}" if kind == RecipientKind.ORG else (person or label),
            share_bp=share,
            share=format_percent(share),
            amount_minor=int(amount),  # PostgreSQL sums bigint as numeric
            amount=format_amount(int(amount), sale["currency"]),
        )
        for kind, person, label, share, amount in parts
    ]
    order = {RecipientKind.INSTRUCTOR: 0, RecipientKind.BRAND: 1, RecipientKind.ORG: 2}
    allocations.sort(key=lambda r: (order[RecipientKind(r["kind"])], -r["amount_minor"], r["key"]))
    e, i = table_of(OrgLedgerEntry), table_of(OrgOrderItem)
    items = (  # every item the order had: updates supersede, never delete
        select(i.c.id)
        .join(table_of(OrgOrder), and_(o.org_id == i.c.org_id, o.id == i.c.order_id))
        .where(o.org_id == org.id, o.external_id == order_id)
    )
    entries = [
        EntryRead(
            kind=kind,
            at=at,
            for_date=for_date,
            net_minor=net,
            net=format_amount(net, sale["currency"]),
        )
        for kind, at, for_date, net in session.execute(
            select(e.c.entry_kind, e.c.entry_at, e.c.for_date, e.c.line_net_minor)
            .where(e.c.org_id == org.id, e.c.item_id.in_(items))
            .order_by(e.c.entry_at, e.c.id)
        )
    ]
    return SaleDetailRead(**sale, allocations=allocations, entries=entries)
