"""Shopify's product CSV (Products > Export, or Shopify's import template) read as catalog
drafts: `catalog convert --from shopify-csv FILE --currency CODE`.

The layout (help.shopify.com/en/manual/products/import-export/using-csv): one row per variant.
The first row of a handle carries the product's fields (Title, description, Vendor, Type,
Status ...) and its first variant; later rows with the same handle carry further variants
(option values, SKU, price) or only an image, and an image-only row is skipped. Exports since
2024 renamed most columns; both spellings are read (`Handle` / `URL handle`, `Body (HTML)` /
`Description`, `Variant SKU` / `SKU`, `Variant Price` / `Price`, `Variant Compare At Price` /
`Compare-at price`, `Variant Grams` / `Weight value (grams)`, `Published` / `Published on online
store`, `Option1 Name` / `Option1 name` ...).

Prices are in the store's currency, which the file does not name (`--currency`). A store's
market prices (`Price / International`, `Compare-at price / International`) are in that
market's currency, also unnamed: those columns are warned about, not guessed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from volmify_cli import rulebook as rb
from volmify_cli.enums import ProductStatus
from volmify_cli.errors import UsageError, VolmifyError
from volmify_cli.exchange.bounded import input_name
from volmify_cli.exchange.product_csv import (
    Conversion,
    ConvertOptions,
    PriceDraft,
    PriceKey,
    ProductDraft,
    VariantDraft,
    code,
    currency_market,
    description,
    finish,
    flag,
    money,
    product_slug,
    product_status,
    text_line,
    title,
    variant_slug,
)
from volmify_cli.exchange.product_csv_rows import Columns, Row, StoreReader, read_rows, value
from volmify_cli.money import format_amount
from volmify_cli.rules import slugify

SOURCE = "shopify-csv"
# role -> the column's names, the older export's first (compared case-insensitively)
ROLES = {
    "handle": ("Handle", "URL handle"),
    "title": ("Title",),
    "description": ("Body (HTML)", "Description"),
    "vendor": ("Vendor",),
    "type": ("Type",),
    "category": ("Product Category",),
    "status": ("Status",),
    "published": ("Published", "Published on online store"),
    "gift_card": ("Gift Card",),
    "sku": ("Variant SKU", "SKU"),
    "barcode": ("Variant Barcode", "Barcode"),
    "price": ("Variant Price", "Price"),
    "compare_at": ("Variant Compare At Price", "Compare-at price"),
    "grams": ("Variant Grams", "Weight value (grams)"),
    "shipping": ("Variant Requires Shipping", "Requires shipping"),
}
OPTIONS = 3
# the columns of an image row (looked at to tell such a row, not converted)
IMAGES = ("Image Src", "Image Position", "Image Alt Text", "Product image URL",
          "Variant Image", "Variant image URL")  # fmt: skip
NOT_KEPT = frozenset({"barcode"})  # read to flag a mangled value, reported as not converted
VARIANT_ROLES = ("sku", "barcode", "price", "compare_at", "grams")
STATUSES = {
    "active": ProductStatus.ACTIVE,
    "draft": ProductStatus.DRAFT,
    "archived": ProductStatus.ARCHIVED,
}
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_SPACES = re.compile(r"\s+")
NO_OPTIONS = ("", "default title")  # a product without options has one `Default Title` variant


@dataclass
class _Layout:
    columns: Columns
    at: dict[str, int | None]
    options: list[tuple[int | None, int | None]]  # (name, value) of Option1..3
    images: set[int]

    def get(self, row: Row, role: str) -> str:
        return value(row.fields, self.at[role])


def read_shopify_products(
    path: Path, options: ConvertOptions, *, name: str | None = None
) -> Conversion:
    """The products of a Shopify product CSV as drafts, with the warnings of what the catalog
    does not hold. Raises UsageError without `options.currency`, InvalidInputError (exit 3)
    for rows that cannot be read (nothing is converted then), ConfigError for a malformed
    size limit."""
    if not options.currency:
        raise UsageError(
            "a Shopify product CSV has its prices in the store's currency, which the file"
            " does not name",
            "pass --currency CODE (the store currency, e.g. --currency USD)",
        )
    conversion = Conversion(name or input_name(path), SOURCE)
    reader = _Reader(conversion, currency_market(options.currency))
    reader.read(read_rows(path, conversion.file))
    conversion.raise_if_any()
    reader.finish()
    return conversion


class _Reader(StoreReader["_Layout"]):
    def __init__(self, conversion: Conversion, market: PriceKey) -> None:
        super().__init__(conversion)
        self.market = market

    def _layout(self, names: list[str]) -> _Layout | None:
        columns = Columns(names)
        at = {
            role: columns.find(*spellings, read=role not in NOT_KEPT)
            for role, spellings in ROLES.items()
        }
        options = [
            (columns.find(f"Option{n} Name"), columns.find(f"Option{n} Value"))
            for n in range(1, OPTIONS + 1)
        ]
        images = {i for i in (columns.find(n, read=False) for n in IMAGES) if i is not None}
        if at["handle"] is None:
            self.conversion.problem(
                1, "Handle", "missing column 'Handle' (or 'URL handle'): a product needs one"
            )
        for doubled in columns.doubled():
            self.conversion.problem(1, doubled, f"column {doubled!r} appears twice")
        if at["price"] is None:
            self.conversion.warn(1, "no price column ('Variant Price' or 'Price'): no prices")
        if self.conversion.problems:
            return None
        return _Layout(columns, at, options, images)

    def _row(self, row: Row, layout: _Layout) -> None:
        handle = layout.get(row, "handle")
        filled = {i for i, text in enumerate(row.fields) if text.strip()}
        if not handle:
            self.conversion.problem(row.line, "Handle", "no handle: the row belongs to no product")
            return
        slug = self.conversion.handles.get(handle)
        if filled <= layout.images | {layout.at["handle"]} or handle in self.failed:
            return  # an image of the product: images are not converted (said per column)
        if slug is None:
            product = self._product(row, layout, handle)
            if product is None:
                return
        else:
            product = self.conversion.products[slug]
            if not self._has_variant(row, layout):
                self.conversion.warn(
                    row.line,
                    f"row of product {slug!r} has no variant (no option value, SKU or price):"
                    " skipped",
                )
                return
        product.variants.append(self._variant(row, layout, product))

    def _has_variant(self, row: Row, layout: _Layout) -> bool:
        return any(layout.get(row, role) for role in VARIANT_ROLES) or any(
            value(row.fields, at) for _name, at in layout.options
        )

    def _product(self, row: Row, layout: _Layout, handle: str) -> ProductDraft | None:
        conversion, line = self.conversion, row.line
        slug = product_slug(conversion, line, "Handle", handle)
        if slug is None:
            self.failed.add(handle)
            return None
        # without a Status, `Published` says it (blank: published, as Shopify reads it)
        unpublished = flag(layout.get(row, "published")) is False
        known = {**STATUSES, "": STATUSES["draft" if unpublished else "active"]}
        status = product_status(conversion, line, slug, layout.get(row, "status"), known)
        product = ProductDraft(
            line=line,
            slug=slug,
            title=title(conversion, line, slug, layout.get(row, "title")),
            status=status,
            type_text=layout.get(row, "type") or _leaf(layout.get(row, "category")),
            description=description(conversion, line, plain_text(layout.get(row, "description"))),
            brand=brand(conversion, line, layout.get(row, "vendor")),
        )
        if flag(layout.get(row, "gift_card")):
            conversion.warn(
                line, f"product {slug!r} is a Shopify gift card: volmify has no gift cards"
            )
        conversion.products[slug] = product
        conversion.handles[handle] = slug
        return product

    def _variant(self, row: Row, layout: _Layout, product: ProductDraft) -> VariantDraft:
        conversion, line = self.conversion, row.line
        values = [value(row.fields, at) for _name, at in layout.options]
        values = [v for v in values if v]
        if len(values) == 1 and values[0].lower() in NO_OPTIONS:
            values = []
        sku = code(conversion, line, "SKU", layout.get(row, "sku"), rb.SKU)
        code(conversion, line, "barcode", layout.get(row, "barcode"))
        name = " / ".join(values)
        variant = VariantDraft(
            line=line,
            slug=variant_slug(product, values, sku),
            name=text_line(conversion, line, "variant name", name, rb.NAME) or None,
            sku=sku,
            weight_grams=grams(conversion, line, layout.get(row, "grams")),
            requires_shipping=flag(layout.get(row, "shipping")),
        )
        currency = self.market.currency
        amount = money(conversion, line, "price", layout.get(row, "price"), currency)
        if amount is None:
            if layout.at["price"] is not None:
                conversion.warn(
                    line,
                    f"variant {product.slug}/{variant.slug} has no price: it is written without"
                    " a plan",
                )
            return variant
        price = PriceDraft(self.market, amount)
        if layout.get(row, "compare_at"):
            compare_at(conversion, line, price, layout.get(row, "compare_at"))
        variant.prices.append(price)
        return variant

    def finish(self) -> None:
        finish(self.conversion, self.layout.columns if self.layout else None, _reason)


def brand(conversion: Conversion, line: int, text: str) -> str | None:
    """A vendor's name as a brand of the catalog (its slug: the name slugified); None and a
    warning when the name gives no slug."""
    name = text_line(conversion, line, "vendor", text, rb.NAME)
    if name and not slugify(name):
        conversion.warn(line, f"vendor {name!r} gives no brand slug (a-z, 0-9, -): not kept")
        return None
    return name or None


def compare_at(conversion: Conversion, line: int, price: PriceDraft, text: str) -> None:
    """Sets the price's compare-at amount, unless it is below the price (a warning: a
    catalog's compare-at price is at least the price)."""
    currency = price.market.currency
    found = money(conversion, line, "compare-at price", text, currency)
    if found is not None and found < price.amount:
        below = f"{format_amount(found, currency)} {currency} is below the price"
        shown = f"{format_amount(price.amount, currency)} {currency}"
        conversion.warn(line, f"compare-at price {below} {shown}: not kept")
    elif found is not None:
        price.compare_at = found


def grams(conversion: Conversion, line: int, text: str) -> int | None:
    """A weight in whole grams (`250`, `250.0`); None and a warning for anything else."""
    if not text:
        return None
    whole, dot, fraction = text.partition(".")
    try:
        if dot and fraction.strip("0"):
            raise VolmifyError(f"{text!r} is not a whole number of grams")
        return rb.WEIGHT_GRAMS.parse(whole)
    except VolmifyError as exc:
        conversion.warn(line, f"weight is not converted: {exc.reason}")
        return None


class _Text(HTMLParser):
    BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                        "table", "blockquote", "section", "article"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        breaks = {"li": "\n- ", "br": "\n"}
        self.parts.append(breaks.get(tag, "\n\n" if tag in self.BLOCKS else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(_SPACES.sub(" ", data))


def html_text(markup: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, paragraphs and list
    items on lines of their own, one blank line at most between blocks."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in html.unescape("".join(parser.parts)).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def plain_text(text: str) -> str:
    """`Body (HTML)` as plain text (a description holds no markup); plain text stays."""
    return html_text(text) if _TAG.search(text) else text


def _leaf(category: str) -> str:
    """The last level of Shopify's product category (`Media > Books > E-books` -> `E-books`)."""
    return category.rpartition(">")[2].strip()


def _reason(name: str) -> str | None:
    folded = name.casefold()
    for prefix in ("price / ", "compare-at price / ", "compare at price / "):
        if folded.startswith(prefix):
            return (
                f"the prices of the Shopify market {name.split('/', 1)[1].strip()!r} are in"
                " that market's currency, which the file does not name"
            )
    if folded.startswith("included / "):
        return "Shopify market availability has no volmify equivalent"
    if folded in {n.casefold() for n in IMAGES}:
        return "product images are not part of a catalog"
    if folded in ("variant barcode", "barcode"):
        return "volmify keeps no barcodes"
    return None
