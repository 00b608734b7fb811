"""Shape rules for natural keys and small values, shared by the commands and the file importers
(the same rule must give the same answer whether a value comes from a flag or from YAML)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from volmify_cli.errors import RuleError

SLUG_MAX = 120
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_COUPON = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def check_timezone(value: str) -> str:
    """An IANA time zone name (`Europe/Berlin`, `UTC`), as the tz database spells it. Raises
    RuleError naming the value."""
    from zoneinfo import available_timezones

    name = value.strip()
    if name == "UTC" or name in available_timezones():
        return name
    raise RuleError(
        f"time zone {value!r} is not an IANA time zone name (e.g. Europe/Berlin, America/New_York,"
        " UTC)"
    )


def check_slug(value: str, what: str = "slug") -> str:
    """A slug: lower-case ASCII letters and digits in runs joined by single hyphens."""
    if not value or len(value) > SLUG_MAX or not _SLUG.fullmatch(value):
        raise RuleError(
            f"{what} {value!r} is not a valid slug",
            "use lower-case letters, digits and single hyphens, e.g. python-101",
        )
    return value


def slugify(title: str) -> str:
    """The slug derived from a title (SPEC 4.2): transliterated to ASCII by a kept library
    (`Straße` -> `strasse`, `Überblick` -> `uberblick`, `Привет` -> `privet`), lower case, every
    run of other characters becomes `-`, trimmed. `Going further!` -> `going-further`. Returns ""
    when nothing is left (a title of emoji only): callers must then ask for a slug."""
    from text_unidecode import unidecode  # its table loads on first use, not at start-up

    ascii_text = unidecode(unicodedata.normalize("NFC", title))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_MAX].rstrip("-")


def check_domain(value: str) -> str:
    """A lower-case host name (`academy.acme.example`), at most 253 characters."""
    labels = value.split(".")
    if (
        not value
        or len(value) > 253
        or value != value.lower()
        or len(labels) < 2
        or not all(_HOST_LABEL.fullmatch(label) for label in labels)
    ):
        raise RuleError(
            f"domain {value!r} is not a lower-case host name", "write it like academy.acme.example"
        )
    return value


def normalize_email(value: str) -> str:
    """The case-insensitive key of an e-mail address. Raises RuleError for a malformed one
    (also one holding a control character)."""
    email = check_line(value).strip()  # `[^@\s]` lets NUL and other controls through
    if not _EMAIL.fullmatch(email) or len(email) > 320:
        raise RuleError(f"e-mail {value!r} is not a valid address")
    return email.lower()


def normalize_coupon_code(value: str) -> str:
    """Coupon codes are compared case-insensitively: the normalised form is upper case."""
    if not _COUPON.fullmatch(value):
        raise RuleError(
            f"coupon code {value!r} is not valid",
            "use ASCII letters, digits, '-' and '_' (up to 64 characters)",
        )
    return value.upper()


def check_country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise RuleError(f"country {value!r} is not an ISO 3166-1 alpha-2 code like DE")
    return value


def check_currency_code(value: str) -> str:
    if not _CURRENCY.fullmatch(value):
        raise RuleError(f"currency {value!r} is not an ISO 4217 code like EUR")
    return value


def check_share_bp(share_bp: int) -> int:
    """A share in basis points: 0 (0%) to 10000 (100%)."""
    if not 0 <= share_bp <= 10_000:
        raise RuleError(f"share {share_bp} basis points is outside 0..10000")
    return share_bp


def check_shares_total(total_bp: int, product: str) -> None:
    """Instructor and brand shares of one product total at most 100%."""
    if total_bp > 10_000:
        from volmify_cli.money import format_percent

        raise RuleError(
            f"shares of product {product!r} would total {format_percent(total_bp)}, over 100%"
        )


# -- text ------------------------------------------------------------------------------------------
# C0 control characters and DEL. PostgreSQL refuses NUL in text (SQLite stores it), so a value
# that passed here must store the same way on both; the others are invisible, or rewrite the
# terminal when shown. Free text (descriptions, comments) may hold tabs and line breaks; every
# other text is one line.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_CONTROL_IN_PROSE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # TAB, LF, CR are text
_CONTROL_NAMES = {0: "NUL", 9: "TAB", 10: "LINE FEED", 13: "CARRIAGE RETURN", 27: "ESCAPE",
                  127: "DELETE"}  # fmt: skip
LINE_HINT = "names, titles, slugs, codes, e-mails and ids hold no control characters or line breaks"
PROSE_HINT = "descriptions and comments may hold tabs and line breaks, no other control characters"


def check_line(value: str) -> str:
    """One line of text (a name, title, slug, code, e-mail, external id): no control character,
    tab or line break. Raises RuleError naming the first one and where it is."""
    # isprintable() is the fast path: one C loop, true for almost every value of a large file
    if not value.isprintable() and (found := _CONTROL.search(value)) is not None:
        raise _control_error(value, found.start(), LINE_HINT)
    return value


def check_prose(value: str) -> str:
    """Free text (a description, a comment): tabs and line breaks (LF, and the CR of a CRLF)
    are allowed, no other control character. Raises RuleError naming the first one and where
    it is."""
    if not value.isprintable() and (found := _CONTROL_IN_PROSE.search(value)) is not None:
        raise _control_error(value, found.start(), PROSE_HINT)
    return value


def _control_error(value: str, index: int, hint: str) -> RuleError:
    code = ord(value[index])
    name = _CONTROL_NAMES.get(code)
    character = f"U+{code:04X}" + (f" {name}" if name else "")
    shown = repr(value[:40]) + ("…" if len(value) > 40 else "")
    return RuleError(
        f"{shown} contains a control character ({character}) at character {index + 1}", hint
    )


# -- numbers and dates written as text ---------------------------------------------------------
# Python's int(), Decimal(), `\d` and strptime() accept any Unicode digit (Arabic-Indic "١٢٣" is
# 123, and so are fullwidth digits); a value written in a file or an option is read with the
# ASCII digits 0-9 only.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1  # INTEGER on PostgreSQL
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # BIGINT on PostgreSQL, INTEGER on SQLite
ASCII_DIGITS_HINT = "write numbers and dates with the digits 0-9"
_WHOLE = re.compile(r"[-+]?[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def foreign_digits(text: str) -> bool:
    """Whether `text` holds a digit other than 0-9 (Arabic-Indic, fullwidth, superscript …)."""
    return not text.isascii() and any(char.isdigit() for char in text if not char.isascii())


def _shown_number(text: str) -> str:
    shown = repr(text[:40]) + ("…" if len(text) > 40 else "")
    return shown + (f" ({ASCII_DIGITS_HINT})" if foreign_digits(text) else "")


def parse_whole_number(text: str, *, low: int = INT64_MIN, high: int = INT64_MAX) -> int:
    """A whole number written with the digits 0-9 and an optional sign, within [low, high]
    (default: what a 64-bit column holds). Raises RuleError: "must be a whole number, not
    'x'", "must be at least LOW, not N", "must be at most HIGH, not N"."""
    if not _WHOLE.fullmatch(text):
        raise RuleError(f"must be a whole number, not {_shown_number(text)}")
    return check_range(int(text), low=low, high=high)


def check_range(value: int, *, low: int = INT64_MIN, high: int = INT64_MAX) -> int:
    """A whole number within [low, high]. Raises RuleError worded like `parse_whole_number`."""
    if value < low:
        raise RuleError(f"must be at least {low}, not {value}")
    if value > high:
        raise RuleError(f"must be at most {high}, not {value}")
    return value


def parse_date(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD with the digits 0-9. Raises RuleError."""
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise RuleError(f"must be a date written YYYY-MM-DD, not {_shown_number(text)}")


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time, in UTC (UTC when it has no offset). Raises RuleError
    naming the value, also when it leaves the calendar once converted to UTC
    (`9999-12-31T23:00:00-05:00` is in year 10000)."""
    try:
        if not text.isascii():  # fromisoformat takes only ASCII digits, but say so
            raise ValueError
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise RuleError(
            f"{_shown_number(text)} is not an ISO 8601 date or date-time"
            " (e.g. 2026-03-01 or 2026-03-01T14:30:00Z)"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        edge = "after 9999-12-31" if moment.year == dt.MAXYEAR else "before 0001-01-01"
        raise RuleError(f"{text!r} is {edge} in UTC, outside the calendar") from None
