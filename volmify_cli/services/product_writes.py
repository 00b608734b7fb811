"""One product and its variants, read and written by a command through the catalog's own path.

`products create/update/archive/delete` and `products variants add/update/remove` read the
product into the domain input the catalog reader builds from YAML (`ProductDoc`: type, status,
titles and descriptions by locale, the type's block, brands and attribution, variants with
their names), change what they were asked, and hand it to the catalog's sync
(`sync.products.sync_products`) and the one bulk writer: the same diff decides what is written
and the same code keeps one default variant and one primary brand. Only that product's rows are
read. Its variants' plans are not part of it (`plan_writes.VariantPlans` writes those): they
are neither read nor touched, except that a variant deleted takes its plans with it (ON DELETE
CASCADE), as `--prune` does.

The settings of an existing course (level, difficulty, minutes) follow the course-outline
code, as a catalog's `course:` block does (`course_content.apply_course_content`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.enums import (
    CourseLevel,
    DeliveryMode,
    ProductStatus,
    ProductType,
    VariantStatus,
)
from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.catalog_schema import (
    AttributionDoc,
    DigitalDoc,
    PhysicalDoc,
    ProductDoc,
    ServiceDoc,
    VariantDoc,
)
from volmify_cli.inputs.outline_schema import CourseBody
from volmify_cli.metadata import read as read_metadata
from volmify_cli.models.orgs import Org
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.commands import EntityRows, own_column, write
from volmify_cli.services.sync.products import EXTENSIONS, sync_products
from volmify_cli.services.sync.rows import Rows
from volmify_cli.services.sync.seo import PRODUCT as PRODUCT_SEO
from volmify_cli.services.sync.seo import stored_seo
from volmify_cli.services.sync.texts import stored_text

_OWN = (*t.OF_PRODUCT, t.VARIANT)
WRITTEN = (t.PRODUCT, *_OWN, t.VARIANT_TR)
# An instructor attribution's columns that only `products attribute` sets.
_INSTRUCTOR_OWN = t.spec(
    t.INSTRUCTOR_ATTRIBUTION.name,
    key=("product_id", "profile_id"),
    data=("is_primary", "role"),
    flags=("is_primary",),
)


class ProductRows(EntityRows):
    """One product of the org as the catalog reader would have it, and its rewrite."""

    table, parent_column = t.PRODUCT, "product_id"

    def __init__(self, session: Session, org: Org, slug: str) -> None:
        super().__init__(session, org, slug)
        reads: dict[str, Scope | None] = {t.BRAND.name: None}
        if self.row_id is not None:
            variants = f"SELECT id FROM {t.VARIANT.name} WHERE org_id = ? AND product_id = ?"
            reads[t.VARIANT_TR.name] = (f"variant_id IN ({variants})", (org.id.hex, self.row_id))
        self.brands: dict[Any, str] = {}
        self.profiles: dict[Any, str] = {}
        # the whole product is given: what is left out goes
        ids = {"brand": self.brands, "profile": self.profiles}
        self.ctx = self.context(_OWN, ids, reads=reads)
        for key, (row_id, _d) in self.ctx.rows(t.BRAND).existing.items():
            self.brands[key[0]] = row_id
        self.doc = self._read() if self.row_id is not None else None
        self.thumbnail: tuple[str | None] | None = None  # (url,) when a command sets it

    # -- reading -------------------------------------------------------------------------------

    def _read(self) -> ProductDoc:
        ctx, product_id = self.ctx, self.row_id
        assert product_id is not None
        kind, status, metadata = ctx.rows(t.PRODUCT).existing[(self.slug,)][1]
        texts = ctx.rows(t.PRODUCT_TR)
        fields: dict[str, Any] = {
            "slug": self.slug,
            "type": ProductType(kind),
            "status": ProductStatus(status),
            "title": stored_text(texts, product_id),
            "description": stored_text(texts, product_id, index=2) or None,
            "metadata": read_metadata(metadata) or None,
            "seo": stored_seo(self.db, ctx.org_id, PRODUCT_SEO, product_id),
        }
        fields |= self._extension(ProductType(kind))
        brands, attribution = self._attribution()
        return product_document(
            **fields, brands=brands, attribution=attribution, variants=self._variants()
        )

    def _extension(self, kind: ProductType) -> dict[str, Any]:
        found = self.ctx.rows(EXTENSIONS[kind]).existing.get((self.row_id,))
        if found is None or kind is ProductType.COURSE:  # a course's settings: course code
            return {}
        data = found[1]
        if kind is ProductType.DIGITAL:
            return {"digital": _block(DigitalDoc, ("file", "size_bytes", "download_limit"), data)}
        if kind is ProductType.PHYSICAL:
            block = _block(PhysicalDoc, ("sku", "weight_grams", "requires_shipping"), data)
            return {"physical": block}
        return {"service": _block(ServiceDoc, ("duration_minutes", "delivery"), data)}

    def _ordered(self, table: str, column: str) -> list[str]:
        """The ids in `column` of the product's rows of `table`, in their display order."""
        db = self.db
        rows = db.query(
            f"SELECT {db.id_sql(column)} FROM {table} WHERE org_id = ? AND product_id = ?"
            f" ORDER BY sort_order, {column}",
            (self.org.id.hex, self.row_id),
        )
        return [row[0] for row in rows]

    def _attribution(self) -> tuple[list[str], list[AttributionDoc]]:
        ctx, product_id = self.ctx, self.row_id
        brand_rows = ctx.rows(t.BRAND_ATTRIBUTION)
        slug_of = {row_id: slug for slug, row_id in self.brands.items()}
        order = self._ordered(t.BRAND_ATTRIBUTION.name, "brand_id")
        order.sort(key=lambda brand_id: not brand_rows.existing[(product_id, brand_id)][1][0])
        brands = [slug_of[brand_id] for brand_id in order]
        attribution = [
            attribution_document(brand=slug_of[brand_id], share=share)
            for brand_id in order
            for share in [brand_rows.existing[(product_id, brand_id)][1][1]]
            if share
        ]
        profiles = self._ordered(t.INSTRUCTOR_ATTRIBUTION.name, "profile_id")
        slugs = _profile_slugs(self.db, profiles)
        self.profiles.update({slugs[profile_id]: profile_id for profile_id in profiles})
        instructor_rows = ctx.rows(t.INSTRUCTOR_ATTRIBUTION)
        attribution += [
            attribution_document(
                instructor=slugs[profile_id],
                share=instructor_rows.existing[(product_id, profile_id)][1][0],
            )
            for profile_id in profiles
        ]
        return brands, attribution

    def _variants(self) -> list[VariantDoc]:
        ctx = self.ctx
        rows, names = ctx.rows(t.VARIANT), ctx.rows(t.VARIANT_TR)
        by_id = {row_id: key for key, (row_id, _d) in rows.existing.items()}
        variants = []
        for variant_id in self._ordered(t.VARIANT.name, "id"):
            key = by_id[variant_id]
            default, status, metadata = rows.existing[key][1]
            variants.append(
                variant_document(
                    slug=key[1],
                    name=stored_text(names, variant_id) or None,
                    default=bool(default),
                    status=VariantStatus(status),
                    metadata=read_metadata(metadata) or None,
                )
            )
        return variants

    # -- what a command reads ------------------------------------------------------------------

    def variant(self, slug: str) -> VariantDoc | None:
        assert self.doc is not None
        return next((v for v in self.doc.variants if str(v.slug) == slug), None)

    def variant_id(self, slug: str) -> uuid.UUID:
        """The id of a variant of the product (after `write`, of a new one too)."""
        return uuid.UUID(hex=self.ctx.id_map("variant")[(self.slug, slug)])

    def shares_total(self) -> int:
        """The basis points the product's stored brand and instructor attributions hold."""
        brands = self.ctx.rows(t.BRAND_ATTRIBUTION).existing.values()
        instructors = self.ctx.rows(t.INSTRUCTOR_ATTRIBUTION).existing.values()
        return int(sum(data[1] for _id, data in brands) + sum(data[0] for _id, data in instructors))

    @property
    def id(self) -> uuid.UUID:
        assert self.row_id is not None
        return uuid.UUID(hex=self.row_id)

    # -- writing -------------------------------------------------------------------------------

    def change(self, **fields: Any) -> None:
        """Set fields of the product's document (a `variants` list replaces the variants)."""
        assert self.doc is not None
        self.doc = self.doc.model_copy(update=fields)

    def put_variant(self, variant: VariantDoc) -> None:
        """Add the variant (last) or replace the one of its slug; a default variant takes the
        flag from the others."""
        assert self.doc is not None
        slug = str(variant.slug)
        variants = list(self.doc.variants)
        if variant.default:
            variants = [v.model_copy(update={"default": False}) for v in variants]
        position = next((i for i, v in enumerate(variants) if str(v.slug) == slug), None)
        if position is None:
            variants.append(variant)
        else:
            variants[position] = variant
        self.change(variants=variants)

    def remove_variant(self, slug: str) -> None:
        """Leave the variant out: `write` deletes it (its plans, prices and texts go with it)."""
        assert self.doc is not None
        self.change(variants=[v for v in self.doc.variants if str(v.slug) != slug])

    # -- attribution ---------------------------------------------------------------------------

    def put_brand(self, slug: str, share: int | None, *, primary: bool) -> None:
        """Put the brand on the product (last, or first with `primary`; a product's first
        brand is its primary), with `share` (None: as it is)."""
        assert self.doc is not None
        brands = [str(b) for b in self.doc.brands if str(b) != slug]
        held = slug in {str(b) for b in self.doc.brands}
        if primary:
            brands.insert(0, slug)
        elif held:
            brands = [str(b) for b in self.doc.brands]
        else:
            brands.append(slug)
        items = list(self.doc.attribution)
        if share is not None:
            items = [a for a in items if a.brand is None or str(a.brand) != slug]
            if share:
                items.append(attribution_document(brand=slug, share=share))
        self.change(brands=brands, attribution=items)

    def put_instructor(self, slug: str, profile_id: str, share: int) -> None:
        """Attribute the instructor (last) with `share`, or change its share."""
        assert self.doc is not None
        self.profiles[slug] = profile_id
        items = list(self.doc.attribution)
        found = next((i for i, a in enumerate(items) if str(a.instructor) == slug), None)
        item = attribution_document(instructor=slug, share=share)
        if found is None:
            items.append(item)
        else:
            items[found] = item
        self.change(attribution=items)

    def drop_attribution(self, *, brand: str | None = None, instructor: str | None = None) -> bool:
        """Take a brand or an instructor off the product; False when it is not on it."""
        assert self.doc is not None
        items = [
            a
            for a in self.doc.attribution
            if not (
                (brand is not None and str(a.brand) == brand)
                or (instructor is not None and str(a.instructor) == instructor)
            )
        ]
        brands = [str(b) for b in self.doc.brands if str(b) != brand]
        if len(items) == len(self.doc.attribution) and len(brands) == len(self.doc.brands):
            return False
        self.change(brands=brands, attribution=items)
        return True

    def instructor_columns(
        self, profile_id: str | None, *, primary: bool = False, role: str | None = None
    ) -> None:
        """The command's own columns of the instructor attribution (the files have none),
        written after `write`: `primary` makes `profile_id` the product's primary instructor
        (else, when no instructor is primary, the first in order becomes it), `role` sets its
        role."""
        product_id = self.row_id
        rows = Rows(
            self.db, _INSTRUCTOR_OWN, self.org.id.hex, scope=("product_id = ?", (product_id,))
        )
        current = {key[1]: data for key, (_id, data) in rows.existing.items()}
        order = self._ordered(t.INSTRUCTOR_ATTRIBUTION.name, "profile_id")
        chosen = profile_id if primary else None
        if chosen is None and order and not any(data[0] for data in current.values()):
            chosen = order[0]
        for other in order:
            is_primary, old_role = current[other]
            if chosen is not None:
                is_primary = other == chosen
            new_role = role if other == profile_id and role is not None else old_role
            rows.want((product_id, other), (bool(is_primary), new_role))
        write(self.session, self.db, [rows])

    def create(self, doc: ProductDoc) -> None:
        self.doc = doc
        self.write()

    def write(self) -> None:
        """Write the product as its document is now: only what differs from the stored rows."""
        assert self.doc is not None
        ctx = self.ctx
        ctx.catalog.products = {self.slug: Entry("", "", self.doc)}
        sync_products(ctx)
        ctx.problems.raise_if_any()
        own = []
        if self.thumbnail is not None:  # the command's own column
            url, org_id = self.thumbnail[0], self.org.id.hex
            own.append(own_column(self.db, t.PRODUCT.name, "thumbnail_url", org_id, self.slug, url))
        self.write_tables(WRITTEN, *own)
        if self.row_id is None:
            self.row_id = ctx.id_map("product")[self.slug]

    def set_course(self, settings: dict[str, Any]) -> None:
        """An existing course's level, difficulty or minutes, through the course-outline code."""
        from volmify_cli.services.course_content import apply_course_content
        from volmify_cli.services.course_spec import CourseSpec, CourseSyncContext

        if not settings:
            return
        apply_course_content(
            self.session,
            context=CourseSyncContext.for_org(self.session, self.org),
            product_id=self.id,
            course_key=self.slug,
            spec=CourseSpec(settings, None, None),
            changes=ChangeSet(),
            prune=False,
            dry_run=False,
        )
        self.session.expire_all()


def _profile_slugs(db: Bulk, profile_ids: Sequence[str]) -> dict[str, str]:
    if not profile_ids:
        return {}
    marks = ", ".join("?" for _ in profile_ids)
    rows = db.query(
        f"SELECT {db.id_sql('id')}, slug FROM user_profile WHERE id IN ({marks})",
        tuple(profile_ids),
    )
    return dict(rows)


def _block(model: Any, names: tuple[str, ...], data: Sequence[Any]) -> Any:
    fields = dict(zip(names, data, strict=True))
    if "requires_shipping" in fields:
        fields["requires_shipping"] = bool(fields["requires_shipping"])
    if "delivery" in fields:
        fields["delivery"] = DeliveryMode(fields["delivery"])
    return model.model_construct(**fields)


def product_document(**fields: Any) -> ProductDoc:
    """A product's document from values already checked against the rule book (by a command,
    or stored): built without validation, and without a position in a file."""
    return ProductDoc.model_construct(**fields)


def variant_document(**fields: Any) -> VariantDoc:
    return VariantDoc.model_construct(plans=[], **fields)


def attribution_document(**fields: Any) -> AttributionDoc:
    return AttributionDoc.model_construct(**fields)


_KEYS = {"file_url": "file", "file_size_bytes": "size_bytes", "delivery_mode": "delivery"}


def changed_block(doc: ProductDoc, values: dict[str, Any]) -> dict[str, Any]:
    """The document's block of a (not course) product with a command's checked detail columns
    set, the others as stored."""
    block = getattr(doc, doc.type.value)
    if block is None:  # no extension row (lost to raw SQL): a new one
        return details_block(doc.type, values)
    update = {_KEYS.get(column, column): value for column, value in values.items()}
    if "delivery" in update:
        update["delivery"] = DeliveryMode(update["delivery"])
    return {doc.type.value: block.model_copy(update=update)}


def details_block(kind: ProductType, values: dict[str, Any]) -> dict[str, Any]:
    """The document's block of a product type from a command's checked detail columns
    (`product_types.check_details`), the others at their defaults."""
    if kind is ProductType.COURSE:
        settings = {
            "level": CourseLevel(values.get("level", CourseLevel.BEGINNER.value)),
            "difficulty": values.get("difficulty", 1),
            "minutes": values.get("estimated_minutes"),
        }
        return {"course": CourseBody.model_construct(**settings)}
    models: dict[ProductType, Any] = {
        ProductType.DIGITAL: DigitalDoc,
        ProductType.PHYSICAL: PhysicalDoc,
        ProductType.SERVICE: ServiceDoc,
    }
    model = models[kind]
    block = {_KEYS.get(column, column): value for column, value in values.items()}
    if "delivery" in block:
        block["delivery"] = DeliveryMode(block["delivery"])
    defaults = {
        name: field.default
        for name, field in model.model_fields.items()
        if not field.is_required() and name not in block
    }
    return {kind.value: model.model_construct(**defaults, **block)}
