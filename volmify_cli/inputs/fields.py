"""The field types of the document schemas: how each scalar is read (SPEC 4), and the rule
book's bounds as pydantic types (`Tier`, `TitleText`, ...), so a document checks a value with the
same rule, and the same words, as the command line.

A string field takes the text exactly as written (`NO` stays Norway), numbers and booleans must
be plain (unquoted) scalars, amounts must be quoted decimals or plain integers (an unquoted
`19.99` is an error that says to quote it). String values keep their position (`Scalar`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, PlainValidator
from pydantic_core import PydanticCustomError

from volmify_cli import rulebook as rb
from volmify_cli.enums import accepted_values
from volmify_cli.errors import VolmifyError
from volmify_cli.inputs.marks import MarkedMap, Scalar
from volmify_cli.rules import check_line, check_prose, check_slug, parse_date, parse_whole_number

E = TypeVar("E", bound=StrEnum)

_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)")


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("volmify", message)


# -- scalar field types ----------------------------------------------------------------------


def _text(value: Any) -> Scalar:
    if isinstance(value, Scalar):
        return value
    if isinstance(value, str):
        return Scalar(value, 0, 0, False)
    if value is None:
        raise _fail("must not be empty")
    raise _fail("must be text, not a " + ("list" if isinstance(value, list) else "mapping"))


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return parse_whole_number(value)
        except VolmifyError as exc:
            raise _fail(exc.reason) from None
    raise _fail(f"must be a whole number, not {shown(value)}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _fail(f"must be true or false, not {shown(value)}")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except VolmifyError as exc:
            raise _fail(exc.reason) from None
    raise _fail(f"must be a date written YYYY-MM-DD, not {shown(value)}")


def amount_text(value: Any) -> Scalar:
    """An amount in major units, kept as written: a quoted decimal or a plain integer.
    Raises ValueError saying what is wrong (an unquoted decimal is a float: quote it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Scalar(str(value), 0, 0, True)
    if isinstance(value, Scalar):
        if value.plain and _DECIMAL.fullmatch(value):
            raise ValueError(f'{value} must be quoted ("{value}"): an unquoted decimal is a float')
        if value.plain and not _INT.fullmatch(value):
            raise ValueError(f'must be an amount like "19.99", not {shown(value)}')
        return value
    raise ValueError(f'must be an amount like "19.99", not {shown(value)}')


def _amount(value: Any) -> Scalar:
    try:
        return amount_text(value)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _share(value: Any) -> int:
    """A share: a quoted percentage ("40%") or basis points as a plain integer (4000)."""
    from volmify_cli.money import parse_share

    if isinstance(value, Scalar) and value.plain and _INT.fullmatch(value):
        value = int(value)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise _fail(
            f'must be a percentage like "40%" or basis points like 4000, not {shown(value)}'
        )
    try:
        return parse_share(value)
    except VolmifyError as exc:
        raise _fail(_reason(exc)) from None


def _reason(exc: VolmifyError) -> str:
    return f"{exc.reason} ({exc.hint})" if exc.hint else exc.reason


def shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(str(value))


def enum_field(cls: type[E]) -> Callable[[Any], E]:
    """A validator for one value of `cls` (written with underscores, as in the database):
    use as `Annotated[MarketType, PlainValidator(enum_field(MarketType))]`."""
    accepted = accepted_values(cls)
    # A dict look-up, not `cls(value)`: the enum's call costs 8x as much, and a large
    # catalog's plans, variants and products read 160,000 of these (0.12 s saved).
    members: dict[str, E] = {member.value: member for member in cls}

    def validate(value: Any) -> E:
        if isinstance(value, str):
            member = members.get(value)
            if member is not None:
                return member
        raise _fail(f"{shown(value)} is not one of: {accepted}")

    return validate


def _rule_text(rule: rb.TextRule) -> Callable[[Any], Scalar]:
    """Text that passes a rule of the rule book (its message is the error)."""

    def validate(value: Any) -> Scalar:
        text = _text(value)
        try:
            rule.check(str(text))
        except VolmifyError as exc:
            raise _fail(_reason(exc)) from None
        return text

    return validate


def _rule_whole(rule: rb.WholeRule) -> Callable[[Any], int]:
    """A whole number that passes a rule of the rule book."""

    def validate(value: Any) -> int:
        number = _int(value)
        try:
            return rule.check(number)
        except VolmifyError as exc:
            raise _fail(exc.reason) from None

    return validate


def _rule_percent(rule: rb.PercentRule) -> Callable[[Any], int]:
    """A percentage that passes a rule of the rule book: a quoted percentage ("12.5%") or basis
    points as a plain integer (1250), read by `rule.read`."""

    def validate(value: Any) -> int:
        if isinstance(value, Scalar) and value.plain and _INT.fullmatch(value):
            value = int(value)
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise _fail(
                f'{rule.label} must be a percentage like "12.5%" or basis points like 1250, '
                f"not {shown(value)}"
            )
        try:
            return rule.read(value)
        except VolmifyError as exc:
            raise _fail(_reason(exc)) from None

    return validate


def text_rule(check: Callable[[str], Any]) -> Callable[[Any], Scalar]:
    """A validator for text that must pass a rule from `volmify_cli.rules` (its message is the
    error): use as `Annotated[Scalar, PlainValidator(text_rule(check_slug))]`."""

    def validate(value: Any) -> Scalar:
        text = _text(value)
        try:
            check(str(text))
        except VolmifyError as exc:
            raise _fail(_reason(exc)) from None
        return text

    return validate


_line = text_rule(check_line)  # one line: no control character, tab or line break
_prose = text_rule(check_prose)  # free text: tabs and line breaks allowed, nothing else
Str = Annotated[Scalar, PlainValidator(_line)]
Int = Annotated[int, PlainValidator(_int)]
Bool = Annotated[bool, PlainValidator(_bool)]
Date = Annotated[dt.date, PlainValidator(_date)]
Amount = Annotated[Scalar, PlainValidator(_amount)]
Share = Annotated[int, PlainValidator(_share)]
Slug = Annotated[Scalar, PlainValidator(text_rule(check_slug))]


def _translations(one: Callable[[Any], Scalar]) -> Callable[[Any], Any]:
    """TEXT: a string (the org's default locale) or a mapping locale -> string, each string
    read by `one`."""

    def validate(value: Any) -> Scalar | dict[Scalar, Scalar]:
        if isinstance(value, MarkedMap):
            if not value:
                raise _fail("must name at least one locale")
            return {Scalar(k, *value.key_marks[k], True): one(v) for k, v in value.items()}
        return one(value)

    return validate


# A name or title (one line), and free text (a description: tabs and line breaks allowed).
Text = Annotated[Scalar | dict[Scalar, Scalar], PlainValidator(_translations(_line))]
Prose = Annotated[Scalar | dict[Scalar, Scalar], PlainValidator(_translations(_prose))]
Comment = Annotated[Scalar, PlainValidator(_prose)]

# Values of the rule book (volmify_cli/rulebook.py): the same rule as the command line's.
Translated = Scalar | dict[Scalar, Scalar]
NameText = Annotated[Translated, PlainValidator(_translations(_rule_text(rb.NAME)))]
TitleText = Annotated[Translated, PlainValidator(_translations(_rule_text(rb.TITLE)))]
DescriptionText = Annotated[Translated, PlainValidator(_translations(_rule_text(rb.DESCRIPTION)))]
Name = Annotated[Scalar, PlainValidator(_rule_text(rb.NAME))]
CommentText = Annotated[Scalar, PlainValidator(_rule_text(rb.COMMENT))]
ExternalId = Annotated[Scalar, PlainValidator(_rule_text(rb.EXTERNAL_ID))]
SkuText = Annotated[Scalar, PlainValidator(_rule_text(rb.SKU))]
UnitText = Annotated[Scalar, PlainValidator(_rule_text(rb.UNIT))]
FileText = Annotated[Scalar, PlainValidator(_rule_text(rb.FILE_URL))]
ContentRef = Annotated[Scalar, PlainValidator(_rule_text(rb.LESSON_CONTENT))]
ProfessionalTitle = Annotated[Scalar, PlainValidator(_rule_text(rb.PROFESSIONAL_TITLE))]
MetadataKey = Annotated[Scalar, PlainValidator(_rule_text(rb.METADATA_KEY))]
MetadataValue = Annotated[Scalar, PlainValidator(_rule_text(rb.METADATA_VALUE))]


def _metadata_count(value: dict[Scalar, Scalar]) -> dict[Scalar, Scalar]:
    try:
        rb.check_metadata_count(len(value))
    except VolmifyError as exc:
        raise _fail(_reason(exc)) from None
    return value


# `metadata:` a mapping of text keys to text values (numbers and dates as written), bounded
Metadata = Annotated[dict[MetadataKey, MetadataValue], AfterValidator(_metadata_count)]
Tier = Annotated[int, PlainValidator(_rule_whole(rb.TIER))]
Difficulty = Annotated[int, PlainValidator(_rule_whole(rb.DIFFICULTY))]
SkillWeight = Annotated[int, PlainValidator(_rule_whole(rb.SKILL_WEIGHT))]
Minutes = Annotated[int, PlainValidator(_rule_whole(rb.MINUTES))]
DurationMinutes = Annotated[int, PlainValidator(_rule_whole(rb.DURATION_MINUTES))]
Seconds = Annotated[int, PlainValidator(_rule_whole(rb.SECONDS))]
Percent = Annotated[int, PlainValidator(_rule_whole(rb.PERCENT))]
TrialDays = Annotated[int, PlainValidator(_rule_whole(rb.TRIAL_DAYS))]
AccessDays = Annotated[int, PlainValidator(_rule_whole(rb.ACCESS_DAYS))]
MaxPurchases = Annotated[int, PlainValidator(_rule_whole(rb.MAX_PURCHASES))]
IntervalCount = Annotated[int, PlainValidator(_rule_whole(rb.INTERVAL_COUNT))]
IncludedUnits = Annotated[int, PlainValidator(_rule_whole(rb.INCLUDED_UNITS))]
UpToUnits = Annotated[int, PlainValidator(_rule_whole(rb.UP_TO_UNITS))]
UsageLimit = Annotated[int, PlainValidator(_rule_whole(rb.USAGE_LIMIT))]
Periods = Annotated[int, PlainValidator(_rule_whole(rb.PERIODS))]
DownloadLimit = Annotated[int, PlainValidator(_rule_whole(rb.DOWNLOAD_LIMIT))]
SizeBytes = Annotated[int, PlainValidator(_rule_whole(rb.SIZE_BYTES))]
WeightGrams = Annotated[int, PlainValidator(_rule_whole(rb.WEIGHT_GRAMS))]
OfferPercent = Annotated[int, PlainValidator(_rule_percent(rb.OFFER_PERCENT))]
SkillCategory = Annotated[Scalar, PlainValidator(_rule_text(rb.SKILL_CATEGORY))]
