"""The org's structure: its locales, brands and markets (with their countries and locales)."""

from __future__ import annotations

from typing import Any

from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.rows import Rows
from volmify_cli.services.sync.seo import BRAND as BRAND_SEO
from volmify_cli.services.sync.seo import sync_seo
from volmify_cli.services.sync.texts import sync_texts


def sync_locales(ctx: Context) -> None:
    """The catalog's locales, the first being the org's default. Locales the org has beyond
    the files' are kept (they are capabilities, removed with `orgs locales remove`)."""
    rows = ctx.rows(t.ORG_LOCALE)
    for order, locale in enumerate(ctx.catalog.locales):
        _id, changed = rows.want((locale,), (order == 0,), (order,))
        if changed is None and rows.existing:
            ctx.tally.update("org", ctx.org_slug, [("locales", None, locale)])
    for key in rows.leftovers():
        data = rows.existing[key][1]
        if data[0]:  # another default locale loses the flag
            rows.want(key, (False,))


def sync_brands(ctx: Context) -> None:
    rows, ids = ctx.rows(t.BRAND), ctx.id_map("brand")
    for key, (row_id, _data) in rows.existing.items():
        ids[key[0]] = row_id or ""
    for slug, entry in ctx.catalog.brands.items():
        ctx.tally.saw("brand")
        brand_id, changed = rows.want((slug,), ())
        ids[slug] = brand_id
        if changed is None:
            ctx.tally.create("brand", slug)
        doc = entry.doc
        texts = {"name": doc.name, "description": doc.description}
        sync_texts(ctx, t.BRAND_TR, brand_id, texts, kind="brand", key=slug, new=changed is None)
        sync_seo(
            ctx, BRAND_SEO, brand_id, entry, doc.name, kind="brand", key=slug, new=changed is None
        )


def sync_markets(ctx: Context) -> None:
    rows, ids, brands = ctx.rows(t.MARKET), ctx.id_map("market"), ctx.id_map("brand")
    slug_of_brand = {v: k for k, v in brands.items()}
    for key, (row_id, _data) in rows.existing.items():
        ids[key[0]] = row_id or ""
    any_default = False
    for slug, entry in ctx.catalog.markets.items():
        doc = entry.doc
        ctx.tally.saw("market")
        any_default = any_default or doc.default
        data = (
            doc.type.value,
            str(doc.currency),
            brands.get(str(doc.brand)) if doc.brand is not None else None,
            str(doc.domain) if doc.domain is not None else None,
            doc.default,
            doc.status.value,
        )
        market_id, changed = rows.want((slug,), data)
        ids[slug] = market_id
        new = changed is None
        if new:
            ctx.tally.create("market", slug)
        ctx.report(
            "market",
            slug,
            changed,
            {"currency_code": "currency", "brand_id": "brand", "is_default": "default"},
            {"brand_id": lambda v: slug_of_brand.get(v, v)},
        )
        sync_texts(
            ctx, t.MARKET_TR, market_id, {"name": doc.name}, kind="market", key=slug, new=new
        )
        _market_parts(ctx, market_id, slug, entry.doc, new)
    if ctx.prune:
        _free_countries(ctx)
    if any_default:  # a default market outside the files gives the flag up
        for key in rows.leftovers():
            old = rows.existing[key][1]
            if old[4]:
                _id, changed = rows.want(key, (*old[:4], False, old[5]))
                ctx.report("market", key[0], changed, {"is_default": "default"})


def _free_countries(ctx: Context) -> None:
    """A country the files' markets take from a market outside the files leaves it first.
    The checks let that pass only for a market the prune deletes (catalog_checks), whose
    rows go later, after the inserts."""
    countries, ids = ctx.rows(t.MARKET_COUNTRY), ctx.id_map("market")
    in_files = {ids[slug] for slug in ctx.catalog.markets}
    taken = {str(c.country) for e in ctx.catalog.markets.values() for c in e.doc.countries}
    for key in list(countries.existing):
        market_id, country = key
        if market_id not in in_files and country in taken:
            countries.delete(key, early=True)


def _market_parts(ctx: Context, market_id: str, slug: str, doc: object, new: bool) -> None:
    from volmify_cli.inputs.catalog_schema import MarketDoc

    assert isinstance(doc, MarketDoc)
    locales = ctx.rows(t.MARKET_LOCALE)
    wanted = [str(k) for k in doc.locales]
    before = [k[1] for k in in_order(locales, market_id)]
    for order, locale in enumerate(wanted):
        locales.want((market_id, locale), (order == 0, order))
    for gone in locales.leftovers((market_id,)):
        locales.delete(gone)
    countries = ctx.rows(t.MARKET_COUNTRY)
    old_countries = {k[1]: countries.existing[k][1][0] for k in in_order(countries, market_id)}
    new_countries = {}
    for order, country in enumerate(doc.countries):
        override = str(country.locale) if country.locale is not None else None
        new_countries[str(country.country)] = override
        countries.want((market_id, str(country.country)), (override, order))
    for gone in countries.leftovers((market_id,)):
        # early: a country moving to another market must leave this one before it is
        # inserted there (a country is in one market of an org: a unique index)
        countries.delete(gone, early=True)
    if new:
        return
    fields: list[tuple[str, Any, Any]] = []
    if before != wanted:
        fields.append(("locales", before, wanted))
    if before[:1] != wanted[:1]:
        fields.append(("default locale", before[0] if before else None, wanted[0]))
    if list(old_countries.items()) != list(new_countries.items()):
        fields.append(("countries", _countries(old_countries), _countries(new_countries)))
    ctx.tally.update("market", slug, fields)


def in_order(rows: Rows, market_id: str) -> list[tuple[Any, ...]]:
    """The market's existing keys in their stored order (`sort_order`, the last data column)."""
    return sorted(rows.children_of((market_id,)), key=lambda key: rows.existing[key][1][-1])


def _countries(countries: dict[str, str | None]) -> list[str]:
    return [f"{code}:{locale}" if locale else code for code, locale in countries.items()]
