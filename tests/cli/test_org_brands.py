"""volmify orgs brands: translated names, display locale, guarded deletion."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_one_error, fake_terminal, snapshot
from tests.support import Cli


@pytest.fixture
def acme(cli: Cli) -> Cli:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "locales", "add", "de-DE", "--org", "acme")
    cli.ok("orgs", "use", "acme")
    return cli


def test_create_translate_list_show(acme: Cli) -> None:
    created = acme.json(
        "orgs", "brands", "create", "academy", "--name", "Acme Academy", "--description", "Courses"
    )
    assert {k: v for k, v in created.items() if k != "created_at"} == {
        "slug": "academy",
        "name": "Acme Academy",
        "description": "Courses",
        "is_active": True,
        "translations": {"en-US": {"name": "Acme Academy", "description": "Courses"}},
        "seo": {},  # none yet (issue 21)
    }
    acme.ok("orgs", "brands", "update", "academy", "--name", "Akademie", "--locale", "de-DE")
    assert acme.json("orgs", "brands", "list", "--locale", "de-AT")[0]["name"] == "Akademie"
    assert acme.json("--locale", "de-DE", "orgs", "brands", "list")[0]["name"] == "Akademie"
    assert acme.json("orgs", "brands", "list", "--locale", "ja-JP")[0]["name"] == "Acme Academy"
    shown = acme.json("orgs", "brands", "show", "academy", "--locale", "de-DE")
    assert shown["translations"] == {
        "en-US": {"name": "Acme Academy", "description": "Courses"},
        "de-DE": {"name": "Akademie", "description": None},
    }


def test_errors(acme: Cli) -> None:
    acme.ok("orgs", "brands", "create", "b", "--name", "B")
    before = snapshot(acme, "acme")
    assert_one_error(
        acme.fails(1, "orgs", "brands", "create", "c", "--name", "C", "--locale", "fr-FR"),
        "locale 'fr-FR' is not a locale of org acme",
    )
    assert_one_error(
        acme.fails(1, "orgs", "brands", "create", "b", "--name", "B"), "'b' already exists"
    )
    assert_one_error(
        acme.fails(1, "orgs", "brands", "show", "zz"), "brand 'zz' not found in org acme"
    )
    assert_one_error(acme.fails(2, "orgs", "brands", "create", "c"), "--name")
    assert_one_error(acme.fails(2, "orgs", "brands", "update", "b"), "nothing to change")
    assert snapshot(acme, "acme") == before


def test_prompted_name(acme: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_terminal(monkeypatch).answers.append("Prompted Brand")
    assert acme.json("orgs", "brands", "create", "p")["name"] == "Prompted Brand"


def test_delete(acme: Cli) -> None:
    acme.ok("orgs", "brands", "create", "b", "--name", "B")
    acme.ok(
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
    )
    assert "pass --yes" in acme.fails(2, "orgs", "brands", "delete", "b").stderr
    assert_one_error(
        acme.fails(1, "orgs", "brands", "delete", "b", "--yes"), "brand 'b' is used by 1 market"
    )
    acme.ok("markets", "update", "us", "--no-brand")
    acme.ok("orgs", "brands", "delete", "b", "--yes")
    assert acme.json("orgs", "brands", "list") == []
