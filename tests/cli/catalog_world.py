"""A committed world for CLI tests of the catalog commands, built with the factories (fast, and
independent of the orgs/markets/instructors commands, which have their own tests):

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
