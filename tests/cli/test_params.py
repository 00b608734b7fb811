"""The start-up budget's mechanism for data commands (SPEC 7): parameters that need no coercion
do not import pydantic, and the ones that do are still checked by Typer, with its messages."""

from __future__ import annotations

import json
import subprocess
import sys

import typer.core

from tests.support import Cli


def test_the_deferred_coercion_is_installed_on_this_typer() -> None:
    # if this fails, a Typer release renamed what volmify_cli/cli/params.py wraps
    import volmify_cli.cli.app  # noqa: F401

    assert getattr(typer.core.build_runtime_param, "volmify_deferred", False)


def test_a_small_data_command_does_not_import_pydantic_or_the_orm(db_url: str) -> None:
    Cli(db_url).ok("orgs", "create", "acme", "--name", "Acme")
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['volmify', '--db', {db_url!r}, 'orgs', 'list', '--format', 'json']\n"
        "try:\n"
        "    runpy.run_module('volmify_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pydantic', 'sqlmodel', 'babel', 'alembic', 'yaml', 'jinja2')"
        " if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert [org["slug"] for org in json.loads(result.stdout)] == ["acme"]
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_values_that_need_coercion_are_still_checked_by_typer(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    not_a_number = cli.fails(2, "orgs", "list", "--limit", "many")
    assert "--limit" in not_a_number.stderr and "valid integer" in not_a_number.stderr
    too_small = cli.fails(2, "orgs", "list", "--limit", "0")
    assert "--limit" in too_small.stderr
    assert len(cli.json("orgs", "list", "--limit", "1")) == 1  # a number typed is an int
    bad_choice = cli.fails(
        2, "courses", "skills", "add", "intro", "python", "--kind", "taugth", "--org", "acme"
    )
    assert "--kind" in bad_choice.stderr and "prerequisite" in bad_choice.stderr
    negative = cli.fails(2, "catalog", "import", "missing.yaml", "--lock-timeout", "-1")
    assert "--lock-timeout" in negative.stderr
