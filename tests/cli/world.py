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
