"""volmify instructors: create, list, show, affiliate."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_one_error
from tests.support import Cli


@pytest.fixture
def two_orgs(cli: Cli) -> Cli:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "create", "other", "--name", "Other")
    return cli


def test_create_affiliate_list_show(two_orgs: Cli) -> None:
    cli = two_orgs
    created = cli.json(
        "instructors",
        "create",
        "jane-doe",
        "--user",
        "jane@example.org",
        "--name",
        "Jane Doe",
        "--title",
        "Data scientist",
    )
    assert {k: v for k, v in created.items() if k != "created_at"} == {
        "slug": "jane-doe",
        "name": "Jane Doe",
        "title": "Data scientist",
        "email": "jane@example.org",
        "is_active": True,
        "affiliations": [],
    }
    aff = cli.json(
        "instructors",
        "affiliate",
        "jane-doe",
        "--org",
        "acme",
        "--share",
        "40.5%",
        "--type",
        "employee",
    )
    assert {k: aff[k] for k in ("org", "instructor", "type", "status", "share_bp", "share")} == {
        "org": "acme",
        "instructor": "jane-doe",
        "type": "employee",
        "status": "active",
        "share_bp": 4050,
        "share": "40.5%",
    }
    cli.ok("instructors", "affiliate", "jane-doe", "--org", "other", "--share", "10")
    cli.ok("instructors", "affiliate", "jane-doe", "--org", "acme", "--status", "suspended")
    cli.ok("instructors", "create", "bob", "--user", "bob@example.org", "--name", "Bob")
    assert [i["slug"] for i in cli.json("instructors", "list")] == ["bob", "jane-doe"]
    in_acme = cli.json("instructors", "list", "--org", "acme")
    assert [
        (i["slug"], i["affiliation"]["status"], i["affiliation"]["share_bp"]) for i in in_acme
    ] == [("jane-doe", "suspended", 4050)]
    assert [a["org"] for a in cli.json("instructors", "show", "jane-doe")["affiliations"]] == [
        "acme",
        "other",
    ]
    only = cli.json("instructors", "show", "jane-doe", "--org", "other")["affiliations"]
    assert [(a["org"], a["share"]) for a in only] == [("other", "10%")]
    users = cli.json("users", "show", "jane@example.org", "--all")
    assert users["profiles"] == [
        {"slug": "jane-doe", "type": "instructor", "display_name": "Jane Doe"}
    ]


def test_errors(two_orgs: Cli) -> None:
    cli = two_orgs
    cli.ok("instructors", "create", "jane", "--user", "jane@example.org", "--name", "Jane")
    assert_one_error(
        cli.fails(1, "instructors", "create", "jane", "--user", "x@example.org", "--name", "X"),
        "'jane' is already taken",
    )
    assert (
        "share 'abc' is not a percentage"
        in cli.fails(
            2, "instructors", "affiliate", "jane", "--org", "acme", "--share", "abc"
        ).stderr
    )
    assert (
        "over 100%"
        in cli.fails(
            2, "instructors", "affiliate", "jane", "--org", "acme", "--share", "101"
        ).stderr
    )
    assert (
        "'freelance' is not one of"
        in cli.fails(
            2, "instructors", "affiliate", "jane", "--org", "acme", "--type", "freelance"
        ).stderr
    )
    assert_one_error(
        cli.fails(1, "instructors", "affiliate", "ghost", "--org", "acme"),
        "instructor 'ghost' not found",
    )
    assert_one_error(cli.fails(2, "instructors", "affiliate", "jane"), "no organization given")
    assert_one_error(cli.fails(2, "instructors", "create", "x", "--name", "X"), "--user")
    assert cli.json("instructors", "list", "--org", "acme") == []
