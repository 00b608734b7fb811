"""One catalog made of several files: every entity with where it was written, the prices read
into minor units, and what the database already holds (for references that point outside the
files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

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
class CatalogFile:
    """One file of a catalog, read and schema-checked."""

    name: str  # as shown in messages
    doc: CatalogDoc


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


@dataclass(frozen=True, slots=True)
class Price:
    """A plan's price in one market, read into minor units of its currency."""

    market: str
    currency: str
    amount: int
    compare_at: int | None
    setup_fee: int | None
    tax: str
    tiers: tuple[tuple[int | None, int], ...] = ()  # (up_to, unit amount) of a usage-based plan


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
    prices: dict[PlanKey, list[Price]] = field(default_factory=dict)
    offer_amounts: dict[str, int] = field(default_factory=dict)  # fixed_amount offers, minor

    @property
    def default_locale(self) -> str:
        return self.locales[0]

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
    instructors: set[str] = field(default_factory=set)  # global instructor profile slugs
    products: set[str] = field(default_factory=set)
    variants: set[tuple[str, str]] = field(default_factory=set)
    default_variants: dict[str, str] = field(default_factory=dict)  # product -> variant
    plans: set[PlanKey] = field(default_factory=set)
    collections: set[str] = field(default_factory=set)
    offers: set[str] = field(default_factory=set)
