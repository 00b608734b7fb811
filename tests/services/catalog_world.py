"""A small world for the catalog service tests (built with the factories, rolled back after
each test): org `acme` (en-US default, de-DE; USD) with brands, four markets of different
currency digits, two affiliated instructors and one unaffiliated; org `globex` beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from tests.factories import (
    make_brand,
    make_instructor,
    make_market,
    make_member,
    make_org,
    make_product,
    make_user,
)
from volmify_cli.models.core import UserProfile
from volmify_cli.models.learning import OrgMemberCourseEnrollment
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.orgs import Org, OrgBrand
from volmify_cli.models.plans import OrgMemberSubscription
from volmify_cli.models.products import OrgProduct
from volmify_cli.models.sales import OrgOrder, OrgOrderItem
from volmify_cli.services import lookup


@dataclass
class World:
    acme: Org
    academy: OrgBrand
    press: OrgBrand
    us: OrgMarket
    eu: OrgMarket
    jp: OrgMarket
    kw: OrgMarket
    jane: UserProfile
    max: UserProfile
    ann: UserProfile
    globex: Org
    globex_brand: OrgBrand
    gx: OrgMarket
    globex_course: OrgProduct


def build(session: Session) -> World:
    acme = make_org(session, "acme", locales=("en-US", "de-DE"))
    globex = make_org(session, "globex", currency="EUR")
    return World(
        acme=acme,
        academy=make_brand(session, acme, "acme-academy", "Acme Academy"),
        press=make_brand(session, acme, "acme-press", "Acme Press"),
        us=make_market(session, acme, "us", currency="USD", default=True),
        eu=make_market(session, acme, "eu", currency="EUR"),
        jp=make_market(session, acme, "jp", currency="JPY"),
        kw=make_market(session, acme, "kw", currency="KWD"),
        jane=make_instructor(session, "jane-doe", orgs=[acme], share_bp=3000),
        max=make_instructor(session, "max-roe", orgs=[acme], share_bp=0),
        ann=make_instructor(session, "ann-lee"),
        globex=globex,
        globex_brand=make_brand(session, globex, "globex-brand"),
        gx=make_market(session, globex, "gx", currency="EUR", default=True),
        globex_course=make_product(session, globex, "globex-course"),
    )


def add_order(
    session: Session,
    org: Org,
    plan_address: str,
    market: OrgMarket,
    *,
    external_id: str = "order-1",
    coupon: str | None = None,
    amount_minor: int = 1000,
) -> OrgOrder:
    """A paid order of one item of the plan (with its coupon), as `sales import` records it."""
    product, variant, plan = lookup.get_plan(session, org, plan_address)
    order = OrgOrder(
        org_id=org.id,
        external_id=external_id,
        ordered_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        coupon_id=lookup.get_coupon(session, org, coupon).id if coupon else None,
        market_id=market.id,
        currency_code=market.currency_code,
        subtotal_minor=amount_minor,
        total_minor=amount_minor,
    )
    session.add(order)
    session.flush()
    session.add(
        OrgOrderItem(
            org_id=org.id,
            order_id=order.id,
            product_id=product.id,
            variant_id=variant.id,
            plan_id=plan.id,
            unit_amount_minor=amount_minor,
            line_amount_minor=amount_minor,
            net_minor=amount_minor,
        )
    )
    session.flush()
    return order


def add_subscription(
    session: Session, org: Org, plan_address: str, email: str = "sub@example.org"
) -> None:
    """A member of the org holding the plan."""
    _product, _variant, plan = lookup.get_plan(session, org, plan_address)
    user = lookup.find_user(session, email) or make_user(session, email, "Sub Scriber")
    member = make_member(session, org, user)
    session.add(
        OrgMemberSubscription(
            org_id=org.id, member_id=member.id, plan_id=plan.id, access_tier=plan.access_tier
        )
    )
    session.flush()


def add_enrollment(session: Session, org: Org, product: OrgProduct, email: str) -> None:
    user = make_user(session, email, "Learner")
    member = make_member(session, org, user)
    session.add(
        OrgMemberCourseEnrollment(
            org_id=org.id,
            member_id=member.id,
            course_id=product.id,
            enrolled_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        )
    )
    session.flush()
