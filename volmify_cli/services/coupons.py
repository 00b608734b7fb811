"""Coupons: redeemable codes of an offer. Codes are unique per organization case-insensitively
(`SPRING25` and `spring25` are one code); a coupon may carry its own usage limit and window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError, UsageError
from volmify_cli.inputs.catalog_schema import CouponDoc
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.models.orgs import Org
from volmify_cli.rulebook import USAGE_LIMIT
from volmify_cli.rules import normalize_coupon_code
from volmify_cli.services import history, lookup
from volmify_cli.services.offer_writes import OfferRows, coupon_document, with_coupons
from volmify_cli.windows import check_window, dates_from_window


@dataclass(frozen=True)
class CouponInput:
    code: str
    usage_limit: int | None = None
    starts: dt.date | None = None
    ends: dt.date | None = None


class CouponRead(TypedDict):
    code: str
    offer: str
    usage_limit: int | None
    redemptions: int
    starts: dt.date | None
    ends: dt.date | None
    is_active: bool


def new_coupons(session: Session, org: Org, coupons: Sequence[CouponInput]) -> dict[str, CouponDoc]:
    """Coupons to add to an offer, checked, by normalized code. Raises RuleError (a malformed
    code, a bad window), UsageError (a code given twice), ConflictError (a code the org already
    uses, in any letter case)."""
    normalized = [normalize_coupon_code(c.code) for c in coupons]
    for code in set(normalized):
        if normalized.count(code) > 1:
            raise UsageError(f"coupon code {code!r} is given twice")
    if normalized:
        taken = session.exec(
            select(OrgCoupon.code, OrgDiscount.slug)
            .join(
                OrgDiscount,
                (col(OrgDiscount.org_id) == col(OrgCoupon.org_id))
                & (col(OrgDiscount.id) == col(OrgCoupon.discount_id)),
            )
            .where(OrgCoupon.org_id == org.id, col(OrgCoupon.code_normalized).in_(normalized))
        ).first()
        if taken is not None:
            raise ConflictError(
                f"coupon code {taken[0]!r} is already used in org {org.slug} (offer {taken[1]!r})",
                "codes are compared without regard to letter case",
            )
    docs = {}
    for coupon, code in zip(coupons, normalized, strict=True):
        if coupon.usage_limit is not None:
            USAGE_LIMIT.check(coupon.usage_limit)
        check_window(coupon.starts, coupon.ends)
        docs[code] = coupon_document(
            code=coupon.code, usage_limit=coupon.usage_limit, starts=coupon.starts, ends=coupon.ends
        )
    return docs


def _read(session: Session, org: Org, rows: Sequence[tuple[OrgCoupon, str]]) -> list[CouponRead]:
    used = history.redemptions_by_coupon(session, org.id, [c.id for c, _slug in rows])
    result = []
    for coupon, offer in rows:
        starts, ends = dates_from_window(coupon.starts_at, coupon.ends_at)
        result.append(
            CouponRead(
                code=coupon.code,
                offer=offer,
                usage_limit=coupon.usage_limit,
                redemptions=used.get(coupon.id, 0),
                starts=starts,
                ends=ends,
                is_active=coupon.is_active,
            )
        )
    return result


def add_coupons(
    session: Session,
    *,
    org: str,
    offer: str,
    codes: Sequence[str],
    usage_limit: int | None = None,
    starts: dt.date | None = None,
    ends: dt.date | None = None,
) -> list[CouponRead]:
    """Add codes to an offer (each with the same limit and window). Raises like
    `new_coupons`, and NotFoundError for the offer."""
    the_org = lookup.get_org(session, org)
    the_offer = lookup.get_offer(session, the_org, offer)
    added = new_coupons(
        session, the_org, [CouponInput(code, usage_limit, starts, ends) for code in codes]
    )
    rows = OfferRows(session, the_org, the_offer.slug)
    assert rows.doc is not None
    held = {normalize_coupon_code(str(c.code)): c for c in rows.doc.coupons}
    rows.write(with_coupons(rows.doc, held | added))
    coupons = session.exec(
        select(OrgCoupon).where(
            OrgCoupon.org_id == the_org.id, col(OrgCoupon.code_normalized).in_(list(added))
        )
    )
    by_code = {coupon.code_normalized: coupon for coupon in coupons}
    return _read(session, the_org, [(by_code[code], the_offer.slug) for code in added])


def list_coupons(
    session: Session, *, org: str, offer: str | None = None, limit: int | None = None
) -> list[CouponRead]:
    """The org's coupons by code, all at once (see `iter_coupons`)."""
    return list(iter_coupons(session, org=org, offer=offer, limit=limit))


READ_BATCH = 1000  # coupons per fetch: each batch's redemptions in one query


def iter_coupons(
    session: Session, *, org: str, offer: str | None = None, limit: int | None = None
) -> Iterator[CouponRead]:
    """The org's coupons (one offer's with `offer`) by code, with their redemptions, streamed
    from the database in batches (`limit + 1` of them with a limit). Raises NotFoundError
    (before the first row)."""
    the_org = lookup.get_org(session, org)
    query = (
        select(OrgCoupon, OrgDiscount.slug)
        .join(
            OrgDiscount,
            (col(OrgDiscount.org_id) == col(OrgCoupon.org_id))
            & (col(OrgDiscount.id) == col(OrgCoupon.discount_id)),
        )
        .where(OrgCoupon.org_id == the_org.id)
        .order_by(col(OrgCoupon.code_normalized))
    )
    if offer is not None:
        query = query.where(OrgCoupon.discount_id == lookup.get_offer(session, the_org, offer).id)
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (read for batch in found.partitions() for read in _read(session, the_org, batch))


def remove_coupon(session: Session, *, org: str, code: str) -> None:
    """Delete a coupon. Raises NotFoundError, or ConflictError when orders redeemed it."""
    the_org = lookup.get_org(session, org)
    coupon = lookup.get_coupon(session, the_org, code)
    used = history.redemptions_by_coupon(session, the_org.id, [coupon.id]).get(coupon.id, 0)
    if used:
        raise ConflictError(
            f"coupon {coupon.code!r} was redeemed by {used} order(s) and cannot be removed"
        )
    offer = session.exec(
        select(OrgDiscount.slug).where(
            OrgDiscount.org_id == the_org.id, OrgDiscount.id == coupon.discount_id
        )
    ).one()
    rows = OfferRows(session, the_org, offer)
    assert rows.doc is not None
    held = {normalize_coupon_code(str(c.code)): c for c in rows.doc.coupons}
    del held[coupon.code_normalized]
    rows.write(with_coupons(rows.doc, held))
