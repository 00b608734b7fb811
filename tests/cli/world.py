<<<<<<< HEAD
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

from tests.services.catalog_world import add_order, add_subscription, build
from volmify_cli.db.engine import make_engine
from volmify_cli.db.session import session_scope
from volmify_cli.models import load_all
from volmify_cli.services import lookup


def build_world(db_url: str) -> None:
    """The world of `tests.services.catalog_world`, committed on `db_url`."""
    load_all()
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            build(session)
    finally:
        engine.dispose()


def record_order(
    db_url: str,
    *,
    plan: str,
    market: str = "us",
    external_id: str = "order-1",
    coupon: str | None = None,
) -> None:
    """Record a paid order of one item of `plan` (with its coupon), committed."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            org = lookup.get_org(session, "acme")
            the_market = lookup.get_market(session, org, market)
            add_order(session, org, plan, the_market, external_id=external_id, coupon=coupon)
    finally:
        engine.dispose()


def subscribe(db_url: str, *, plan: str, email: str = "sub@example.org") -> None:
    """A member of acme holding `plan`, committed."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            add_subscription(session, lookup.get_org(session, "acme"), plan, email)
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
=======
"""A small committed world for CLI tests of courses and learning, built with the factories."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from tests.factories import (
    default_variant,
    make_member,
    make_org,
    make_plan,
    make_product,
    make_user,
)
from tests.learning_factories import make_lesson
from volmify_cli.db.engine import make_engine
from volmify_cli.enums import PlanType, ProductType
from volmify_cli.models import load_all


def build_world(
    db_url: str,
    *,
    locales: Sequence[str] = ("en-US",),
    plan_tiers: Sequence[int] = (1, 2),
) -> None:
    """Org `acme`; course `python-101` (no content yet) whose default variant `standard` has
    plans `tier-N` for each of `plan_tiers`; a digital product `ebook`; members ana@ and bob@,
    a user cy@ who is not a member; and another org `globex` with a course `globex-course` and a lesson `globex-lesson`."""
    load_all()
    engine = make_engine(db_url)
    with Session(engine) as session:
        org = make_org(session, "acme", locales=locales)
        course = make_product(session, org, "python-101", title="Python 101")
        variant = default_variant(session, course)
        for tier in plan_tiers:
            make_plan(
                session,
                variant,
                f"tier-{tier}",
                tier=tier,
                type=PlanType.SUBSCRIPTION if tier > 1 else PlanType.ONE_TIME,
            )
        make_product(session, org, "ebook", type=ProductType.DIGITAL, title="E-book")
        make_member(session, org, make_user(session, "ana@example.org", "Ana Lima"))
        make_member(session, org, make_user(session, "bob@example.org", "Bob Stone"))
        make_user(session, "cy@example.org", "Cy Young")
        other = make_org(session, "globex")
        make_product(session, other, "globex-course", title="Globex course")
        make_lesson(session, other, "globex-lesson")
        session.commit()
    engine.dispose()
>>>>>>> main
