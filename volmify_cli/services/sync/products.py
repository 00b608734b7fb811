"""Products: the base row, texts, the type extension, brand and instructor attribution, and
variants (whose plans and prices are in `plans`)."""

from __future__ import annotations

from typing import Any

from volmify_cli.enums import CourseLevel, DeliveryMode, ProductType
from volmify_cli.inputs.catalog_model import Entry, named_instructors
from volmify_cli.inputs.catalog_schema import ProductDoc
from volmify_cli.metadata import stored as stored_metadata
from volmify_cli.money import format_percent
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.fingerprints import read_counts, show_counts
from volmify_cli.services.sync.plans import sync_plans
from volmify_cli.services.sync.rows import Rows, Table
from volmify_cli.services.sync.seo import PRODUCT as PRODUCT_SEO
from volmify_cli.services.sync.seo import sync_seo
from volmify_cli.services.sync.texts import sync_texts

EXTENSIONS: dict[str, Table] = {
    ProductType.COURSE: t.COURSE,
    ProductType.DIGITAL: t.DIGITAL,
    ProductType.PHYSICAL: t.PHYSICAL,
    ProductType.SERVICE: t.SERVICE,
}
SHARE = {"share_bp": format_percent}


def sync_products(ctx: Context) -> None:
    rows, ids = ctx.rows(t.PRODUCT), ctx.id_map("product")
    for key, (row_id, _data) in rows.existing.items():
        ids[key[0]] = row_id or ""
    seen = ctx.tally.seen
    products = ctx.catalog.products
    # Over the slugs, not the entries: a list of (slug, entry) pairs would hold every document
    # to the end of the loop, and the documents released below would all go at once (100 MB
    # more at the peak of a large catalog's import).
    for slug in list(products):
        entry = products[slug]
        before = dict(seen)
        _product(ctx, rows, ids, slug, entry)
        ctx.product_counts[slug] = show_counts({k: n - before.get(k, 0) for k, n in seen.items()})
        doc = entry.doc
        ctx.product_instructors[slug] = " ".join(sorted(set(named_instructors(doc))))
        if ctx.release_documents and doc.course is None:
            ctx.released_defaults[slug] = ctx.default_variant(slug)
            for variant in doc.variants:
                for plan in variant.plans:
                    ctx.catalog.prices.pop((slug, str(variant.slug), str(plan.slug)), None)
            del products[slug]
    for slug, skipped in ctx.catalog.unchanged.items():
        # its rows are what its text says (the fingerprint's promise): kept, counted, not read
        rows.keep((slug,))
        for kind, count in read_counts(skipped.fingerprint.counts).items():
            ctx.tally.saw(kind, count)


def _product(
    ctx: Context, rows: Rows, ids: dict[Any, str], slug: str, entry: Entry[ProductDoc]
) -> None:
    doc = entry.doc
    ctx.tally.saw("product")
    data = (doc.type.value, doc.status.value, stored_metadata(doc.metadata))
    product_id, changed = rows.want((slug,), data)
    ids[slug] = product_id
    new = changed is None
    if new:
        ctx.tally.create("product", slug)
    ctx.report("product", slug, changed)
    texts = {"title": doc.title, "description": doc.description}
    sync_texts(ctx, t.PRODUCT_TR, product_id, texts, kind="product", key=slug, new=new)
    sync_seo(ctx, PRODUCT_SEO, product_id, entry, doc.title, kind="product", key=slug, new=new)
    _extension(ctx, product_id, slug, doc, new)
    _brands(ctx, product_id, slug, doc)
    _instructors(ctx, product_id, slug, entry)
    _variants(ctx, product_id, slug, doc)


def _extension(ctx: Context, product_id: str, slug: str, doc: ProductDoc, new: bool) -> None:
    """The block of the product's type; without it an existing extension is left as it is."""
    table = EXTENSIONS[doc.type]
    rows = ctx.rows(table)
    data: tuple[Any, ...] | None = None
    if doc.type is ProductType.DIGITAL and (doc.digital or new):
        digital = doc.digital
        data = (
            str(digital.file) if digital and digital.file is not None else None,
            digital.size_bytes if digital else None,
            digital.download_limit if digital else None,
        )
    elif doc.type is ProductType.PHYSICAL and (doc.physical or new):
        physical = doc.physical
        data = (
            str(physical.sku) if physical and physical.sku is not None else None,
            physical.weight_grams if physical else None,
            physical.requires_shipping if physical else True,
        )
    elif doc.type is ProductType.SERVICE and (doc.service or new):
        service = doc.service
        data = (
            service.duration_minutes if service else None,
            service.delivery.value if service else DeliveryMode.ONLINE.value,
        )
    elif doc.type is ProductType.COURSE and new:
        # level, difficulty and minutes of an existing course follow its `course:` block
        # through the course-outline code; a new course starts with them here
        course = doc.course
        data = (
            course.level.value if course else CourseLevel.BEGINNER.value,
            course.difficulty if course else 1,
            course.minutes if course else None,
        )
    if data is None:
        rows.keep((product_id,))
        return
    _id, changed = rows.want((product_id,), data)
    block = doc.type.value
    ctx.report("product", slug, [(f"{block}.{c}", old, new) for c, old, new in changed or []])


def _brands(ctx: Context, product_id: str, slug: str, doc: ProductDoc) -> None:
    rows, brands = ctx.rows(t.BRAND_ATTRIBUTION), ctx.id_map("brand")
    shares = {str(a.brand): a.share or 0 for a in doc.attribution if a.brand is not None}
    for index, brand in enumerate(doc.brands):
        key = f"{slug}/brand:{brand}"
        ctx.tally.saw("attribution")
        data = (index == 0, shares.get(str(brand), 0))
        _id, changed = rows.want((product_id, brands[str(brand)]), data, (index,))
        if changed is None:
            ctx.tally.create("attribution", key)
        ctx.report(
            "attribution", key, changed, {"is_primary": "primary", "share_bp": "share"}, SHARE
        )
    slug_of = {v: k for k, v in brands.items()} if rows.existing else {}
    for gone in rows.leftovers((product_id,)):
        old = rows.existing[gone][1]
        key = f"{slug}/brand:{slug_of.get(gone[1], gone[1])}"
        if ctx.prune:
            rows.delete(gone)
            ctx.tally.delete("attribution", key)
        elif old[0] and doc.brands:  # the file names another primary brand
            _id, changed = rows.want(gone, (False, old[1]))
            ctx.report("attribution", key, changed, {"is_primary": "primary"})


def _instructors(ctx: Context, product_id: str, slug: str, entry: Entry[ProductDoc]) -> None:
    rows, profiles = ctx.rows(t.INSTRUCTOR_ATTRIBUTION), ctx.id_map("profile")
    affiliations = ctx.rows(t.AFFILIATION)
    doc = entry.doc
    had_any = bool(rows.children_of((product_id,)))
    total = sum(a.share or 0 for a in doc.attribution if a.brand is not None)
    index = 0
    for item in doc.attribution:
        if item.instructor is None:
            continue
        instructor = str(item.instructor)
        profile_id = profiles[instructor]
        key = f"{slug}/instructor:{instructor}"
        ctx.tally.saw("attribution")
        row_key = (product_id, profile_id)
        share = item.share
        if share is None:  # the affiliation's default share for a new attribution
            found = rows.existing.get(row_key)
            if found is not None:
                share = found[1][0]
            elif instructor in ctx.catalog.instructors:
                share = ctx.catalog.instructors[instructor].doc.share or 0
            else:
                affiliation = affiliations.existing.get((profile_id,))
                share = affiliation[1][2] if affiliation else 0
        total += share
        _id, changed = rows.want(row_key, (share,), (index == 0 and not had_any, index))
        index += 1
        if changed is None:
            ctx.tally.create("attribution", key)
        ctx.report("attribution", key, changed, {"share_bp": "share"}, SHARE)
    for gone in rows.leftovers((product_id,)):
        if ctx.prune:
            rows.delete(gone)
            slug_of = {v: k for k, v in profiles.items()}
            ctx.tally.delete("attribution", f"{slug}/instructor:{slug_of.get(gone[1], gone[1])}")
        else:
            total += rows.existing[gone][1][0]
    if not ctx.prune:  # brand shares the file does not mention stay too
        brands = ctx.rows(t.BRAND_ATTRIBUTION)
        total += sum(brands.existing[k][1][1] for k in brands.leftovers((product_id,)))
    if total > 10_000:
        ctx.problems.add(
            doc,
            f"{entry.path}.attribution",
            f"shares of product {slug!r} would total {format_percent(total)} with the"
            " attributions the database already holds, over 100% (remove them or use --prune)",
            filename=entry.file,
        )


def _variants(ctx: Context, product_id: str, slug: str, doc: ProductDoc) -> None:
    rows, ids = ctx.rows(t.VARIANT), ctx.id_map("variant")
    only = len(doc.variants) == 1
    for index, variant in enumerate(doc.variants):
        name = f"{slug}/{variant.slug}"
        ctx.tally.saw("variant")
        data = (
            bool(variant.default) or only,
            variant.status.value,
            stored_metadata(variant.metadata),
        )
        variant_id, changed = rows.want((product_id, str(variant.slug)), data, (index,))
        ids[(slug, str(variant.slug))] = variant_id
        new = changed is None
        if new:
            ctx.tally.create("variant", name)
        ctx.report("variant", name, changed, {"is_default": "default"})
        if variant.name is not None or not new:
            texts = {"name": variant.name}
            sync_texts(ctx, t.VARIANT_TR, variant_id, texts, kind="variant", key=name, new=new)
        sync_plans(ctx, variant_id, (slug, str(variant.slug)), variant.plans, new)
    for gone in rows.leftovers((product_id,)):
        old = rows.existing[gone][1]
        if ctx.prune:
            rows.delete(gone)
            ctx.tally.delete("variant", f"{slug}/{gone[1]}")
        elif old[0] and doc.variants:
            _id, changed = rows.want(gone, (False, *old[1:]))
            ctx.report("variant", f"{slug}/{gone[1]}", changed, {"is_default": "default"})
