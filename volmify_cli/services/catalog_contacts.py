"""The catalog's `contact:` keys (issue 21), planned with the rest of an import and written
after the catalog's rows (a new brand or org exists by then), through `contacts.write_contact`,
the commands' own writer.

- A brand's contact is part of the brand, like its description: a brand in the files without
  `contact:` has none.
- The org's contact follows the files when its `org:` mapping has `contact:` (like its name).
- An instructor's profile is global: its contact is written when the import creates the
  profile; a different contact of an existing profile is a warning, never an update (SPEC 4.1:
  an org's import never changes another org's view of a global entity).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from volmify_cli.inputs.contact_schema import ContactDoc
from volmify_cli.models.orgs import Org
from volmify_cli.services.contacts import (
    FIELDS,
    ContactValues,
    brand_contacts,
    brand_owner,
    drop_unlinked,
    instructor_owner,
    org_contact_ids,
    org_owner,
    profile_contacts,
    read_contact,
    write_contact,
)
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.context import Context


@dataclass
class ContactPlan:
    """The contacts to write: (owner kind, slug, values)."""

    writes: list[tuple[str, str, ContactValues]] = field(default_factory=list)
    # the org's contact rows before the import: a pruned brand leaves its (global) row behind
    before: list[uuid.UUID] = field(default_factory=list)

    def write(self, session: Session, org_slug: str) -> None:
        """Write them, after the org, its brands and new instructor profiles exist."""
        for kind, slug, values in self.writes:
            if kind == "org":
                owner = org_owner(session, org_slug=org_slug)
            elif kind == "brand":
                owner = brand_owner(session, org_slug=org_slug, slug=slug)
            else:
                owner = instructor_owner(session, slug=slug)
            write_contact(session, owner, values)
        drop_unlinked(session, self.before)


def wanted(doc: ContactDoc | None) -> ContactValues:
    return ContactValues(**doc.values()) if doc is not None else ContactValues()


def plan_contacts(
    session: Session, ctx: Context, org_row: Org | None, profiles: dict[str, Any]
) -> ContactPlan:
    """The contact writes of the files, with a plan line (`contact.email: old -> new`) for
    each existing org or brand whose contact changes."""
    plan = ContactPlan()
    catalog = ctx.catalog
    if ctx.prune and org_row is not None:
        plan.before = org_contact_ids(session, org_row.id)
    if catalog.org is not None and "contact" in catalog.org.model_fields_set:
        want = wanted(catalog.org.contact)
        old = read_contact(session, org_owner(session, org_slug=org_row.slug)) if org_row else None
        _compare(ctx, plan, "org", ctx.org_slug, old, want)
    contacts = brand_contacts(session, org_row.id) if org_row is not None else {}
    known = {
        key[0]: uuid.UUID(hex=row_id) for key, (row_id, _d) in ctx.rows(t.BRAND).existing.items()
    }
    for slug, entry in catalog.brands.items():
        old = contacts.get(known[slug], ContactValues()) if slug in known else None
        _compare(ctx, plan, "brand", slug, old, wanted(entry.doc.contact))
    with_contact = {
        s: i.doc.contact for s, i in catalog.instructors.items() if i.doc.contact is not None
    }
    # the existing profiles' contacts in one query (the profiles are loaded already)
    have_by_profile = profile_contacts(
        session, [uuid.UUID(hex=profiles[s].id) for s in with_contact if s in profiles]
    )
    for slug, contact in with_contact.items():
        if slug not in profiles:
            plan.writes.append(("instructor", slug, wanted(contact)))
            continue
        have = have_by_profile.get(uuid.UUID(hex=profiles[slug].id), ContactValues())
        if have != wanted(contact):
            ctx.tally.warnings.append(
                f"instructor {slug}: the file's contact differs from the profile's (a global"
                f" profile is not changed by an org's import; see `volmify instructors contact`)"
            )
    return plan


def _compare(
    ctx: Context,
    plan: ContactPlan,
    kind: str,
    slug: str,
    old: ContactValues | None,
    new: ContactValues,
) -> None:
    """`old` None: the owner is new (its `+ create` line says it all)."""
    if old is None:
        if not new.is_empty():
            plan.writes.append((kind, slug, new))
        return
    if old == new:
        return
    changed = [
        (f"contact.{name}", getattr(old, name), getattr(new, name))
        for name in FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    ctx.tally.update(kind, slug, changed)
    plan.writes.append((kind, slug, new))
