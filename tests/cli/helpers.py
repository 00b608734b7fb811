"""Helpers for CLI tests of the administration commands: a fake terminal for prompts, the
one-line error check, and a snapshot of what an organization holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from typer.testing import Result

from tests.support import Cli


@dataclass
class Terminal:
    """Answers to give, in order, and the questions that were asked."""

    answers: list[Any] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)


def fake_terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """Make stdin look like a terminal (unless --no-input) and answer questionary's prompts
    from `Terminal.answers`."""
    import questionary

    from volmify_cli.cli.context import AppContext
    from volmify_cli.cli.prompts import Prompter

    terminal = Terminal()

    class Question:
        def __init__(self, message: str) -> None:
            terminal.asked.append(message)

        def ask(self) -> Any:
            return terminal.answers.pop(0)

    def question(message: str, *args: Any, **kwargs: Any) -> Question:
        return Question(message)

    for name in ("text", "select", "confirm"):
        monkeypatch.setattr(questionary, name, question)
    monkeypatch.setattr(AppContext, "prompter", lambda self: Prompter(enabled=not self.no_input))
    return terminal


def assert_one_error(result: Result, *words: str) -> None:
    """The failure is reported as one `Error:` line (maybe a `Hint:` line) naming `words`."""
    lines = result.stderr.strip().splitlines()
    assert lines, "nothing on stderr"
    assert lines[0].startswith("Error: "), result.stderr
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("Hint: ")), result.stderr
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def snapshot(cli: Cli, *orgs: str) -> dict[str, Any]:
    """Everything the administration commands show about some organizations."""
    state: dict[str, Any] = {
        "orgs": cli.json("orgs", "list"),
        "users": cli.json("users", "list", "--all"),
    }
    for org in orgs:
        for noun in (("orgs", "locales"), ("orgs", "brands"), ("orgs", "members"), ("markets",)):
            state[f"{org}:{' '.join(noun)}"] = cli.json(*noun, "list", "--org", org)
    return state
