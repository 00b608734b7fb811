"""Users (global, e-mail unique case-insensitively) and members of organizations."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.factories import make_org
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, UsageError
from volmify_cli.models.core import User
from volmify_cli.services.members import add_member, list_members, remove_member
from volmify_cli.services.users import create_user, list_users, show_user


def test_create_user_and_email_uniqueness_ignores_case(session: Session) -> None:
    created = create_user(session, email="Ana@Example.org", name="Ana Lima", display_name="Ana")
    assert created == {**created, "email": "Ana@Example.org", "display_name": "Ana"}
    with pytest.raises(ConflictError, match=re.escape("user 'ana@example.ORG' already exists")):
        create_user(session, email="ana@example.ORG", name="Other")


def test_malformed_email_is_refused(session: Session) -> None:
    with pytest.raises(RuleError, match="e-mail 'not-an-address' is not a valid address"):
        create_user(session, email="not-an-address", name="X")


def test_add_member_creates_an_unknown_user(session: Session) -> None:
    make_org(session, "acme")
    row = add_member(session, org_slug="acme", email="bo@example.org", name="Bo", role="admin")
    assert row == {**row, "email": "bo@example.org", "name": "Bo", "role": "admin"}
    assert row["status"] == "active"
    assert row["joined_at"] is not None
    assert session.exec(select(User.name).where(User.email == "bo@example.org")).one() == "Bo"


def test_add_member_of_an_unknown_user_without_name_is_a_usage_error(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(
        UsageError, match=re.escape("user 'new@example.org' does not exist yet")
    ) as info:
        add_member(session, org_slug="acme", email="new@example.org")
    assert info.value.hint == "pass --name to create the user"
    assert list_members(session, org_slug="acme") == []


def test_adding_an_existing_member_changes_role_and_status(session: Session) -> None:
    make_org(session, "acme")
    create_user(session, email="Cy@Example.org", name="Cy")
    invited = add_member(session, org_slug="acme", email="cy@example.org", status="invited")
    assert (invited["role"], invited["status"], invited["joined_at"]) == (
        "member",
        "invited",
        None,
    )
    active = add_member(session, org_slug="acme", email="CY@example.org", role="instructor")
    assert (active["role"], active["status"]) == ("instructor", "invited")
    joined = add_member(session, org_slug="acme", email="cy@example.org", status="active")
    assert joined["joined_at"] is not None
    assert len(list_members(session, org_slug="acme")) == 1


@pytest.mark.parametrize(("option", "value"), [("role", "boss"), ("status", "gone")])
def test_bad_role_or_status(session: Session, option: str, value: str) -> None:
    make_org(session, "acme")
    with pytest.raises(UsageError, match=f"{option} '{value}' is not one of"):
        add_member(session, org_slug="acme", email="d@example.org", name="D", **{option: value})


def test_remove_member_keeps_the_user(session: Session) -> None:
    make_org(session, "acme")
    add_member(session, org_slug="acme", email="e@example.org", name="E")
    remove_member(session, org_slug="acme", email="E@example.org")
    assert list_members(session, org_slug="acme") == []
    assert [u["email"] for u in list_users(session)] == ["e@example.org"]
    with pytest.raises(
        NotFoundError, match=re.escape("member 'e@example.org' not found in org acme")
    ):
        remove_member(session, org_slug="acme", email="e@example.org")


def test_users_list_is_the_orgs_members_or_everyone(session: Session) -> None:
    make_org(session, "acme")
    make_org(session, "other")
    add_member(session, org_slug="acme", email="a@example.org", name="A", role="owner")
    add_member(session, org_slug="other", email="b@example.org", name="B")
    create_user(session, email="c@example.org", name="C")
    acme = list_users(session, org_slug="acme")
    assert [(u["email"], u.get("role")) for u in acme] == [("a@example.org", "owner")]
    assert [u["email"] for u in list_users(session)] == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    assert len(list_users(session, limit=1)) == 2  # one more, to announce the cut


def test_show_user_memberships_in_one_org_or_all(session: Session) -> None:
    make_org(session, "acme")
    make_org(session, "other")
    add_member(session, org_slug="acme", email="a@example.org", name="A", role="owner")
    add_member(session, org_slug="other", email="a@example.org", role="member")
    everywhere = show_user(session, email="A@example.org")
    assert [(m["org"], m["role"]) for m in everywhere["memberships"]] == [
        ("acme", "owner"),
        ("other", "member"),
    ]
    in_acme = show_user(session, email="a@example.org", org_slug="acme")
    assert [m["org"] for m in in_acme["memberships"]] == ["acme"]
    assert in_acme["profiles"] == []
