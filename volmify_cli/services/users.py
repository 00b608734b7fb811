"""Platform users (global accounts), addressed by e-mail (unique case-insensitively)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.db.bulk import READ_BATCH
from volmify_cli.errors import ConflictError
from volmify_cli.models.core import User, UserProfile
from volmify_cli.models.orgs import Org, OrgMember
from volmify_cli.services.lookup import find_user, get_org, get_user


class UserRead(TypedDict):
    email: str
    name: str
    display_name: str | None
    created_at: dt.datetime


class OrgUserRead(UserRead):
    role: str
    status: str
    joined_at: dt.datetime | None


class MembershipRead(TypedDict):
    org: str
    role: str
    status: str
    joined_at: dt.datetime | None


class ProfileRead(TypedDict):
    slug: str
    type: str
    display_name: str


class UserDetail(UserRead):
    memberships: list[MembershipRead]
    profiles: list[ProfileRead]


def read_user(user: User) -> UserRead:
    return UserRead(
        email=user.email,
        name=user.name,
        display_name=user.display_name,
        created_at=user.created_at,
    )


def user_exists(session: Session, *, email: str) -> bool:
    """Raises RuleError for a malformed address."""
    return find_user(session, email) is not None


def new_user(session: Session, *, email: str, name: str, display_name: str | None = None) -> User:
    """Create the user row. Raises RuleError (e-mail, name), ConflictError (e-mail taken)."""
    from volmify_cli.rulebook import NAME
    from volmify_cli.rules import normalize_email

    normalized = normalize_email(email)
    name = NAME.check(name)
    if display_name is not None:
        display_name = NAME.check(display_name)
    if find_user(session, normalized) is not None:
        raise ConflictError(f"user {email.strip()!r} already exists")
    user = User(
        email=email.strip(), email_normalized=normalized, name=name, display_name=display_name
    )
    session.add(user)
    session.flush()
    return user


def create_user(
    session: Session, *, email: str, name: str, display_name: str | None = None
) -> UserRead:
    """Raises RuleError (malformed e-mail, empty name), ConflictError (e-mail taken, compared
    case-insensitively)."""
    return read_user(new_user(session, email=email, name=name, display_name=display_name))


def list_users(
    session: Session, *, org_slug: str | None = None, limit: int | None = None
) -> list[UserRead] | list[OrgUserRead]:
    """Users ordered by e-mail, all at once (see `iter_users`)."""
    return list(iter_users(session, org_slug=org_slug, limit=limit))


def iter_users(
    session: Session, *, org_slug: str | None = None, limit: int | None = None
) -> Iterator[UserRead] | Iterator[OrgUserRead]:
    """With `org_slug`: the org's members (with role and status); without: every user. Ordered
    by e-mail, streamed in batches. Raises NotFoundError for an unknown org, before the first
    row."""
    if org_slug is None:
        query = select(User).order_by(col(User.email_normalized))
        if limit is not None:
            query = query.limit(limit + 1)
        everyone = session.exec(query.execution_options(yield_per=READ_BATCH))
        return (read_user(user) for user in everyone)
    org = get_org(session, org_slug)
    member_query = (
        select(User, OrgMember)
        .join(OrgMember, col(OrgMember.user_id) == col(User.id))
        .where(OrgMember.org_id == org.id)
        .order_by(col(User.email_normalized))
    )
    if limit is not None:
        member_query = member_query.limit(limit + 1)
    members = session.exec(member_query.execution_options(yield_per=READ_BATCH))
    return (
        OrgUserRead(
            **read_user(user), role=member.role, status=member.status, joined_at=member.joined_at
        )
        for user, member in members
    )


def show_user(session: Session, *, email: str, org_slug: str | None = None) -> UserDetail:
    """A user with their memberships (only in `org_slug` when given, else in every org) and
    profiles. Raises NotFoundError."""
    user = get_user(session, email)
    query = (
        select(OrgMember, Org.slug)
        .join(Org, col(Org.id) == col(OrgMember.org_id))
        .where(OrgMember.user_id == user.id)
        .order_by(col(Org.slug))
    )
    if org_slug is not None:
        query = query.where(OrgMember.org_id == get_org(session, org_slug).id)
    memberships = [
        MembershipRead(org=slug, role=m.role, status=m.status, joined_at=m.joined_at)
        for m, slug in session.exec(query)
    ]
    profiles = [
        ProfileRead(slug=p.slug, type=p.type, display_name=p.display_name)
        for p in session.exec(
            select(UserProfile)
            .where(UserProfile.user_id == user.id)
            .order_by(col(UserProfile.slug))
        )
    ]
    return UserDetail(**read_user(user), memberships=memberships, profiles=profiles)
