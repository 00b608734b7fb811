"""Catalog export (SPEC 4.1): the org's catalog in the import format, deterministic.

Entities are sorted by slug by code point in Python (database collations differ), except where
order is data (course content, product brands primary first, org locales default first,
collection products); defaults are left out; amounts are quoted decimal strings; a text is a
plain string when only the org's default locale has it, else a locale map, default first. The
rows are read with the importer's own per-table queries, so both sides see the same values on
SQLite and PostgreSQL, and `export -> import` changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.exchange.catalog_export_contacts import (
    brand_contact_docs,
    contact_doc,
    profile_contact_docs,
)
from volmify_cli.exchange.catalog_export_products import ProductWriter
from volmify_cli.exchange.seo_export import seo_docs
from volmify_cli.exchange.yaml_writer import dump_parts
from volmify_cli.metadata import read as read_metadata
from volmify_cli.money import format_amount, format_percent
from volmify_cli.services.collector import without_gc
from volmify_cli.services.lookup import get_org
from volmify_cli.services.sync import seo
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.rows import Rows, Table
from volmify_cli.services.sync.seo import Owner
from volmify_cli.windows import end_date, start_date

Doc = dict[str, Any]


class Texts:
    """The translations of one table grouped by parent, written as TEXT values."""

    def __init__(self, rows: Rows, default_locale: str) -> None:
        self.default_locale = default_locale
        self.by_parent: dict[str, list[tuple[str, tuple[Any, ...]]]] = defaultdict(list)
        for (parent, locale), (_id, data) in rows.existing.items():
            self.by_parent[parent].append((locale, data))
        for items in self.by_parent.values():
            items.sort(key=lambda item: (not item[1][0], item[0]))

    def text(self, parent: str, index: int = 1) -> Any:
        values = [
            (loc, d[index]) for loc, d in self.by_parent.get(parent, ()) if d[index] is not None
        ]
        if not values:
            return None
        if len(values) == 1 and values[0][0] == self.default_locale:
            return values[0][1]
        return dict(values)


def _put(doc: Doc, key: str, value: Any, default: Any = None) -> None:
    if value is not None and value != default and value != [] and value != {}:
        doc[key] = value


def _amounts(doc: Doc, amounts: dict[str, int]) -> None:
    """A fixed-amount offer's amounts: one currency in the short form (`amount`, `currency`),
    several as `amounts` (currency -> amount, by currency code)."""
    if len(amounts) == 1:
        [(currency, minor)] = amounts.items()
        doc["amount"], doc["currency"] = format_amount(minor, currency), currency
    elif amounts:
        doc["amounts"] = {code: format_amount(amounts[code], code) for code in sorted(amounts)}


class Exporter:
    def __init__(self, session: Session, org: str) -> None:
        self.org = get_org(session, org)
        self.db = Bulk(session)
        self.org_id = self.org.id.hex
        self.default_locale = self.org.default_locale_key
        self._rows: dict[str, Rows] = {}
        self._seo: dict[str, dict[str, Any]] = {}
        self.brand_slug = self.slugs(t.BRAND)
        self.market_slug = self.slugs(t.MARKET)
        self.product_slug = self.slugs(t.PRODUCT)
        self.collection_slug = self.slugs(t.COLLECTION)
        self.offer_slug = self.slugs(t.DISCOUNT)

    def rows(self, table: Table) -> Rows:
        if table.name not in self._rows:
            self._rows[table.name] = Rows(self.db, table, self.org_id)
        return self._rows[table.name]

    def texts(self, table: Table) -> Texts:
        return Texts(self.rows(table), self.default_locale)

    def seo(self, owner: Owner, parent_id: str) -> Any:
        """The `seo:` of one entity (None when it has none); each owner's read once."""
        if owner.table not in self._seo:
            self._seo[owner.table] = seo_docs(self.db, self.org_id, owner, self.default_locale)
        return self._seo[owner.table].get(parent_id)

    def slugs(self, table: Table) -> dict[str, str]:
        return {row_id or "": key[0] for key, (row_id, _d) in self.rows(table).existing.items()}

    def children(self, table: Table) -> dict[str, list[tuple[tuple[Any, ...], tuple[Any, ...]]]]:
        grouped: dict[str, list[tuple[tuple[Any, ...], tuple[Any, ...]]]] = defaultdict(list)
        for key, (_id, data) in self.rows(table).existing.items():
            grouped[key[0]].append((key, data))
        return grouped

    # -- document ------------------------------------------------------------------------------

    def document(self) -> Doc:
        doc: Doc = {"version": 1, "kind": "catalog"}
        doc["org"] = {"slug": self.org.slug, "name": self.org.name}
        _put(doc["org"], "contact", contact_doc(self.db.session, self.org))
        locales = [k[0] for k, (_i, d) in self.rows(t.ORG_LOCALE).existing.items()]
        defaults = {k[0] for k, (_i, d) in self.rows(t.ORG_LOCALE).existing.items() if d[0]}
        doc["locales"] = sorted(locales, key=lambda k: (k not in defaults, k))
        _put(doc, "brands", self.brands())
        _put(doc, "markets", self.markets())
        _put(doc, "instructors", self.instructors())
        _put(doc, "products", ProductWriter(self).products())
        _put(doc, "collections", self.collections())
        _put(doc, "offers", self.offers())
        _put(doc, "promotions", self.promotions())
        return doc

    def _sorted(self, table: Table, build: Callable[[str, str, tuple[Any, ...]], Doc]) -> list[Doc]:
        items = sorted(self.rows(table).existing.items(), key=lambda item: item[0][0])
        return [build(key[0], row_id or "", data) for key, (row_id, data) in items]

    def brands(self) -> list[Doc]:
        texts = self.texts(t.BRAND_TR)
        contacts = brand_contact_docs(self.db.session, self.org)

        def build(slug: str, brand_id: str, _data: tuple[Any, ...]) -> Doc:
            doc: Doc = {"slug": slug, "name": texts.text(brand_id)}
            _put(doc, "description", texts.text(brand_id, 2))
            _put(doc, "contact", contacts.get(brand_id))
            _put(doc, "seo", self.seo(seo.BRAND, brand_id))
            return doc

        return self._sorted(t.BRAND, build)

    def markets(self) -> list[Doc]:
        texts = self.texts(t.MARKET_TR)
        locales, countries = self.children(t.MARKET_LOCALE), self.children(t.MARKET_COUNTRY)

        def build(slug: str, market_id: str, data: tuple[Any, ...]) -> Doc:
            kind, currency, brand_id, domain, is_default, status = data
            doc: Doc = {
                "slug": slug,
                "name": texts.text(market_id),
                "type": kind,
                "currency": currency,
            }
            doc["countries"] = [
                {"country": key[1], "locale": d[0]} if d[0] else key[1]
                for key, d in sorted(countries.get(market_id, []), key=lambda item: item[1][1])
            ]
            chosen = sorted(locales.get(market_id, []), key=lambda item: item[1][1])
            doc["locales"] = [key[1] for key, _d in chosen]
            _put(doc, "brand", self.brand_slug.get(brand_id) if brand_id else None)
            _put(doc, "domain", domain)
            _put(doc, "default", bool(is_default), False)
            _put(doc, "status", status, "active")
            return doc

        return self._sorted(t.MARKET, build)

    def instructors(self) -> list[Doc]:
        people = {
            profile_id: (slug, name, email, title)
            for profile_id, slug, name, email, title in self.db.query(
                f"SELECT {self.db.id_sql('p.id')}, p.slug, p.display_name, u.email,"
                ' i.professional_title FROM user_profile p JOIN "user" u ON u.id = p.user_id'
                " LEFT JOIN user_instructor_profile i ON i.profile_id = p.id"
                " WHERE p.id IN"
                " (SELECT profile_id FROM org_instructor_affiliation WHERE org_id = ?)",
                (self.org_id,),
            )
        }
        result = []
        contacts = profile_contact_docs(self.db.session, list(people))
        for (profile_id,), (_id, data) in self.rows(t.AFFILIATION).existing.items():
            kind, status, share = data[:3]  # its window is not a catalog key
            slug, name, email, title = people[profile_id]
            doc: Doc = {"slug": slug, "name": name, "email": email}
            _put(doc, "title", title)
            _put(doc, "share", format_percent(share) if share else None)
            _put(doc, "type", kind, "contractor")
            _put(doc, "status", status, "active")
            _put(doc, "contact", contacts.get(profile_id))
            result.append(doc)
        return sorted(result, key=lambda d: d["slug"])

    def collections(self) -> list[Doc]:
        texts, members = self.texts(t.COLLECTION_TR), self.children(t.COLLECTION_PRODUCT)

        def build(slug: str, collection_id: str, data: tuple[Any, ...]) -> Doc:
            ordered = sorted(
                members.get(collection_id, []),
                key=lambda item: (item[1][0], self.product_slug[item[0][1]]),
            )
            doc: Doc = {"slug": slug, "name": texts.text(collection_id)}
            _put(doc, "metadata", read_metadata(data[0]))
            doc["products"] = [self.product_slug[key[1]] for key, _d in ordered]
            _put(doc, "seo", self.seo(seo.COLLECTION, collection_id))
            return doc

        return self._sorted(t.COLLECTION, build)

    def offers(self) -> list[Doc]:
        texts = self.texts(t.DISCOUNT_TR)
        names = {
            "products": (self.children(t.DISCOUNT_PRODUCT), self.product_slug),
            "variants": (self.children(t.DISCOUNT_VARIANT), self.variant_names()),
            "plans": (self.children(t.DISCOUNT_PLAN), self.plan_names()),
            "collections": (self.children(t.DISCOUNT_COLLECTION), self.collection_slug),
            "markets": (self.children(t.DISCOUNT_MARKET), self.market_slug),
        }
        coupons: dict[str, list[Doc | str]] = defaultdict(list)
        for (code_key,), (_id, (offer_id, code, limit, starts, ends)) in sorted(
            self.rows(t.COUPON).existing.items()
        ):
            del code_key
            coupon: Doc = {"code": code}
            _put(coupon, "usage_limit", limit)
            _put(coupon, "starts", start_date(starts))
            _put(coupon, "ends", end_date(ends))
            coupons[offer_id].append(coupon if len(coupon) > 1 else code)
        amounts = self.children(t.DISCOUNT_AMOUNT)

        def build(slug: str, offer_id: str, data: tuple[Any, ...]) -> Doc:
            kind, percent, applies, periods, starts, ends, limit, active = data
            doc: Doc = {"slug": slug}
            _put(doc, "name", texts.text(offer_id))
            doc["type"] = kind
            _put(doc, "percent", format_percent(percent) if percent is not None else None)
            _amounts(doc, {key[1]: minor for key, (minor,) in amounts.get(offer_id, [])})
            _put(doc, "applies", applies, "once")
            _put(doc, "periods", periods)
            _put(doc, "starts", start_date(starts))
            _put(doc, "ends", end_date(ends))
            _put(doc, "usage_limit", limit)
            _put(doc, "active", bool(active), True)
            for field, (links, slugs) in names.items():
                _put(doc, field, sorted(slugs[key[1]] for key, _d in links.get(offer_id, [])))
            _put(doc, "coupons", coupons.get(offer_id))
            return doc

        return self._sorted(t.DISCOUNT, build)

    def promotions(self) -> list[Doc]:
        texts, links = self.texts(t.PROMOTION_TR), self.children(t.PROMOTION_DISCOUNT)

        def build(slug: str, promotion_id: str, data: tuple[Any, ...]) -> Doc:
            doc: Doc = {"slug": slug, "name": texts.text(promotion_id)}
            doc["offers"] = sorted(
                self.offer_slug[key[1]] for key, _d in links.get(promotion_id, [])
            )
            _put(doc, "starts", start_date(data[0]))
            _put(doc, "ends", end_date(data[1]))
            return doc

        return self._sorted(t.PROMOTION, build)

    def variant_names(self) -> dict[str, str]:
        return {
            row_id or "": f"{self.product_slug[key[0]]}/{key[1]}"
            for key, (row_id, _d) in self.rows(t.VARIANT).existing.items()
        }

    def plan_names(self) -> dict[str, str]:
        variants = self.variant_names()
        return {
            row_id or "": f"{variants[key[0]]}/{key[1]}"
            for key, (row_id, _d) in self.rows(t.PLAN).existing.items()
        }


@without_gc
def export_catalog(session: Session, *, org: str) -> Iterator[str]:
    """The org's catalog as YAML text, in parts (see `yaml_writer.dump_parts`). The document
    is read here, in the session; its rows are let go before the text is made. Raises
    NotFoundError for an unknown org."""
    document = Exporter(session, org).document()
    return dump_parts(document)
