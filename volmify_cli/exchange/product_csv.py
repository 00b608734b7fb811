"""Product CSVs of other stores (`catalog convert`) as a catalog document (SPEC 4.1) to review.

The store readers (`shopify_products`, `medusa_products`) read their layouts into drafts (a
`ProductDraft` per handle, a `VariantDraft` per variant row, prices in minor units by market).
Shared here: the rows (through `sales_csv.csv_records`, as every importer reads CSV), the
readings of values, and the document. A loss is a warning naming `FILE:LINE`, never silent; a
row that cannot be read is a problem (InvalidInputError, exit 3: nothing is written)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from volmify_cli import rulebook as rb
from volmify_cli.enums import ProductStatus, ProductType
from volmify_cli.errors import InvalidInputError, Problem, VolmifyError
from volmify_cli.exchange.product_csv_rows import Columns
from volmify_cli.exchange.stripe_payments import plain_amount
from volmify_cli.exchange.yaml_writer import dump
from volmify_cli.money import format_amount, minor_units, parse_amount
from volmify_cli.rules import check_slug, slugify

MAX_PROBLEMS = 100
DEFAULT_VARIANT = "standard"  # the slug of a product's only, option-less variant
PLAN = "standard"  # every converted variant is sold by one one-time plan of this slug
# A long number as a spreadsheet shows it (`3.65275E+11`, always signed: `12E5` is a code).
_EXCEL_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+-][0-9]+")
_SPACES = re.compile(r"\s+")
NOT_CONVERTED = "volmify catalogs have no place for it"

# Words of a store's product type (or category) -> the volmify type, tried in this order, so
# "Video course" is a course and "E-book" is digital before "book" makes it physical.
TYPE_WORDS = tuple((kind, frozenset(words.split())) for kind, words in (
    (ProductType.COURSE, "course class lesson training bootcamp masterclass"),
    (ProductType.SERVICE, "workshop coaching consulting consultation mentoring service session"
                          " webinar event"),
    (ProductType.DIGITAL, "ebook e-book digital download pdf template software audiobook license"),
    (ProductType.PHYSICAL, "book paperback hardcover merch merchandise apparel shirt mug poster"
                           " print kit sticker physical"),
))  # fmt: skip


# -- what a conversion finds -----------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A warning: something of the source the catalog does not hold as it was."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PriceKey:
    """The market of a price column: a currency (`USD`) or a store's region (Medusa's
    `Variant Price [Europe] EUR`), with the name a market made for it gets."""

    key: str
    currency: str
    name: str


@dataclass
class PriceDraft:
    market: PriceKey
    amount: int  # minor units of market.currency
    compare_at: int | None = None


@dataclass
class VariantDraft:
    line: int
    slug: str
    name: str | None
    prices: list[PriceDraft] = field(default_factory=list)
    sku: str | None = None
    weight_grams: int | None = None
    requires_shipping: bool | None = None


@dataclass
class ProductDraft:
    line: int
    slug: str
    title: str
    status: ProductStatus
    type_text: str = ""
    description: str | None = None
    brand: str | None = None
    variants: list[VariantDraft] = field(default_factory=list)
    type: ProductType = ProductType.DIGITAL


@dataclass
class ConvertOptions:
    """The catalog's locale, the org it names (None: the import's --org decides), a Shopify
    file's currency, `--market SLUG=KEY` (a currency or region -> an org's existing market)."""

    locale: str = "en-US"
    org: str | None = None
    currency: str | None = None
    markets: dict[str, str] = field(default_factory=dict)  # KEY (case-folded) -> market slug


class Conversion:
    """The drafts read from one file, its warnings and its problems."""

    def __init__(self, file: str, source: str) -> None:
        self.file = file
        self.source = source
        self.products: dict[str, ProductDraft] = {}  # by slug, in the file's order
        self.handles: dict[str, str] = {}  # the store's handle -> product slug
        self.notes: list[Note] = []
        self.problems: list[Problem] = []

    def warn(self, line: int | None, message: str) -> None:
        self.notes.append(Note(self.file, line, message))

    def problem(self, line: int | None, column: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, line, None, column, message))

    def raise_if_any(self) -> None:
        """Raises InvalidInputError with every problem found (up to 100)."""
        if self.problems:
            raise InvalidInputError(self.problems)


# -- the rows of a CSV file ------------------------------------------------------------------------


def finish(
    conversion: Conversion, columns: Columns | None, reason: Callable[[str], str | None]
) -> None:
    """Each product's type, and the warnings of what the whole file loses: the SKUs and
    weights of all but a physical product's default variant, the types it had to choose, and
    each column with data that was not read (`reason(name)`: why, when there is more to say)."""
    skus = weights = untyped = 0
    for product in conversion.products.values():
        shipped = any(variant.requires_shipping for variant in product.variants)
        product_type(conversion, product, requires_shipping=shipped)
        untyped += not product.type_text
        for variant in product.variants[product.type is ProductType.PHYSICAL :]:
            skus, weights = skus + bool(variant.sku), weights + bool(variant.weight_grams)
    one = "a catalog holds one SKU and weight per physical product (its default variant's)"
    for count, what in ((skus, "SKUs"), (weights, "weights")):
        if count:
            conversion.warn(1, f"{count} {what} are not kept: {one}")
    if untyped:
        written = "digital products (physical when they require shipping)"
        conversion.warn(1, f"{untyped} products say no product type: written as {written}")
    for name in columns.unread() if columns else ():
        conversion.warn(1, f"column {name!r} is not converted: {reason(name) or NOT_CONVERTED}")


def currency_market(currency: str) -> PriceKey:
    """The market of the prices in one currency (named after it: `US Dollar (USD)`)."""
    from volmify_cli.reference.currencies import CURRENCIES

    name = next((row[3] for row in CURRENCIES if row[0] == currency), currency)
    return PriceKey(currency, currency, f"{name} ({currency})")


# -- values ----------------------------------------------------------------------------------------


def product_slug(conversion: Conversion, line: int, column: str, handle: str) -> str | None:
    """The slug of a store's handle: the handle when it is a volmify slug, else slugified (a
    warning); None and a problem when nothing is left of it or another handle has it."""
    slug = handle if _is_slug(handle) else slugify(handle)
    taken = conversion.products.get(slug)
    if not slug:
        conversion.problem(line, column, f"handle {handle!r} gives no slug (a-z, 0-9, -)")
    elif taken is not None:
        where = f"the slug {slug!r} of the product at line {taken.line}"
        conversion.problem(line, column, f"handle {handle!r} gives {where}")
    elif slug != handle:
        conversion.warn(line, f"handle {handle!r} is not a volmify slug: written as {slug!r}")
    return slug if slug and taken is None else None


def _is_slug(text: str) -> bool:
    try:
        return bool(check_slug(text))
    except VolmifyError:
        return False


def one_line(text: str) -> str:
    """Control characters and line breaks as spaces, runs of spaces as one, trimmed."""
    return _SPACES.sub(" ", re.sub("[\x00-\x1f\x7f]", " ", text)).strip()


def text_line(conversion: Conversion, line: int, what: str, text: str, rule: rb.TextRule) -> str:
    """One line of text (`one_line`), cut to the rule book's length (a warning)."""
    cleaned = one_line(text)
    if len(cleaned) > rule.max_length:
        conversion.warn(line, f"{what} is {len(cleaned):,} characters: cut to {rule.max_length:,}")
        cleaned = cleaned[: rule.max_length].rstrip()
    return cleaned


def title(conversion: Conversion, line: int, slug: str, text: str) -> str:
    """A product's title; a product without one is titled by its slug (a warning)."""
    found = text_line(conversion, line, "title", text, rb.TITLE)
    if not found:
        conversion.warn(line, f"product {slug!r} has no title: its slug is used as the title")
    return found or slug


def description(conversion: Conversion, line: int, text: str) -> str | None:
    """Free text without control characters (tabs and line breaks stay), cut to the rule
    book's length (a warning)."""
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip()
    limit = rb.DESCRIPTION.max_length
    if len(text) > limit:
        conversion.warn(line, f"description is {len(text):,} characters: cut to {limit:,}")
        text = text[:limit].rstrip()
    return text or None


def product_status(
    conversion: Conversion, line: int, slug: str, text: str, known: Mapping[str, ProductStatus]
) -> ProductStatus:
    """The volmify status of a store's (`known` by lower-case text, "" for a blank one); any
    other status is a draft (a warning), for the admin to decide."""
    found = known.get(text.strip().lower())
    if found is None:
        message = f"status {text!r} of product {slug!r} has no volmify equivalent: written as draft"
        conversion.warn(line, message)
    return found or ProductStatus.DRAFT


def code(
    conversion: Conversion, line: int, what: str, text: str, rule: rb.TextRule | None = None
) -> str | None:
    """A SKU or barcode as written; None and a warning when a spreadsheet turned it into a
    number in scientific notation (`3.65275E+11`: its digits are lost) or it breaks `rule`."""
    if not text:
        return None
    if _EXCEL_NUMBER.fullmatch(text):
        mangled = "was mangled by a spreadsheet (a number in scientific notation: digits lost)"
        again = "export the file again and open it without converting numbers"
        conversion.warn(line, f"{what} {text!r} {mangled}, so it is not kept; {again}")
        return None
    try:
        return rule.check(text) if rule else text
    except VolmifyError as exc:
        conversion.warn(line, f"{what} {text!r} is not kept: {exc.reason}")
        return None


def money(conversion: Conversion, line: int, what: str, text: str, currency: str) -> int | None:
    """An amount in major units (`49.00`, `1,299.00`) in minor units of `currency`; zero
    decimals beyond the currency's digits are dropped (Shopify writes JPY 1500 as `1500.00`).
    None and a warning when it cannot be read exactly."""
    if not text:
        return None
    try:
        return parse_amount(plain_amount(text, minor_units(currency)), currency)
    except VolmifyError as exc:
        conversion.warn(line, f"{what} {text!r} is not converted: {exc.reason}")
        return None


def flag(text: str) -> bool | None:
    """TRUE / FALSE as stores write them (any case); None when blank or anything else."""
    return {"true": True, "false": False}.get(text.strip().lower())


def product_type(conversion: Conversion, product: ProductDraft, *, requires_shipping: bool) -> None:
    """The type the words of the store's type (or category) name (`TYPE_WORDS`); else a
    warning, and physical when it ships, digital when not."""
    text = product.type_text
    words = set(re.split(r"[^a-z0-9-]+", text.lower()))
    words |= {word[:-1] for word in words if word.endswith("s")}  # courses, e-books, mugs
    kind = next((kind for kind, names in TYPE_WORDS if words & names), None)
    if kind is not None:
        product.type = kind
        if requires_shipping and kind is not ProductType.PHYSICAL:
            made = f"its type {text!r} makes it a {kind.value} product"
            message = f"product {product.slug!r} requires shipping, but {made}"
            conversion.warn(product.line, f"{message}: shipping is not kept")
        return
    product.type = ProductType.PHYSICAL if requires_shipping else ProductType.DIGITAL
    if text:
        shipped = " (it requires shipping)" if requires_shipping else ""
        written = f"{product.slug!r} is written as a {product.type.value} product{shipped}"
        conversion.warn(product.line, f"product type {text!r} has no volmify equivalent: {written}")


def variant_slug(product: ProductDraft, values: list[str], sku: str | None) -> str:
    """A variant's slug: from its option values (`Live cohort` -> `live-cohort`); without any,
    `standard` for the product's first variant, else its SKU, else `variant-N`; unique
    within the product."""
    wanted = slugify(" ".join(values))
    if not wanted and not product.variants:
        wanted = DEFAULT_VARIANT
    elif not wanted:
        wanted = (slugify(sku) if sku else "") or f"variant-{len(product.variants) + 1}"
    return _unique(wanted, {variant.slug for variant in product.variants})


def _unique(wanted: str, taken: set[str]) -> str:
    slug, number = wanted, 1
    while slug in taken:
        number += 1
        slug = f"{wanted[: 120 - len(str(number)) - 1]}-{number}"
    return slug


# -- the catalog document --------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketUse:
    """A market the converted prices are in: defined by the file, or the org's (--market)."""

    slug: str
    key: PriceKey
    defined: bool


def markets(conversion: Conversion, options: ConvertOptions) -> list[MarketUse]:
    """The markets of the prices: `--market` names an existing market of the org; every other
    key gets a market of its own (`usd` for USD, `europe` for a region)."""
    keys = {
        price.market.key: price.market
        for product in conversion.products.values()
        for variant in product.variants
        for price in variant.prices
    }
    taken = set(options.markets.values())
    found: list[MarketUse] = []
    for key, price_key in keys.items():
        chosen = options.markets.get(key.casefold())
        if chosen is None:
            chosen = _unique(slugify(key) or price_key.currency.lower(), taken)
            taken.add(chosen)
        found.append(MarketUse(chosen, price_key, defined=key.casefold() not in options.markets))
    return sorted(found, key=lambda market: market.slug)


def catalog_document(conversion: Conversion, options: ConvertOptions) -> dict[str, Any]:
    """The catalog as `catalog export` writes one: keys in the import format's order,
    entities sorted by slug, amounts as text in major units."""
    used = markets(conversion, options)
    slug_of = {market.key.key: market for market in used}
    doc: dict[str, Any] = {"version": 1, "kind": "catalog"}
    if options.org:
        doc["org"] = options.org
    doc["locales"] = [options.locale]
    brands: dict[str, str] = {}
    for product in conversion.products.values():  # the first spelling of a vendor names it
        if product.brand:
            brands.setdefault(slugify(product.brand), product.brand)
    if brands:
        doc["brands"] = [{"slug": slug, "name": name} for slug, name in sorted(brands.items())]
    if any(market.defined for market in used):
        doc["markets"] = [_market(m, options.locale) for m in used if m.defined]
    if conversion.products:
        products = sorted(conversion.products.values(), key=lambda product: product.slug)
        doc["products"] = [_product(product, slug_of) for product in products]
    return doc


def _market(market: MarketUse, locale: str) -> dict[str, Any]:
    key = market.key
    return {"slug": market.slug, "name": key.name, "type": "custom", "currency": key.currency,
            "countries": [], "locales": [locale]}  # fmt: skip


def _product(product: ProductDraft, slug_of: dict[str, MarketUse]) -> dict[str, Any]:
    doc: dict[str, Any] = {"slug": product.slug, "type": product.type.value,
                           "status": product.status.value, "title": product.title}  # fmt: skip
    if product.description:
        doc["description"] = product.description
    if product.brand:
        doc["brands"] = [slugify(product.brand)]
    first = product.variants[0] if product.variants else None
    if product.type is ProductType.PHYSICAL and first is not None:
        block = {"sku": first.sku, "weight_grams": first.weight_grams}
        block = {key: found for key, found in block.items() if found is not None}
        if first.requires_shipping is False:
            block["requires_shipping"] = False
        if block:
            doc["physical"] = block
    variants = sorted(product.variants, key=lambda variant: variant.slug)
    doc["variants"] = [_variant(v, v is first, slug_of) for v in variants]
    return doc


def _variant(variant: VariantDraft, default: bool, slug_of: dict[str, MarketUse]) -> dict[str, Any]:
    doc: dict[str, Any] = {"slug": variant.slug}
    if variant.name:
        doc["name"] = variant.name
    if default:
        doc["default"] = True
    uses = [(slug_of[price.market.key], price) for price in variant.prices]
    prices = {market.slug: _price(price, market) for market, price in uses}
    plan = {"slug": PLAN, "type": "one_time", "tier": 1, "prices": dict(sorted(prices.items()))}
    doc["plans"] = [plan] if prices else []
    return doc


def _price(price: PriceDraft, market: MarketUse) -> Any:
    currency = price.market.currency
    doc = {"amount": format_amount(price.amount, currency)}
    if not market.defined:  # the org's market (--market): say the currency the CSV meant
        doc["currency"] = currency
    if price.compare_at is not None:
        doc["compare_at"] = format_amount(price.compare_at, currency)
    return doc if len(doc) > 1 else doc["amount"]


def catalog_text(conversion: Conversion, options: ConvertOptions) -> str:
    """The catalog YAML of a conversion (deterministic: the same file gives the same bytes)."""
    return dump(catalog_document(conversion, options))
