"""Instructor profiles and their affiliations with organizations."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.factories import make_org, make_user
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.models.core import User
from volmify_cli.services.instructors import (
    affiliate_instructor,
    create_instructor,
    list_instructors,
    show_instructor,
)
from volmify_cli.services.users import show_user


def test_create_makes_the_user_when_unknown(session: Session) -> None:
    created = create_instructor(
        session, slug="jane-doe", email="jane@example.org", name="Jane Doe", title="PhD"
    )
    assert created == {
        **created,
        "slug": "jane-doe",
        "name": "Jane Doe",
        "title": "PhD",
        "email": "jane@example.org",
        "affiliations": [],
    }
    user = session.exec(select(User).where(User.email_normalized == "jane@example.org")).one()
    assert user.name == "Jane Doe"
    assert show_user(session, email="jane@example.org")["profiles"] == [
        {"slug": "jane-doe", "type": "instructor", "display_name": "Jane Doe"}
    ]


def test_create_reuses_an_existing_user(session: Session) -> None:
    make_user(session, "Jo@Example.org", "Johanna Berg")
    create_instructor(session, slug="jo", email="jo@example.org", name="Jo B.")
    users = session.exec(select(User).where(User.email_normalized == "jo@example.org")).all()
    assert [u.name for u in users] == ["Johanna Berg"]


def test_slug_is_globally_unique(session: Session) -> None:
    create_instructor(session, slug="jane", email="a@example.org", name="A")
    with pytest.raises(ConflictError, match="profile slug 'jane' is already taken"):
        create_instructor(session, slug="jane", email="b@example.org", name="B")


def test_affiliate_creates_then_updates_one_row(session: Session) -> None:
    make_org(session, "acme")
    create_instructor(session, slug="jane", email="a@example.org", name="Jane")
    first = affiliate_instructor(session, slug="jane", org_slug="acme", share_bp=4000)
    assert first == {
        **first,
        "org": "acme",
        "instructor": "jane",
        "type": "contractor",
        "status": "active",
        "share_bp": 4000,
        "share": "40%",
        "ended_at": None,
    }
    assert first["started_at"] is not None
    ended = affiliate_instructor(
        session, slug="jane", org_slug="acme", type="partner", status="ended"
    )
    assert (ended["type"], ended["status"], ended["share_bp"]) == ("partner", "ended", 4000)
    assert ended["ended_at"] is not None and ended["ended_at"] > ended["started_at"]
    resumed = affiliate_instructor(session, slug="jane", org_slug="acme", status="active")
    assert resumed["ended_at"] is None
    assert len(show_instructor(session, slug="jane")["affiliations"]) == 1


def test_affiliation_share_out_of_range(session: Session) -> None:
    make_org(session, "acme")
    create_instructor(session, slug="jane", email="a@example.org", name="Jane")
    with pytest.raises(RuleError, match=re.escape("outside 0..10000")):
        affiliate_instructor(session, slug="jane", org_slug="acme", share_bp=10001)


def test_unknown_instructor_or_org(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(NotFoundError, match="instructor 'ghost' not found"):
        affiliate_instructor(session, slug="ghost", org_slug="acme")
    create_instructor(session, slug="jane", email="a@example.org", name="Jane")
    with pytest.raises(NotFoundError, match="organization 'nope' not found"):
        affiliate_instructor(session, slug="jane", org_slug="nope")


def test_list_and_show_by_org_see_only_that_orgs_affiliations(session: Session) -> None:
    make_org(session, "acme")
    make_org(session, "other")
    create_instructor(session, slug="ann", email="ann@example.org", name="Ann")
    create_instructor(session, slug="bob", email="bob@example.org", name="Bob")
    affiliate_instructor(session, slug="ann", org_slug="acme", share_bp=1000)
    affiliate_instructor(session, slug="ann", org_slug="other", share_bp=2000)
    affiliate_instructor(session, slug="bob", org_slug="other")
    assert [i["slug"] for i in list_instructors(session)] == ["ann", "bob"]
    acme = list_instructors(session, org_slug="acme")
    assert [(i["slug"], i["affiliation"]["share"]) for i in acme] == [("ann", "10%")]  # type: ignore[typeddict-item]
    shown = show_instructor(session, slug="ann", org_slug="acme")
    assert [a["org"] for a in shown["affiliations"]] == ["acme"]
    assert [a["org"] for a in show_instructor(session, slug="ann")["affiliations"]] == [
        "acme",
        "other",
    ]
