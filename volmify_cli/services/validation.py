"""Checks of plain values shared by the administration services (names, currencies, locales)."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from volmify_cli.enums import parse_enum
from volmify_cli.errors import RuleError
from volmify_cli.rules import check_currency_code

E = TypeVar("E", bound=StrEnum)


def check_currency(code: str) -> str:
    """An ISO 4217 code the project knows (`usd` is read as USD). Raises RuleError or MoneyError
    ("unknown currency 'XXX'")."""
    from volmify_cli.money import minor_units

    normalized = check_currency_code(code.strip().upper())
    minor_units(normalized)
    return normalized


def canonical_locale(key: str) -> str:
    """The canonical BCP 47 form of a locale babel knows (`de_at` -> `de-AT`). Raises
    LocaleError ("unknown locale 'xx'")."""
    from volmify_cli.l10n import describe_locale

    return describe_locale(key).key


def enum_value(cls: type[E], value: str, what: str) -> E:
    """An enumeration value in either spelling (`multi-region`, `multi_region`). Raises
    RuleError naming the accepted values."""
    try:
        return parse_enum(cls, value)
    except ValueError as exc:
        raise RuleError(f"{what} {exc}") from None
