"""Shared options, written once (Annotated), so every command spells them the same way."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from volmify_cli.enums import parse_enum

E = TypeVar("E", bound=StrEnum)

OrgOpt = Annotated[
    str | None,
    typer.Option(
        "--org",
        help="Organization slug (default: VOLMIFY_ORG or `volmify orgs use`).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, yaml or csv (default: table on a terminal, json otherwise).",
        show_default=False,
    ),
]
YamlFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="yaml, the only format (given, it wins over the -o file's extension).",
        show_default=False,
    ),
]
LocaleOpt = Annotated[
    str | None,
    typer.Option("--locale", help="Display locale, e.g. de-DE.", show_default=False),
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", min=1, help="Show at most N rows.", show_default=False),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
DEFAULT_LOCK_TIMEOUT_S = 60.0
LockTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        min=0,
        help="Seconds to wait while another import of the org runs (PostgreSQL).",
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
]


def enum_parser(cls: type[E]) -> Callable[[str | None], E | None]:
    """A Typer `parser` that accepts both spellings (`one-time`, `one_time`); a bad value is a
    usage error (exit 2) listing the accepted values."""

    def parse(value: str | None) -> E | None:
        if value is None:
            return None
        try:
            return parse_enum(cls, value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return parse


def enum_values(cls: type[StrEnum]) -> Callable[[], list[str]]:
    """Shell completion of an enumeration's values."""
    return lambda: [member.value for member in cls]
