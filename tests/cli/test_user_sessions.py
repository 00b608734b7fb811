"""volmify users sessions list|revoke (issue 21): a user's sign-in sessions with their status,
revoked one by one or all at once, and never a token or its digest in any output."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from tests.cli.helpers import assert_one_error
from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.services.lookup import get_user
from volmify_cli.services.user_sessions import start_session, token_digest

NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Made:
    id: str
    token: str
    status: str  # what the test set up, independent of the command's reading


def sign_in(db_url: str, email: str, *, age: int, lifetime: int, revoked: bool = False) -> Made:
    """A session of `email` that signed in `age` days ago for `lifetime` days, through the
    service the platform's sign-in would use, committed."""
    token = secrets.token_urlsafe(32)
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            signed_in = NOW - dt.timedelta(days=age)
            row = start_session(
                session,
                user=get_user(session, email),
                token=token,
                created_at=signed_in,
                expires_at=signed_in + dt.timedelta(days=lifetime),
                ip_address="203.0.113.9",
                user_agent=f"Agent/{age}",
            )
            if revoked:
                row.revoked_at = signed_in + dt.timedelta(hours=1)
            session.add(row)
            session.commit()
            made_id = str(row.id)
    finally:
        engine.dispose()
    status = "revoked" if revoked else ("expired" if lifetime <= age else "active")
    return Made(made_id, token, status)


@pytest.fixture
def people(cli: Cli, db_url: str) -> dict[str, list[Made]]:
    cli.ok("users", "create", "ana@example.org", "--name", "Ana")
    cli.ok("users", "create", "ben@example.org", "--name", "Ben")
    return {
        "ana": [
            sign_in(db_url, "ana@example.org", age=40, lifetime=30),  # expired
            sign_in(db_url, "ana@example.org", age=3, lifetime=30, revoked=True),
            sign_in(db_url, "ana@example.org", age=1, lifetime=30),  # active
        ],
        "ben": [sign_in(db_url, "ben@example.org", age=2, lifetime=14)],
    }


def sessions_of(cli: Cli, email: str) -> dict[str, dict]:
    return {row["id"]: row for row in cli.json("users", "sessions", "list", email)}


def test_list_shows_each_session_with_its_status_oldest_first(
    cli: Cli, people: dict[str, list[Made]]
) -> None:
    rows = cli.json("users", "sessions", "list", "ANA@example.org")
    assert [(r["id"], r["status"]) for r in rows] == [(m.id, m.status) for m in people["ana"]]
    assert set(rows[0]) == {
        "id", "created_at", "expires_at", "revoked_at", "ip_address", "user_agent", "status",
    }  # fmt: skip
    assert (rows[0]["ip_address"], rows[0]["user_agent"]) == ("203.0.113.9", "Agent/40")
    assert [r["id"] for r in cli.json("users", "sessions", "list", "ben@example.org")] == [
        people["ben"][0].id
    ]
    assert_one_error(cli.fails(1, "users", "sessions", "list", "nobody@example.org"), "nobody")


def test_no_output_carries_a_token_or_its_digest(cli: Cli, people: dict[str, list[Made]]) -> None:
    secrets_shown = [word for m in people["ana"] for word in (m.token, token_digest(m.token))]
    outputs = [
        cli.ok("users", "sessions", "list", "ana@example.org", "--format", fmt).stdout
        for fmt in ("table", "json", "yaml", "csv", "ndjson")
    ]
    revoke = cli.ok("users", "sessions", "revoke", "ana@example.org", "--all", "--format", "json")
    outputs += [revoke.stdout, revoke.stderr]
    assert all(people["ana"][0].id in text for text in outputs[:6])  # they do show the sessions
    for text in outputs:
        for secret in secrets_shown:
            assert secret not in text


def test_revoke_one_then_again(cli: Cli, people: dict[str, list[Made]]) -> None:
    active = people["ana"][2]
    revoked = cli.json("users", "sessions", "revoke", "ana@example.org", active.id)
    assert [(r["id"], r["status"]) for r in revoked] == [(active.id, "revoked")]
    after = sessions_of(cli, "ana@example.org")
    assert after[active.id]["status"] == "revoked"
    assert after[people["ana"][0].id]["status"] == "expired"  # the others are left alone
    assert sessions_of(cli, "ben@example.org")[people["ben"][0].id]["status"] == "active"

    again = cli.ok("users", "sessions", "revoke", "ana@example.org", active.id)
    assert f"Session {active.id} was already revoked" in again.stderr
    assert "Revoked 0 session(s)" in again.stderr
    assert (
        sessions_of(cli, "ana@example.org")[active.id]["revoked_at"]
        == (after[active.id]["revoked_at"])
    )  # its date is kept


def test_revoke_all_keeps_earlier_revocations(cli: Cli, people: dict[str, list[Made]]) -> None:
    before = sessions_of(cli, "ana@example.org")
    result = cli.ok("users", "sessions", "revoke", "ana@example.org", "--all", "--format", "json")
    assert "Revoked 2 session(s) of ana@example.org" in result.stderr
    assert {r["id"] for r in json.loads(result.stdout)} == {m.id for m in people["ana"]}
    after = sessions_of(cli, "ana@example.org")
    assert {r["status"] for r in after.values()} == {"revoked"}
    earlier = people["ana"][1].id
    assert after[earlier]["revoked_at"] == before[earlier]["revoked_at"]
    assert sessions_of(cli, "ben@example.org")[people["ben"][0].id]["status"] == "active"


def test_revoke_refuses_another_users_session_and_bad_requests(
    cli: Cli, people: dict[str, list[Made]]
) -> None:
    bens = people["ben"][0].id
    assert_one_error(
        cli.fails(1, "users", "sessions", "revoke", "ana@example.org", bens),
        f"session '{bens}' is not a session of user 'ana@example.org'",
    )
    assert sessions_of(cli, "ben@example.org")[bens]["status"] == "active"
    assert_one_error(
        cli.fails(1, "users", "sessions", "revoke", "ana@example.org", "not-an-id"), "not-an-id"
    )
    assert "--all" in cli.fails(2, "users", "sessions", "revoke", "ana@example.org").stderr
    both = cli.fails(2, "users", "sessions", "revoke", "ana@example.org", bens, "--all")
    assert "not both" in both.stderr
    assert_one_error(
        cli.fails(1, "users", "sessions", "revoke", "nobody@example.org", "--all"), "nobody"
    )
    assert {r["status"] for r in sessions_of(cli, "ana@example.org").values()} == {
        "expired",
        "revoked",
        "active",
    }


def test_the_demos_sessions_and_listings_show_no_digest(demo: Cli) -> None:
    """The demo adds sessions with random tokens (only digests stored) and lists products; no
    output of any format shows a stored digest."""
    from sqlalchemy import text

    from volmify_cli.exchange.demo import DEMO_LISTINGS, DEMO_SESSIONS

    engine = make_engine(demo.db_url or "")
    try:
        with engine.connect() as connection:
            digests = [
                row[0] for row in connection.execute(text("SELECT token_hash FROM user_session"))
            ]
    finally:
        engine.dispose()
    planned = [s for sessions in DEMO_SESSIONS.values() for s in sessions]
    assert len(digests) == len(planned) and all(len(d) == 64 for d in digests)
    for email in sorted({s[0] for s in planned}):
        rows = demo.json("users", "sessions", "list", email)
        want = sorted(
            "revoked" if revoked else ("expired" if lifetime <= age else "active")
            for mail, _, _, age, lifetime, revoked in planned
            if mail == email
        )
        assert sorted(r["status"] for r in rows) == want
        for fmt in ("table", "json", "yaml", "csv", "ndjson"):
            shown = demo.ok("users", "sessions", "list", email, "--format", fmt).stdout
            assert not any(digest in shown for digest in digests)
    listed = {(r["org"], r["product"], r["category"]) for r in demo.json("marketplace", "list")}
    assert listed == {(org, p, c) for org, items in DEMO_LISTINGS.items() for p, c in items}
