"""The org's products as a buyer in one market sees them (`products show|list --market M
[--country CC]`): texts in the locale the market and country resolve to (the localization
hierarchy: the country's own locale, the market's default locale, the org's default locale),
falling back field by field, and the prices of that market only.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NotRequired, TypedDict

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlan as Plan
from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as Price
from volmify_cli.models.products import OrgProduct, OrgProductTranslation, OrgProductVariant
from volmify_cli.money import format_amount, format_unit_amount
from volmify_cli.services.markets import LocaleRead, buyer_locale
from volmify_cli.services.plans import PlanRead
from volmify_cli.services.products import ProductDetailRead, ProductRead
from volmify_cli.translation_choice import choose_translation


class MarketPriceRead(TypedDict):
    plan: str  # PRODUCT/VARIANT/PLAN
    currency: str
    amount_minor: int
    amount: str
    compare_at_minor: int | None
    compare_at: str | None
    setup_fee_minor: int | None
    setup_fee: str | None
    # only on a per_unit usage-based plan's price: its exact unit price (its amount is 0)
    unit_amount_e12: NotRequired[int]
    unit_amount: NotRequired[str]


class ProductMarketRead(ProductRead):
    """A row of `products list --market`: the market's prices of the product's plans (none:
    the product is not sold there)."""

    market: str
    country: str | None
    locale: str
    locale_from: str
    prices: list[MarketPriceRead]


class ProductDetailMarketRead(ProductDetailRead):
    market: str
    country: str | None
    locale: str
    locale_from: str


@dataclass(frozen=True)
class BuyerView:
    org: Org
    market_id: uuid.UUID
    locale: LocaleRead  # the market, the country (if given), the locale and its level


def buyer_view(session: Session, org: Org, *, market: str | None, country: str | None) -> BuyerView:
    """The market (`market`, or the market of `country`) and the locale a buyer there gets.
    Raises NotFoundError, RuleError (`country` not in `market`)."""
    row, locale = buyer_locale(session, org, market=market, country=country)
    return BuyerView(org, row.id, locale)


def detail_in_market(
    session: Session, view: BuyerView, product_id: uuid.UUID, detail: ProductDetailRead
) -> ProductDetailMarketRead:
    """`detail` (read in the view's locale) as the buyer sees it: title and description
    falling back field by field, only the plans priced in the market, with its prices."""
    market = view.locale["market"]
    texts = texts_in(session, view.org, [product_id], view.locale["locale"])[product_id]
    plans: list[PlanRead] = []
    for plan in detail["plans"]:
        priced = [price for price in plan["prices"] if price["market"] == market]
        if priced:
            plans.append({**plan, "prices": priced})
    return {
        **detail,
        "title": texts["title"],
        "description": texts["description"],
        "plans": plans,
        **view.locale,
    }


def list_in_market(
    session: Session,
    view: BuyerView,
    products: Sequence[OrgProduct],
    brands: Mapping[uuid.UUID, list[str]],
    variants: Mapping[uuid.UUID, int],
) -> list[ProductMarketRead]:
    """`products list` rows as the buyer sees them: titles falling back field by field, and
    each product's prices in the market."""
    ids = [p.id for p in products]
    texts = texts_in(session, view.org, ids, view.locale["locale"], ("title",))
    prices = market_prices(session, view, {p.id: p.slug for p in products})
    return [
        ProductMarketRead(
            slug=p.slug,
            type=p.type,
            status=p.status,
            title=texts[p.id]["title"],
            brands=brands.get(p.id, []),
            variants=variants.get(p.id, 0),
            created_at=p.created_at,
            prices=prices.get(p.id, []),
            **view.locale,
        )
        for p in products
    ]


def texts_in(
    session: Session,
    org: Org,
    ids: Sequence[uuid.UUID],
    locale: str,
    fields: tuple[str, ...] = ("title", "description"),
) -> dict[uuid.UUID, dict[str, str | None]]:
    """Each product's `fields` in `locale`, falling back field by field (a description
    written in fewer locales than the title): a translation in the locale's language (as
    `choose_translation` picks it), then the org's default locale's, then the default one."""
    rows: dict[uuid.UUID, dict[str, OrgProductTranslation]] = {i: {} for i in ids}
    for part in chunks(ids):
        for row in session.exec(
            select(OrgProductTranslation).where(
                OrgProductTranslation.org_id == org.id,
                col(OrgProductTranslation.product_id).in_(part),
            )
        ):
            rows[row.product_id][row.locale_key] = row
    language = locale.split("-")[0]

    def text(found: dict[str, OrgProductTranslation], field: str) -> str | None:
        having = {key: row for key, row in found.items() if getattr(row, field) is not None}
        chosen = choose_translation(having, locale)
        if chosen is not None and chosen.locale_key.split("-")[0] != language:
            chosen = choose_translation(having, org.default_locale_key)
        return getattr(chosen, field) if chosen is not None else None

    return {i: {field: text(rows[i], field) for field in fields} for i in ids}


def market_prices(
    session: Session, view: BuyerView, slugs: Mapping[uuid.UUID, str]
) -> dict[uuid.UUID, list[MarketPriceRead]]:
    """Per product (`slugs`: product id -> slug), its plans' prices in the view's market:
    the default variant first, then by variant, tier and plan (plain columns, in chunks)."""
    price, plan, variant = table_of(Price), table_of(Plan), table_of(OrgProductVariant)
    found: dict[uuid.UUID, list[MarketPriceRead]] = {}
    session.flush()  # a Core query on the session's connection does not autoflush
    for part in chunks(list(slugs)):
        query = (
            core_select(
                variant.c.product_id,
                variant.c.slug,
                plan.c.slug,
                price.c.currency_code,
                price.c.amount_minor,
                price.c.compare_at_minor,
                price.c.setup_fee_minor,
                price.c.unit_amount_e12,
            )
            .select_from(price)
            .join(plan, (plan.c.org_id == price.c.org_id) & (plan.c.id == price.c.plan_id))
            .join(
                variant, (variant.c.org_id == plan.c.org_id) & (variant.c.id == plan.c.variant_id)
            )
            .where(
                price.c.org_id == view.org.id,
                price.c.market_id == view.market_id,
                variant.c.product_id.in_(part),
            )
            .order_by(
                variant.c.product_id,
                variant.c.is_default.desc(),
                variant.c.slug,
                plan.c.access_tier,
                plan.c.slug,
            )
        )
        for (
            product_id,
            variant_slug,
            plan_slug,
            currency,
            amount,
            compare_at,
            fee,
            unit,
        ) in session.connection().execute(query):
            read = MarketPriceRead(
                plan=f"{slugs[product_id]}/{variant_slug}/{plan_slug}",
                currency=currency,
                amount_minor=amount,
                amount=format_amount(amount, currency),
                compare_at_minor=compare_at,
                compare_at=_decimal(compare_at, currency),
                setup_fee_minor=fee,
                setup_fee=_decimal(fee, currency),
            )
            if unit is not None:
                read["unit_amount_e12"] = unit
                read["unit_amount"] = format_unit_amount(unit, currency)
            found.setdefault(product_id, []).append(read)
    return found


def _decimal(amount: int | None, currency: str) -> str | None:
    return None if amount is None else format_amount(amount, currency)
