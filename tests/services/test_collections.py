"""Collections keep their products in order; deleting one that is an offer's only target is
refused (it would widen the offer to the whole catalog)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.factories import make_product
from tests.services.catalog_world import World, build
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.services import collections
from volmify_cli.services.offers import create_offer


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    for slug in ("a", "b", "c", "d"):
        make_product(session, w.acme, slug)
    return w


def order(record: collections.CollectionDetailRead) -> list[str]:
    return [p["slug"] for p in record["products"]]


def test_products_keep_the_order_they_were_given_and_added_in(
    session: Session, world: World
) -> None:
    record = collections.create_collection(
        session, org="acme", slug="shelf", name="Shelf", products=["c", "a", "c"]
    )
    assert order(record) == ["c", "a"]
    assert [p["position"] for p in record["products"]] == [1, 2]
    record = collections.add_products(session, org="acme", slug="shelf", products=["d", "a", "b"])
    assert order(record) == ["c", "a", "d", "b"]  # `a` keeps its place
    record = collections.remove_products(session, org="acme", slug="shelf", products=["a"])
    assert order(record) == ["c", "d", "b"]
    record = collections.add_products(session, org="acme", slug="shelf", products=["a"])
    assert order(record) == ["c", "d", "b", "a"]
    assert collections.list_collections(session, org="acme") == [
        {"slug": "shelf", "name": "Shelf", "is_active": True, "products": 4}
    ]


def test_errors(session: Session, world: World) -> None:
    collections.create_collection(session, org="acme", slug="shelf", name="Shelf")
    with pytest.raises(ConflictError, match="collection 'shelf' already exists in org acme"):
        collections.create_collection(session, org="acme", slug="shelf", name="Again")
    with pytest.raises(RuleError, match="name must not be empty"):
        collections.create_collection(session, org="acme", slug="x", name="  ")
    with pytest.raises(NotFoundError, match="product 'globex-course' not found in org acme"):
        collections.add_products(session, org="acme", slug="shelf", products=["globex-course"])
    with pytest.raises(NotFoundError, match="product 'a' is not in collection 'shelf'"):
        collections.remove_products(session, org="acme", slug="shelf", products=["a"])
    with pytest.raises(NotFoundError, match="collection 'shelf' not found in org globex"):
        collections.show_collection(session, org="globex", slug="shelf")


def test_delete_is_refused_when_it_is_an_offers_only_target(session: Session, world: World) -> None:
    collections.create_collection(session, org="acme", slug="shelf", name="Shelf")
    create_offer(
        session,
        org="acme",
        slug="shelf-sale",
        type="percentage",
        percent="10",
        collections=["shelf"],
    )
    with pytest.raises(ConflictError, match="only target of offer\\(s\\) 'shelf-sale'"):
        collections.delete_collection(session, org="acme", slug="shelf")
    collections.create_collection(session, org="acme", slug="other", name="Other")
    collections.delete_collection(session, org="acme", slug="other")
    assert [c["slug"] for c in collections.list_collections(session, org="acme")] == ["shelf"]
