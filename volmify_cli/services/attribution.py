"""Revenue attribution of a product: its brands (with an optional share) and its instructors.

Rules (DOMAIN "org/product"): an instructor must be affiliated with the org, and the
affiliation's default share is only the default for a *new* attribution (the product attribution
share is authoritative); a brand recipient must be one of the product's brands (naming a brand
that is not yet on the product adds it); instructor and brand shares of one product total at most
100%; at most one primary brand and one primary instructor per product (the first of a kind is
primary by default, and when the primary is removed the next one takes its place).
"""

from __future__ import annotations

from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.enums import AffiliationStatus
from volmify_cli.errors import NotFoundError, RuleError, UsageError
from volmify_cli.models.core import UserProfile
from volmify_cli.models.orgs import Org, OrgBrand, OrgBrandTranslation, OrgInstructorAffiliation
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductBrandAttribution,
    OrgProductInstructorAttribution,
)
from volmify_cli.money import BASIS_POINTS, format_percent
from volmify_cli.rules import check_share_bp, check_shares_total
from volmify_cli.services import lookup
from volmify_cli.services.product_writes import ProductRows
from volmify_cli.services.sync import tables as t
from volmify_cli.services.translations import texts_for


class BrandShareRead(TypedDict):
    slug: str
    name: str | None
    is_primary: bool
    share_bp: int
    share: str


class InstructorShareRead(TypedDict):
    slug: str
    name: str
    is_primary: bool
    share_bp: int
    share: str
    role: str | None


class AttributionRead(TypedDict):
    product: str
    brands: list[BrandShareRead]
    instructors: list[InstructorShareRead]
    total_share_bp: int
    total_share: str
    org_share_bp: int
    org_share: str


def read_attribution(
    session: Session, org: Org, product: OrgProduct, locale: str | None = None
) -> AttributionRead:
    """The product's brands (primary first) and instructors with their shares."""
    brand_rows = list(
        session.exec(
            select(OrgProductBrandAttribution, OrgBrand)
            .join(
                OrgBrand,
                (col(OrgBrand.org_id) == col(OrgProductBrandAttribution.org_id))
                & (col(OrgBrand.id) == col(OrgProductBrandAttribution.brand_id)),
            )
            .where(
                OrgProductBrandAttribution.org_id == org.id,
                OrgProductBrandAttribution.product_id == product.id,
            )
            .order_by(
                col(OrgProductBrandAttribution.is_primary).desc(),
                col(OrgProductBrandAttribution.sort_order),
                col(OrgBrand.slug),
            )
        )
    )
    names = texts_for(
        session,
        OrgBrandTranslation,
        org_id=org.id,
        parent_field="brand_id",
        parent_ids=[brand.id for _row, brand in brand_rows],
        field="name",
        locale=locale,
    )
    brands = [
        BrandShareRead(
            slug=brand.slug,
            name=names.get(brand.id),
            is_primary=row.is_primary,
            share_bp=row.share_bp,
            share=format_percent(row.share_bp),
        )
        for row, brand in brand_rows
    ]
    instructors = [
        InstructorShareRead(
            slug=profile.slug,
            name=profile.display_name,
            is_primary=row.is_primary,
            share_bp=row.share_bp,
            share=format_percent(row.share_bp),
            role=row.role,
        )
        for row, profile in session.exec(
            select(OrgProductInstructorAttribution, UserProfile)
            .join(
                UserProfile, col(UserProfile.id) == col(OrgProductInstructorAttribution.profile_id)
            )
            .where(
                OrgProductInstructorAttribution.org_id == org.id,
                OrgProductInstructorAttribution.product_id == product.id,
            )
            .order_by(
                col(OrgProductInstructorAttribution.is_primary).desc(),
                col(OrgProductInstructorAttribution.sort_order),
                col(UserProfile.slug),
            )
        )
    ]
    total = sum(b["share_bp"] for b in brands) + sum(i["share_bp"] for i in instructors)
    return AttributionRead(
        product=product.slug,
        brands=brands,
        instructors=instructors,
        total_share_bp=total,
        total_share=format_percent(total),
        org_share_bp=BASIS_POINTS - total,
        org_share=format_percent(BASIS_POINTS - total),
    )


def _brand(
    rows: ProductRows, brand: OrgBrand, *, share_bp: int | None, primary: bool, total: int
) -> None:
    """Put a brand on the product (or change its share/primary flag). Raises RuleError when
    the shares would total over 100%."""
    if share_bp is not None:
        check_share_bp(share_bp)
    found = rows.ctx.rows(t.BRAND_ATTRIBUTION).existing.get((rows.row_id, brand.id.hex))
    old_share = found[1][1] if found is not None else 0
    new_share = share_bp if share_bp is not None else old_share
    check_shares_total(total - old_share + new_share, rows.slug)
    rows.put_brand(brand.slug, new_share, primary=primary)
    rows.write()


def _instructor(
    session: Session,
    rows: ProductRows,
    profile: UserProfile,
    *,
    share_bp: int | None,
    primary: bool,
    role: str | None,
    total: int,
) -> None:
    org = rows.org
    affiliation = session.exec(
        select(OrgInstructorAffiliation).where(
            OrgInstructorAffiliation.org_id == org.id,
            OrgInstructorAffiliation.profile_id == profile.id,
        )
    ).first()
    hint = f"run `volmify instructors affiliate {profile.slug} --org {org.slug}`"
    if affiliation is None:
        raise RuleError(f"instructor {profile.slug!r} is not affiliated with org {org.slug}", hint)
    if affiliation.status == AffiliationStatus.ENDED:
        raise RuleError(
            f"instructor {profile.slug!r}'s affiliation with org {org.slug} has ended", hint
        )
    if share_bp is not None:
        check_share_bp(share_bp)
    key = (rows.row_id, profile.id.hex)
    found = rows.ctx.rows(t.INSTRUCTOR_ATTRIBUTION).existing.get(key)
    old_share = found[1][0] if found is not None else 0
    if share_bp is not None:
        new_share = share_bp
    elif found is not None:
        new_share = old_share
    else:  # only a new attribution takes the affiliation's default share
        new_share = affiliation.default_share_bp
    check_shares_total(total - old_share + new_share, rows.slug)
    rows.put_instructor(profile.slug, profile.id.hex, new_share)
    rows.write()
    rows.instructor_columns(profile.id.hex, primary=primary, role=role)


def attribute(
    session: Session,
    *,
    org: str,
    product: str,
    instructor: str | None = None,
    brand: str | None = None,
    share_bp: int | None = None,
    primary: bool = False,
    remove: bool = False,
    role: str | None = None,
    locale: str | None = None,
) -> AttributionRead:
    """Attribute (or with `remove`, un-attribute) an instructor or a brand on a product.

    Raises UsageError (neither or both recipients; --remove with a share), NotFoundError
    (unknown product/brand/instructor, or removing what is not attributed), RuleError (an
    unaffiliated instructor, shares over 100%).
    """
    if (instructor is None) == (brand is None):
        raise UsageError("give exactly one of --instructor SLUG or --brand SLUG")
    if remove and (share_bp is not None or primary or role is not None):
        raise UsageError("--remove takes no --share, --primary or --role")
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    rows = ProductRows(session, the_org, the_product.slug)
    total = rows.shares_total()
    if instructor is not None:
        profile = lookup.get_instructor(session, instructor)
        if remove:
            if not rows.drop_attribution(instructor=profile.slug):
                raise NotFoundError(
                    f"instructor {instructor!r} is not attributed on product {product!r}"
                )
            rows.write()
            rows.instructor_columns(None)  # the next one becomes primary
        else:
            _instructor(
                session, rows, profile, share_bp=share_bp, primary=primary, role=role, total=total
            )
    else:
        assert brand is not None
        the_brand = lookup.get_brand(session, the_org, brand)
        if remove:
            if not rows.drop_attribution(brand=the_brand.slug):
                raise NotFoundError(f"brand {brand!r} is not attributed on product {product!r}")
            rows.write()
        else:
            _brand(rows, the_brand, share_bp=share_bp, primary=primary, total=total)
    return read_attribution(session, the_org, the_product, locale)
