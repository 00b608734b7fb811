"""Contact info (e-mail, phone, website, postal address) of an org, of one of its brands and of
an instructor profile (issue 21): one `contact_info` row per owner, reached through the owner
kind's link table (`org_contact_info`, `org_brand_contact_info`, `user_profile_contact_info`;
DOMAIN "platform": no polymorphic id without a foreign key).

The values arrive checked (`rulebook.check_contact_*`: the commands and the catalog reader ask
the same rules); this module reads and writes them. An owner whose every field is cleared has
no contact row left. The commands and the catalog import write through `write_contact`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from volmify_cli.models.markets import OrgMarket, OrgMarketCountry
from volmify_cli.models.orgs import Org
from volmify_cli.models.platform import (
    ContactInfo,
    OrgBrandContactInfo,
    OrgContactInfo,
    UserProfileContactInfo,
)
from volmify_cli.services.lookup import get_brand, get_instructor, get_org

LinkModel = type[OrgContactInfo] | type[OrgBrandContactInfo] | type[UserProfileContactInfo]


@dataclass(frozen=True)
class ContactValues:
    """What an owner's contact holds (None: the field is empty), in the stored forms."""

    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in FIELDS)

    def as_dict(self) -> dict[str, str]:
        """The fields that hold a value, in the order of FIELDS (the catalog's `contact:`)."""
        return {name: value for name in FIELDS if (value := getattr(self, name)) is not None}


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContactValues))


class ContactRead(TypedDict):
    owner: str  # org | brand | instructor
    org: str | None  # the owning org (None for an instructor's global profile)
    slug: str
    email: str | None
    phone: str | None
    website: str | None
    address: str | None


@dataclass(frozen=True)
class Owner:
    """Whose contact: the link table and the columns that name the owner in it."""

    kind: str
    org: str | None
    slug: str
    link: LinkModel
    where: tuple[tuple[str, uuid.UUID], ...]  # (link column, value)


def org_owner(session: Session, *, org_slug: str) -> Owner:
    """Raises NotFoundError."""
    org = get_org(session, org_slug)
    return Owner("org", org.slug, org.slug, OrgContactInfo, (("org_id", org.id),))


def brand_owner(session: Session, *, org_slug: str, slug: str) -> Owner:
    """Raises NotFoundError (an unknown org, or a brand not in this org)."""
    org = get_org(session, org_slug)
    brand = get_brand(session, org, slug)
    where = (("org_id", org.id), ("brand_id", brand.id))
    return Owner("brand", org.slug, brand.slug, OrgBrandContactInfo, where)


def instructor_owner(session: Session, *, slug: str) -> Owner:
    """Raises NotFoundError."""
    profile = get_instructor(session, slug)
    return Owner(
        "instructor", None, profile.slug, UserProfileContactInfo, (("profile_id", profile.id),)
    )


def _find(session: Session, owner: Owner) -> tuple[Any, ContactInfo] | None:
    link: Any = owner.link
    query = select(link, ContactInfo).join(
        ContactInfo, col(ContactInfo.id) == col(link.contact_info_id)
    )
    for column, value in owner.where:
        query = query.where(getattr(link, column) == value)
    found = session.exec(query.order_by(col(link.label))).first()
    return (found[0], found[1]) if found is not None else None


def _values(info: ContactInfo | None) -> ContactValues:
    if info is None:
        return ContactValues()
    return ContactValues(info.email, info.phone, info.website, info.address)


def read_contact(session: Session, owner: Owner) -> ContactValues:
    found = _find(session, owner)
    return _values(found[1] if found else None)


def show_contact(session: Session, owner: Owner) -> ContactRead:
    """The owner's contact (every field None when it has none)."""
    return _read(owner, read_contact(session, owner))


def write_contact(session: Session, owner: Owner, values: ContactValues) -> bool:
    """Make the owner's contact hold `values` (no contact row at all when they are empty).
    Returns whether anything changed. Flushes, does not commit."""
    found = _find(session, owner)
    if _values(found[1] if found else None) == values:
        return False
    if found is not None and values.is_empty():
        session.delete(found[0])
        session.flush()  # the link first: no ORM relationship orders the two deletes
        session.delete(found[1])
    elif found is not None:
        info = found[1]
        info.email, info.phone, info.website, info.address = (
            values.email,
            values.phone,
            values.website,
            values.address,
        )
        session.add(info)
    else:
        info = ContactInfo(
            email=values.email, phone=values.phone, website=values.website, address=values.address
        )
        session.add(info)
        session.flush()  # the link's foreign key needs the row
        link: Any = owner.link
        session.add(link(contact_info_id=info.id, **dict(owner.where)))
    session.flush()
    return True


def set_contact(session: Session, owner: Owner, changes: Mapping[str, str | None]) -> ContactRead:
    """Change the fields named in `changes` (None clears one), leave the others. Returns the
    contact as it is now."""
    values = replace(read_contact(session, owner), **changes)
    write_contact(session, owner, values)
    return _read(owner, values)


def brand_contacts(session: Session, org_id: uuid.UUID) -> dict[uuid.UUID, ContactValues]:
    """The contacts of an org's brands, by brand id (one query: the catalog's plan and export)."""
    query = (
        select(OrgBrandContactInfo.brand_id, ContactInfo)
        .join(ContactInfo, col(ContactInfo.id) == col(OrgBrandContactInfo.contact_info_id))
        .where(OrgBrandContactInfo.org_id == org_id)
        .order_by(col(OrgBrandContactInfo.label))
    )
    found: dict[uuid.UUID, ContactValues] = {}
    for brand_id, info in session.exec(query):
        found.setdefault(brand_id, _values(info))
    return found


def profile_contacts(
    session: Session, profile_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ContactValues]:
    """The contacts of instructor profiles, by profile id."""
    found: dict[uuid.UUID, ContactValues] = {}
    for start in range(0, len(profile_ids), 500):
        query = (
            select(UserProfileContactInfo.profile_id, ContactInfo)
            .join(ContactInfo, col(ContactInfo.id) == col(UserProfileContactInfo.contact_info_id))
            .where(col(UserProfileContactInfo.profile_id).in_(profile_ids[start : start + 500]))
            .order_by(col(UserProfileContactInfo.label))
        )
        for profile_id, info in session.exec(query):
            found.setdefault(profile_id, _values(info))
    return found


def org_contact_ids(session: Session, org_id: uuid.UUID) -> list[uuid.UUID]:
    """The contact rows of an org and of its brands. Deleting the org or a brand deletes the
    link (ON DELETE CASCADE), not the global contact row: pass these to `drop_unlinked` after."""
    ids = list(
        session.exec(select(OrgContactInfo.contact_info_id).where(OrgContactInfo.org_id == org_id))
    )
    ids += session.exec(
        select(OrgBrandContactInfo.contact_info_id).where(OrgBrandContactInfo.org_id == org_id)
    )
    return ids


def drop_unlinked(session: Session, ids: list[uuid.UUID]) -> None:
    """Delete the contact rows among `ids` that no owner links any more. Flushes."""
    if not ids:
        return
    session.flush()
    linked: set[uuid.UUID] = set()
    for link in (OrgContactInfo, OrgBrandContactInfo, UserProfileContactInfo):
        linked.update(
            session.exec(select(link.contact_info_id).where(col(link.contact_info_id).in_(ids)))
        )
    for info in session.exec(select(ContactInfo).where(col(ContactInfo.id).in_(ids))):
        if info.id not in linked:
            session.delete(info)
    session.flush()


def market_region(session: Session, *, org_slug: str) -> str | None:
    """The country a national phone number of the org is read in: the only country of the
    org's default market (None when it has none, or several). Raises NotFoundError."""
    org: Org = get_org(session, org_slug)
    countries = session.exec(
        select(OrgMarketCountry.country_code)
        .join(
            OrgMarket,
            (col(OrgMarket.id) == col(OrgMarketCountry.market_id))
            & (col(OrgMarket.org_id) == col(OrgMarketCountry.org_id)),
        )
        .where(OrgMarket.org_id == org.id, col(OrgMarket.is_default).is_(True))
    ).all()
    return countries[0] if len(countries) == 1 else None


def _read(owner: Owner, values: ContactValues) -> ContactRead:
    return ContactRead(
        owner=owner.kind,
        org=owner.org,
        slug=owner.slug,
        email=values.email,
        phone=values.phone,
        website=values.website,
        address=values.address,
    )
