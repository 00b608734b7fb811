"""The builders make a consistent world (they are used by many service tests)."""

from __future__ import annotations

from sqlmodel import Session

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
)
from volmify_cli.services.lookup import get_plan


def test_a_small_world_can_be_built_and_found_by_natural_keys(session: Session) -> None:
    org = make_org(session, "acme", locales=("en-US", "ar-EG"))
    brand = make_brand(session, org)
    us = make_market(session, org, "us", default=True, brand=brand)
    jane = make_instructor(session, "jane-doe", orgs=[org], share_bp=3000)
    product = make_product(session, org, "python-101")
    attribute_instructor(session, product, jane, 4000, primary=True)
    attribute_brand(session, product, brand, 1000)
    plan = make_plan(session, default_variant(session, product), "basic", prices=[(us, 4900)])
    found_product, found_variant, found_plan = get_plan(session, org, "python-101/basic")
    assert (found_product.id, found_variant.slug, found_plan.id) == (
        product.id,
        "standard",
        plan.id,
    )
