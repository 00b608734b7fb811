from __future__ import annotations

from tests.support import Cli


def test_add_list_remove(cli: Cli) -> None:
    added = cli.json("locales", "add", "de-at", "sw-TZ")
    assert [row["key"] for row in added] == ["de-AT", "sw-TZ"]
    keys = {row["key"]: row for row in cli.json("locales", "list")}
    assert keys["de-AT"]["native_name"] == "Deutsch (Österreich)"
    assert keys["ar-EG"]["direction"] == "rtl"
    cli.ok("locales", "remove", "sw-TZ", "--yes")
    assert "sw-TZ" not in {row["key"] for row in cli.json("locales", "list")}


def test_unknown_locale_adds_nothing(cli: Cli) -> None:
    before = cli.json("locales", "list")
    result = cli.fails(1, "locales", "add", "pt-PT", "xx-YY")
    assert result.stderr.startswith("Error: unknown locale 'xx-YY'")
    assert cli.json("locales", "list") == before


def test_remove_without_yes_and_without_terminal_is_exit_2(cli: Cli) -> None:
    result = cli.fails(2, "locales", "remove", "en-GB")
    assert "pass --yes" in result.stderr
    assert "en-GB" in {row["key"] for row in cli.json("locales", "list")}


def test_remove_unknown_is_exit_1(cli: Cli) -> None:
    result = cli.fails(1, "locales", "remove", "tlh", "--yes")
    assert "not registered" in result.stderr
