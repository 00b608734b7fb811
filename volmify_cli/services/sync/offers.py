"""Collections (products in display order), offers (targets and coupons) and promotions."""

from __future__ import annotations

from typing import Any

from volmify_cli.inputs.catalog_schema import OfferDoc
from volmify_cli.metadata import stored as stored_metadata
from volmify_cli.money import format_amount, format_percent
from volmify_cli.rules import normalize_coupon_code
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.rows import Table
from volmify_cli.services.sync.seo import COLLECTION as COLLECTION_SEO
from volmify_cli.services.sync.seo import sync_seo
from volmify_cli.services.sync.texts import sync_texts
from volmify_cli.windows import end_date, start_date, window_end, window_start

WINDOW_NAMES = {"starts_at": "starts", "ends_at": "ends"}
WINDOW_SHOW = {"starts_at": start_date, "ends_at": end_date}


def _amounts(ctx: Context, offer_id: str, slug: str, wanted: dict[str, int], new: bool) -> None:
    """The offer's amounts, one per currency (none for a percentage offer); a change is
    planned per currency: `amount[EUR]: '4.50' -> '5.00'` (None for a currency added or
    removed)."""
    rows = ctx.rows(t.DISCOUNT_AMOUNT)
    before = {key[1]: rows.existing[key][1][0] for key in rows.children_of((offer_id,))}
    for currency, minor in wanted.items():
        rows.want((offer_id, currency), (minor,))
    for gone in rows.leftovers((offer_id,)):
        rows.delete(gone)
    if new:
        return

    def shown(minor: int | None, currency: str) -> str | None:
        return None if minor is None else format_amount(minor, currency)

    ctx.tally.update(
        "offer",
        slug,
        [
            (f"amount[{code}]", shown(before.get(code), code), shown(wanted.get(code), code))
            for code in sorted(before.keys() | wanted.keys())
            if before.get(code) != wanted.get(code)
        ],
    )


def _ids(ctx: Context, kind: str, table: Table) -> dict[Any, str]:
    ids = ctx.id_map(kind)
    for key, (row_id, _data) in ctx.rows(table).existing.items():
        ids.setdefault(key[0], row_id or "")
    return ids


def sync_collections(ctx: Context) -> None:
    rows, ids = ctx.rows(t.COLLECTION), _ids(ctx, "collection", t.COLLECTION)
    members, products = ctx.rows(t.COLLECTION_PRODUCT), ctx.id_map("product")
    slug_of = {v: k for k, v in products.items()}
    for slug, entry in ctx.catalog.collections.items():
        ctx.tally.saw("collection")
        collection_id, changed = rows.want((slug,), (stored_metadata(entry.doc.metadata),))
        ids[slug] = collection_id
        new = changed is None
        if new:
            ctx.tally.create("collection", slug)
        ctx.report("collection", slug, changed)
        sync_texts(
            ctx,
            t.COLLECTION_TR,
            collection_id,
            {"name": entry.doc.name},
            kind="collection",
            key=slug,
            new=new,
        )
        sync_seo(
            ctx, COLLECTION_SEO, collection_id, entry, entry.doc.name,
            kind="collection", key=slug, new=new,
        )  # fmt: skip
        before = sorted(
            members.children_of((collection_id,)), key=lambda k: members.existing[k][1][0]
        )
        for order, product in enumerate(entry.doc.products):
            members.want((collection_id, products[str(product)]), (order,))
        for gone in members.leftovers((collection_id,)):
            members.delete(gone)
        after = [str(p) for p in entry.doc.products]
        old = [slug_of.get(k[1], k[1]) for k in before]
        if not new and old != after:
            ctx.tally.update("collection", slug, [("products", old, after)])


def sync_offers(ctx: Context) -> None:
    rows, ids = ctx.rows(t.DISCOUNT), _ids(ctx, "offer", t.DISCOUNT)
    coupons = ctx.rows(t.COUPON)
    for slug, entry in ctx.catalog.offers.items():
        doc = entry.doc
        ctx.tally.saw("offer")
        data = (
            doc.type.value,
            doc.percent,
            doc.applies.value,
            doc.periods,
            window_start(doc.starts),
            window_end(doc.ends),
            doc.usage_limit,
            doc.active,
        )
        offer_id, changed = rows.want((slug,), data)
        ids[slug] = offer_id
        new = changed is None
        if new:
            ctx.tally.create("offer", slug)
        ctx.report(
            "offer",
            slug,
            changed,
            {
                **WINDOW_NAMES,
                "percent_bp": "percent",
                "duration": "applies",
                "duration_periods": "periods",
                "is_active": "active",
            },
            {
                **WINDOW_SHOW,
                "percent_bp": lambda v: None if v is None else format_percent(v),
            },
        )
        _amounts(ctx, offer_id, slug, ctx.catalog.offer_amounts.get(slug, {}), new)
        sync_texts(
            ctx, t.DISCOUNT_TR, offer_id, {"name": doc.name}, kind="offer", key=slug, new=new
        )
        _targets(ctx, offer_id, slug, doc, new)
        for coupon in doc.coupons:
            code = normalize_coupon_code(str(coupon.code))
            ctx.tally.saw("coupon")
            coupon_data = (
                offer_id,
                str(coupon.code),
                coupon.usage_limit,
                window_start(coupon.starts),
                window_end(coupon.ends),
            )
            _id, coupon_changed = coupons.want((code,), coupon_data)
            if coupon_changed is None:
                ctx.tally.create("coupon", str(coupon.code))
            ctx.report(
                "coupon",
                str(coupon.code),
                [c for c in coupon_changed or [] if c[0] != "discount_id"]
                + (
                    [("offer", "another offer", slug)]
                    if any(c[0] == "discount_id" for c in coupon_changed or [])
                    else []
                ),
                WINDOW_NAMES,
                WINDOW_SHOW,
            )
    if ctx.prune and "offer" in ctx.kinds:
        spared = ctx.spared_ids(t.DISCOUNT)  # their coupons stay with them
        for gone in coupons.leftovers():
            if coupons.existing[gone][1][0] not in spared:
                coupons.delete(gone)
                ctx.tally.delete("coupon", gone[0])


TARGETS: tuple[tuple[str, Table, str], ...] = (
    ("products", t.DISCOUNT_PRODUCT, "product"),
    ("variants", t.DISCOUNT_VARIANT, "variant"),
    ("plans", t.DISCOUNT_PLAN, "plan"),
    ("collections", t.DISCOUNT_COLLECTION, "collection"),
    ("markets", t.DISCOUNT_MARKET, "market"),
)


def _targets(ctx: Context, offer_id: str, slug: str, doc: OfferDoc, new: bool) -> None:
    for field, table, kind in TARGETS:
        rows, ids = ctx.rows(table), ctx.id_map(kind)
        before = {k[1] for k in rows.children_of((offer_id,))}
        wanted = set()
        for address in getattr(doc, field):
            target_id = ids[_address(ctx, kind, str(address))]
            wanted.add(target_id)
            rows.want((offer_id, target_id), ())
        for gone in rows.leftovers((offer_id,)):
            rows.delete(gone)
        if not new and before != wanted:
            names = {v: "/".join(k) if isinstance(k, tuple) else str(k) for k, v in ids.items()}
            old, new_set = (sorted(names.get(v, v) for v in values) for values in (before, wanted))
            ctx.tally.update("offer", slug, [(field, old, new_set)])


def _address(ctx: Context, kind: str, address: str) -> Any:
    if kind == "variant":
        return tuple(address.split("/"))
    if kind == "plan":
        parts = address.split("/")
        if len(parts) == 2:  # PRODUCT/PLAN: the plan of the product's default variant
            parts = [parts[0], ctx.default_variant(parts[0]), parts[1]]
        return tuple(parts)
    return address


def sync_promotions(ctx: Context) -> None:
    rows, ids = ctx.rows(t.PROMOTION), _ids(ctx, "promotion", t.PROMOTION)
    links, offers = ctx.rows(t.PROMOTION_DISCOUNT), ctx.id_map("offer")
    slug_of = {v: k for k, v in offers.items()}
    for slug, entry in ctx.catalog.promotions.items():
        doc = entry.doc
        ctx.tally.saw("promotion")
        promotion_id, changed = rows.want((slug,), (window_start(doc.starts), window_end(doc.ends)))
        ids[slug] = promotion_id
        new = changed is None
        if new:
            ctx.tally.create("promotion", slug)
        ctx.report("promotion", slug, changed, WINDOW_NAMES, WINDOW_SHOW)
        sync_texts(
            ctx,
            t.PROMOTION_TR,
            promotion_id,
            {"name": doc.name},
            kind="promotion",
            key=slug,
            new=new,
        )
        before = sorted(str(slug_of.get(k[1], k[1])) for k in links.children_of((promotion_id,)))
        for offer in doc.offers:
            links.want((promotion_id, offers[str(offer)]), ())
        for gone in links.leftovers((promotion_id,)):
            links.delete(gone)
        after = sorted(str(o) for o in doc.offers)
        if not new and before != after:
            ctx.tally.update("promotion", slug, [("offers", before, after)])
