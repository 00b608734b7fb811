"""Coupon redemptions recorded by sales imports, against the coupon's and its offer's usage
limits (SPEC 4.3): going over is a warning, never an error, since a sale is a fact."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlmodel import Session

from volmify_cli.db.tables import table_of
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.models.sales import OrgOrder


def redemption_warnings(
    session: Session, *, org_id: uuid.UUID, coupon_ids: Sequence[uuid.UUID]
) -> list[str]:
    """One warning per coupon, and per offer of these coupons, redeemed more often than its
    usage limit, counted in SQL over every recorded order of the org. Raises nothing."""
    if not coupon_ids:
        return []
    warnings: list[str] = []
    coupon, discount, order = table_of(OrgCoupon), table_of(OrgDiscount), table_of(OrgOrder)
    redeemed = func.count(order.c.id)
    for code, limit, count in session.execute(
        select(coupon.c.code, coupon.c.usage_limit, redeemed)
        .join_from(
            coupon,
            order,
            and_(order.c.org_id == coupon.c.org_id, order.c.coupon_id == coupon.c.id),
        )
        .where(coupon.c.org_id == org_id, coupon.c.id.in_(coupon_ids))
        .where(coupon.c.usage_limit.is_not(None))
        .group_by(coupon.c.id, coupon.c.code, coupon.c.usage_limit)
        .having(redeemed > coupon.c.usage_limit)
        .order_by(coupon.c.code)
    ):
        warnings.append(
            f"coupon {code} has been redeemed {count} times, over its usage limit of {limit}"
        )
    offers = select(coupon.c.discount_id).where(
        coupon.c.org_id == org_id, coupon.c.id.in_(coupon_ids)
    )
    for slug, limit, count in session.execute(
        select(discount.c.slug, discount.c.usage_limit, redeemed)
        .join_from(
            discount,
            coupon,
            and_(coupon.c.org_id == discount.c.org_id, coupon.c.discount_id == discount.c.id),
        )
        .join(order, and_(order.c.org_id == coupon.c.org_id, order.c.coupon_id == coupon.c.id))
        .where(discount.c.org_id == org_id, discount.c.id.in_(offers))
        .where(discount.c.usage_limit.is_not(None))
        .group_by(discount.c.id, discount.c.slug, discount.c.usage_limit)
        .having(redeemed > discount.c.usage_limit)
        .order_by(discount.c.slug)
    ):
        warnings.append(
            f"offer {slug} has been redeemed {count} times, over its usage limit of {limit}"
        )
    return warnings
