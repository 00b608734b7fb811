"""What `--help` shows after an option: `--org ORG`, `--from DATE`, `--format
table|json|yaml|csv`, `FILES...`, never Typer's type labels (`<str>`, `<list[Path]>`, `<float
range>`), which say how Python holds a value rather than what to write.

Applied once to each noun's commands when the noun is loaded (`cli/lazy.py`), to every parameter
that names no metavar of its own: an option declared with `metavar=` keeps it. The same pass
gives each parameter its Tab completion (`cli/completion.py`): the choices it names, or the slugs
of its kind. Nothing here is
imported by `volmify --help` (the root's options name theirs in `cli/app.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from typer import _click as click
from typer.core import TyperArgument, TyperOption

from volmify_cli.cli.completion import completer_for

# Option names whose values have a shape worth naming, whatever the Python type.
BY_NAME = {
    "from": "DATE",
    "to": "DATE",
    "at": "DATE",
    "since": "DATE",
    "until": "DATE",
    "period": "PERIOD",
    "org": "ORG",
    "locale": "LOCALE",
    "market": "MARKET",
    "currency": "CODE",
    "in": "CODE",
    "country": "CC",
    "member": "EMAIL",
    "email": "EMAIL",
    "output": "FILE",
    "rates": "FILE",
    "template": "NAME",
    "format": "FORMAT",
}


def name_metavars(command: click.Command) -> None:
    """Give each parameter of `command` (and of its subcommands) a metavar of its own."""
    for param in command.params:
        if getattr(param, "metavar", None) is None and not _is_flag(param):
            param.metavar = _metavar(param)
        if not _is_flag(param) and getattr(param, "_custom_shell_complete", None) is None:
            complete = completer_for(_name(param), param.metavar)
            if complete is not None:  # Tab offers choices and slugs, not file names
                param._custom_shell_complete = complete
        if isinstance(param, TyperArgument):
            # an argument's help line shows its name only, not Typer's type label after it
            param.display_type_rich = _no_type  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():  # a group's verbs
        name_metavars(sub)


def _no_type(ctx: click.Context) -> None:
    return None


def _is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False) or getattr(param, "count", False))


def _metavar(param: Any) -> str:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = descriptor.annotation if descriptor is not None else None
    name = _name(param)
    word = BY_NAME.get(name) if isinstance(param, TyperOption) else None
    if descriptor is not None and descriptor.is_choice:
        choices = [str(getattr(c, "value", c)) for c in descriptor.choices or ()]
        return "|".join(choices) or name.upper()
    if word is None and isinstance(param, TyperOption) and _holds_paths(annotation):
        word = "FILE"
    return word or _by_type(annotation, name)


def _name(param: Any) -> str:
    """An option by its long flag (`--from` -> from), an argument by its name."""
    longs = [opt for opt in getattr(param, "opts", ()) if opt.startswith("--")]
    return (longs[0][2:] if longs else param.name or "value").lower()


def _holds_paths(annotation: Any) -> bool:
    if annotation is Path:
        return True
    return any(_holds_paths(arg) for arg in get_args(annotation))


def _by_type(annotation: Any, name: str) -> str:
    args = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    kind = args[0]
    if kind is int:
        return "N"
    if kind is float:
        return "NUMBER"
    # text (or paths, for an argument): the parameter's own name says what it is
    return name.upper().replace("_", "-")
