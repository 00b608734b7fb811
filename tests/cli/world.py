"""A committed world for CLI tests of the catalog commands, built with the factories (the
orgs/markets/instructors commands are another branch's work):

- org `acme` (locales en-US default, de-DE; USD) with brands `acme-academy`, `acme-press`,
  markets `us` (USD), `eu` (EUR), `jp` (JPY), `kw` (KWD), instructors `jane-doe` (affiliated,
  default share 30%) and `max-roe` (affiliated, 0%), and `ann-lee` (an instructor of no org);
- org `globex` (en-US; EUR) with brand `globex-brand`, market `gx` and product `globex-course`:
  the other tenant, whose slugs must be "not found in org acme".
"""

from __future__ import annotations

from sqlmodel import Session, select

from tests.factories import (
    make_brand,
    make_instructor,
    make_market,
    make_member,
    make_org,
    make_product,
    make_user,
)
from volmify_cli.db.engine import make_engine
from volmify_cli.db.session import session_scope
from volmify_cli.models import load_all
from volmify_cli.models.plans import OrgMemberSubscription
from volmify_cli.models.sales import OrgOrder, OrgOrderItem
from volmify_cli.services import lookup


def build_world(db_url: str) -> None:
    load_all()
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            acme = make_org(session, "acme", locales=("en-US", "de-DE"))
            make_brand(session, acme, "acme-academy", "Acme Academy")
            make_brand(session, acme, "acme-press", "Acme Press")
            make_market(session, acme, "us", currency="USD", default=True)
            make_market(session, acme, "eu", currency="EUR")
            make_market(session, acme, "jp", currency="JPY")
            make_market(session, acme, "kw", currency="KWD")
            make_instructor(session, "jane-doe", orgs=[acme], share_bp=3000)
            make_instructor(session, "max-roe", orgs=[acme], share_bp=0)
            make_instructor(session, "ann-lee")
            globex = make_org(session, "globex", currency="EUR")
            make_brand(session, globex, "globex-brand")
            make_market(session, globex, "gx", currency="EUR", default=True)
            make_product(session, globex, "globex-course")
    finally:
        engine.dispose()


def record_order(
    db_url: str,
    *,
    plan: str,
    market: str = "us",
    external_id: str = "order-1",
    coupon: str | None = None,
    amount_minor: int = 1000,
) -> None:
    """Record a paid order of one item of `plan` (and its coupon), as `sales import` would."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            org = lookup.get_org(session, "acme")
            product, variant, the_plan = lookup.get_plan(session, org, plan)
            the_market = lookup.get_market(session, org, market)
            coupon_id = lookup.get_coupon(session, org, coupon).id if coupon else None
            order = OrgOrder(
                org_id=org.id,
                external_id=external_id,
                ordered_at=the_plan.created_at,
                coupon_id=coupon_id,
                market_id=the_market.id,
                currency_code=the_market.currency_code,
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
                    plan_id=the_plan.id,
                    unit_amount_minor=amount_minor,
                    line_amount_minor=amount_minor,
                    net_minor=amount_minor,
                )
            )
    finally:
        engine.dispose()


def subscribe(db_url: str, *, plan: str, email: str = "sub@example.org") -> None:
    """A member of acme holding `plan`."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            org = lookup.get_org(session, "acme")
            _product, _variant, the_plan = lookup.get_plan(session, org, plan)
            user = lookup.find_user(session, email) or make_user(session, email, "Sub Scriber")
            member = make_member(session, org, user)
            session.add(
                OrgMemberSubscription(
                    org_id=org.id,
                    member_id=member.id,
                    plan_id=the_plan.id,
                    access_tier=the_plan.access_tier,
                )
            )
    finally:
        engine.dispose()


def count_rows(db_url: str, model: type) -> int:
    """Rows of a table (to prove that a refused command wrote nothing)."""
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return len(list(session.exec(select(model))))
    finally:
        engine.dispose()

