from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import RuleError
from volmify_cli.rules import (
    check_domain,
    check_slug,
    normalize_coupon_code,
    normalize_email,
    slugify,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Going further!", "going-further"),
        ("Python 101", "python-101"),
        ("Ça va très bien", "ca-va-tres-bien"),
        ("  --Setup--  ", "setup"),
        ("بايثون", ""),
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
