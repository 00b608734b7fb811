"""Two organizations side by side never see each other's rows."""

from __future__ import annotations

from tests.support import Cli


def _build(cli: Cli, org: str) -> None:
    cli.ok(
        "orgs", "create", org, "--name", org.title(), "--locale", "en-GB" if org == "b" else "en-US"
    )
    cli.ok("orgs", "locales", "add", "fr-FR" if org == "a" else "de-DE", "--org", org)
    cli.ok("orgs", "brands", "create", "brand", "--name", f"{org} brand", "--org", org)
    cli.ok(
        "markets",
        "create",
        "main",
        "--name",
        f"{org} main",
        "--type",
        "custom",
        "--currency",
        "EUR",
        "--brand",
        "brand",
        "--domain",
        f"{org}.example",
        "--org",
        org,
    )
    cli.ok(
        "orgs", "members", "add", f"member@{org}.example", "--name", f"{org} member", "--org", org
    )
    cli.ok(
        "orgs",
        "members",
        "add",
        "shared@example.org",
        "--name",
        "Shared",
        "--role",
        "owner" if org == "a" else "member",
        "--org",
        org,
    )
    cli.ok("instructors", "create", f"teacher-{org}", "--user", f"t@{org}.example", "--name", "T")
    cli.ok("instructors", "affiliate", f"teacher-{org}", "--org", org)


def test_lists_and_shows_are_scoped_to_one_org(cli: Cli) -> None:
    _build(cli, "a")
    _build(cli, "b")
    for org, other in (("a", "b"), ("b", "a")):
        texts = [
            cli.run("orgs", "locales", "list", "--org", org, "--format", "json").stdout,
            cli.run("orgs", "brands", "list", "--org", org, "--format", "json").stdout,
            cli.run("orgs", "brands", "show", "brand", "--org", org, "--format", "json").stdout,
            cli.run("markets", "list", "--org", org, "--format", "json").stdout,
            cli.run("markets", "show", "main", "--org", org, "--format", "json").stdout,
            cli.run("orgs", "members", "list", "--org", org, "--format", "json").stdout,
            cli.run("users", "list", "--org", org, "--format", "json").stdout,
            cli.run("users", "show", "shared@example.org", "--org", org, "--format", "json").stdout,
            cli.run("instructors", "list", "--org", org, "--format", "json").stdout,
            cli.run(
                "instructors", "show", f"teacher-{org}", "--org", org, "--format", "json"
            ).stdout,
        ]
        for text in texts:
            assert f"{other} " not in text and f"@{other}.example" not in text, text
            assert f"teacher-{other}" not in text and f"{other}.example" not in text, text
        assert [b["name"] for b in cli.json("orgs", "brands", "list", "--org", org)] == [
            f"{org} brand"
        ]
        assert [m["name"] for m in cli.json("markets", "list", "--org", org)] == [f"{org} main"]
        members = cli.json("orgs", "members", "list", "--org", org)
        assert sorted(m["email"] for m in members) == sorted(
            [f"member@{org}.example", "shared@example.org"]
        )
        shared = cli.json("users", "show", "shared@example.org", "--org", org)
        assert [(m["org"], m["role"]) for m in shared["memberships"]] == [
            (org, "owner" if org == "a" else "member")
        ]
        assert [i["slug"] for i in cli.json("instructors", "list", "--org", org)] == [
            f"teacher-{org}"
        ]
        assert [
            a["org"]
            for a in cli.json("instructors", "show", f"teacher-{org}", "--org", other)[
                "affiliations"
            ]
        ] == []
    assert cli.json("orgs", "locales", "list", "--org", "a")[1]["key"] == "fr-FR"
    assert [x["key"] for x in cli.json("orgs", "locales", "list", "--org", "b")] == [
        "en-GB",
        "de-DE",
    ]
