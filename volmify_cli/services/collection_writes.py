"""One collection, read and written by `collections create/add/remove/delete` through the
catalog's own path: the collection is read into the catalog reader's input (`CollectionDoc`:
names by locale, products in their order), changed as asked, and handed to the catalog's sync
(`sync.offers.sync_collections`) and the one bulk writer."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.catalog_schema import CollectionDoc
from volmify_cli.metadata import read as read_metadata
from volmify_cli.models.orgs import Org
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.commands import EntityRows
from volmify_cli.services.sync.offers import sync_collections
from volmify_cli.services.sync.seo import COLLECTION as COLLECTION_SEO
from volmify_cli.services.sync.seo import stored_seo
from volmify_cli.services.sync.texts import stored_text

_WRITTEN = (t.COLLECTION, t.COLLECTION_TR, t.COLLECTION_PRODUCT)


class CollectionRows(EntityRows):
    """One collection of the org as the catalog reader would have it, and its rewrite."""

    table, parent_column = t.COLLECTION, "collection_id"

    def __init__(self, session: Session, org: Org, slug: str) -> None:
        super().__init__(session, org, slug)
        self.products: dict[Any, str] = {}  # slug -> id, of the products it holds or is given
        children = (t.COLLECTION_TR, t.COLLECTION_PRODUCT)
        self.ctx = self.context(children, {"product": self.products})
        self.doc: CollectionDoc | None = None
        if self.row_id is not None:
            self.doc = self._read(self.row_id)

    def _read(self, collection_id: str) -> CollectionDoc:
        members = self.ctx.rows(t.COLLECTION_PRODUCT)
        keys = sorted(members.children_of((collection_id,)), key=lambda k: members.existing[k][1])
        product_ids = [key[1] for key in keys]
        slug_of = self._slugs(product_ids)
        self.products.update({slug: product_id for product_id, slug in slug_of.items()})
        (metadata,) = self.ctx.rows(t.COLLECTION).existing[(self.slug,)][1]
        return collection_document(
            slug=self.slug,
            name=stored_text(self.ctx.rows(t.COLLECTION_TR), collection_id),
            metadata=read_metadata(metadata) or None,
            products=[slug_of[product_id] for product_id in product_ids],
            seo=stored_seo(self.db, self.org.id.hex, COLLECTION_SEO, collection_id),
        )

    def _slugs(self, product_ids: list[str]) -> dict[str, str]:
        if not product_ids:
            return {}
        db = self.db
        marks = ", ".join("?" for _ in product_ids)
        rows = db.query(
            f"SELECT {db.id_sql('id')}, slug FROM {t.PRODUCT.name}"
            f" WHERE org_id = ? AND id IN ({marks})",
            (self.org.id.hex, *product_ids),
        )
        return dict(rows)

    def know(self, products: dict[str, str]) -> None:
        """Product ids (hex) by slug of the products a command puts in the collection."""
        self.products.update(products)

    def write(self, doc: CollectionDoc) -> None:
        """Make the collection what `doc` says: only what differs from the stored rows."""
        self.doc, ctx = doc, self.ctx
        ctx.catalog.collections = {self.slug: Entry("", "", doc)}
        sync_collections(ctx)
        self.write_tables(_WRITTEN)


def collection_document(**fields: Any) -> CollectionDoc:
    """A collection's document from values already checked against the rules (by a command,
    or stored): built without validation, and without a position in a file."""
    return CollectionDoc.model_construct(**fields)
