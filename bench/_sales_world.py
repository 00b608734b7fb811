"""A deterministic sales world and sales file for bench/revenue.py.

One org `bench` selling 300 products in four currencies (markets us/USD, eu/EUR, jp/JPY,
kw/KWD), each product attributed to one or two of 50 instructors and to one of 10 brands, and a
CSV of N sales lines over 2025 with taxes, fees, partial and full refunds (a few negative nets).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from sqlalchemy import Engine

MARKETS = (("us", "USD", 2), ("eu", "EUR", 2), ("jp", "JPY", 0), ("kw", "KWD", 3))
PRODUCTS = 300
INSTRUCTORS = 50
BRANDS = 10
SEED = 20260301
HEADER = (
    "order_id,sold_at,product,variant,plan,market,currency,amount,tax,fee,refunded,quantity,"
    "customer,coupon"
)


def build_world(engine: Engine) -> None:
    """The org, markets, instructors, brands, products, plans, prices and attribution."""
    from volmify_cli.db.session import session_scope
    from volmify_cli.models import load_all
    from volmify_cli.models.core import User, UserProfile
    from volmify_cli.models.markets import OrgMarket
    from volmify_cli.models.orgs import Org, OrgBrand, OrgInstructorAffiliation, OrgLocale
    from volmify_cli.models.plans import (
        OrgProductVariantPaymentPlan,
        OrgProductVariantPaymentPlanMarketPrice,
    )
    from volmify_cli.models.products import (
        OrgProduct,
        OrgProductBrandAttribution,
        OrgProductDigital,
        OrgProductInstructorAttribution,
        OrgProductVariant,
    )

    load_all()
    rng = random.Random(SEED)
    with session_scope(engine, write_lock=True) as s:
        org = Org(
            slug="bench", name="Bench", default_locale_key="en-US", default_currency_code="USD"
        )
        s.add(org)
        s.flush()
        s.add(OrgLocale(org_id=org.id, locale_key="en-US", is_default=True))
        markets = []
        for index, (slug, currency, _digits) in enumerate(MARKETS):
            market = OrgMarket(org_id=org.id, slug=slug, type="custom", currency_code=currency,
                               is_default=index == 0)  # fmt: skip
            s.add(market)
            markets.append(market)
        brands = [OrgBrand(org_id=org.id, slug=f"brand-{n}") for n in range(BRANDS)]
        s.add_all(brands)
        profiles = []
        for n in range(INSTRUCTORS):
            user = User(email=f"teacher{n}@example.com", email_normalized=f"teacher{n}@example.com",
                        name=f"Teacher {n}")  # fmt: skip
            s.add(user)
            s.flush()
            profile = UserProfile(user_id=user.id, type="instructor", slug=f"teacher-{n}",
                                  display_name=f"Teacher {n}")  # fmt: skip
            s.add(profile)
            s.flush()
            s.add(OrgInstructorAffiliation(org_id=org.id, profile_id=profile.id))
            profiles.append(profile)
        s.flush()
        for n in range(PRODUCTS):
            product = OrgProduct(
                org_id=org.id, slug=f"product-{n}", type="digital", status="active"
            )
            s.add(product)
            s.flush()
            s.add(OrgProductDigital(org_id=org.id, product_id=product.id))
            variant = OrgProductVariant(org_id=org.id, product_id=product.id, slug="standard",
                                        is_default=True)  # fmt: skip
            s.add(variant)
            s.flush()
            teachers = rng.sample(profiles, rng.choice((1, 1, 2)))
            for rank, teacher in enumerate(teachers):
                s.add(OrgProductInstructorAttribution(
                    org_id=org.id, product_id=product.id, profile_id=teacher.id,
                    share_bp=rng.choice((2000, 3000, 3500)), is_primary=rank == 0))  # fmt: skip
            s.add(OrgProductBrandAttribution(
                org_id=org.id, product_id=product.id, brand_id=rng.choice(brands).id,
                share_bp=rng.choice((0, 500, 1000)), is_primary=True))  # fmt: skip
            for tier, plan_slug in enumerate(("basic", "premium"), start=1):
                plan = OrgProductVariantPaymentPlan(org_id=org.id, variant_id=variant.id,
                                                    slug=plan_slug, type="one_time",
                                                    access_tier=tier)  # fmt: skip
                s.add(plan)
                s.flush()
                for market, (_slug, currency, digits) in zip(markets, MARKETS, strict=True):
                    s.add(OrgProductVariantPaymentPlanMarketPrice(
                        org_id=org.id, plan_id=plan.id, market_id=market.id,
                        currency_code=currency,
                        amount_minor=rng.randrange(5, 300) * 10**digits * tier))  # fmt: skip
        s.flush()


def _text(minor: int, digits: int) -> str:
    if digits == 0:
        return str(minor)
    whole, frac = divmod(minor, 10**digits)
    return f"{whole}.{frac:0{digits}d}"


def write_sales(path: Path, lines: int) -> None:
    """N sales lines over 2025, always the same for the same N."""
    rng = random.Random(SEED + lines)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER.split(","))
        for n in range(lines):
            slug, currency, digits = MARKETS[rng.randrange(4)]
            amount = rng.randrange(5, 600) * 10**digits + rng.randrange(10**digits)
            tax = amount * rng.choice((0, 0, 7, 19, 20)) // 119
            fee = amount * 3 // 100 + (rng.randrange(30) if digits else 0)
            roll = rng.random()
            refunded = amount if roll < 0.02 else amount // 2 if roll < 0.06 else 0
            moment = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
            customer = f"customer{rng.randrange(50_000)}@example.com" if rng.random() < 0.2 else ""
            writer.writerow([
                f"ORD-{n:08d}", moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                f"product-{rng.randrange(PRODUCTS)}", "", rng.choice(("basic", "premium")), slug,
                currency, _text(amount, digits), _text(tax, digits) if tax else "",
                _text(fee, digits), _text(refunded, digits) if refunded else "", "", customer, "",
            ])  # fmt: skip
