"""The only questionary import. Prompts appear only when a required value is missing, stdin is
a terminal and --no-input was not given; every prompt has an equivalent flag."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from volmify_cli.errors import UsageError


class Prompter:
    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled

    def text(self, message: str, *, flag: str, default: str = "") -> str:
        """Ask for a required value, or fail with the flag that supplies it."""
        if not self.enabled:
            raise UsageError(f"missing {flag}", f"pass {flag} (no terminal to ask on)")
        import questionary

        answer = questionary.text(message, default=default).ask()
        if answer is None:
            raise typer.Abort()
        value = str(answer).strip()
        if not value:
            raise UsageError(f"missing {flag}")
        return value

    def select(self, message: str, choices: Sequence[str], *, flag: str) -> str:
        if not self.enabled:
            raise UsageError(f"missing {flag}", f"pass {flag} (one of: {', '.join(choices)})")
        import questionary

        answer = questionary.select(message, choices=list(choices)).ask()
        if answer is None:
            raise typer.Abort()
        return str(answer)

    def confirm(self, message: str, *, yes: bool) -> bool:
        """True to go ahead. Without a terminal and without --yes this is a usage error (exit 2):
        a script must say what it means rather than hang or guess."""
        if yes:
            return True
        if not self.enabled:
            raise UsageError(f"{message.rstrip('?')}: not confirmed", "pass --yes to confirm")
        import questionary

        return bool(questionary.confirm(message, default=False).ask())

    def confirm_typed(self, message: str, expected: str, *, yes: bool) -> bool:
        """Confirmation for the heaviest operations: the user types `expected` (the org slug)."""
        if yes:
            return True
        if not self.enabled:
            raise UsageError(f"{message.rstrip('?')}: not confirmed", "pass --yes to confirm")
        import questionary

        answer = questionary.text(f"{message} Type {expected!r} to confirm:").ask()
        return answer is not None and answer.strip() == expected
