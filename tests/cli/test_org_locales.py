"""volmify orgs locales: add, list, remove, one default."""

from __future__ import annotations

from tests.cli.helpers import assert_one_error, snapshot
from tests.support import Cli


def _keys(cli: Cli) -> list[tuple[str, bool]]:
    return [
        (r["key"], r["is_default"]) for r in cli.json("orgs", "locales", "list", "--org", "acme")
    ]


def test_add_list_default_remove(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    added = cli.json("orgs", "locales", "add", "de-de", "fr-FR", "--org", "acme")
    assert [r["key"] for r in added] == ["en-US", "de-DE", "fr-FR"]
    cli.ok("orgs", "locales", "add", "pt-BR", "--default", "fr-FR", "--org", "acme")
    assert _keys(cli) == [("fr-FR", True), ("en-US", False), ("de-DE", False), ("pt-BR", False)]
    assert cli.json("orgs", "show", "acme")["default_locale"] == "fr-FR"
    cli.ok("orgs", "locales", "remove", "pt-BR", "--org", "acme")
    assert [k for k, _ in _keys(cli)] == ["fr-FR", "en-US", "de-DE"]


def test_a_new_locale_is_registered_globally(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    assert "sw-TZ" not in {r["key"] for r in cli.json("locales", "list")}
    cli.ok("orgs", "locales", "add", "sw-TZ", "--org", "acme")
    assert "sw-TZ" in {r["key"] for r in cli.json("locales", "list")}


def test_errors_are_one_line_and_change_nothing(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "locales", "add", "de-DE", "--org", "acme")
    cli.ok(
        "markets",
        "create",
        "de",
        "--name",
        "DE",
        "--type",
        "single-country",
        "--currency",
        "EUR",
        "--country",
        "DE",
        "--locale",
        "de-DE",
        "--org",
        "acme",
    )
    before = snapshot(cli, "acme")
    assert_one_error(cli.fails(1, "orgs", "locales", "add", "xx-YY", "--org", "acme"), "'xx-YY'")
    assert_one_error(
        cli.fails(1, "orgs", "locales", "remove", "en-US", "--org", "acme"),
        "'en-US' is the default locale of org acme",
    )
    assert_one_error(
        cli.fails(1, "orgs", "locales", "remove", "de-DE", "--org", "acme"),
        "'de-DE' is still used in org acme by 1 market",
    )
    assert_one_error(
        cli.fails(1, "orgs", "locales", "remove", "ja-JP", "--org", "acme"),
        "'ja-JP' is not a locale of org acme",
    )
    assert snapshot(cli, "acme") == before
