"""The catalog export's `contact:` mappings (issue 21): an org's, its brands' and its
instructors' contacts, each field in the form stored, empty fields left out."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from volmify_cli.models.orgs import Org
from volmify_cli.services.contacts import (
    brand_contacts,
    org_owner,
    profile_contacts,
    read_contact,
)


def contact_doc(session: Session, org: Org) -> dict[str, str]:
    return read_contact(session, org_owner(session, org_slug=org.slug)).as_dict()


def brand_contact_docs(session: Session, org: Org) -> dict[str, dict[str, str]]:
    """By brand id as hex (the exporter's keys)."""
    return {brand_id.hex: c.as_dict() for brand_id, c in brand_contacts(session, org.id).items()}


def profile_contact_docs(session: Session, profile_ids: list[str]) -> dict[str, dict[str, str]]:
    """By profile id as hex."""
    ids = [uuid.UUID(hex=profile_id) for profile_id in profile_ids]
    return {pid.hex: c.as_dict() for pid, c in profile_contacts(session, ids).items()}
