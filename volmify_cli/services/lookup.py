"""Natural-key lookups, always scoped by the organization.

Humans and files never see ids: organizations, brands, markets, products, collections and offers
are addressed by slug; a variant as PRODUCT/VARIANT; a plan as PRODUCT/VARIANT/PLAN (or
PRODUCT/PLAN for the plan on the product's default variant); instructors by their global slug;
users and members by e-mail. A slug of another organization is "not found in org X".

A key holding a control character is refused before any query (`rules.check_line`): PostgreSQL
cannot even be asked about a NUL, where SQLite would answer "not found".
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, select

from volmify_cli.enums import ProfileType
from volmify_cli.errors import NotFoundError, UsageError
from volmify_cli.models.core import User, UserProfile
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.offers import OrgCoupon, OrgDiscount, OrgPromotion
from volmify_cli.models.orgs import Org, OrgBrand, OrgMember
from volmify_cli.models.plans import OrgProductVariantPaymentPlan
from volmify_cli.models.products import OrgProduct, OrgProductCollection, OrgProductVariant
from volmify_cli.rules import check_line, normalize_email

T = TypeVar("T")


def get_org(session: Session, slug: str) -> Org:
    check_line(slug)
    org = session.exec(select(Org).where(Org.slug == slug)).first()
    if org is None:
        raise NotFoundError(f"organization {slug!r} not found", "see `volmify orgs list`")
    return org


def _by_slug(session: Session, model: type[T], org: Org, slug: str, noun: str) -> T:
    table: Any = model
    check_line(slug)
    row = session.exec(select(model).where(table.org_id == org.id, table.slug == slug)).first()
    if row is None:
        raise NotFoundError(f"{noun} {slug!r} not found in org {org.slug}")
    return row


def get_brand(session: Session, org: Org, slug: str) -> OrgBrand:
    return _by_slug(session, OrgBrand, org, slug, "brand")


def get_market(session: Session, org: Org, slug: str) -> OrgMarket:
    return _by_slug(session, OrgMarket, org, slug, "market")


def get_product(session: Session, org: Org, slug: str) -> OrgProduct:
    return _by_slug(session, OrgProduct, org, slug, "product")


def get_collection(session: Session, org: Org, slug: str) -> OrgProductCollection:
    return _by_slug(session, OrgProductCollection, org, slug, "collection")


def get_offer(session: Session, org: Org, slug: str) -> OrgDiscount:
    return _by_slug(session, OrgDiscount, org, slug, "offer")


def split_address(address: str, *, parts: tuple[int, ...], what: str, form: str) -> list[str]:
    pieces = check_line(address).split("/")
    if len(pieces) not in parts or not all(pieces):
        raise UsageError(f"{what} {address!r} is not written as {form}")
    return pieces


def get_variant(session: Session, org: Org, address: str) -> tuple[OrgProduct, OrgProductVariant]:
    """PRODUCT/VARIANT, or PRODUCT alone for the product's default variant."""
    pieces = split_address(address, parts=(1, 2), what="variant", form="PRODUCT/VARIANT")
    product = get_product(session, org, pieces[0])
    query = select(OrgProductVariant).where(
        OrgProductVariant.org_id == org.id, OrgProductVariant.product_id == product.id
    )
    if len(pieces) == 2:
        variant = session.exec(query.where(OrgProductVariant.slug == pieces[1])).first()
        if variant is None:
            raise NotFoundError(f"variant {address!r} not found in org {org.slug}")
    else:
        variant = session.exec(query.where(OrgProductVariant.is_default)).first()
        if variant is None:
            raise NotFoundError(
                f"product {pieces[0]!r} has no default variant in org {org.slug}",
                "address the variant as PRODUCT/VARIANT",
            )
    return product, variant


def get_plan(
    session: Session, org: Org, address: str
) -> tuple[OrgProduct, OrgProductVariant, OrgProductVariantPaymentPlan]:
    """PRODUCT/VARIANT/PLAN, or PRODUCT/PLAN for the plan on the product's default variant."""
    pieces = split_address(
        address, parts=(2, 3), what="plan", form="PRODUCT/VARIANT/PLAN or PRODUCT/PLAN"
    )
    product, variant = get_variant(session, org, "/".join(pieces[:-1]))
    plan = session.exec(
        select(OrgProductVariantPaymentPlan).where(
            OrgProductVariantPaymentPlan.org_id == org.id,
            OrgProductVariantPaymentPlan.variant_id == variant.id,
            OrgProductVariantPaymentPlan.slug == pieces[-1],
        )
    ).first()
    if plan is None:
        raise NotFoundError(f"plan {address!r} not found in org {org.slug}")
    return product, variant, plan


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email_normalized == normalize_email(email))).first()


def get_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise NotFoundError(f"user {email!r} not found", "create it with `volmify users create`")
    return user


def get_member(session: Session, org: Org, email: str) -> tuple[OrgMember, User]:
    user = find_user(session, email)
    member = (
        session.exec(
            select(OrgMember).where(OrgMember.org_id == org.id, OrgMember.user_id == user.id)
        ).first()
        if user is not None
        else None
    )
    if user is None or member is None:
        raise NotFoundError(f"member {email!r} not found in org {org.slug}")
    return member, user


def get_instructor(session: Session, slug: str) -> UserProfile:
    check_line(slug)
    profile = session.exec(
        select(UserProfile).where(
            UserProfile.slug == slug, UserProfile.type == ProfileType.INSTRUCTOR
        )
    ).first()
    if profile is None:
        raise NotFoundError(f"instructor {slug!r} not found", "see `volmify instructors list`")
    return profile


def get_content_locale(session: Session, org: Org, key: str | None) -> str:
    """The locale a text is written in: `key` (canonicalised) when it is one of the org's
    locales, or the org's default locale when `key` is None. Raises RuleError otherwise."""
    if key is None:
        return org.default_locale_key
    from volmify_cli.errors import RuleError
    from volmify_cli.l10n import canonical_key
    from volmify_cli.models.orgs import OrgLocale

    locale = canonical_key(key)
    known = list(session.exec(select(OrgLocale.locale_key).where(OrgLocale.org_id == org.id)))
    if locale not in known:
        listed = ", ".join(sorted(known))
        raise RuleError(
            f"locale {locale!r} is not one of org {org.slug}'s locales ({listed})",
            f"add it with `volmify orgs locales add {locale} --org {org.slug}`",
        )
    return locale


def get_coupon(session: Session, org: Org, code: str) -> OrgCoupon:
    """A coupon by its code, case-insensitively."""
    from volmify_cli.rules import normalize_coupon_code

    coupon = session.exec(
        select(OrgCoupon).where(
            OrgCoupon.org_id == org.id, OrgCoupon.code_normalized == normalize_coupon_code(code)
        )
    ).first()
    if coupon is None:
        raise NotFoundError(f"coupon {code!r} not found in org {org.slug}")
    return coupon


def get_promotion(session: Session, org: Org, slug: str) -> OrgPromotion:
    return _by_slug(session, OrgPromotion, org, slug, "promotion")
