"""The checks a catalog's files allow beyond the schema: one catalog out of several files (a slug
defined twice names both places), texts only in the catalog's locales, markets' locales and
countries, references between entities, defaults, shares, and prices in each market's currency.

With `known` (what the org already holds in the database), a reference to an entity outside the
files is resolved there and is an error when missing ("not found in org X"); without it
(`catalog validate`, no database) such a reference is a warning.

Markets keep the rule book's market rules: a single_country market has one country, and a
country is in one market of the org, across the files and (with `known`) the org's markets the
files do not redefine and a prune keeps.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from volmify_cli.errors import RuleError
from volmify_cli.inputs.catalog_model import Catalog, CatalogFile, Entry, Known
from volmify_cli.inputs.catalog_offer_checks import check_offer
from volmify_cli.inputs.catalog_prices import read_prices
from volmify_cli.inputs.catalog_schema import MarketDoc, ProductDoc
from volmify_cli.inputs.course_checks import check_course
from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.seo_checks import check_seo_locales
from volmify_cli.money import format_percent
from volmify_cli.rulebook import check_country_once, check_market_countries

ENTITY_LISTS = (
    "brands",
    "markets",
    "instructors",
    "products",
    "collections",
    "offers",
    "promotions",
)
_SHARED_CURRENCY: dict[str, str] = {}  # currency code -> the one string every price holds


def build_catalog(
    files: list[CatalogFile], known: Known | None = None
) -> tuple[Catalog, list[str]]:
    """One checked catalog out of its files, and the warnings. Raises InvalidInputError with
    every problem found (up to 100)."""
    checker = _Checker(files, known)
    catalog = checker.merge()
    if not checker.problems:
        checker.check(catalog)
    checker.problems.raise_if_any()
    return catalog, checker.warnings


class _Checker:
    def __init__(self, files: list[CatalogFile], known: Known | None) -> None:
        self.files = files
        self.known = known
        self.problems = Problems()
        self.warnings: list[str] = []
        self.catalog = Catalog(files=[f.name for f in files])
        self._address_sets: dict[str, set[str]] = {}

    def error(self, file: str, at: Any, path: str, message: str) -> None:
        self.problems.add(at, path, message, filename=file)

    # -- one catalog out of several files ------------------------------------------------------

    def merge(self) -> Catalog:
        catalog = self.catalog
        org_from: CatalogFile | None = None
        locales_from: CatalogFile | None = None
        for file in self.files:
            doc = file.doc
            if doc.org is not None:
                if org_from is None or org_from.doc.org is None:
                    catalog.org, org_from = doc.org, file
                elif doc.org.slug != org_from.doc.org.slug or (
                    doc.org.name and org_from.doc.org.name and doc.org.name != org_from.doc.org.name
                ):
                    self.error(
                        file.name, doc.org, "org", f"a different org than in {org_from.name}"
                    )
            if doc.locales is not None:
                if locales_from is None:
                    catalog.locales, locales_from = [str(k) for k in doc.locales], file
                elif [str(k) for k in doc.locales] != catalog.locales:
                    self.error(
                        file.name,
                        doc.locales[0],
                        "locales",
                        f"differ from the locales in {locales_from.name}",
                    )
            for name in ENTITY_LISTS:
                table: dict[str, Entry[Any]] = getattr(catalog, name)
                for index, item in enumerate(getattr(doc, name)):
                    path = file.product_path(index) if name == "products" else f"{name}[{index}]"
                    entry = Entry(file.name, path, item)
                    first = table.get(str(item.slug))
                    if first is None and name == "products":
                        first = catalog.unchanged.get(str(item.slug))  # type: ignore[assignment]
                    if first is not None:
                        noun = name[:-1]
                        self.error(
                            file.name,
                            item,
                            entry.path,
                            f"{noun} {item.slug!r} is defined twice (first at {first.where()})",
                        )
                    else:
                        table[str(item.slug)] = entry
            for skipped in file.unchanged:
                first_read = catalog.products.get(skipped.slug)
                if first_read is not None or skipped.slug in catalog.unchanged:
                    self.problems.add(
                        (skipped.line, skipped.column),
                        f"products[{skipped.index}]",
                        f"product {skipped.slug!r} is defined twice (first at"
                        f" {(first_read or catalog.unchanged[skipped.slug]).where()})",
                        filename=file.name,
                    )
                else:
                    catalog.unchanged[skipped.slug] = skipped
        if locales_from is None:
            self.error(
                self.files[0].name,
                None,
                "locales",
                "no file names the catalog's locales (locales: [en-US, …])",
            )
        return catalog

    # -- references ----------------------------------------------------------------------------

    def ref(
        self,
        kind: str,
        slug: str,
        defined: Container[Any],
        db: Container[Any] | None,
        file: str,
        at: Any,
        path: str,
    ) -> bool:
        """True when `slug` names an entity of the files or (with a database) of the org."""
        if slug in defined:
            return True
        if self.known is None:
            where = f"{file}:{at.line}:{at.column}" if hasattr(at, "line") else file
            self.warnings.append(
                f"{where}: {path}: {kind} {slug!r} is not defined in these files"
                " (an import looks for it in the database)"
            )
            return False
        if db is not None and slug in db:
            if self.known.prune and not self.known.survives(kind, slug):
                self.error(
                    file,
                    at,
                    path,
                    f"{kind} {slug!r} is not in these files, and --prune would delete it",
                )
                return False
            return True
        if kind == "instructor":
            self.error(
                file,
                at,
                path,
                f"instructor {slug!r} not found (list it under instructors: to create it)",
            )
        else:
            self.error(file, at, path, f"{kind} {slug!r} not found in org {self.known.org}")
        return False

    def texts(self, file: str, path: str, text: Any) -> None:
        if isinstance(text, dict):
            for key in text:
                if key not in self.catalog.locales:
                    allowed = ", ".join(self.catalog.locales)
                    self.error(
                        file,
                        key,
                        f"{path}.{key}",
                        f"locale {key!r} is not one of the catalog's locales ({allowed})",
                    )

    def duplicates(
        self, file: str, path: str, items: Iterable[Any], what: str, key: Any = str
    ) -> None:
        seen: set[Any] = set()
        for index, item in enumerate(items):
            value = key(item)
            if value in seen:
                self.error(file, item, f"{path}[{index}]", f"{what} {str(value)!r} is listed twice")
            seen.add(value)

    # -- the checks ----------------------------------------------------------------------------

    def check(self, catalog: Catalog) -> None:
        self.duplicates(self.files[0].name, "locales", catalog.locales, "locale")
        for brand in catalog.brands.values():
            self.texts(brand.file, f"{brand.path}.name", brand.doc.name)
            self.texts(brand.file, f"{brand.path}.description", brand.doc.description)
            check_seo_locales(
                self.problems, brand.file, brand.path, brand.doc.seo, brand.doc.name,
                catalog.default_locale, kind="brand", key=str(brand.doc.slug),
            )  # fmt: skip
        defaults = [e for e in catalog.markets.values() if e.doc.default]
        for extra in defaults[1:]:
            self.error(
                extra.file,
                extra.doc,
                f"{extra.path}.default",
                f"a second default market (first: {defaults[0].doc.slug})",
            )
        domains: dict[str, Entry[MarketDoc]] = {}
        for market in catalog.markets.values():
            self.market(market)
            domain = market.doc.domain
            if domain is not None:
                if str(domain) in domains:
                    self.error(
                        market.file,
                        domain,
                        f"{market.path}.domain",
                        f"domain {domain} is also used by market {domains[str(domain)].doc.slug}",
                    )
                domains.setdefault(str(domain), market)
        self.market_countries()
        for product in catalog.products.values():
            self.product(product)
        for collection in catalog.collections.values():
            self.texts(collection.file, f"{collection.path}.name", collection.doc.name)
            check_seo_locales(
                self.problems, collection.file, collection.path, collection.doc.seo,
                collection.doc.name, catalog.default_locale, kind="collection",
                key=str(collection.doc.slug),
            )  # fmt: skip
            self.duplicates(
                collection.file, f"{collection.path}.products", collection.doc.products, "product"
            )
            for index, slug in enumerate(collection.doc.products):
                self.ref(
                    "product",
                    slug,
                    catalog.product_slugs,
                    self._db("products"),
                    collection.file,
                    slug,
                    f"{collection.path}.products[{index}]",
                )
        codes: dict[str, str] = {}
        for offer in catalog.offers.values():
            check_offer(self, offer, codes)
        for promotion in catalog.promotions.values():
            self.texts(promotion.file, f"{promotion.path}.name", promotion.doc.name)
            for index, slug in enumerate(promotion.doc.offers):
                self.ref(
                    "offer",
                    slug,
                    catalog.offers,
                    self._db("offers"),
                    promotion.file,
                    slug,
                    f"{promotion.path}.offers[{index}]",
                )

    def _db(self, name: str) -> Container[Any] | None:
        return getattr(self.known, name) if self.known is not None else None

    def market(self, entry: Entry[MarketDoc]) -> None:
        doc, file, path = entry.doc, entry.file, entry.path
        self.texts(file, f"{path}.name", doc.name)
        self.duplicates(file, f"{path}.locales", doc.locales, "locale")
        for index, key in enumerate(doc.locales):
            if key not in self.catalog.locales:
                self.error(
                    file,
                    key,
                    f"{path}.locales[{index}]",
                    f"locale {key!r} is not one of the org's locales"
                    f" ({', '.join(self.catalog.locales)})",
                )
        self.duplicates(
            file, f"{path}.countries", doc.countries, "country", key=lambda c: str(c.country)
        )
        try:
            check_market_countries(doc.type.value, [str(c.country) for c in doc.countries])
        except RuleError as exc:
            at = doc.countries[1] if len(doc.countries) > 1 else doc
            self.error(file, at, f"{path}.countries", exc.reason)
        for index, country in enumerate(doc.countries):
            if country.locale is not None and country.locale not in doc.locales:
                self.error(
                    file,
                    country.locale,
                    f"{path}.countries[{index}].locale",
                    f"locale {country.locale!r} is not one of the market's locales",
                )
        if doc.brand is not None:
            self.ref(
                "brand",
                doc.brand,
                self.catalog.brands,
                self._db("brands"),
                file,
                doc.brand,
                f"{path}.brand",
            )

    def market_countries(self) -> None:
        """A country is in one market of the org: across the files' markets, and the markets
        the org holds in the database that the files do not redefine (and a prune keeps)."""
        holders: dict[str, str] = {}
        where: dict[str, str] = {}
        known = self.known
        if known is not None:
            for country, slug in known.market_countries.items():
                stays = not known.prune or known.survives("market", slug)
                if slug not in self.catalog.markets and stays:
                    holders[country], where[country] = slug, "in the database, not in these files"
        for market in self.catalog.markets.values():
            slug = str(market.doc.slug)
            for index, item in enumerate(market.doc.countries):
                country = str(item.country)
                try:
                    check_country_once(country, slug, holders, where.get(country))
                except RuleError as exc:
                    self.error(market.file, item, f"{market.path}.countries[{index}]", exc.reason)
                    continue
                if country not in holders:
                    line, column = item.mark
                    holders[country] = slug
                    where[country] = f"{market.file}:{line}:{column}" if line else market.file

    def currencies(self) -> dict[str, str]:
        """The currency of each market the files define, by slug: one string per currency,
        shared by every price (240,000 copies took 12 MB)."""
        shared = _SHARED_CURRENCY
        found = {}
        for slug, entry in self.catalog.markets.items():
            text = str(entry.doc.currency)
            found[slug] = shared.setdefault(text, text)
        return found

    def currency_of(self, file: str, currencies: dict[str, str]) -> Any:
        """The currency of a price's market (`currencies`: those the files define), or None
        when the market is unknown (reported at `at`)."""
        known = self.known

        def currency(market: str, at: Any, where: str) -> str | None:
            found = currencies.get(market)
            if found is not None:
                return found
            if (
                self.ref("market", market, (), known.markets if known else None, file, at, where)
                and known
            ):
                return known.markets[market]
            return None

        return currency

    def product(self, entry: Entry[ProductDoc]) -> None:
        doc, file, path, catalog = entry.doc, entry.file, entry.path, self.catalog
        self.texts(file, f"{path}.title", doc.title)
        self.texts(file, f"{path}.description", doc.description)
        check_seo_locales(
            self.problems, file, path, doc.seo, doc.title, catalog.default_locale,
            kind="product", key=str(doc.slug),
        )  # fmt: skip
        self.duplicates(file, f"{path}.brands", doc.brands, "brand")
        for index, brand in enumerate(doc.brands):
            self.ref(
                "brand",
                brand,
                catalog.brands,
                self._db("brands"),
                file,
                brand,
                f"{path}.brands[{index}]",
            )
        total = 0
        seen: set[str] = set()
        for index, item in enumerate(doc.attribution):
            where = f"{path}.attribution[{index}]"
            recipient = (
                f"instructor:{item.instructor}" if item.instructor else f"brand:{item.brand}"
            )
            if recipient in seen:
                self.error(file, item, where, f"{recipient.replace(':', ' ')} is attributed twice")
            seen.add(recipient)
            if item.instructor is not None:
                self.ref(
                    "instructor",
                    item.instructor,
                    catalog.instructors,
                    self._db("instructors"),
                    file,
                    item.instructor,
                    f"{where}.instructor",
                )
                share = item.share
                if share is None and item.instructor in catalog.instructors:
                    share = catalog.instructors[item.instructor].doc.share
                total += share or 0
            elif item.brand is not None:
                if item.brand not in doc.brands:
                    self.error(
                        file,
                        item.brand,
                        f"{where}.brand",
                        f"brand {item.brand!r} is not one of the product's brands",
                    )
                total += item.share or 0
        if total > 10_000:
            self.error(
                file,
                doc.attribution[0],  # the aggregate rule points at the shares, not the product
                f"{path}.attribution",
                f"shares of product {doc.slug!r} total {format_percent(total)}, over 100%",
            )
        if doc.course is not None:
            for problem in check_course(
                doc.course,
                default_locale=catalog.default_locale,
                locales=catalog.locales,
                path=f"{path}.course",
            ):
                self.error(file, problem[0], problem[1], problem[2])
        self.duplicates(
            file, f"{path}.variants", doc.variants, "variant", key=lambda v: str(v.slug)
        )
        defaults = [v for v in doc.variants if v.default]
        if len(doc.variants) > 1 and len(defaults) != 1:
            self.error(
                file,
                doc,
                f"{path}.variants",
                f"exactly one variant must be the default (default: true), found {len(defaults)}",
            )
        elif len(doc.variants) == 1 and doc.variants[0].default is False:
            self.error(
                file,
                doc.variants[0],
                f"{path}.variants[0].default",
                "the only variant of a product is its default",
            )
        currencies = self.currencies()
        currency_of = self.currency_of(file, currencies)
        for v_index, variant in enumerate(doc.variants):
            v_path = f"{path}.variants[{v_index}]"
            self.texts(file, f"{v_path}.name", variant.name)
            self.duplicates(
                file, f"{v_path}.plans", variant.plans, "plan", key=lambda p: str(p.slug)
            )
            plan_defaults = [p for p in variant.plans if p.default]
            if len(plan_defaults) > 1:
                self.error(
                    file,
                    plan_defaults[1],
                    f"{v_path}.plans",
                    "a variant has at most one default plan",
                )
            for p_index, plan in enumerate(variant.plans):
                p_path = f"{v_path}.plans[{p_index}]"
                self.texts(file, f"{p_path}.name", plan.name)
                prices = read_prices(self.problems, file, p_path, plan, currency_of, currencies)
                catalog.prices[(str(doc.slug), str(variant.slug), str(plan.slug))] = prices
