"""A user's sign-in sessions: the CLI lists and revokes them (DOMAIN: `user_session`).

The platform signs users in; volmify only stores a session's token as its SHA-256 digest, and
no read here ever carries it: a listed session is its id, dates, address and user agent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.db.types import utcnow
from volmify_cli.errors import NotFoundError
from volmify_cli.models.core import User, UserSession
from volmify_cli.services.lookup import get_user


class SessionRead(TypedDict):
    id: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    ip_address: str | None
    user_agent: str | None
    status: str


class RevokeResult(TypedDict):
    revoked: list[SessionRead]  # by this call
    already_revoked: list[SessionRead]  # before it (named, never revoked twice)


def session_status(row: UserSession, now: dt.datetime) -> str:
    """`revoked` once revoked (even if also past its expiry), else `expired` from its expiry
    on, else `active`."""
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= now else "active"


def _read(row: UserSession, now: dt.datetime) -> SessionRead:
    return SessionRead(
        id=str(row.id),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        ip_address=row.ip_address,
        user_agent=row.user_agent,
        status=session_status(row, now),
    )


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256 digest in hex (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    session: Session,
    *,
    user: User,
    token: str,
    expires_at: dt.datetime,
    created_at: dt.datetime | None = None,
    ip_address: str | None = None,
    user_agent: str | None = None,
) -> UserSession:
    """Record a sign-in of `user` (the demo and the tests; the platform signs users in)."""
    row = UserSession(
        user_id=user.id,
        token_hash=token_digest(token),
        expires_at=expires_at,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    if created_at is not None:
        row.created_at = created_at
    session.add(row)
    session.flush()
    return row


READ_BATCH = 1000  # sessions per fetch


def _sessions_of(session: Session, user: User) -> list[UserSession]:
    return list(_streamed_sessions_of(session, user))


def _streamed_sessions_of(session: Session, user: User) -> Iterator[UserSession]:
    query = (
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(col(UserSession.created_at), col(UserSession.id))
    )
    return iter(session.exec(query.execution_options(yield_per=READ_BATCH)))


def list_sessions(
    session: Session, *, email: str, now: dt.datetime | None = None
) -> list[SessionRead]:
    """The user's sessions, oldest first, each with its status at `now` (default: now).
    Raises NotFoundError (unknown user), RuleError (malformed e-mail)."""
    return list(iter_sessions(session, email=email, now=now))


def iter_sessions(
    session: Session, *, email: str, now: dt.datetime | None = None
) -> Iterator[SessionRead]:
    """`list_sessions`, streamed from the database in batches. Raises NotFoundError, RuleError
    (before the first row)."""
    at = now or utcnow()
    return (_read(row, at) for row in _streamed_sessions_of(session, get_user(session, email)))


def _one_of(rows: list[UserSession], session_id: str, email: str) -> UserSession:
    """The user's session with this id; any other id (malformed, unknown, another user's) is
    one answer, so the command reveals nothing about other users' sessions."""
    try:
        wanted = uuid.UUID(session_id.strip())
    except ValueError:
        wanted = None
    for row in rows:
        if row.id == wanted:
            return row
    raise NotFoundError(
        f"session {session_id!r} is not a session of user {email!r}",
        f"see `volmify users sessions list {email}`",
    )


def revoke_sessions(
    session: Session,
    *,
    email: str,
    session_id: str | None = None,
    now: dt.datetime | None = None,
) -> RevokeResult:
    """Revoke one session of the user (`session_id`) or, without it, every session not revoked
    yet; a session revoked before keeps its date and is reported as such. Raises
    NotFoundError (unknown user; an id that is not one of the user's sessions), RuleError."""
    now = now or utcnow()
    rows = _sessions_of(session, get_user(session, email))
    if session_id is not None:
        rows = [_one_of(rows, session_id, email)]
    result = RevokeResult(revoked=[], already_revoked=[])
    for row in rows:
        if row.revoked_at is not None:
            result["already_revoked"].append(_read(row, now))
            continue
        row.revoked_at = now
        session.add(row)
        result["revoked"].append(_read(row, now))
    session.flush()
    return result
