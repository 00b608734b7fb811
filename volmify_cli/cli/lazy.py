"""A root group that imports a noun's module only when that noun runs.

Shell completion runs the program on every Tab and scripts run it in loops, so `volmify --help`
must not import the database stack: the root lists its nouns and their help from a static table
and imports `volmify_cli.cli.commands.<noun>` on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import typer
from typer import _click as click
from typer.core import TyperGroup

from volmify_cli.cli.errors import handle_errors


def noun_app(help: str, **kwargs: Any) -> typer.Typer:
    """A sub-app for one noun, with the house settings (plain help rendering: SPEC 7)."""
    return typer.Typer(
        help=help,
        rich_markup_mode=None,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        **kwargs,
    )


# The root's own options, read wherever they are written: `volmify sales list --debug` is
# `volmify --debug sales list` (the error hint says "run again with --debug", after the verb).
ROOT_FLAGS = frozenset(("--debug", "--no-input", "--no-pager"))
ROOT_VALUED = ("--db", "--fields")


def hoisted(args: list[str]) -> list[str]:
    """`args` with the root's options moved in front of the noun, where the root reads them;
    nothing after `--` moves."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in ROOT_FLAGS or arg.startswith(tuple(f"{name}=" for name in ROOT_VALUED)):
            front.append(arg)
        elif arg in ROOT_VALUED and index + 1 < len(args):
            front.extend(args[index : index + 2])
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


class LazyGroup(TyperGroup):
    """The root group. `lazy_commands` maps a noun to (module, one-line help)."""

    lazy_commands: Mapping[str, tuple[str, str]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._loaded: dict[str, click.Command] = {}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoisted(args))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A mistyped noun (`volmify product list`) names the one meant."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1, cutoff=0.6)
            if close:
                ctx.fail(f"No such command {name!r}. Did you mean {close[0]!r}?")
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy_commands]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, name: str) -> click.Command:
        """A noun module exports `app` (a group of verbs, even when it has only one) or
        `command` (a Typer app holding a single command, such as `volmify demo`)."""
        if name not in self._loaded:
            module = importlib.import_module(self.lazy_commands[name][0])
            if hasattr(module, "command"):
                command = typer.main.get_command(module.command)
            else:
                command = typer.main.get_group(module.app)
            command.name = name
            from volmify_cli.cli.metavars import name_metavars

            name_metavars(command)
            self._loaded[name] = command
        return self._loaded[name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the static table: listing the nouns must not import them.
        rows = [(name, help) for name, (_module, help) in self.lazy_commands.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        from typer._click.shell_completion import CompletionItem

        items = [
            CompletionItem(name, help=help)
            for name, (_module, help) in self.lazy_commands.items()
            if name.startswith(incomplete)
        ]
        if not incomplete or incomplete.startswith("-"):
            items += click.Command.shell_complete(self, ctx, incomplete)
        return items

    def invoke(self, ctx: click.Context) -> Any:
        with handle_errors(ctx):
            return super().invoke(ctx)
