"""The only babel import: locale validation and display formatting of money, numbers and dates.

Money is formatted in the display locale's pattern, but the number of decimals always comes from
the project's ISO 4217 table (babel's CLDR digits differ for some currencies and would round KWD).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from volmify_cli.errors import VolmifyError
from volmify_cli.money import minor_units


class LocaleError(VolmifyError):
    """A locale key babel does not know."""


@dataclass(frozen=True)
class LocaleInfo:
    key: str
    english_name: str
    native_name: str
    direction: str


def canonical_key(key: str) -> str:
    """`en_us`, `en-US` and `EN-us` all become `en-US` (BCP 47 with a hyphen). The subtags the
    user wrote are kept: `zh-CN` stays `zh-CN` (babel would expand it to `zh_Hans_CN`, a key
    the registry does not hold). Raises LocaleError for a key babel does not know."""
    _parse(key)
    return _bcp47_case(key)


def _bcp47_case(key: str) -> str:
    """BCP 47 casing of the written subtags: language lower, script title, region upper."""
    parts = key.strip().replace("_", "-").split("-")
    cased = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            cased.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (
            len(part) == 3 and part.isascii() and part.isdigit()
        ):
            cased.append(part.upper())
        else:
            cased.append(part.lower())
    return "-".join(cased)


@cache
def _parse(key: str) -> Locale:
    text = key.strip().replace("_", "-")
    try:
        locale = Locale.parse(text, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise LocaleError(
            f"unknown locale {key!r}", "use a BCP 47 key that babel knows, e.g. en-US, de-DE, ar-EG"
        ) from None
    return locale


def describe_locale(key: str) -> LocaleInfo:
    """Validate a locale key with babel. Raises LocaleError naming the key."""
    locale = _parse(key)
    return LocaleInfo(
        key=_bcp47_case(key),
        english_name=locale.get_display_name("en") or str(locale),
        native_name=locale.get_display_name() or str(locale),
        direction="rtl" if locale.character_order == "right-to-left" else "ltr",
    )


def is_known_locale(key: str) -> bool:
    try:
        _parse(key)
    except LocaleError:
        return False
    return True


def format_money(amount_minor: int, currency: str, locale: str) -> str:
    """`123456 EUR` in de-DE -> `1.234,56 €`; `15250 KWD` in en-US -> `KWD 15.250`."""
    digits = minor_units(currency)
    parsed = _parse(locale)
    pattern = _currency_pattern(parsed, digits)
    value = Decimal(amount_minor).scaleb(-digits)
    return str(pattern.apply(value, parsed, currency=currency, currency_digits=False))


@cache
def _currency_pattern(locale: Locale, digits: int):  # type: ignore[no-untyped-def]
    import copy

    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern


def format_number(value: int, locale: str) -> str:
    return str(format_decimal(value, locale=_parse(locale)))


def format_date(value: dt.date, locale: str) -> str:
    return str(babel_format_date(value, format="medium", locale=_parse(locale)))


def format_month(year: int, month: int, locale: str) -> str:
    """A calendar month for people: `March 2026` in en-US, `März 2026` in de-DE."""
    return str(format_skeleton("yMMMM", dt.date(year, month, 1), locale=_parse(locale)))


def language_fallback(key: str) -> str | None:
    """The default locale of a locale's language (`de-AT` -> `de-DE`), from CLDR likely
    subtags; None when that is the locale itself or unknown."""
    locale = _parse(key)
    likely = get_global("likely_subtags").get(locale.language)
    if not likely:
        return None
    candidate = str(Locale.parse(likely)).replace("_", "-")
    parts = candidate.split("-")
    fallback = f"{parts[0]}-{parts[-1]}" if len(parts) > 1 else candidate
    return None if fallback == str(locale).replace("_", "-") else fallback


def format_timestamp(value: dt.datetime, locale: str) -> str:
    """A moment for people: in the local time zone (the machine's, or `TZ`), in the locale's
    medium pattern, with the zone named: `Dec 6, 2026, 10:21:42 PM UTC` in en-US,
    `06.12.2026, 23:21:42 CET` in de-DE. A naive value is UTC (the database's)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone()
    shown = babel_format_datetime(
        local, format="medium", tzinfo=local.tzinfo, locale=_parse(locale)
    )
    return f"{shown} {local.tzname()}"


def format_duration(seconds: int, locale: str) -> str:
    """A span of time for people, its two largest units: `2 h 49 min` (10140 s), `4 min 30 s`,
    `45 s`; hours grouped in the locale (`1,234 h`). Negative spans keep their sign."""
    sign, rest = ("-", -seconds) if seconds < 0 else ("", seconds)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{format_number(amount, locale)} {unit}"
        for amount, unit in ((hours, "h"), (minutes, "min"), (secs, "s"))
        if amount
    ]
    return sign + (" ".join(parts[:2]) if parts else "0 s")
