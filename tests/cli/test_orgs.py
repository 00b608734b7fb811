"""volmify orgs: create, list, show, update, delete, use (through the real command line)."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import assert_one_error, fake_terminal, snapshot
from tests.support import Cli, modules_imported_by

ORG_KEYS = {
    "slug", "name", "default_locale", "default_currency", "timezone", "status", "locales",
    "created_at",
}  # fmt: skip


def test_create_with_defaults_and_show(cli: Cli) -> None:
    created = cli.json("orgs", "create", "acme", "--name", "Acme Inc")
    assert set(created) == ORG_KEYS
    assert {k: v for k, v in created.items() if k != "created_at"} == {
        "slug": "acme",
        "name": "Acme Inc",
        "default_locale": "en-US",
        "default_currency": "USD",
        "timezone": "UTC",
        "status": "active",
        "locales": ["en-US"],
    }
    assert created["created_at"].endswith("Z")
    assert cli.json("orgs", "show", "acme") == created
    assert cli.json("orgs", "locales", "list", "--org", "acme")[0] == {
        "key": "en-US",
        "english_name": "English (United States)",
        "native_name": "English (United States)",
        "direction": "ltr",
        "is_default": True,
        "is_active": True,
    }


def test_create_with_locale_and_currency(cli: Cli) -> None:
    created = cli.json(
        "orgs", "create", "beta", "--name", "Beta", "--locale", "de-AT", "--currency", "EUR"
    )
    assert (created["default_locale"], created["default_currency"]) == ("de-AT", "EUR")


def test_list_with_limit_announces_the_cut(cli: Cli) -> None:
    for slug in ("c", "a", "b"):
        cli.ok("orgs", "create", slug, "--name", slug.upper())
    assert [o["slug"] for o in cli.json("orgs", "list")] == ["a", "b", "c"]
    result = cli.ok("orgs", "list", "--limit", "2", "--format", "json")
    assert "more were left out" in result.stderr
    assert [o["slug"] for o in json.loads(result.stdout)] == ["a", "b"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--currency", "XXX"), ["unknown currency 'XXX'"]),
        (("--locale", "xx-YY"), ["unknown locale 'xx-YY'"]),
        (("--locale", "klingon"), ["unknown locale 'klingon'"]),
    ],
)
def test_bad_values_exit_1_and_write_nothing(
    cli: Cli, args: tuple[str, ...], words: list[str]
) -> None:
    before = snapshot(cli)
    result = cli.fails(1, "orgs", "create", "acme", "--name", "Acme", *args)
    assert_one_error(result, *words)
    assert snapshot(cli) == before


def test_duplicate_slug_exit_1(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    before = snapshot(cli, "acme")
    assert_one_error(
        cli.fails(1, "orgs", "create", "acme", "--name", "Again"), "'acme' already exists"
    )
    assert snapshot(cli, "acme") == before


def test_bad_slug_exit_1(cli: Cli) -> None:
    assert_one_error(cli.fails(1, "orgs", "create", "Acme_Inc", "--name", "A"), "'Acme_Inc'")


def test_missing_name_without_terminal_is_exit_2_naming_the_flag(cli: Cli) -> None:
    assert_one_error(cli.fails(2, "orgs", "create", "acme"), "--name")
    assert cli.json("orgs", "list") == []


def test_missing_name_on_a_terminal_is_asked(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = fake_terminal(monkeypatch)
    terminal.answers.append("Acme Prompted")
    created = cli.json("orgs", "create", "acme")
    assert created["name"] == "Acme Prompted"
    assert terminal.asked == ["Organization name:"]


def test_no_input_never_asks(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = fake_terminal(monkeypatch)
    assert_one_error(cli.fails(2, "--no-input", "orgs", "create", "acme"), "--name")
    assert terminal.asked == []


def test_update(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "locales", "add", "de-DE", "--org", "acme")
    updated = cli.json(
        "orgs",
        "update",
        "acme",
        "--name",
        "Acme AG",
        "--status",
        "suspended",
        "--currency",
        "CHF",
        "--default-locale",
        "de-DE",
    )
    assert {
        k: updated[k] for k in ("name", "status", "default_currency", "default_locale", "locales")
    } == {
        "name": "Acme AG",
        "status": "suspended",
        "default_currency": "CHF",
        "default_locale": "de-DE",
        "locales": ["de-DE", "en-US"],
    }


def test_update_errors(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    assert_one_error(cli.fails(2, "orgs", "update", "acme"), "nothing to change")
    assert (
        "'closed' is not one of"
        in cli.fails(2, "orgs", "update", "acme", "--status", "closed").stderr
    )
    assert_one_error(
        cli.fails(1, "orgs", "update", "acme", "--default-locale", "fr-FR"),
        "locale 'fr-FR' is not a locale of org acme",
    )
    assert_one_error(cli.fails(1, "orgs", "update", "nope", "--name", "X"), "'nope' not found")


def test_delete_needs_yes_without_a_terminal(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    result = cli.fails(2, "orgs", "delete", "acme")
    assert "pass --yes" in result.stderr
    assert [o["slug"] for o in cli.json("orgs", "list")] == ["acme"]
    cli.ok("orgs", "delete", "acme", "--yes")
    assert cli.json("orgs", "list") == []
    assert_one_error(cli.fails(1, "orgs", "delete", "acme", "--yes"), "'acme' not found")


def test_delete_on_a_terminal_asks_to_type_the_slug(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    terminal = fake_terminal(monkeypatch)
    terminal.answers.append("acme-typo")
    result = cli.fails(1, "orgs", "delete", "acme")
    assert "Nothing was deleted" in result.stderr
    assert "Type 'acme' to confirm" in terminal.asked[0]
    terminal.answers.append("acme")
    cli.ok("orgs", "delete", "acme")
    assert cli.json("orgs", "list") == []


def test_delete_takes_everything_the_org_owns(cli: Cli) -> None:
    for slug in ("acme", "other"):
        cli.ok("orgs", "create", slug, "--name", slug)
        cli.ok("orgs", "brands", "create", "b", "--name", "B", "--org", slug)
        cli.ok(
            "markets",
            "create",
            "us",
            "--name",
            "US",
            "--type",
            "custom",
            "--currency",
            "USD",
            "--brand",
            "b",
            "--org",
            slug,
        )
        cli.ok("orgs", "members", "add", f"ana@{slug}.example", "--name", "Ana", "--org", slug)
    before = snapshot(cli, "other")
    cli.ok("orgs", "delete", "acme", "--yes")
    after = snapshot(cli, "other")
    assert [o["slug"] for o in after["orgs"]] == ["other"]
    assert {k: v for k, v in after.items() if k != "orgs"} == {
        k: v for k, v in before.items() if k != "orgs"
    }
    assert_one_error(
        cli.fails(1, "markets", "list", "--org", "acme"), "organization 'acme' not found"
    )


def test_use_sets_the_default_org(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    assert_one_error(cli.fails(1, "orgs", "use", "nope"), "'nope' not found")
    assert_one_error(cli.fails(2, "orgs", "brands", "list"), "no organization given")
    cli.ok("orgs", "use", "acme")
    cli.ok("orgs", "brands", "create", "b", "--name", "B")
    assert [b["slug"] for b in cli.json("orgs", "brands", "list")] == ["b"]
    assert [m["slug"] for m in cli.json("markets", "list")] == []


def test_orgs_list_reads_without_the_orm(cli: Cli, db_url: str) -> None:
    """SPEC 7: `orgs list` is the start-up benchmark's data command; its read path runs on
    SQLAlchemy Core and must not import the ORM, SQLModel or the models."""
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    stdout, heavy = modules_imported_by(
        ["--db", db_url, "orgs", "list", "--format", "json"],
        ("sqlalchemy.orm", "sqlmodel", "volmify_cli.models", "pydantic", "babel", "rich",
         "questionary", "yaml"),
    )  # fmt: skip
    assert [org["slug"] for org in json.loads(stdout)] == ["acme"]
    assert heavy == []  # pydantic: see volmify_cli/cli/params.py


def test_an_orgs_time_zone_is_an_iana_name_and_names_its_days(cli: Cli) -> None:
    created = cli.json(
        "orgs", "create", "berlin", "--name", "Berlin", "--timezone", "Europe/Berlin"
    )
    assert created["timezone"] == "Europe/Berlin"
    bad = cli.fails(1, "orgs", "update", "berlin", "--timezone", "Europe/Atlantis")
    assert "IANA time zone" in bad.stderr
    assert cli.json("orgs", "update", "berlin", "--timezone", "Asia/Tokyo")["timezone"] == (
        "Asia/Tokyo"
    )
    cli.json("revenue", "close", "2026-01", "--org", "berlin", "--format", "json")
    refused = cli.fails(1, "orgs", "update", "berlin", "--timezone", "UTC")
    assert "closed through 2026-01-31" in refused.stderr and "reopen" in refused.stderr
