"""Instructors: global profiles referenced by slug (created when unknown, never changed by an
org's import: a different name, e-mail or title is a warning) and the org's affiliations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, select

from volmify_cli.enums import AffiliationStatus, AffiliationType, ProfileType
from volmify_cli.ids import uuid7_hex
from volmify_cli.inputs.catalog_model import Catalog, named_instructors
from volmify_cli.models.core import User, UserInstructorProfile, UserProfile
from volmify_cli.rules import normalize_email
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.context import Context


@dataclass(frozen=True)
class Profile:
    id: str
    type: str
    name: str
    email: str
    title: str | None


@dataclass(frozen=True)
class NewInstructor:
    """A global instructor profile to create (with its user when the e-mail is unknown)."""

    profile_id: str
    slug: str
    name: str
    email: str
    title: str | None


_WINDOW = ("started_at", "ended_at")
CONTRACTOR, ACTIVE = AffiliationType.CONTRACTOR.value, AffiliationStatus.ACTIVE.value


def _referenced_by_products(catalog: Catalog) -> Iterator[str]:
    """The instructors the products' attributions name, in file order (with repeats); a
    product skipped as unchanged names those of its fingerprint."""
    for entry in catalog.products.values():
        yield from named_instructors(entry.doc)
    for skipped in catalog.unchanged.values():
        yield from skipped.instructors


def find_profiles(session: Session, slugs: set[str]) -> dict[str, Profile]:
    """The global profiles among `slugs` (any type: the caller refuses a non-instructor)."""
    found: dict[str, Profile] = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        query = (
            select(UserProfile, User, UserInstructorProfile)
            .join(User, col(User.id) == col(UserProfile.user_id))
            .outerjoin(
                UserInstructorProfile,
                col(UserInstructorProfile.profile_id) == col(UserProfile.id),
            )
            .where(col(UserProfile.slug).in_(chunk))
        )
        for profile, user, extra in session.exec(query):
            found[profile.slug] = Profile(
                profile.id.hex,
                profile.type,
                profile.display_name,
                user.email,
                extra.professional_title if extra is not None else None,
            )
    return found


def sync_instructors(ctx: Context, profiles: dict[str, Profile]) -> list[NewInstructor]:
    rows, ids = ctx.rows(t.AFFILIATION), ctx.id_map("profile")
    created: list[NewInstructor] = []
    for slug, profile in profiles.items():
        ids[slug] = profile.id
    for slug, instructor in ctx.catalog.instructors.items():
        doc = instructor.doc
        ctx.tally.saw("instructor")
        found = profiles.get(slug)
        if found is None:
            profile_id = ids[slug] = uuid7_hex()
            created.append(
                NewInstructor(profile_id, slug, str(doc.name), str(doc.email), doc.title)
            )
        else:
            profile_id = found.id
            _warn_differences(ctx, slug, found, doc.name, doc.email, doc.title)
        want_affiliation(ctx, profile_id, slug, doc.type.value, doc.status.value, doc.share or 0)
    affiliated: set[tuple[str]] = set()
    for slug in _referenced_by_products(ctx.catalog):
        if slug not in ctx.catalog.instructors:
            key = (ids[slug],)
            if key in rows.existing:
                rows.keep(key)  # referenced: kept, left as it is
            elif key not in affiliated:  # affiliated by the reference
                affiliated.add(key)
                ctx.tally.saw("instructor")
                contractor, active = (
                    AffiliationType.CONTRACTOR.value,
                    AffiliationStatus.ACTIVE.value,
                )
                want_affiliation(ctx, key[0], slug, contractor, active, 0)
    return created


def want_affiliation(
    ctx: Context, profile_id: str, slug: str, kind: str, status: str, share_bp: int
) -> None:
    """The org's affiliation with an instructor: its type, status and default share, and its
    window, kept by one rule (for the catalog and `instructors affiliate` alike): it starts
    when it first becomes active and ends when it ends (a resumed one is open again)."""
    rows = ctx.rows(t.AFFILIATION)
    found = rows.existing.get((profile_id,))
    started, ended = found[1][3:] if found is not None else (None, None)
    if status == AffiliationStatus.ACTIVE.value:
        started, ended = started or ctx.now, None
    elif status == AffiliationStatus.ENDED.value and ended is None:
        # after its start (a named CHECK), even when the clock disagrees
        ended = ctx.now if started is None else max(ctx.now, started + dt.timedelta(microseconds=1))
    _id, changed = rows.want((profile_id,), (kind, status, share_bp, started, ended))
    if changed is None:
        ctx.tally.create("instructor", slug)
    shown = [change for change in changed or [] if change[0] not in _WINDOW]
    ctx.report("instructor", slug, shown, {"default_share_bp": "share"})


def _warn_differences(
    ctx: Context, slug: str, profile: Profile, name: str, email: str, title: str | None
) -> None:
    differences = []
    if profile.name != name:
        differences.append(f"name {profile.name!r} (file: {name!r})")
    if normalize_email(profile.email) != normalize_email(email):
        differences.append(f"e-mail {profile.email!r} (file: {email!r})")
    if title is not None and profile.title != title:
        differences.append(f"title {profile.title!r} (file: {title!r})")
    if differences:
        ctx.tally.warnings.append(
            f"instructor {slug}: the global profile keeps its {', '.join(differences)};"
            " an organization's import does not change global profiles"
        )


def create_instructors(session: Session, instructors: list[NewInstructor]) -> None:
    """Write the new global profiles (and users for unknown e-mails) through the ORM, in three
    flushes whatever their number."""
    import uuid

    if not instructors:
        return
    keys = sorted({normalize_email(item.email) for item in instructors})
    users: dict[str, User] = {}
    for start in range(0, len(keys), 500):
        query = select(User).where(col(User.email_normalized).in_(keys[start : start + 500]))
        users.update({user.email_normalized: user for user in session.exec(query)})
    for item in instructors:
        key = normalize_email(item.email)
        if key not in users:
            users[key] = User(email=item.email, email_normalized=key, name=item.name)
            session.add(users[key])
    session.flush()
    for item in instructors:
        session.add(
            UserProfile(
                id=uuid.UUID(hex=item.profile_id),
                user_id=users[normalize_email(item.email)].id,
                type=ProfileType.INSTRUCTOR.value,
                slug=item.slug,
                display_name=item.name,
            )
        )
    session.flush()
    for item in instructors:
        session.add(
            UserInstructorProfile(
                profile_id=uuid.UUID(hex=item.profile_id), professional_title=item.title
            )
        )
    session.flush()
