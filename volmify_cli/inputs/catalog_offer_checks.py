"""Catalog checks of offers: amounts (one per currency, read by the rule book's OFFER_AMOUNT),
targets (products, `P/V` variants, `P/V/PLAN` or `P/PLAN` plans, collections, markets) and
coupon codes unique across the catalog."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from volmify_cli.enums import DiscountType
from volmify_cli.errors import VolmifyError
from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.marks import Scalar
from volmify_cli.rulebook import OFFER_AMOUNT
from volmify_cli.rules import normalize_coupon_code

if TYPE_CHECKING:
    from volmify_cli.inputs.catalog_checks import _Checker as Checker


def check_offer(checker: Checker, entry: Entry[Any], codes: dict[str, str]) -> None:
    doc, file, path, catalog = entry.doc, entry.file, entry.path, checker.catalog
    checker.texts(file, f"{path}.name", doc.name)
    if doc.type is DiscountType.FIXED_AMOUNT:
        amounts: dict[str, int] = {}
        for currency, amount, where in written_amounts(doc, path):
            try:
                amounts[currency] = OFFER_AMOUNT.parse(str(amount), currency)
            except VolmifyError as exc:
                checker.error(file, amount, where, exc.reason)
        catalog.offer_amounts[str(doc.slug)] = amounts
    for index, slug in enumerate(doc.products):
        checker.ref(
            "product",
            slug,
            catalog.product_slugs,
            checker._db("products"),
            file,
            slug,
            f"{path}.products[{index}]",
        )
    for index, slug in enumerate(doc.collections):
        checker.ref(
            "collection",
            slug,
            catalog.collections,
            checker._db("collections"),
            file,
            slug,
            f"{path}.collections[{index}]",
        )
    for index, slug in enumerate(doc.markets):
        checker.ref(
            "market",
            slug,
            catalog.markets,
            checker._db("markets"),
            file,
            slug,
            f"{path}.markets[{index}]",
        )
    for index, address in enumerate(doc.variants):
        _address(checker, file, address, f"{path}.variants[{index}]", plan=False)
    for index, address in enumerate(doc.plans):
        _address(checker, file, address, f"{path}.plans[{index}]", plan=True)
    for index, coupon in enumerate(doc.coupons):
        code = normalize_coupon_code(str(coupon.code))
        if code in codes:
            checker.error(
                file,
                coupon,
                f"{path}.coupons[{index}]",
                f"coupon {coupon.code} is also a code of offer {codes[code]}",
            )
        codes.setdefault(code, str(doc.slug))


def written_amounts(doc: Any, path: str) -> list[tuple[str, Scalar, str]]:
    """A fixed_amount offer's amounts as written, (currency, amount, path): the short form
    `amount` + `currency`, or each of `amounts`."""
    if doc.amounts is not None:
        return [
            (str(currency), amount, f"{path}.amounts.{currency}")
            for currency, amount in doc.amounts.items()
        ]
    if doc.amount is not None and doc.currency is not None:
        return [(str(doc.currency), doc.amount, f"{path}.amount")]
    return []


def _address(checker: Checker, file: str, address: Scalar, path: str, *, plan: bool) -> None:
    """`P/V` for a variant; `P/V/PLAN` or `P/PLAN` (the default variant's plan) for a plan."""
    parts = str(address).split("/")
    allowed = (2, 3) if plan else (2,)
    if len(parts) not in allowed or not all(parts):
        form = "PRODUCT/VARIANT/PLAN or PRODUCT/PLAN" if plan else "PRODUCT/VARIANT"
        checker.error(file, address, path, f"{address!r} is not written as {form}")
        return
    product = parts[0]
    catalog = checker.catalog
    if not checker.ref(
        "product", product, catalog.product_slugs, checker._db("products"), file, address, path
    ):
        return
    entry = catalog.products.get(product)
    # a product skipped as unchanged holds in the database what its text says
    skipped = product in catalog.unchanged and checker.known is not None
    if len(parts) == 2 and plan:
        variant = _default_variant(checker, product)
        if variant is None:
            checker.error(
                file,
                address,
                path,
                f"product {product!r} has no default variant; write PRODUCT/VARIANT/PLAN",
            )
            return
        parts = [product, variant, parts[1]]
    variant = parts[1]
    in_file = (entry is not None and any(v.slug == variant for v in entry.doc.variants)) or (
        skipped and (product, variant) in checker.known.variants  # type: ignore[union-attr]
    )
    if not checker.ref(
        "variant",
        f"{product}/{variant}",
        {f"{product}/{variant}"} if in_file else (),
        _addresses(checker, "variants"),
        file,
        address,
        path,
    ):
        return
    if plan:
        key = "/".join(parts)
        plans: list[str] = [
            str(p.slug)
            for v in (entry.doc.variants if entry else [])
            if v.slug == variant
            for p in v.plans
        ]
        if skipped and (product, variant, parts[2]) in checker.known.plans:  # type: ignore[union-attr]
            plans.append(parts[2])
        defined = {key} if parts[2] in plans else set()
        checker.ref("plan", key, defined, _addresses(checker, "plans"), file, address, path)


def _default_variant(checker: Checker, product: str) -> str | None:
    entry = checker.catalog.products.get(product)
    if entry is not None and entry.doc.variants:
        variants = entry.doc.variants
        chosen = [v for v in variants if v.default] or (variants if len(variants) == 1 else [])
        return str(chosen[0].slug) if chosen else None
    return checker.known.default_variants.get(product) if checker.known else None


def _addresses(checker: Checker, name: str) -> set[str] | None:
    if checker.known is None:
        return None
    cached = checker._address_sets.get(name)
    if cached is None:
        cached = checker._address_sets[name] = {
            "/".join(key) for key in getattr(checker.known, name)
        }
    return cached
