"""Shared options, written once (Annotated), so every command spells them the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

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
        help="table, json, yaml, csv or ndjson (default: table on a terminal, json otherwise).",
        show_default=False,
        metavar="table|json|yaml|csv|ndjson",
    ),
]
YamlOutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to FILE (.yaml or .yml) instead of stdout."),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace an existing file (a regular file or a link).")
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
# Integers and dates typed on the command line are read by the rules the file readers use
# (`volmify_cli.rules`): the digits 0-9 only (Python's int() and strptime() take any Unicode
# digit), and within what the database column holds, so a value too large for it is a usage
# error (exit 2) here, never an overflow in the database.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1  # the same as rules.INT32_*: no import at start-up
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
LIMIT_MAX = INT64_MAX - 1  # a list reads `limit + 1` rows to tell whether it left some out


def whole_number(low: int = INT32_MIN, high: int = INT32_MAX) -> Callable[[Any], int | None]:
    """A Typer `parser` for an integer option within [low, high]. A bad value is a usage
    error (exit 2) with the message a file gets for the same text."""

    def parse(value: Any) -> int | None:
        from volmify_cli.errors import VolmifyError
        from volmify_cli.rules import check_range, parse_whole_number

        if value is None:
            return None
        try:
            if isinstance(value, int):  # a default
                return check_range(value, low=low, high=high)
            return parse_whole_number(str(value).strip(), low=low, high=high)
        except VolmifyError as exc:
            raise typer.BadParameter(exc.reason) from None

    return parse


def prompted_whole_number(
    answer: str, what: str, low: int = INT32_MIN, high: int = INT32_MAX
) -> int:
    """A whole number answered at a prompt, read like `whole_number`. Raises UsageError."""
    from volmify_cli.errors import UsageError, VolmifyError
    from volmify_cli.rules import parse_whole_number

    try:
        return parse_whole_number(answer.strip(), low=low, high=high)
    except VolmifyError as exc:
        raise UsageError(f"{what} {exc.reason}") from None


def int_option(
    *names: str, help: str | None = None, low: int = INT32_MIN, high: int = INT32_MAX
) -> Any:
    """An integer option bounded by the column it fills: 32-bit by default (PostgreSQL's
    INTEGER), `high=INT64_MAX` for a BIGINT column."""
    return typer.Option(
        *names, parser=whole_number(low, high), metavar="INTEGER", help=help, show_default=False
    )


def value_option(*names: str, help: str | None = None) -> Any:
    """An integer option whose value a rule of the rule book checks (`volmify_cli/rulebook.py`,
    in the service: a tier, a difficulty, trial days): read here as any 64-bit whole number, so
    a value out of its range gets the rule's own message and exit 1, as it does in a file."""
    return int_option(*names, help=help, low=INT64_MIN, high=INT64_MAX)


def iso_date(value: Any) -> dt.date | None:
    """A Typer `parser` for a date option written YYYY-MM-DD (digits 0-9). A bad value is a
    usage error (exit 2) with the message a file gets for the same text."""
    from volmify_cli.errors import VolmifyError
    from volmify_cli.rules import parse_date

    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value).strip())
    except VolmifyError as exc:
        raise typer.BadParameter(exc.reason) from None


def date_option(*names: str, help: str | None = None) -> Any:
    return typer.Option(
        *names, parser=iso_date, metavar="YYYY-MM-DD", help=help, show_default=False
    )


LimitOpt = Annotated[
    int | None, int_option("--limit", low=1, high=LIMIT_MAX, help="Show at most N rows.")
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
