from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import RuleError
from volmify_cli.rules import (
    ASCII_DIGITS_HINT,
    INT32_MAX,
    INT64_MAX,
    INT64_MIN,
    check_domain,
    check_line,
    check_prose,
    check_slug,
    normalize_coupon_code,
    normalize_email,
    parse_date,
    parse_moment,
    parse_whole_number,
    slugify,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Going further!", "going-further"),
        ("Python 101", "python-101"),
        ("Ça va très bien", "ca-va-tres-bien"),
        ("  --Setup--  ", "setup"),
        ("Straße", "strasse"),
        ("Überblick", "uberblick"),
        ("Привет, мир", "privet-mir"),
        ("日本語", "ri-ben-yu"),
        ("🎉 🚀", ""),  # nothing to transliterate: the outline needs an explicit slug
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text())
def test_slugify_gives_a_valid_slug_or_nothing(title: str) -> None:
    slug = slugify(title)
    if slug:
        assert check_slug(slug) == slug


@pytest.mark.parametrize("bad", ["", "Python", "a--b", "-a", "a-", "a_b", "ä", "x" * 121])
def test_bad_slugs(bad: str) -> None:
    with pytest.raises(RuleError):
        check_slug(bad)


def test_domains() -> None:
    assert check_domain("academy.acme.example") == "academy.acme.example"
    for bad in (
        "Academy.acme.example",
        "localhost",
        "-a.example",
        "a..b",
        "a_b.example",
        "x" * 64 + ".com",
    ):
        with pytest.raises(RuleError):
            check_domain(bad)


def test_email_and_coupon_normalisation() -> None:
    assert normalize_email(" Ana@Example.ORG ") == "ana@example.org"
    with pytest.raises(RuleError):
        normalize_email("not-an-email")
    assert normalize_coupon_code("spring25") == "SPRING25"
    with pytest.raises(RuleError):
        normalize_coupon_code("spring 25")


# -- issue 14: text, whole numbers and dates as written -------------------------------------------

CONTROLS = [chr(code) for code in [*range(0x20), 0x7F]]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_one_line_of_text_holds_no_control_character(control: str) -> None:
    with pytest.raises(RuleError) as caught:
        check_line(f"Acme{control}Academy")
    assert f"contains a control character (U+{ord(control):04X}" in caught.value.reason
    assert caught.value.reason.endswith("at character 5")
    with pytest.raises(RuleError):
        normalize_email(f"ana{control}@example.org")


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_free_text_holds_tabs_and_line_breaks_and_no_other_control(control: str) -> None:
    text = f"Line one{control}line two"
    if control in "\t\n\r":
        assert check_prose(text) == text
    else:
        with pytest.raises(RuleError) as caught:
            check_prose(text)
        assert "at character 9" in caught.value.reason


@given(st.text())
def test_the_text_rules_refuse_exactly_the_c0_controls_and_del(text: str) -> None:
    controls = [c for c in text if ord(c) < 0x20 or ord(c) == 0x7F]
    try:
        check_line(text)
        assert not controls
    except RuleError:
        assert controls
    try:
        check_prose(text)
        assert not [c for c in controls if c not in "\t\n\r"]
    except RuleError:
        assert [c for c in controls if c not in "\t\n\r"]


FOREIGN_DIGITS = [
    "١٢٣",
    "\uff11\uff12\uff13",
    "१२३",
    "¹²³",
    "12٣",
    "\U0001d7cf\U0001d7d0\U0001d7d1",
]


@pytest.mark.parametrize("digits", FOREIGN_DIGITS)
def test_whole_numbers_and_dates_take_the_digits_0_to_9_only(digits: str) -> None:
    assert int(digits.replace("¹²³", "123")) == 123  # what Python's int() would have read
    with pytest.raises(RuleError) as caught:
        parse_whole_number(digits)
    assert caught.value.reason.endswith(f"({ASCII_DIGITS_HINT})")
    with pytest.raises(RuleError):
        parse_date(f"2026-01-{digits[-2:]}")
    with pytest.raises(RuleError):
        parse_moment(f"20{digits[-2:]}-01-01T10:00:00Z")


@given(st.integers())
def test_whole_numbers_read_back_what_was_written(number: int) -> None:
    if INT64_MIN <= number <= INT64_MAX:
        assert parse_whole_number(str(number)) == number
    else:
        with pytest.raises(RuleError):
            parse_whole_number(str(number))


@pytest.mark.parametrize("text", ["", " 1", "1 ", "1_000", "12.0", "0x10", "1e3", "+", "--1"])
def test_whole_numbers_are_plain_digits(text: str) -> None:
    with pytest.raises(RuleError):
        parse_whole_number(text)


def test_whole_numbers_within_a_range() -> None:
    assert parse_whole_number("2147483647", low=1, high=INT32_MAX) == INT32_MAX
    with pytest.raises(RuleError, match="must be at most 2147483647, not 2147483648"):
        parse_whole_number("2147483648", high=INT32_MAX)
    with pytest.raises(RuleError, match="must be at least 1, not 0"):
        parse_whole_number("0", low=1)


def test_dates_are_written_yyyy_mm_dd() -> None:
    assert parse_date("9999-12-31") == dt.date.max
    for text in ("20260101", "2026-W01-1", "2026-1-1", "2026-02-30", "2026-01-01T00:00"):
        with pytest.raises(RuleError):
            parse_date(text)


@pytest.mark.parametrize(
    ("text", "edge"),
    [("9999-12-31T23:00:00-05:00", "after 9999-12-31"), ("0001-01-01T00:30:00+05:00",
     "before 0001-01-01")],
)  # fmt: skip
def test_a_moment_outside_the_calendar_in_utc_is_a_rule_error(text: str, edge: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_moment(text)
    assert caught.value.reason == f"{text!r} is {edge} in UTC, outside the calendar"


def test_moments_are_utc() -> None:
    assert parse_moment("2026-03-01") == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert parse_moment("2026-03-01T01:00:00+02:00") == dt.datetime(2026, 2, 28, 23, tzinfo=dt.UTC)
    assert parse_moment("9999-12-31T23:59:59Z").year == 9999
