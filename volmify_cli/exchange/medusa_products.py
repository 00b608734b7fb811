"""Medusa's product CSV (the admin's product export, or its import template) read as catalog
drafts: `catalog convert --from medusa-csv FILE`.

The layout (docs.medusajs.com/user-guide/products/import): one row per variant, each repeating
its product's columns; the product is its `Product Handle`. Column names are compared
case-insensitively, as Medusa does. Both of Medusa's layouts are read:

- v2: `Variant Sku`, `Variant Option 1 Name` / `Variant Option 1 Value`, and prices as
  `Variant Price EUR` (a currency) or `Variant Price [Europe] EUR` (a region, then its currency);
- v1: `Variant SKU`, `Option 1 Name` / `Option 1 Value`, `Product Type`, and prices as
  `Price EUR` or `Price Europe [EUR]`.

Amounts are in major units in both (v1's importer converts them to minor units itself,
v2 stores them as written). A currency column's prices go to a market of that currency, a
region column's to a market of that region (`--market SLUG=CURRENCY` or `SLUG=REGION` sends
them to an existing market of the org instead). Medusa's statuses are draft, proposed,
published and rejected: published is active, draft is draft, the others are drafts (warned).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from volmify_cli import rulebook as rb
from volmify_cli.enums import ProductStatus
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
    one_line,
    product_slug,
    product_status,
    text_line,
    title,
    variant_slug,
)
from volmify_cli.exchange.product_csv_rows import Columns, Row, StoreReader, read_rows, value
from volmify_cli.money import is_currency

SOURCE = "medusa-csv"
ROLES = {
    "handle": ("Product Handle",),
    "title": ("Product Title",),
    "description": ("Product Description",),
    "status": ("Product Status",),
    "type": ("Product Type",),
    "gift_card": ("Product Is Giftcard",),
    "variant": ("Variant Title",),
    "sku": ("Variant SKU",),
    "barcode": ("Variant Barcode",),
    "ean": ("Variant EAN",),
    "upc": ("Variant UPC",),
}
NOT_KEPT = frozenset({"barcode", "ean", "upc"})  # read to flag a mangled value only
STATUSES = {
    "published": ProductStatus.ACTIVE,
    "draft": ProductStatus.DRAFT,
    "": ProductStatus.DRAFT,
}
_OPTION = re.compile(r"(?:variant )?option (?P<n>[0-9]+) (?P<part>name|value)")
_PRICE = re.compile(r"(?:variant )?price (?P<rest>.+)", re.IGNORECASE)
_V1_REGION = re.compile(r"(?P<region>.+?)\s*\[(?P<iso>[a-z]{3})\]", re.IGNORECASE)  # Europe [EUR]
_V2 = re.compile(r"(?:\[(?P<region>[^\]]+)\]\s*)?(?P<iso>[a-z]{3})", re.IGNORECASE)  # [Europe] EUR


@dataclass
class _Layout:
    columns: Columns
    at: dict[str, int | None]
    options: list[int]  # the `Option N Value` columns, by N
    prices: list[tuple[int, PriceKey]]

    def get(self, row: Row, role: str) -> str:
        return value(row.fields, self.at[role])


def read_medusa_products(
    path: Path, options: ConvertOptions, *, name: str | None = None
) -> Conversion:
    """The products of a Medusa product CSV (v1 or v2 layout) as drafts, with the warnings of
    what the catalog does not hold. Raises InvalidInputError (exit 3) for rows that cannot be
    read (nothing is converted then), ConfigError for a malformed size limit."""
    conversion = Conversion(name or input_name(path), SOURCE)
    reader = _Reader(conversion)
    reader.read(read_rows(path, conversion.file))
    conversion.raise_if_any()
    reader.finish()
    return conversion


def price_column(name: str) -> tuple[str, str | None] | None:
    """(currency code as written, upper-cased; the region or None) of a price column, or None
    when the column is not a price column."""
    found = _PRICE.fullmatch(name.strip())
    if found is None:
        return None
    rest = found.group("rest").strip()
    for pattern in (_V1_REGION, _V2):
        match = pattern.fullmatch(rest)
        if match is not None:
            region = match.group("region")
            return match.group("iso").upper(), region.strip() if region else None
    return rest.upper(), None


class _Reader(StoreReader["_Layout"]):
    def _layout(self, names: list[str]) -> _Layout | None:
        columns = Columns(names)
        at = {
            role: columns.find(*spellings, read=role not in NOT_KEPT)
            for role, spellings in ROLES.items()
        }
        if at["handle"] is None:
            self.conversion.problem(
                1, "Product Handle", "missing column 'Product Handle': a product needs one"
            )
        for doubled in columns.doubled():
            self.conversion.problem(1, doubled, f"column {doubled!r} appears twice")
        if self.conversion.problems:
            return None
        return _Layout(columns, at, self._options(columns), self._prices(columns))

    def _options(self, columns: Columns) -> list[int]:
        found: dict[int, int] = {}
        for name in columns.names:
            match = _OPTION.fullmatch(name.casefold())
            if match is not None:
                index = columns.find(name)
                if match.group("part") == "value" and index is not None:
                    found.setdefault(int(match.group("n")), index)
        return [found[n] for n in sorted(found)]

    def _prices(self, columns: Columns) -> list[tuple[int, PriceKey]]:
        prices: list[tuple[int, PriceKey]] = []
        seen: dict[str, str] = {}
        for name in columns.names:
            parsed = price_column(name)
            if parsed is None:
                continue
            index = columns.find(name)
            iso, written = parsed
            region = one_line(written or "")[: rb.NAME.max_length]
            if not is_currency(iso):
                self.conversion.warn(
                    1, f"column {name!r}: unknown currency {iso!r}: its prices are not converted"
                )
                continue
            key = PriceKey(region, iso, region) if region else currency_market(iso)
            first = seen.setdefault(key.key.casefold(), name)
            if first != name:
                self.conversion.warn(
                    1, f"column {name!r} repeats the prices of {first!r}: not converted"
                )
                continue
            if index is not None:
                prices.append((index, key))
        return prices

    def _row(self, row: Row, layout: _Layout) -> None:
        conversion = self.conversion
        handle = layout.get(row, "handle")
        if not handle:
            conversion.problem(
                row.line,
                "Product Handle",
                "no Product Handle: a volmify product needs it (its slug)",
            )
            return
        if handle in self.failed:
            return
        slug = conversion.handles.get(handle)
        product = conversion.products[slug] if slug else self._product(row, layout, handle)
        if product is not None:
            product.variants.append(self._variant(row, layout, product))

    def _product(self, row: Row, layout: _Layout, handle: str) -> ProductDraft | None:
        conversion, line = self.conversion, row.line
        slug = product_slug(conversion, line, "Product Handle", handle)
        if slug is None:
            self.failed.add(handle)
            return None
        status = product_status(conversion, line, slug, layout.get(row, "status"), STATUSES)
        product = ProductDraft(
            line=line,
            slug=slug,
            title=title(conversion, line, slug, layout.get(row, "title")),
            status=status,
            type_text=layout.get(row, "type"),
            description=description(conversion, line, layout.get(row, "description")),
        )
        if flag(layout.get(row, "gift_card")):
            conversion.warn(
                line, f"product {slug!r} is a Medusa gift card: volmify has no gift cards"
            )
        conversion.products[slug] = product
        conversion.handles[handle] = slug
        return product

    def _variant(self, row: Row, layout: _Layout, product: ProductDraft) -> VariantDraft:
        conversion, line = self.conversion, row.line
        options = [value(row.fields, at) for at in layout.options]
        name = layout.get(row, "variant") or " / ".join(v for v in options if v)
        sku = code(conversion, line, "SKU", layout.get(row, "sku"), rb.SKU)
        for role, what in (("barcode", "barcode"), ("ean", "EAN"), ("upc", "UPC")):
            code(conversion, line, what, layout.get(row, role))
        variant = VariantDraft(
            line=line,
            slug=variant_slug(product, [name], sku),
            name=text_line(conversion, line, "variant name", name, rb.NAME) or None,
            sku=sku,
        )
        for index, key in layout.prices:
            text = value(row.fields, index)
            what = f"price in {key.key}" if key.key != key.currency else f"{key.currency} price"
            amount = money(conversion, line, what, text, key.currency)
            if amount is not None:
                variant.prices.append(PriceDraft(key, amount))
        if not variant.prices:
            conversion.warn(
                line,
                f"variant {product.slug}/{variant.slug} has no price: it is written without a plan",
            )
        return variant

    def finish(self) -> None:
        finish(self.conversion, self.layout.columns if self.layout else None, _reason)


def _reason(name: str) -> str | None:
    folded = name.casefold()
    if folded in ("product id", "variant id"):
        return "Medusa's ids: a catalog knows a product by its handle"
    if folded == "product type id":
        return "a Medusa type id does not say what the type is"
    if folded.endswith(" weight") or folded in ("product weight", "variant weight"):
        return "Medusa does not say the unit of its weights"
    if folded in ("variant barcode", "variant ean", "variant upc"):
        return "volmify keeps no barcodes"
    if folded.startswith(("product image", "image ")) or folded == "product thumbnail":
        return "product images are not part of a catalog"
    return None
