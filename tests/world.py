"""A rich, multi-currency world for sales and revenue tests, built with the factories.

acme (USD) sells in four currencies: markets us (USD), eu (EUR), jp (JPY, no decimals) and
kw (KWD, three decimals). Jane Doe is affiliated with acme and beta; a brand shares her slug
(`jane-doe`), so reports must tell kinds apart. Attribution:

- python-101 (course): jane 40% (primary), john 20%, brand acme-academy 10% (primary brand)
- data-viz (digital, variants standard + team): kim 50%; brand jane-doe 0% (markets it only)
- mentoring (service): nobody (the org keeps everything)
- beta/rust-intro: jane 30%

Plans and prices (the currency of each market):
- python-101/standard/basic: us 49.00, eu 45.00, jp 6500, kw 15.250
- python-101/standard/premium (subscription, tier 2): us 19.99, eu 17.99
- data-viz/standard/basic: us 30.00, eu 28.00, jp 4000, kw 9.000; data-viz/team/basic: us 120.00
- mentoring/standard/hour: us 80.00, jp 12000
- beta: rust-intro/standard/basic: de 39.00 (EUR)

Coupons: SPRING10 (acme, usage limit 1) for offer spring-sale (usage limit 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from tests.factories import (
    attribute_brand,
    attribute_instructor,
    default_variant,
    make_brand,
    make_instructor,
    make_market,
    make_org,
    make_plan,
    make_product,
    make_user,
    make_variant,
)
from volmify_cli.db.engine import make_engine
from volmify_cli.db.session import session_scope
from volmify_cli.enums import PlanType, ProductType
from volmify_cli.models.core import UserProfile
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import OrgProduct, OrgProductInstructorAttribution


@dataclass
class World:
    ids: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.ids[key]


def build_world(session: Session) -> World:
    world = World()
    acme = make_org(session, "acme", locales=("en-US", "de-DE"), name="Acme Learning")
    beta = make_org(session, "beta", currency="EUR", name="Beta School")
    academy = make_brand(session, acme, "acme-academy", "Acme Academy")
    own_label = make_brand(session, acme, "jane-doe", "Jane Doe Originals")
    us = make_market(session, acme, "us", currency="USD", default=True, brand=academy)
    eu = make_market(session, acme, "eu", currency="EUR", type="multi_region")
    jp = make_market(session, acme, "jp", currency="JPY")
    kw = make_market(session, acme, "kw", currency="KWD")
    de = make_market(session, beta, "de", currency="EUR", default=True)
    jane = make_instructor(session, "jane-doe", orgs=[acme, beta], share_bp=3000, name="Jane Doe")
    john = make_instructor(session, "john-roe", orgs=[acme], name="John Roe")
    kim = make_instructor(session, "kim-lee", orgs=[acme], name="Kim Lee")
    make_user(session, "buyer@example.org", "Bea Buyer")

    python = make_product(session, acme, "python-101", title="Python 101")
    attribute_instructor(session, python, jane, 4000, primary=True)
    attribute_instructor(session, python, john, 2000)
    attribute_brand(session, python, academy, 1000, primary=True)
    standard = default_variant(session, python)
    make_plan(session, standard, "basic", prices=[(us, 4900), (eu, 4500), (jp, 6500), (kw, 15250)])
    make_plan(
        session,
        standard,
        "premium",
        type=PlanType.SUBSCRIPTION,
        tier=2,
        prices=[(us, 1999), (eu, 1799)],
    )

    viz = make_product(session, acme, "data-viz", type=ProductType.DIGITAL, title="Data Viz")
    attribute_instructor(session, viz, kim, 5000, primary=True)
    attribute_brand(session, viz, own_label, 0, primary=True)
    make_plan(
        session,
        default_variant(session, viz),
        "basic",
        prices=[(us, 3000), (eu, 2800), (jp, 4000), (kw, 9000)],
    )
    make_plan(session, make_variant(session, viz, "team"), "basic", prices=[(us, 12000)])

    mentoring = make_product(session, acme, "mentoring", type=ProductType.SERVICE)
    make_plan(
        session, default_variant(session, mentoring), "hour", prices=[(us, 8000), (jp, 12000)]
    )

    rust = make_product(session, beta, "rust-intro", title="Rust Intro")
    attribute_instructor(session, rust, jane, 3000, primary=True)
    make_plan(session, default_variant(session, rust), "basic", prices=[(de, 3900)])

    offer = OrgDiscount(
        org_id=acme.id, slug="spring-sale", type="percentage", percent_bp=1000, usage_limit=2
    )
    session.add(offer)
    session.flush()
    session.add(
        OrgCoupon(
            org_id=acme.id,
            discount_id=offer.id,
            code="SPRING10",
            code_normalized="SPRING10",
            usage_limit=1,
        )
    )
    session.flush()
    world.ids.update(
        acme=acme.id, beta=beta.id, jane=jane.id, john=john.id, kim=kim.id,
        academy=academy.id, own_label=own_label.id, python=python.id, viz=viz.id,
        mentoring=mentoring.id, rust=rust.id, us=us.id, eu=eu.id, jp=jp.id, kw=kw.id, de=de.id,
    )  # fmt: skip
    return world


def set_instructor_share(session: Session, org_slug: str, product: str, slug: str, bp: int) -> None:
    """Change an attribution (as `products attribute` would), for mid-period changes."""
    org = session.exec(select(Org).where(Org.slug == org_slug)).one()
    product_row = session.exec(
        select(OrgProduct).where(OrgProduct.org_id == org.id, OrgProduct.slug == product)
    ).one()
    profile = session.exec(select(UserProfile).where(UserProfile.slug == slug)).one()
    row = session.exec(
        select(OrgProductInstructorAttribution).where(
            OrgProductInstructorAttribution.org_id == org.id,
            OrgProductInstructorAttribution.product_id == product_row.id,
            OrgProductInstructorAttribution.profile_id == profile.id,
        )
    ).one()
    row.share_bp = bp
    session.add(row)
    session.flush()


@contextmanager
def committed(db_url: str) -> Iterator[Session]:
    """A committed write session on a test database (for CLI tests)."""
    from volmify_cli.models import load_all

    load_all()
    engine = make_engine(db_url)
    try:
        with session_scope(engine, write_lock=True) as session:
            yield session
    finally:
        engine.dispose()


def build_world_at(db_url: str) -> None:
    with committed(db_url) as session:
        build_world(session)
