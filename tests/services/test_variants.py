"""Variants: one default per product, guarded removal."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.factories import make_product
from tests.services.catalog_world import World, add_order, build
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.services import variants
from volmify_cli.services.plans import create_plan


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    make_product(session, w.acme, "p")
    return w


def defaults(session: Session) -> dict[str, bool]:
    return {
        v["slug"]: v["is_default"] for v in variants.list_variants(session, org="acme", product="p")
    }


def test_add_list_and_switch_the_default(session: Session, world: World) -> None:
    added = variants.add_variant(session, org="acme", product="p", slug="pro", name="Pro")
    assert (added["slug"], added["name"], added["is_default"]) == ("pro", "Pro", False)
    assert defaults(session) == {"standard": True, "pro": False}
    variants.add_variant(session, org="acme", product="p", slug="team", default=True)
    assert defaults(session) == {"standard": False, "pro": False, "team": True}
    variants.update_variant(session, org="acme", variant="p/pro", default=True, name="Pro+")
    assert defaults(session) == {"standard": False, "pro": True, "team": False}
    listed = variants.list_variants(session, org="acme", product="p")
    assert listed[0]["slug"] == "pro" and listed[0]["name"] == "Pro+"  # default first


def test_add_errors(session: Session, world: World) -> None:
    with pytest.raises(ConflictError, match="variant 'p/standard' already exists"):
        variants.add_variant(session, org="acme", product="p", slug="standard")
    with pytest.raises(RuleError, match="variant slug 'Bad Slug' is not a valid slug"):
        variants.add_variant(session, org="acme", product="p", slug="Bad Slug")
    with pytest.raises(NotFoundError, match="product 'globex-course' not found in org acme"):
        variants.add_variant(session, org="acme", product="globex-course", slug="x")


def test_remove(session: Session, world: World) -> None:
    variants.add_variant(session, org="acme", product="p", slug="pro")
    create_plan(session, org="acme", variant="p/pro", slug="b", type="one_time", tier=1)
    with pytest.raises(ConflictError, match="variant 'p/standard' is the default") as caught:
        variants.remove_variant(session, org="acme", variant="p/standard")
    assert caught.value.hint and "variants update p pro --default" in caught.value.hint
    add_order(session, world.acme, "p/pro/b", world.us)
    with pytest.raises(ConflictError, match=r"variant 'p/pro' has 1 order\(s\)"):
        variants.remove_variant(session, org="acme", variant="p/pro")
    variants.add_variant(session, org="acme", product="p", slug="gone")
    variants.remove_variant(session, org="acme", variant="p/gone")
    assert set(defaults(session)) == {"standard", "pro"}
