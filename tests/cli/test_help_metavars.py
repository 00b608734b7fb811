"""Help shows what to write after an option (`--org ORG`, `--from DATE`, `--format
table|json|yaml|csv`, `FILES`), never Python's type labels (`<str>`, `<list[Path]>`, `<float
range>`), in every command of every noun (issue 22)."""

from __future__ import annotations

import re

import pytest

from tests.support import Cli
from volmify_cli.cli.app import NOUNS, app

TYPE_LABEL = re.compile(r"<(?:str|int|float|bool|Path|list\[[^>]*\]|[a-z]+ range)>")


def _commands() -> list[tuple[str, ...]]:
    """Every command line that runs something: noun, verb, and the verbs of nested groups."""
    import typer

    def walk(command: object, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        subs = getattr(command, "commands", {})
        if not subs:
            return [path]
        return [line for name, sub in subs.items() for line in walk(sub, (*path, name))]

    group = typer.main.get_command(app)
    return [
        line
        for noun in NOUNS
        for line in walk(group.get_command(None, noun), (noun,))  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_help_names_values_not_python_types(command: tuple[str, ...]) -> None:
    result = Cli().run(*command, "--help", db=False)
    assert result.exit_code == 0, result.stderr
    labels = TYPE_LABEL.findall(result.stdout)
    assert labels == [], f"{' '.join(command)} --help shows {labels}"


def test_the_shared_options_name_their_values() -> None:
    text = Cli().run("sales", "list", "--help", db=False).stdout
    for shown in ("--from DATE", "--org ORG", "--format table|json|yaml|csv", "--limit"):
        assert shown in text
    root = Cli().run("--help", db=False).stdout
    assert "--db URL" in root and "--format table|json|yaml|csv" in root
