"""One catalog made of several files: every entity with where it was written, the prices read
into minor units, and what the database already holds (for references that point outside the
files)."""

from __future__ import annotations

import hashlib
from collections import ChainMap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from volmify_cli.inputs.catalog_schema import (
    BrandDoc,
    CatalogDoc,
    CollectionDoc,
    InstructorDoc,
    MarketDoc,
    OfferDoc,
    OrgDoc,
    ProductDoc,
    PromotionDoc,
)
from volmify_cli.inputs.documents import DocModel

D = TypeVar("D", bound=DocModel)


@dataclass(frozen=True)
class Fingerprint:
    """What the last import of the org read of one product (`org_catalog_fingerprint`)."""

    slug: str
    context: str  # the digest of what the product's checks depended on
    counts: str  # its entities by kind, "plan=6 price=24 ..."
    instructors: str  # the instructor slugs its attribution names, space-separated


@dataclass(frozen=True)
class Unchanged:
    """A product whose text is the one the last import read: skipped, not read."""

    slug: str
    digest: str
    file: str
    index: int  # products[index] in its file
    line: int
    column: int
    fingerprint: Fingerprint

    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def instructors(self) -> list[str]:
        return self.fingerprint.instructors.split()


def named_instructors(product: ProductDoc) -> list[str]:
    """The instructors a product's attribution names, in its order."""
    return [str(item.instructor) for item in product.attribution if item.instructor is not None]


@dataclass(frozen=True)
class CatalogFile:
    """One file of a catalog, read and schema-checked. With fingerprints, the products whose
    text is unchanged are in `unchanged`, not in `doc.products`."""

    name: str  # as shown in messages
    doc: CatalogDoc
    digests: dict[str, str] = field(default_factory=dict)  # product slug -> digest of its text
    unchanged: tuple[Unchanged, ...] = ()
    product_index: tuple[int, ...] | None = None  # of doc.products in the file, when skipped

    def product_path(self, position: int) -> str:
        index = self.product_index[position] if self.product_index is not None else position
        return f"products[{index}]"


PlanKey = tuple[str, str, str]  # product, variant, plan slugs


@dataclass(frozen=True)
class Entry(Generic[D]):
    """An entity as written: its file, its path in that file (`products[3]`) and its model."""

    file: str
    path: str
    doc: D

    def where(self) -> str:
        line, column = self.doc.mark
        return f"{self.file}:{line}:{column}" if line is not None else self.file


class Price(NamedTuple):
    """A plan's price in one market, read into minor units of its currency. A named tuple:
    made in half the time of a frozen dataclass (a large catalog reads 240,000)."""

    market: str
    currency: str
    amount: int
    compare_at: int | None
    setup_fee: int | None
    tax: str
    tiers: tuple[tuple[int | None, int], ...] = ()  # (up_to, unit amount) of a usage-based plan
    # a per_unit usage-based plan's unit price in 10**-12 major units (then `amount` is 0)
    unit_amount: int | None = None


@dataclass
class Catalog:
    files: list[str]
    org: OrgDoc | None = None
    locales: list[str] = field(default_factory=list)
    brands: dict[str, Entry[BrandDoc]] = field(default_factory=dict)
    markets: dict[str, Entry[MarketDoc]] = field(default_factory=dict)
    instructors: dict[str, Entry[InstructorDoc]] = field(default_factory=dict)
    products: dict[str, Entry[ProductDoc]] = field(default_factory=dict)
    collections: dict[str, Entry[CollectionDoc]] = field(default_factory=dict)
    offers: dict[str, Entry[OfferDoc]] = field(default_factory=dict)
    promotions: dict[str, Entry[PromotionDoc]] = field(default_factory=dict)
    unchanged: dict[str, Unchanged] = field(default_factory=dict)  # skipped products by slug
    prices: dict[PlanKey, list[Price]] = field(default_factory=dict)
    # a fixed_amount offer's amounts: offer slug -> currency -> minor units
    offer_amounts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def has_product(self, slug: str) -> bool:
        """The files define the product (read, or skipped as unchanged)."""
        return slug in self.products or slug in self.unchanged

    @property
    def product_slugs(self) -> ChainMap[str, Any]:
        """The products the files define, read or skipped (for `in`)."""
        return ChainMap(self.products, self.unchanged)

    def counts(self) -> dict[str, int]:
        variants = sum(len(e.doc.variants) for e in self.products.values())
        plans = sum(len(v.plans) for e in self.products.values() for v in e.doc.variants)
        return {
            "brands": len(self.brands),
            "markets": len(self.markets),
            "instructors": len(self.instructors),
            "products": len(self.products),
            "variants": variants,
            "plans": plans,
            "prices": sum(len(p) for p in self.prices.values()),
            "collections": len(self.collections),
            "offers": len(self.offers),
            "promotions": len(self.promotions),
        }


@dataclass
class Known:
    """What the organization already holds in the database, for references that point outside
    the files (a file of products may price in markets created earlier). Empty for a new org."""

    org: str
    prune: bool = False
    brands: set[str] = field(default_factory=set)
    markets: dict[str, str] = field(default_factory=dict)  # slug -> currency
    market_countries: dict[str, str] = field(default_factory=dict)  # country -> market slug
    instructors: set[str] = field(default_factory=set)  # global instructor profile slugs
    products: set[str] = field(default_factory=set)
    variants: set[tuple[str, str]] = field(default_factory=set)
    default_variants: dict[str, str] = field(default_factory=dict)  # product -> variant
    plans: set[PlanKey] = field(default_factory=set)
    collections: set[str] = field(default_factory=set)
    offers: set[str] = field(default_factory=set)
    # (kind, slug) of the entities a prune keeps: the catalog does not manage them
    kept: set[tuple[str, str]] = field(default_factory=set)

    def survives(self, kind: str, slug: Any) -> bool:
        """Whether the database's entity `slug` of `kind` stays after a prune (a variant or a
        plan stays with its product)."""
        if isinstance(slug, tuple):
            kind, slug = "product", slug[0]
        elif kind in ("variant", "plan"):  # an address: PRODUCT/VARIANT[/PLAN]
            kind, slug = "product", str(slug).partition("/")[0]
        return (kind, str(slug)) in self.kept


# What a product's checks read besides its own text: the catalog's org and locales, its brands,
# markets (currencies) and instructors (default shares), `--prune` (a reference to an entity
# only the database holds), and the schema it is written to. Bump FINGERPRINTS when what an
# import does with a product's text changes without a migration.
FINGERPRINTS = 1
_CONTEXT = {"org", "locales", "brands", "markets", "instructors"}


def context_digest(files: Sequence[CatalogFile], *, prune: bool) -> str:
    """The digest of what every product's checks depend on besides its own text."""
    from volmify_cli.migrations.head import HEAD

    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{FINGERPRINTS} {HEAD} prune={prune}".encode())
    for file in files:
        digest.update(b"\0")
        digest.update(file.doc.model_dump_json(include=_CONTEXT, warnings=False).encode())
    return digest.hexdigest()
