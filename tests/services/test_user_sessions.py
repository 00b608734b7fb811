"""A session's status (services/user_sessions.py): revoked wins, then expiry, at the instant."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from tests.factories import make_user
from volmify_cli.services.user_sessions import list_sessions, revoke_sessions, start_session

T0 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_status_at_the_edges_and_revocation(session: Session) -> None:
    user = make_user(session, "ana@example.org")
    row = start_session(
        session, user=user, token="t-1", created_at=T0, expires_at=T0 + dt.timedelta(days=1)
    )

    def status(at: dt.datetime) -> str:
        return list_sessions(session, email="ana@example.org", now=at)[0]["status"]

    assert status(T0 + dt.timedelta(days=1, microseconds=-1)) == "active"
    assert status(T0 + dt.timedelta(days=1)) == "expired"  # expires_at is the first instant out
    at = T0 + dt.timedelta(hours=2)
    result = revoke_sessions(session, email="ana@example.org", session_id=str(row.id), now=at)
    assert [r["revoked_at"] for r in result["revoked"]] == [at]
    assert status(T0) == "revoked"
    later = revoke_sessions(session, email="ana@example.org", now=at + dt.timedelta(hours=1))
    assert later["revoked"] == [] and [r["revoked_at"] for r in later["already_revoked"]] == [at]
    assert row.token_hash != "t-1" and len(row.token_hash) == 64
