"""Instructor profiles (global, addressed by slug) and their affiliations with organizations."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import TypedDict

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from volmify_cli.enums import AffiliationStatus, AffiliationType, ProfileType
from volmify_cli.errors import ConflictError
from volmify_cli.models.core import User, UserInstructorProfile, UserProfile
from volmify_cli.models.orgs import Org, OrgInstructorAffiliation
from volmify_cli.services.lookup import find_user, get_instructor, get_org


class InstructorRead(TypedDict):
    slug: str
    name: str
    title: str | None
    email: str
    is_active: bool
    created_at: dt.datetime


class AffiliationRead(TypedDict):
    org: str
    instructor: str
    type: str
    status: str
    share_bp: int
    share: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None


class OrgInstructorRead(InstructorRead):
    affiliation: AffiliationRead


class InstructorDetail(InstructorRead):
    affiliations: list[AffiliationRead]


def _read(
    profile: UserProfile, user: User, extension: UserInstructorProfile | None
) -> InstructorRead:
    return InstructorRead(
        slug=profile.slug,
        name=profile.display_name,
        title=extension.professional_title if extension is not None else None,
        email=user.email,
        is_active=profile.is_active,
        created_at=profile.created_at,
    )


def _affiliation(row: OrgInstructorAffiliation, org_slug: str, slug: str) -> AffiliationRead:
    from volmify_cli.money import format_percent

    return AffiliationRead(
        org=org_slug,
        instructor=slug,
        type=row.type,
        status=row.status,
        share_bp=row.default_share_bp,
        share=format_percent(row.default_share_bp),
        started_at=row.started_at,
        ended_at=row.ended_at,
    )


def _instructor_query() -> Select[UserProfile, User, UserInstructorProfile]:
    """Instructor profiles with their user and (outer-joined) instructor extension."""
    return (
        select(UserProfile, User, UserInstructorProfile)
        .join(User, col(User.id) == col(UserProfile.user_id))
        .join(
            UserInstructorProfile,
            col(UserInstructorProfile.profile_id) == col(UserProfile.id),
            isouter=True,
        )
        .where(UserProfile.type == ProfileType.INSTRUCTOR)
        .order_by(col(UserProfile.slug))
    )


def _affiliations(
    session: Session, profile_ids: Sequence[uuid.UUID], org: Org | None
) -> dict[uuid.UUID, list[tuple[OrgInstructorAffiliation, str]]]:
    grouped: dict[uuid.UUID, list[tuple[OrgInstructorAffiliation, str]]] = {
        pid: [] for pid in profile_ids
    }
    if not profile_ids:
        return grouped
    query = (
        select(OrgInstructorAffiliation, Org.slug)
        .join(Org, col(Org.id) == col(OrgInstructorAffiliation.org_id))
        .where(col(OrgInstructorAffiliation.profile_id).in_(profile_ids))
        .order_by(col(Org.slug))
    )
    if org is not None:
        query = query.where(OrgInstructorAffiliation.org_id == org.id)
    for row, org_slug in session.exec(query):
        grouped[row.profile_id].append((row, org_slug))
    return grouped


def list_instructors(
    session: Session, *, org_slug: str | None = None, limit: int | None = None
) -> list[InstructorRead] | list[OrgInstructorRead]:
    """Every instructor profile by slug, all at once (see `iter_instructors`)."""
    return list(iter_instructors(session, org_slug=org_slug, limit=limit))


READ_BATCH = 1000  # instructors per fetch


def iter_instructors(
    session: Session, *, org_slug: str | None = None, limit: int | None = None
) -> Iterator[InstructorRead] | Iterator[OrgInstructorRead]:
    """Every instructor profile by slug; with `org_slug`, only those affiliated with that org
    (each with its affiliation); streamed from the database in batches (`limit + 1` of them
    with a limit). Raises NotFoundError for an unknown org (before the first row)."""
    query = _instructor_query()
    if org_slug is None:
        if limit is not None:
            query = query.limit(limit + 1)
        every = session.exec(query.execution_options(yield_per=READ_BATCH))
        return (_read(p, u, e) for p, u, e in every)
    org = get_org(session, org_slug)
    org_query = (
        select(UserProfile, User, UserInstructorProfile, OrgInstructorAffiliation)
        .join(User, col(User.id) == col(UserProfile.user_id))
        .join(
            UserInstructorProfile,
            col(UserInstructorProfile.profile_id) == col(UserProfile.id),
            isouter=True,
        )
        .join(
            OrgInstructorAffiliation,
            col(OrgInstructorAffiliation.profile_id) == col(UserProfile.id),
        )
        .where(
            UserProfile.type == ProfileType.INSTRUCTOR,
            OrgInstructorAffiliation.org_id == org.id,
        )
        .order_by(col(UserProfile.slug))
    )
    if limit is not None:
        org_query = org_query.limit(limit + 1)
    affiliated = session.exec(org_query.execution_options(yield_per=READ_BATCH))
    return (
        OrgInstructorRead(**_read(p, u, e), affiliation=_affiliation(a, org.slug, p.slug))
        for p, u, e, a in affiliated
    )


def show_instructor(
    session: Session, *, slug: str, org_slug: str | None = None
) -> InstructorDetail:
    """An instructor with their affiliations (only with `org_slug` when given). Raises
    NotFoundError."""
    profile = get_instructor(session, slug)
    found, user, extension = session.exec(
        _instructor_query().where(UserProfile.id == profile.id)
    ).one()
    org = get_org(session, org_slug) if org_slug is not None else None
    affiliations = _affiliations(session, [profile.id], org)[profile.id]
    return InstructorDetail(
        **_read(found, user, extension),
        affiliations=[_affiliation(a, org_slug, profile.slug) for a, org_slug in affiliations],
    )


def create_instructor(
    session: Session,
    *,
    slug: str,
    email: str,
    name: str,
    title: str | None = None,
) -> InstructorDetail:
    """Create an instructor profile (type instructor, with its instructor extension) for the
    user with `email`; an unknown user is created with `name` as their name. Raises RuleError
    (slug, e-mail, name), ConflictError (slug taken by any profile)."""
    from volmify_cli.rulebook import NAME, PROFESSIONAL_TITLE
    from volmify_cli.rules import check_slug
    from volmify_cli.services.users import new_user

    check_slug(slug, "instructor slug")
    name = NAME.check(name)
    if title is not None:
        title = PROFESSIONAL_TITLE.check(title)
    user = find_user(session, email) or new_user(session, email=email, name=name)
    if session.exec(select(UserProfile.id).where(UserProfile.slug == slug)).first() is not None:
        raise ConflictError(f"profile slug {slug!r} is already taken")
    profile = UserProfile(
        user_id=user.id, type=ProfileType.INSTRUCTOR, slug=slug, display_name=name
    )
    session.add(profile)
    session.flush()
    session.add(UserInstructorProfile(profile_id=profile.id, professional_title=title))
    session.flush()
    return show_instructor(session, slug=slug)


def affiliate_instructor(
    session: Session,
    *,
    slug: str,
    org_slug: str,
    share_bp: int | None = None,
    type: str | None = None,
    status: str | None = None,
) -> AffiliationRead:
    """Create or change the affiliation of an instructor with an org. A new affiliation is a
    contractor, active, with a 0% default share unless given. `started_at` is set when it first
    becomes active, `ended_at` when it ends (cleared when it resumes). Raises NotFoundError,
    RuleError (share outside 0..10000 bp, unknown type or status)."""
    from volmify_cli.db.bulk import Bulk, Scope
    from volmify_cli.enums import enum_value
    from volmify_cli.rules import check_share_bp
    from volmify_cli.services.sync import tables as t
    from volmify_cli.services.sync.commands import write
    from volmify_cli.services.sync.context import Context
    from volmify_cli.services.sync.instructors import CONTRACTOR, want_affiliation

    org = get_org(session, org_slug)
    profile = get_instructor(session, slug)
    if share_bp is not None:
        check_share_bp(share_bp)
    kind = enum_value(AffiliationType, type, "type") if type is not None else None
    state = enum_value(AffiliationStatus, status, "status") if status is not None else None
    db = Bulk(session)
    reads: dict[str, Scope | None] = {t.AFFILIATION.name: ("profile_id = ?", (profile.id.hex,))}
    ctx = Context.for_command(org, db, reads, prune=False, ids={})
    found = ctx.rows(t.AFFILIATION).existing.get((profile.id.hex,))
    old_kind, old_state, old_share = (
        found[1][:3] if found else (CONTRACTOR, AffiliationStatus.ACTIVE.value, 0)
    )
    want_affiliation(
        ctx,
        profile.id.hex,
        slug,
        kind.value if kind is not None else old_kind,
        state.value if state is not None else old_state,
        share_bp if share_bp is not None else old_share,
    )
    write(session, db, [ctx.rows(t.AFFILIATION)])
    row = session.exec(
        select(OrgInstructorAffiliation).where(
            OrgInstructorAffiliation.org_id == org.id,
            OrgInstructorAffiliation.profile_id == profile.id,
        )
    ).one()
    return _affiliation(row, org.slug, profile.slug)
