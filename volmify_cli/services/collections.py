"""Collections: named, ordered groups of products (a storefront shelf, an offer target).
The order is data: products keep the order they were added in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError, NotFoundError
from volmify_cli.inputs.catalog_schema import CollectionDoc
from volmify_cli.metadata import read as read_metadata
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductCollection,
    OrgProductCollectionProduct,
    OrgProductCollectionTranslation,
    OrgProductTranslation,
)
from volmify_cli.rulebook import NAME
from volmify_cli.rules import check_slug
from volmify_cli.services import lookup
from volmify_cli.services.collection_writes import CollectionRows, collection_document
from volmify_cli.services.offer_targets import TargetIds, refuse_widening
from volmify_cli.services.seo import SeoChange, SeoRead, changed_seo, check_seo_change, seo_of
from volmify_cli.services.sync.seo import COLLECTION as COLLECTION_SEO
from volmify_cli.services.sync.texts import text_map
from volmify_cli.services.translations import all_texts, texts_for

Member = OrgProductCollectionProduct


class CollectionRead(TypedDict):
    slug: str
    name: str | None
    is_active: bool
    products: int


class CollectionProductRead(TypedDict):
    slug: str
    title: str | None
    type: str
    status: str
    position: int


class CollectionDetailRead(TypedDict):
    slug: str
    name: str | None
    names: dict[str, str]
    is_active: bool
    metadata: dict[str, str]
    products: list[CollectionProductRead]
    seo: SeoRead


def _products(session: Session, org: Org, slugs: Sequence[str]) -> list[OrgProduct]:
    """Products by slug, each once, in the order given. Raises NotFoundError."""
    unique = list(dict.fromkeys(slugs))
    return [lookup.get_product(session, org, slug) for slug in unique]


def _with(
    rows: CollectionRows, products: Sequence[OrgProduct], names: dict[str, str] | None = None
) -> CollectionDoc:
    """The collection's document with `products` appended (those already in keep their
    place), and `names` when given."""
    doc = rows.doc
    assert doc is not None or names is not None
    rows.know({product.slug: product.id.hex for product in products})
    held = [str(slug) for slug in doc.products] if doc is not None else []
    added = [p.slug for p in products if p.slug not in held]
    fields: dict[str, Any] = {"products": held + added}
    if names is not None:
        fields["name"] = names
    if doc is None:
        return collection_document(slug=rows.slug, **fields)
    return doc.model_copy(update=fields)


def _detail(
    session: Session, org: Org, collection: OrgProductCollection, locale: str | None
) -> CollectionDetailRead:
    rows = list(
        session.exec(
            select(Member, OrgProduct)
            .join(
                OrgProduct,
                (col(OrgProduct.org_id) == col(Member.org_id))
                & (col(OrgProduct.id) == col(Member.product_id)),
            )
            .where(Member.org_id == org.id, Member.collection_id == collection.id)
            .order_by(col(Member.sort_order), col(OrgProduct.slug))
        )
    )
    titles = texts_for(
        session,
        OrgProductTranslation,
        org_id=org.id,
        parent_field="product_id",
        parent_ids=[p.id for _m, p in rows],
        field="title",
        locale=locale,
    )
    names = all_texts(
        session,
        OrgProductCollectionTranslation,
        org_id=org.id,
        parent_field="collection_id",
        parent_id=collection.id,
        field="name",
    )
    name = texts_for(
        session,
        OrgProductCollectionTranslation,
        org_id=org.id,
        parent_field="collection_id",
        parent_ids=[collection.id],
        field="name",
        locale=locale,
    ).get(collection.id)
    return CollectionDetailRead(
        slug=collection.slug,
        name=name,
        names=names,
        is_active=collection.is_active,
        metadata=read_metadata(collection.metadata_json),
        products=[
            CollectionProductRead(
                slug=p.slug, title=titles.get(p.id), type=p.type, status=p.status, position=i + 1
            )
            for i, (_m, p) in enumerate(rows)
        ],
        seo=seo_of(session, org, COLLECTION_SEO, collection.id),
    )


def create_collection(
    session: Session,
    *,
    org: str,
    slug: str,
    name: str,
    products: Sequence[str] = (),
    locale: str | None = None,
) -> CollectionDetailRead:
    """Create a collection with its products in the order given. Raises RuleError (bad slug,
    empty name), ConflictError (slug taken), NotFoundError (a product not in the org)."""
    the_org = lookup.get_org(session, org)
    check_slug(slug, "collection slug")
    key = lookup.get_content_locale(session, the_org, locale)
    text = NAME.check(name)
    chosen = _products(session, the_org, products)
    rows = CollectionRows(session, the_org, slug)
    if rows.doc is not None:
        raise ConflictError(f"collection {slug!r} already exists in org {the_org.slug}")
    rows.write(_with(rows, chosen, {key: text}))
    collection = lookup.get_collection(session, the_org, slug)
    return _detail(session, the_org, collection, key)


def list_collections(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> list[CollectionRead]:
    """The org's collections by slug, all at once (see `iter_collections`)."""
    return list(iter_collections(session, org=org, locale=locale, limit=limit))


READ_BATCH = 1000  # collections per fetch: each batch's names and counts in two queries


def iter_collections(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> Iterator[CollectionRead]:
    """The org's collections by slug with their product counts, streamed from the database in
    batches (`limit + 1` of them with a limit). Raises NotFoundError (before the first row)."""
    the_org = lookup.get_org(session, org)
    query = (
        select(OrgProductCollection)
        .where(OrgProductCollection.org_id == the_org.id)
        .order_by(col(OrgProductCollection.slug))
    )
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (
        read
        for batch in found.partitions()
        for read in _collection_rows(session, the_org, batch, locale)
    )


def _collection_rows(
    session: Session, org: Org, collections: Sequence[OrgProductCollection], locale: str | None
) -> list[CollectionRead]:
    ids = [c.id for c in collections]
    names = texts_for(
        session,
        OrgProductCollectionTranslation,
        org_id=org.id,
        parent_field="collection_id",
        parent_ids=ids,
        field="name",
        locale=locale,
    )
    counts = {
        collection_id: int(count)
        for collection_id, count in session.exec(
            select(Member.collection_id, func.count())
            .where(Member.org_id == org.id, col(Member.collection_id).in_(ids))
            .group_by(col(Member.collection_id))
        )
    }
    return [
        CollectionRead(
            slug=c.slug, name=names.get(c.id), is_active=c.is_active, products=counts.get(c.id, 0)
        )
        for c in collections
    ]


def show_collection(
    session: Session, *, org: str, slug: str, locale: str | None = None
) -> CollectionDetailRead:
    the_org = lookup.get_org(session, org)
    return _detail(session, the_org, lookup.get_collection(session, the_org, slug), locale)


def add_products(
    session: Session, *, org: str, slug: str, products: Sequence[str], locale: str | None = None
) -> CollectionDetailRead:
    """Append products at the end, in the order given; products already in keep their place.
    Raises NotFoundError (collection or product)."""
    the_org = lookup.get_org(session, org)
    collection = lookup.get_collection(session, the_org, slug)
    rows = CollectionRows(session, the_org, slug)
    rows.write(_with(rows, _products(session, the_org, products)))
    return _detail(session, the_org, collection, locale)


def remove_products(
    session: Session, *, org: str, slug: str, products: Sequence[str], locale: str | None = None
) -> CollectionDetailRead:
    """Take products out of a collection; the others keep their order. Raises NotFoundError
    (collection, product, or a product that is not in the collection)."""
    the_org = lookup.get_org(session, org)
    collection = lookup.get_collection(session, the_org, slug)
    chosen = _products(session, the_org, products)
    rows = CollectionRows(session, the_org, slug)
    assert rows.doc is not None
    held = [str(product) for product in rows.doc.products]
    for product in chosen:
        if product.slug not in held:
            raise NotFoundError(f"product {product.slug!r} is not in collection {slug!r}")
    gone = {product.slug for product in chosen}
    rows.write(rows.doc.model_copy(update={"products": [p for p in held if p not in gone]}))
    return _detail(session, the_org, collection, locale)


def delete_collection(session: Session, *, org: str, slug: str) -> None:
    """Delete a collection (its products stay; offers targeting it lose that target). Raises
    ConflictError when it is the only target of an offer."""
    the_org = lookup.get_org(session, org)
    collection = lookup.get_collection(session, the_org, slug)
    refuse_widening(
        session, the_org, TargetIds(collections={collection.id}), f"collection {slug!r}"
    )
    CollectionRows(session, the_org, slug).delete()


def update_collection(
    session: Session,
    *,
    org: str,
    slug: str,
    name: str | None = None,
    locale: str | None = None,
    seo: SeoChange | None = None,
) -> CollectionDetailRead:
    """Change a collection's name or SEO in `locale` (default: the org's default locale; a
    new translation needs a name). Raises NotFoundError, RuleError, ConflictError (SEO in a
    locale the collection has no name in)."""
    the_org = lookup.get_org(session, org)
    collection = lookup.get_collection(session, the_org, slug)
    key = lookup.get_content_locale(session, the_org, locale)
    rows = CollectionRows(session, the_org, slug)
    doc = rows.doc
    assert doc is not None
    if name is not None:
        names = text_map(doc.name, the_org.default_locale_key)
        doc = doc.model_copy(update={"name": {**names, key: NAME.check(name)}})
    if seo:
        change = check_seo_change(seo)
        doc = doc.model_copy(update={"seo": changed_seo(
            session, the_org, what="collection", slug=slug, primary=doc.name, seo=doc.seo,
            locale=key, change=change,
        )})  # fmt: skip
    rows.write(doc)
    return _detail(session, the_org, collection, key)
