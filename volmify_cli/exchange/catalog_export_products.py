"""Catalog export of products: texts, type block, brands and attribution, variants, plans and
their market prices (the bulk of a large catalog: plain loops over grouped rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from volmify_cli.exchange.catalog_export_courses import CourseBlocks
from volmify_cli.metadata import read as read_metadata
from volmify_cli.money import format_amount, format_percent, format_unit_amount
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.seo import PRODUCT as PRODUCT_SEO
from volmify_cli.windows import end_date, start_date

if TYPE_CHECKING:
    from volmify_cli.exchange.catalog_export import Exporter

Doc = dict[str, Any]


def _put(doc: Doc, key: str, value: Any, default: Any = None) -> None:
    if value is not None and value != default and value != [] and value != {}:
        doc[key] = value


class ProductWriter:
    def __init__(self, exporter: Exporter) -> None:
        self.x = exporter
        self.titles = exporter.texts(t.PRODUCT_TR)
        self.variant_names = exporter.texts(t.VARIANT_TR)
        self.plan_names = exporter.texts(t.PLAN_TR)
        self.market_currency = {
            row_id: data[1] for key, (row_id, data) in exporter.rows(t.MARKET).existing.items()
        }
        self.variants = exporter.children(t.VARIANT)  # product id -> variants
        self.plans = exporter.children(t.PLAN)  # variant id -> plans
        self.prices = exporter.children(t.PRICE)  # plan id -> prices
        self.tiers = exporter.children(t.TIER)  # price id -> tiers
        self.brands = exporter.children(t.BRAND_ATTRIBUTION)
        self.instructors = exporter.children(t.INSTRUCTOR_ATTRIBUTION)
        self.extensions = {
            name: {key[0]: data for key, (_i, data) in exporter.rows(table).existing.items()}
            for name, table in (
                ("course", t.COURSE),
                ("digital", t.DIGITAL),
                ("physical", t.PHYSICAL),
                ("service", t.SERVICE),
                ("one_time", t.ONE_TIME),
                ("subscription", t.SUBSCRIPTION),
                ("usage_based", t.USAGE),
            )
        }
        self.ids = {
            key: row_id
            for rows in (exporter.rows(t.VARIANT), exporter.rows(t.PLAN), exporter.rows(t.PRICE))
            for key, (row_id, _d) in rows.existing.items()
        }
        self.profile_slugs: dict[str, str] = dict(
            exporter.db.query(
                f"SELECT {exporter.db.id_sql('id')}, slug FROM user_profile WHERE id IN"
                " (SELECT profile_id FROM org_instructor_affiliation WHERE org_id = ?)",
                (exporter.org_id,),
            )
        )

    courses: CourseBlocks | None = None

    def products(self) -> list[Doc]:
        rows = sorted(self.x.rows(t.PRODUCT).existing.items(), key=lambda item: item[0][0])
        return [self.product(key[0], row_id or "", data) for key, (row_id, data) in rows]

    def product(self, slug: str, product_id: str, data: tuple[Any, ...]) -> Doc:
        kind, status, metadata = data
        doc: Doc = {"slug": slug, "type": kind}
        _put(doc, "status", status, "draft")
        doc["title"] = self.titles.text(product_id)
        _put(doc, "description", self.titles.text(product_id, 2))
        _put(doc, "seo", self.x.seo(PRODUCT_SEO, product_id))
        brands = sorted(
            self.brands.get(product_id, []),
            key=lambda item: (not item[1][0], self.x.brand_slug[item[0][1]]),
        )
        _put(doc, "brands", [self.x.brand_slug[key[1]] for key, _d in brands])
        attribution: list[Doc] = []
        people = sorted(
            self.instructors.get(product_id, []), key=lambda item: self.profile_slugs[item[0][1]]
        )
        for key, (share,) in people:
            attribution.append(
                {"instructor": self.profile_slugs[key[1]], "share": format_percent(share)}
            )
        for key, (_primary, share) in sorted(
            brands, key=lambda item: self.x.brand_slug[item[0][1]]
        ):
            if share:
                attribution.append(
                    {"brand": self.x.brand_slug[key[1]], "share": format_percent(share)}
                )
        _put(doc, "attribution", attribution)
        block = self.block(kind, product_id)
        if block is not None:
            doc[kind] = block
        _put(doc, "metadata", read_metadata(metadata))
        doc["variants"] = [
            self.variant(product_id, key[1], variant)
            for key, variant in sorted(
                self.variants.get(product_id, []), key=lambda item: item[0][1]
            )
        ]
        return doc

    def block(self, kind: str, product_id: str) -> Doc | None:
        data = self.extensions[kind].get(product_id)
        if data is None:
            return None
        doc: Doc = {}
        if kind == "course":
            if self.courses is None:
                self.courses = CourseBlocks(self.x.db, self.x.org_id, self.x.default_locale)
            return self.courses.block(product_id, *data)
        if kind == "digital":
            for name, value in zip(("file", "size_bytes", "download_limit"), data, strict=True):
                _put(doc, name, value)
        elif kind == "physical":
            _put(doc, "sku", data[0])
            _put(doc, "weight_grams", data[1])
            _put(doc, "requires_shipping", bool(data[2]), True)
        else:
            _put(doc, "duration_minutes", data[0])
            _put(doc, "delivery", data[1], "online")
        return doc or None

    def variant(self, product_id: str, slug: str, data: tuple[Any, ...]) -> Doc:
        variant_id = self.ids[(product_id, slug)]
        doc: Doc = {"slug": slug}
        _put(doc, "name", self.variant_names.text(variant_id))
        _put(doc, "default", bool(data[0]), False)
        _put(doc, "status", data[1], "active")
        _put(doc, "metadata", read_metadata(data[2]))
        doc["plans"] = [
            self.plan(variant_id, key[1], plan)
            for key, plan in sorted(self.plans.get(variant_id, []), key=lambda item: item[0][1])
        ]
        return doc

    def plan(self, variant_id: str, slug: str, data: tuple[Any, ...]) -> Doc:
        plan_id = self.ids[(variant_id, slug)]
        kind, tier, is_default, featured, status, starts, ends, metadata = data
        doc: Doc = {"slug": slug, "type": kind, "tier": tier}
        _put(doc, "name", self.plan_names.text(plan_id))
        _put(doc, "default", bool(is_default), False)
        _put(doc, "featured", bool(featured), False)
        _put(doc, "status", status, "active")
        _put(doc, "starts", start_date(starts))
        _put(doc, "ends", end_date(ends))
        extension = self.extensions[kind].get(plan_id)
        if extension is not None:
            self.plan_type_keys(doc, kind, extension)
        _put(doc, "metadata", read_metadata(metadata))
        prices: Doc = {}
        tiers: list[list[tuple[str, Any, Any]]] = []
        for key, price in sorted(
            self.prices.get(plan_id, []), key=lambda item: self.x.market_slug[item[0][1]]
        ):
            market = self.x.market_slug[key[1]]
            prices[market] = self.price(key[1], price)
            price_tiers = sorted(self.tiers.get(self.ids[key], []), key=lambda item: item[0][1])
            for index, (_key, (up_to, amount)) in enumerate(price_tiers):
                while len(tiers) <= index:
                    tiers.append([])
                tiers[index].append((market, up_to, format_unit_amount(amount, price[0])))
        doc["prices"] = prices
        if tiers:
            doc["usage_tiers"] = [
                {"up_to": tier[0][1], "prices": {m: amount for m, _u, amount in tier}}
                for tier in tiers
            ]
        return doc

    @staticmethod
    def plan_type_keys(doc: Doc, kind: str, data: tuple[Any, ...]) -> None:
        if kind == "one_time":
            _put(doc, "access_days", data[0])
            _put(doc, "max_purchases", data[1])
            _put(doc, "gifting", bool(data[2]), False)
            _put(doc, "transferable", bool(data[3]), False)
        elif kind == "subscription":
            doc["interval"] = data[0]
            _put(doc, "interval_count", data[1], 1)
            _put(doc, "trial_days", data[2], 0)
        else:
            _put(doc, "unit", data[0], "unit")
            _put(doc, "model", data[1], "per_unit")
            _put(doc, "included_units", data[2], 0)
            _put(doc, "interval", data[3], "month")

    def price(self, market_id: str, data: tuple[Any, ...]) -> Any:
        currency, amount, compare_at, setup_fee, tax, unit_amount = data
        # a per_unit plan's price is its unit price, written exactly (12 decimals at most)
        text = (
            format_amount(amount, currency)
            if unit_amount is None
            else format_unit_amount(unit_amount, currency)
        )
        market_currency = self.market_currency.get(market_id)
        if (
            currency == market_currency
            and compare_at is None
            and setup_fee is None
            and tax == "inclusive"
        ):
            return text
        doc: Doc = {"amount": text}
        _put(doc, "currency", currency, market_currency)
        _put(
            doc,
            "compare_at",
            format_amount(compare_at, currency) if compare_at is not None else None,
        )
        _put(
            doc, "setup_fee", format_amount(setup_fee, currency) if setup_fee is not None else None
        )
        _put(doc, "tax", tax, "inclusive")
        return doc
