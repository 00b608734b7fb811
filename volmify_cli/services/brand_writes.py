"""One brand, read and written by `orgs brands create/update/delete` through the catalog's own
path: the brand is read into the catalog reader's input (`BrandDoc`: names and descriptions by
locale), changed as asked, and handed to the catalog's sync (`sync.structure.sync_brands`) and
the one bulk writer. Its active flag is the command's own column (the catalog has no key for
it), written by the same writer."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.catalog_schema import BrandDoc
from volmify_cli.models.orgs import Org
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.commands import EntityRows, own_column
from volmify_cli.services.sync.seo import BRAND as BRAND_SEO
from volmify_cli.services.sync.seo import stored_seo
from volmify_cli.services.sync.structure import sync_brands
from volmify_cli.services.sync.texts import stored_text


class BrandRows(EntityRows):
    """One brand of the org as the catalog reader would have it, and its rewrite."""

    table, parent_column = t.BRAND, "brand_id"

    def __init__(self, session: Session, org: Org, slug: str) -> None:
        super().__init__(session, org, slug)
        brand_id = self.row_id
        self.ctx = self.context((t.BRAND_TR,))
        self.doc: BrandDoc | None = None
        if brand_id is not None:
            texts = self.ctx.rows(t.BRAND_TR)
            self.doc = brand_document(
                slug=slug,
                name=stored_text(texts, brand_id),
                description=stored_text(texts, brand_id, index=2) or None,
                seo=stored_seo(self.db, org.id.hex, BRAND_SEO, brand_id),
            )
        self.active: tuple[bool] | None = None  # (flag,) when the command sets it

    def write(self, doc: BrandDoc) -> None:
        """Make the brand what `doc` says: only what differs from the stored rows is written."""
        self.doc, ctx = doc, self.ctx
        ctx.catalog.brands = {self.slug: Entry("", "", doc)}
        sync_brands(ctx)
        own = []
        if self.active is not None:
            org_id, flag = self.org.id.hex, self.active[0]
            own.append(own_column(self.db, t.BRAND.name, "is_active", org_id, self.slug, flag))
        self.write_tables((t.BRAND, t.BRAND_TR), *own)


def brand_document(**fields: Any) -> BrandDoc:
    """A brand's document from values already checked against the rules (by a command, or
    stored): built without validation, and without a position in a file."""
    return BrandDoc.model_construct(**fields)
