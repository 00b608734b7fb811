"""The catalog nouns load lazily: their --help imports no database stack, babel or Rich, and
every verb is reachable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import Cli

NOUN_VERBS = {
    "products": ["create", "list", "show", "update", "archive", "delete", "attribute", "variants"],
    "plans": ["create", "list", "show", "update", "delete", "price"],
    "offers": ["create", "list", "show", "update", "delete", "coupons", "promotions"],
    "collections": ["create", "list", "show", "add", "remove", "delete"],
}


@pytest.mark.parametrize("noun", sorted(NOUN_VERBS))
def test_noun_help_lists_its_verbs_without_heavy_imports(noun: str) -> None:
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['volmify', {noun!r}, '--help']\n"
        "try:\n"
        "    runpy.run_module('volmify_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'babel', 'alembic', 'yaml', 'jinja2',"
        " 'questionary', 'rich') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[]"
    for verb in NOUN_VERBS[noun]:
        assert f"  {verb}" in result.stdout


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
