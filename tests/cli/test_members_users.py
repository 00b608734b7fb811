"""volmify orgs members and volmify users."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_one_error, fake_terminal
from tests.support import Cli


@pytest.fixture
def acme(cli: Cli) -> Cli:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "use", "acme")
    return cli


def test_members_add_list_remove(acme: Cli) -> None:
    added = acme.json(
        "orgs", "members", "add", "Ana@Example.org", "--name", "Ana Lima", "--role", "admin"
    )
    assert set(added) == {"email", "name", "role", "status", "joined_at"}
    assert (added["email"], added["role"], added["status"]) == (
        "Ana@Example.org",
        "admin",
        "active",
    )
    again = acme.json("orgs", "members", "add", "ana@example.ORG", "--status", "suspended")
    assert (again["role"], again["status"]) == ("admin", "suspended")
    assert [m["email"] for m in acme.json("orgs", "members", "list")] == ["Ana@Example.org"]
    assert "pass --yes" in acme.fails(2, "orgs", "members", "remove", "ana@example.org").stderr
    acme.ok("orgs", "members", "remove", "ana@example.org", "--yes")
    assert acme.json("orgs", "members", "list") == []
    assert [u["email"] for u in acme.json("users", "list", "--all")] == ["Ana@Example.org"]


def test_member_errors(acme: Cli) -> None:
    assert_one_error(acme.fails(2, "orgs", "members", "add", "new@example.org"), "--name")
    assert (
        "'boss' is not one of"
        in acme.fails(
            2, "orgs", "members", "add", "x@example.org", "--name", "X", "--role", "boss"
        ).stderr
    )
    assert_one_error(
        acme.fails(1, "orgs", "members", "add", "not-an-email", "--name", "X"), "'not-an-email'"
    )
    assert_one_error(
        acme.fails(1, "orgs", "members", "remove", "ghost@example.org", "--yes"),
        "member 'ghost@example.org' not found in org acme",
    )
    assert acme.json("users", "list", "--all") == []


def test_member_name_is_asked_on_a_terminal(acme: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = fake_terminal(monkeypatch)
    terminal.answers.append("Bo Prompted")
    added = acme.json("orgs", "members", "add", "bo@example.org")
    assert added["name"] == "Bo Prompted"
    assert terminal.asked == ["Name of the new user bo@example.org:"]
    acme.ok("orgs", "members", "add", "bo@example.org", "--role", "owner")  # known: no question
    assert len(terminal.asked) == 1


def test_users_create_list_show(acme: Cli) -> None:
    created = acme.json("users", "create", "Cy@Example.org", "--name", "Cy", "--display-name", "C.")
    assert {k: v for k, v in created.items() if k != "created_at"} == {
        "email": "Cy@Example.org",
        "name": "Cy",
        "display_name": "C.",
    }
    assert_one_error(
        acme.fails(1, "users", "create", "cy@example.org", "--name", "Dup"), "already exists"
    )
    assert acme.json("users", "list") == []  # not a member of acme
    acme.ok("orgs", "members", "add", "cy@example.org", "--role", "instructor")
    members = acme.json("users", "list")
    assert [(u["email"], u["role"], u["status"]) for u in members] == [
        ("Cy@Example.org", "instructor", "active")
    ]
    shown = acme.json("users", "show", "CY@example.org")
    assert [m["org"] for m in shown["memberships"]] == ["acme"]
    assert shown["profiles"] == []
    assert_one_error(acme.fails(1, "users", "show", "nobody@example.org"), "'nobody@example.org'")
    assert_one_error(acme.fails(2, "users", "create", "z@example.org"), "--name")
