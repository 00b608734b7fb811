"""Members of an organization: a user (created when unknown) with a role and a status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.db.bulk import READ_BATCH
from volmify_cli.enums import MemberRole, MemberStatus
from volmify_cli.errors import UsageError
from volmify_cli.models.core import User
from volmify_cli.models.orgs import OrgMember
from volmify_cli.services.lookup import find_user, get_member, get_org


class MemberRead(TypedDict):
    email: str
    name: str
    role: str
    status: str
    joined_at: dt.datetime | None


def _read(member: OrgMember, user: User) -> MemberRead:
    return MemberRead(
        email=user.email,
        name=user.name,
        role=member.role,
        status=member.status,
        joined_at=member.joined_at,
    )


def list_members(session: Session, *, org_slug: str, limit: int | None = None) -> list[MemberRead]:
    """The org's members by e-mail, all at once (see `iter_members`)."""
    return list(iter_members(session, org_slug=org_slug, limit=limit))


def iter_members(
    session: Session, *, org_slug: str, limit: int | None = None
) -> Iterator[MemberRead]:
    """The org's members by e-mail, streamed in batches (`limit + 1` of them with a limit).
    Raises NotFoundError for an unknown org, before the first row."""
    org = get_org(session, org_slug)
    query = (
        select(OrgMember, User)
        .join(User, col(User.id) == col(OrgMember.user_id))
        .where(OrgMember.org_id == org.id)
        .order_by(col(User.email_normalized))
    )
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (_read(member, user) for member, user in found)


def show_member(session: Session, *, org_slug: str, email: str) -> MemberRead:
    """Raises NotFoundError ("member 'x' not found in org acme")."""
    member, user = get_member(session, get_org(session, org_slug), email)
    return _read(member, user)


def add_member(
    session: Session,
    *,
    org_slug: str,
    email: str,
    role: str | None = None,
    status: str | None = None,
    name: str | None = None,
) -> MemberRead:
    """Add a user to an org (creating the user when unknown, which needs `name`). Adding an
    existing member changes the role and status given. `joined_at` is set when the member is
    first active. Raises NotFoundError, RuleError (e-mail, role, status), UsageError (an unknown
    user and no name)."""
    from volmify_cli.enums import enum_value
    from volmify_cli.services.users import new_user

    org = get_org(session, org_slug)
    role_value = enum_value(MemberRole, role, "role") if role is not None else None
    status_value = enum_value(MemberStatus, status, "status") if status is not None else None
    user = find_user(session, email)
    if user is None:
        if name is None:
            raise UsageError(
                f"user {email.strip()!r} does not exist yet", "pass --name to create the user"
            )
        user = new_user(session, email=email, name=name)
    member = session.exec(
        select(OrgMember).where(OrgMember.org_id == org.id, OrgMember.user_id == user.id)
    ).first()
    if member is None:
        member = OrgMember(org_id=org.id, user_id=user.id)
        member.role = role_value or MemberRole.MEMBER
        member.status = status_value or MemberStatus.ACTIVE
    else:
        member.role = role_value or member.role
        member.status = status_value or member.status
    if member.status == MemberStatus.ACTIVE and member.joined_at is None:
        from volmify_cli.db.types import utcnow

        member.joined_at = utcnow()
    session.add(member)
    session.flush()
    return _read(member, user)


def remove_member(session: Session, *, org_slug: str, email: str) -> dict[str, int]:
    """Remove a member; their enrollments and subscriptions in this org go with them (the user
    account stays). Returns how many rows went with the member, per table. Raises
    NotFoundError."""
    from volmify_cli.services.references import referencing_counts

    org = get_org(session, org_slug)
    member, _user = get_member(session, org, email)
    removed = referencing_counts(
        session, table="org_member", key={"org_id": org.id, "id": member.id}, cascade=True
    )
    session.delete(member)
    session.flush()
    return removed
