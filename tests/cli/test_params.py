"""The start-up budget's mechanism for data commands (SPEC 7): parameters that need no coercion
do not import pydantic, and the ones that do are still checked by Typer, with its messages."""

from __future__ import annotations

import typer.core

from tests.support import Cli


def test_the_deferred_coercion_is_installed_on_this_typer() -> None:
    # if this fails, a Typer release renamed what volmify_cli/cli/params.py wraps
    import volmify_cli.cli.app  # noqa: F401

    assert getattr(typer.core.build_runtime_param, "volmify_deferred", False)


def test_values_that_need_coercion_are_still_checked_by_typer(cli: Cli) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    not_a_number = cli.fails(2, "orgs", "list", "--limit", "many")
    # integers go through the project's parser (ASCII digits, the column's range: issue 14)
    assert "--limit" in not_a_number.stderr and "must be a whole number" in not_a_number.stderr
    too_small = cli.fails(2, "orgs", "list", "--limit", "0")
    assert "--limit" in too_small.stderr
    assert len(cli.json("orgs", "list", "--limit", "1")) == 1  # a number typed is an int
    bad_choice = cli.fails(
        2, "courses", "skills", "add", "intro", "python", "--kind", "taugth", "--org", "acme"
    )
    assert "--kind" in bad_choice.stderr and "prerequisite" in bad_choice.stderr
    negative = cli.fails(2, "catalog", "import", "missing.yaml", "--lock-timeout", "-1")
    assert "--lock-timeout" in negative.stderr
