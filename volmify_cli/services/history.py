"""Counts of the rows that carry history (orders, subscriptions, enrollments, redemptions).

The database refuses to delete a product, variant, plan or coupon that such rows reference
(ON DELETE NO ACTION); the services count them first so that the refusal is a clear message
naming what is in the way instead of a constraint name.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func
from sqlmodel import Session, col, select

from volmify_cli.models.learning import OrgMemberCourseEnrollment
from volmify_cli.models.offers import OrgCoupon
from volmify_cli.models.plans import OrgMemberSubscription
from volmify_cli.models.sales import OrgOrder, OrgOrderItem


def order_count(
    session: Session,
    org_id: uuid.UUID,
    *,
    product_id: uuid.UUID | None = None,
    variant_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
) -> int:
    """How many distinct orders hold an item of this product, variant or plan."""
    query = select(func.count(func.distinct(OrgOrderItem.order_id))).where(
        OrgOrderItem.org_id == org_id
    )
    if product_id is not None:
        query = query.where(OrgOrderItem.product_id == product_id)
    if variant_id is not None:
        query = query.where(OrgOrderItem.variant_id == variant_id)
    if plan_id is not None:
        query = query.where(OrgOrderItem.plan_id == plan_id)
    return int(session.exec(query).one())


def subscription_count(session: Session, org_id: uuid.UUID, plan_ids: Collection[uuid.UUID]) -> int:
    """How many member subscriptions hold one of these plans."""
    if not plan_ids:
        return 0
    return int(
        session.exec(
            select(func.count())
            .select_from(OrgMemberSubscription)
            .where(
                OrgMemberSubscription.org_id == org_id,
                col(OrgMemberSubscription.plan_id).in_(list(plan_ids)),
            )
        ).one()
    )


def enrollment_count(session: Session, org_id: uuid.UUID, product_id: uuid.UUID) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(OrgMemberCourseEnrollment)
            .where(
                OrgMemberCourseEnrollment.org_id == org_id,
                OrgMemberCourseEnrollment.course_id == product_id,
            )
        ).one()
    )


def redemptions_by_offer(
    session: Session, org_id: uuid.UUID, offer_ids: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Recorded orders that redeemed a coupon of each offer (offer id -> count)."""
    query = (
        select(OrgCoupon.discount_id, func.count(col(OrgOrder.id)))
        .join(
            OrgCoupon,
            (col(OrgCoupon.org_id) == col(OrgOrder.org_id))
            & (col(OrgCoupon.id) == col(OrgOrder.coupon_id)),
        )
        .where(OrgOrder.org_id == org_id)
        .group_by(col(OrgCoupon.discount_id))
    )
    if offer_ids is not None:
        if not offer_ids:
            return {}
        query = query.where(col(OrgCoupon.discount_id).in_(list(offer_ids)))
    return {offer_id: int(count) for offer_id, count in session.exec(query)}


def redemptions_by_coupon(
    session: Session, org_id: uuid.UUID, coupon_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Recorded orders that redeemed each coupon (coupon id -> count)."""
    if not coupon_ids:
        return {}
    query = (
        select(OrgOrder.coupon_id, func.count(col(OrgOrder.id)))
        .where(OrgOrder.org_id == org_id, col(OrgOrder.coupon_id).in_(list(coupon_ids)))
        .group_by(col(OrgOrder.coupon_id))
    )
    return {coupon_id: int(count) for coupon_id, count in session.exec(query) if coupon_id}
