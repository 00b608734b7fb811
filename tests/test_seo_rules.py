"""The rule book's SEO rules (issue 21): robots directives and their contradictions, absolute
https URLs, and search engines' lengths. A stored robots value reads back as itself, so a
catalog's export re-imports unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli import rulebook
from volmify_cli.errors import RuleError

VALID = [
    *rulebook.ROBOTS_FLAGS,
    "max-snippet:-1",
    "max-snippet:0",
    "max-snippet:160",
    "max-image-preview:none",
    "max-image-preview:standard",
    "max-image-preview:large",
    "max-video-preview:30",
    "unavailable_after:2027-01-31",
    "unavailable_after:2027-01-31T12:00:00Z",
]
CONTRADICTIONS = [
    ("index", "noindex"),
    ("follow", "nofollow"),
    ("all", "none"),
    ("all", "noindex"),
    ("none", "follow"),
]


@pytest.mark.parametrize("directive", VALID)
def test_every_documented_directive_is_accepted(directive: str) -> None:
    assert rulebook.check_robots(directive) == directive


def test_robots_is_stored_lower_case_and_comma_space_separated() -> None:
    stored = rulebook.check_robots(" NoIndex,NOFOLLOW ,  Max-Image-Preview:LARGE")
    assert stored == "noindex, nofollow, max-image-preview:large"
    assert rulebook.check_robots(stored) == stored


@pytest.mark.parametrize(("one", "other"), CONTRADICTIONS)
def test_contradicting_directives_are_refused_in_either_order(one: str, other: str) -> None:
    for value in (f"{one}, {other}", f"{other},{one}"):
        with pytest.raises(RuleError, match="contradict"):
            rulebook.check_robots(value)


@pytest.mark.parametrize(
    "value",
    ["", "noindx", "index,", "max-snippet", "max-snippet:-2", "max-snippet:ten",
     "max-image-preview:huge", "max-video-preview:1.5", "unavailable_after:tomorrow",
     "noindex:1", "nofollow, nofollow", "max-snippet:1, max-snippet:2", "x" * 101],
)  # fmt: skip
def test_bad_robots_are_refused(value: str) -> None:
    with pytest.raises(RuleError):
        rulebook.check_robots(value)


@given(st.lists(st.sampled_from(VALID), min_size=1, max_size=4, unique=True))
def test_a_stored_robots_value_checks_as_itself(directives: list[str]) -> None:
    try:
        stored = rulebook.check_robots(",".join(d.upper() for d in directives))
    except RuleError:
        return  # a contradiction or a directive twice: refused, nothing stored
    assert rulebook.check_robots(stored) == stored


@pytest.mark.parametrize(
    "url", ["https://example.com", "https://example.com/a/b?c=d#e", "HTTPS://EXAMPLE.COM/x"]
)
def test_absolute_https_urls_pass_as_written(url: str) -> None:
    assert rulebook.check_seo_url(rulebook.SEO_CANONICAL_URL, url) == url


@pytest.mark.parametrize(
    "url",
    ["http://example.com", "//example.com/x", "/relative", "example.com", "https://",
     "https:///path", "ftp://example.com", "https://exa mple.com", "https://[::1"],
)  # fmt: skip
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(RuleError, match="canonical URL"):
        rulebook.check_seo_url(rulebook.SEO_CANONICAL_URL, url)


def test_lengths_are_where_search_engines_cut() -> None:
    assert rulebook.SEO_TITLE.check("T" * 60) == "T" * 60
    assert rulebook.SEO_DESCRIPTION.check("D" * 160) == "D" * 160
    with pytest.raises(RuleError, match="at most 60"):
        rulebook.SEO_TITLE.check("T" * 61)
    with pytest.raises(RuleError, match="at most 160"):
        rulebook.SEO_DESCRIPTION.check("D" * 161)
