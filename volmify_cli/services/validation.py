"""Checks of currencies and locales against what volmify knows (the ISO 4217 table, babel)."""

from __future__ import annotations

from volmify_cli.rules import check_currency_code


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
