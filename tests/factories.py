"""Test data builders that write rows directly through the models (for service tests that need
a world to work in). Each returns the row it made; defaults are minimal and overridable.

These bypass the services on purpose: a test of service X should not depend on service Y.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from volmify_cli.enums import MemberRole, PlanType, ProductType, ProfileType
from volmify_cli.models.core import User, UserProfile
from volmify_cli.models.courses import OrgProductCourse
from volmify_cli.models.markets import OrgMarket, OrgMarketLocale, OrgMarketTranslation
from volmify_cli.models.orgs import (
    Org,
    OrgBrand,
    OrgBrandTranslation,
    OrgInstructorAffiliation,
    OrgLocale,
    OrgMember,
)
from volmify_cli.models.plans import (
    OrgProductVariantPaymentPlan,
    OrgProductVariantPaymentPlanMarketPrice,
    OrgProductVariantPaymentPlanOneTime,
    OrgProductVariantPaymentPlanSubscription,
)
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductBrandAttribution,
    OrgProductDigital,
    OrgProductInstructorAttribution,
    OrgProductPhysical,
    OrgProductService,
    OrgProductTranslation,
    OrgProductVariant,
)


def _save(session: Session, *rows: Any) -> None:
    for row in rows:
        session.add(row)
    session.flush()


def make_org(
    session: Session,
    slug: str = "acme",
    *,
    locales: Sequence[str] = ("en-US",),
    currency: str = "USD",
    name: str | None = None,
) -> Org:
    org = Org(
        slug=slug,
        name=name or slug.title(),
        default_locale_key=locales[0],
        default_currency_code=currency,
    )
    _save(session, org)
    for order, key in enumerate(locales):
        session.add(
            OrgLocale(org_id=org.id, locale_key=key, is_default=order == 0, sort_order=order)
        )
    session.flush()
    return org


def make_brand(
    session: Session, org: Org, slug: str = "acme-academy", name: str | None = None
) -> OrgBrand:
    brand = OrgBrand(org_id=org.id, slug=slug)
    _save(session, brand)
    _save(
        session,
        OrgBrandTranslation(
            org_id=org.id,
            brand_id=brand.id,
            locale_key=org.default_locale_key,
            is_default=True,
            name=name or slug.replace("-", " ").title(),
        ),
    )
    return brand


def make_market(
    session: Session,
    org: Org,
    slug: str = "us",
    *,
    currency: str = "USD",
    type: str = "single_country",
    default: bool = False,
    brand: OrgBrand | None = None,
) -> OrgMarket:
    market = OrgMarket(
        org_id=org.id,
        slug=slug,
        type=type,
        currency_code=currency,
        is_default=default,
        brand_id=brand.id if brand else None,
    )
    _save(session, market)
    _save(
        session,
        OrgMarketTranslation(
            org_id=org.id,
            market_id=market.id,
            locale_key=org.default_locale_key,
            is_default=True,
            name=slug.upper(),
        ),
    )
    _save(
        session,
        OrgMarketLocale(
            org_id=org.id, market_id=market.id, locale_key=org.default_locale_key, is_default=True
        ),
    )
    return market


def make_user(session: Session, email: str = "ana@example.org", name: str = "Ana Lima") -> User:
    user = User(email=email, email_normalized=email.lower(), name=name)
    _save(session, user)
    return user


def make_member(
    session: Session, org: Org, user: User, role: MemberRole = MemberRole.MEMBER
) -> OrgMember:
    member = OrgMember(
        org_id=org.id, user_id=user.id, role=role, joined_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    _save(session, member)
    return member


def make_instructor(
    session: Session,
    slug: str = "jane-doe",
    *,
    orgs: Sequence[Org] = (),
    share_bp: int = 0,
    name: str | None = None,
) -> UserProfile:
    """An instructor profile (with its user), affiliated with each of `orgs`."""
    user = make_user(session, f"{slug}@example.com", name or slug.replace("-", " ").title())
    profile = UserProfile(
        user_id=user.id, type=ProfileType.INSTRUCTOR, slug=slug, display_name=user.name
    )
    _save(session, profile)
    for org in orgs:
        _save(
            session,
            OrgInstructorAffiliation(
                org_id=org.id, profile_id=profile.id, default_share_bp=share_bp
            ),
        )
    return profile


def make_product(
    session: Session,
    org: Org,
    slug: str = "python-101",
    *,
    type: ProductType = ProductType.COURSE,
    title: str | None = None,
    status: str = "active",
    variant: str | None = "standard",
) -> OrgProduct:
    """A product with its type extension, a default-locale title and (unless `variant` is None)
    a default variant."""
    product = OrgProduct(org_id=org.id, slug=slug, type=type, status=status)
    _save(session, product)
    extension = {
        ProductType.COURSE: OrgProductCourse,
        ProductType.DIGITAL: OrgProductDigital,
        ProductType.PHYSICAL: OrgProductPhysical,
        ProductType.SERVICE: OrgProductService,
    }[type]
    _save(session, extension(org_id=org.id, product_id=product.id))
    _save(
        session,
        OrgProductTranslation(
            org_id=org.id,
            product_id=product.id,
            locale_key=org.default_locale_key,
            is_default=True,
            title=title or slug.replace("-", " ").title(),
        ),
    )
    if variant:
        make_variant(session, product, variant, default=True)
    return product


def make_variant(
    session: Session, product: OrgProduct, slug: str, *, default: bool = False
) -> OrgProductVariant:
    variant = OrgProductVariant(
        org_id=product.org_id, product_id=product.id, slug=slug, is_default=default
    )
    _save(session, variant)
    return variant


def default_variant(session: Session, product: OrgProduct) -> OrgProductVariant:
    from sqlmodel import select

    return session.exec(
        select(OrgProductVariant).where(
            OrgProductVariant.org_id == product.org_id,
            OrgProductVariant.product_id == product.id,
            OrgProductVariant.is_default,
        )
    ).one()


def make_plan(
    session: Session,
    variant: OrgProductVariant,
    slug: str = "basic",
    *,
    type: PlanType = PlanType.ONE_TIME,
    tier: int = 1,
    prices: Sequence[tuple[OrgMarket, int]] = (),
) -> OrgProductVariantPaymentPlan:
    """A plan with its type extension and a price (in the market's currency) per market."""
    plan = OrgProductVariantPaymentPlan(
        org_id=variant.org_id, variant_id=variant.id, slug=slug, type=type, access_tier=tier
    )
    _save(session, plan)
    if type == PlanType.SUBSCRIPTION:
        _save(
            session, OrgProductVariantPaymentPlanSubscription(org_id=plan.org_id, plan_id=plan.id)
        )
    elif type == PlanType.ONE_TIME:
        _save(session, OrgProductVariantPaymentPlanOneTime(org_id=plan.org_id, plan_id=plan.id))
    for market, amount in prices:
        _save(
            session,
            OrgProductVariantPaymentPlanMarketPrice(
                org_id=plan.org_id,
                plan_id=plan.id,
                market_id=market.id,
                currency_code=market.currency_code,
                amount_minor=amount,
            ),
        )
    return plan


def attribute_instructor(
    session: Session,
    product: OrgProduct,
    profile: UserProfile,
    share_bp: int,
    *,
    primary: bool = False,
) -> None:
    _save(
        session,
        OrgProductInstructorAttribution(
            org_id=product.org_id,
            product_id=product.id,
            profile_id=profile.id,
            share_bp=share_bp,
            is_primary=primary,
        ),
    )


def attribute_brand(
    session: Session,
    product: OrgProduct,
    brand: OrgBrand,
    share_bp: int = 0,
    *,
    primary: bool = True,
) -> None:
    _save(
        session,
        OrgProductBrandAttribution(
            org_id=product.org_id,
            product_id=product.id,
            brand_id=brand.id,
            share_bp=share_bp,
            is_primary=primary,
        ),
    )


def new_id() -> uuid.UUID:
    return uuid.uuid4()
