"""The catalog nouns load lazily: their --help imports no database stack, babel or Rich, and
every verb is reachable."""

from __future__ import annotations

import pytest

from tests.support import HELP_MUST_NOT_IMPORT, Cli, modules_imported_by

NOUN_VERBS = {
    "products": ["create", "list", "show", "update", "archive", "delete", "attribute", "variants"],
    "plans": ["create", "list", "show", "update", "delete", "price"],
    "offers": ["create", "list", "show", "update", "delete", "coupons", "promotions"],
    "collections": ["create", "list", "show", "add", "remove", "delete"],
}


@pytest.mark.parametrize("noun", sorted(NOUN_VERBS))
def test_noun_help_lists_its_verbs_without_heavy_imports(noun: str) -> None:
    stdout, heavy = modules_imported_by([noun, "--help"], HELP_MUST_NOT_IMPORT)
    assert heavy == []
    for verb in NOUN_VERBS[noun]:
        assert f"  {verb}" in stdout


def test_root_help_lists_the_catalog_nouns() -> None:
    result = Cli().run("--help")
    assert result.exit_code == 0
    for noun in NOUN_VERBS:
        assert f"  {noun}" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["products", "variants", "--help"],
        ["offers", "coupons", "--help"],
        ["offers", "promotions", "--help"],
        ["plans", "price", "--help"],
    ],
)
def test_sub_help(argv: list[str]) -> None:
    result = Cli().run(*argv)
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_a_command_without_an_org_says_how_to_give_one() -> None:
    result = Cli("sqlite://").run("products", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no organization given")
