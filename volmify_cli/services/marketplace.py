"""The cross-org marketplace: an org lists its products (publish, unpublish), and the platform's
view shows every org's listed, active products with a title in a locale and a price range per
currency.

What the platform sees is only what an org listed: a listing that is not `listed`, a product
that is not active, or an org that is not active never reaches `list_marketplace`. A price range
counts only what is for sale: active plans of active variants, priced in active markets.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypedDict

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from volmify_cli.db.bulk import chunks
from volmify_cli.db.types import utcnow
from volmify_cli.enums import (
    ListingStatus,
    MarketStatus,
    OrgStatus,
    PlanStatus,
    PlanType,
    ProductStatus,
    VariantStatus,
)
from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlan as Plan
from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as MarketPrice
from volmify_cli.models.platform import PlatformMarketplaceListing as Listing
from volmify_cli.models.products import OrgProduct, OrgProductTranslation, OrgProductVariant
from volmify_cli.money import format_amount
from volmify_cli.rulebook import check_category
from volmify_cli.services import lookup
from volmify_cli.services.translations import texts_in_chunks
from volmify_cli.services.validation import check_currency


class PriceRange(TypedDict):
    currency: str
    min_minor: int
    max_minor: int
    min: str
    max: str


class ListingRead(TypedDict):
    org: str
    product: str
    title: str | None
    category: str | None
    status: str
    listed_at: dt.datetime | None
    prices: list[PriceRange]


# -- what is for sale ----------------------------------------------------------------------------


def _ranges_query(product_ids: Sequence[uuid.UUID]) -> Any:
    """min and max price per (org, product, currency) over what is for sale at a fixed price:
    a usage-based plan has no price of its own (a per_unit row holds 0 beside its unit price,
    tiered and volume rows 0), its charge depends on the usage."""
    return (
        core_select(  # five columns: past sqlmodel's typed overloads
            col(OrgProductVariant.org_id),
            col(OrgProductVariant.product_id),
            col(MarketPrice.currency_code),
            func.min(MarketPrice.amount_minor),
            func.max(MarketPrice.amount_minor),
        )
        .join(
            Plan,
            (col(Plan.org_id) == col(MarketPrice.org_id)) & (col(Plan.id) == MarketPrice.plan_id),
        )
        .join(
            OrgProductVariant,
            (col(OrgProductVariant.org_id) == col(Plan.org_id))
            & (col(OrgProductVariant.id) == col(Plan.variant_id)),
        )
        .join(
            OrgMarket,
            (col(OrgMarket.org_id) == col(MarketPrice.org_id))
            & (col(OrgMarket.id) == col(MarketPrice.market_id)),
        )
        .where(
            col(Plan.status) == PlanStatus.ACTIVE.value,
            col(Plan.type) != PlanType.USAGE_BASED.value,
            col(OrgProductVariant.status) == VariantStatus.ACTIVE.value,
            col(OrgMarket.status) == MarketStatus.ACTIVE.value,
            col(OrgProductVariant.product_id).in_(product_ids),
        )
        .group_by(
            col(OrgProductVariant.org_id),
            col(OrgProductVariant.product_id),
            col(MarketPrice.currency_code),
        )
        .order_by(col(MarketPrice.currency_code))
    )


def _price_ranges(
    session: Session, keys: Iterable[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], list[PriceRange]]:
    """Per (org id, product id): min..max of the prices of its active plans of active variants
    in active markets, per currency (sorted by currency code)."""
    wanted = set(keys)
    result: dict[tuple[uuid.UUID, uuid.UUID], list[PriceRange]] = {key: [] for key in wanted}
    if not wanted:
        return result
    products = sorted({product for _, product in wanted})
    for part in chunks(products):  # SQLite's bound-parameter limit: a large platform's listings
        for org_id, product_id, currency, low, high in session.execute(_ranges_query(part)):
            if (org_id, product_id) in wanted:  # product ids are unique; the org makes it exact
                result[(org_id, product_id)].append(
                    PriceRange(
                        currency=currency,
                        min_minor=low,
                        max_minor=high,
                        min=format_amount(low, currency),
                        max=format_amount(high, currency),
                    )
                )
    return result


def _refuse_unsellable(session: Session, org: Org, product: OrgProduct) -> None:
    """Only what a buyer can buy is listed. Raises RuleError saying what is missing."""
    if product.status != ProductStatus.ACTIVE.value:
        raise RuleError(
            f"product {product.slug!r} is {product.status}; only an active product is published",
            f"activate it first: volmify products update {product.slug} --status active",
        )
    if not _price_ranges(session, [(org.id, product.id)])[(org.id, product.id)]:
        raise RuleError(
            f"product {product.slug!r} has no active plan priced in an active market",
            f"price a plan: volmify plans update {product.slug}/PLAN --price MARKET=AMOUNT",
        )


# -- an org's listings ---------------------------------------------------------------------------


def _read(session: Session, org: Org, product: OrgProduct, listing: Listing) -> ListingRead:
    title = texts_in_chunks(
        session,
        OrgProductTranslation,
        org_id=org.id,
        parent_field="product_id",
        parent_ids=[product.id],
        field="title",
    ).get(product.id)
    return ListingRead(
        org=org.slug,
        product=product.slug,
        title=title,
        category=listing.category,
        status=listing.status,
        listed_at=listing.listed_at,
        prices=_price_ranges(session, [(org.id, product.id)])[(org.id, product.id)],
    )


def _listing(session: Session, org: Org, product: OrgProduct) -> Listing | None:
    return session.exec(
        select(Listing).where(Listing.org_id == org.id, Listing.product_id == product.id)
    ).first()


def publish_product(session: Session, *, org: str, product: str, category: str) -> ListingRead:
    """List the org's product in the marketplace under `category`; publishing a listed product
    again changes its category (and keeps the day it was listed). Raises NotFoundError,
    RuleError (a category that is not a slug; a product that is not active or has no active
    plan priced in an active market)."""
    category = check_category(category)
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    _refuse_unsellable(session, the_org, the_product)
    listing = _listing(session, the_org, the_product)
    if listing is None:
        listing = Listing(org_id=the_org.id, product_id=the_product.id)
    if listing.status != ListingStatus.LISTED.value:
        listing.listed_at = utcnow()
    listing.status = ListingStatus.LISTED.value
    listing.category = category
    session.add(listing)
    session.flush()
    return _read(session, the_org, the_product, listing)


def unpublish_product(session: Session, *, org: str, product: str) -> ListingRead:
    """Take the org's product out of the marketplace (its listing is kept, delisted, so a later
    publish lists it again). Raises NotFoundError, ConflictError (not listed)."""
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    listing = _listing(session, the_org, the_product)
    if listing is None or listing.status != ListingStatus.LISTED.value:
        raise ConflictError(
            f"product {product!r} of org {the_org.slug} is not published in the marketplace",
            "see `volmify marketplace list`",
        )
    listing.status = ListingStatus.DELISTED.value
    session.add(listing)
    session.flush()
    return _read(session, the_org, the_product, listing)


# -- the platform's view -------------------------------------------------------------------------


def list_marketplace(
    session: Session,
    *,
    category: str | None = None,
    locale: str | None = None,
    currency: str | None = None,
    limit: int | None = None,
) -> list[ListingRead]:
    """The marketplace, all at once (see `iter_marketplace`): `limit + 1` listings at most."""
    listings = iter_marketplace(session, category=category, locale=locale, currency=currency)
    return list(listings if limit is None else islice(listings, limit + 1))


READ_BATCH = 1000  # listings per fetch: each batch's price ranges and titles in a few queries


def iter_marketplace(
    session: Session,
    *,
    category: str | None = None,
    locale: str | None = None,
    currency: str | None = None,
) -> Iterator[ListingRead]:
    """Every active org's listed, active products (by org, then product), titled in `locale`
    (each field falling back: locale, its language, the default), streamed from the database in
    batches: stop asking for more to read no more. `currency` keeps only that currency's price
    ranges and the listings priced in it. Raises RuleError (a category that is not a slug, an
    unknown currency), before the first row."""
    if category is not None:
        category = check_category(category)
    if currency is not None:
        currency = check_currency(currency)
    query: Any = (
        select(Listing, OrgProduct, Org)
        .join(
            OrgProduct,
            (col(OrgProduct.org_id) == col(Listing.org_id))
            & (col(OrgProduct.id) == col(Listing.product_id)),
        )
        .join(Org, col(Org.id) == col(Listing.org_id))
        .where(
            Listing.status == ListingStatus.LISTED.value,
            OrgProduct.status == ProductStatus.ACTIVE.value,
            Org.status == OrgStatus.ACTIVE.value,
        )
        .order_by(col(Org.slug), col(OrgProduct.slug))
    )
    if category is not None:
        query = query.where(Listing.category == category)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (
        read
        for batch in found.partitions()
        for read in _listing_rows(session, batch, locale, currency)
    )


def _listing_rows(
    session: Session,
    found: Sequence[tuple[Listing, OrgProduct, Org]],
    locale: str | None,
    currency: str | None,
) -> list[ListingRead]:
    ranges = _price_ranges(session, [(org.id, product.id) for _, product, org in found])
    titles: dict[uuid.UUID, str | None] = {}
    for org_id in {org.id for _, _, org in found}:  # translations are read org by org
        titles.update(
            texts_in_chunks(
                session,
                OrgProductTranslation,
                org_id=org_id,
                parent_field="product_id",
                parent_ids=[product.id for _, product, org in found if org.id == org_id],
                field="title",
                locale=locale,
            )
        )
    rows: list[ListingRead] = []
    for listing, product, org in found:
        prices = ranges[(org.id, product.id)]
        if currency is not None:
            prices = [price for price in prices if price["currency"] == currency]
            if not prices:
                continue
        rows.append(
            ListingRead(
                org=org.slug,
                product=product.slug,
                title=titles.get(product.id),
                category=listing.category,
                status=listing.status,
                listed_at=listing.listed_at,
                prices=prices,
            )
        )
    return rows
