"""Bad catalog input: every case is exit 3, names FILE:LINE, prints no traceback and leaves the
database unchanged (the org the file would create does not exist afterwards)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Cli

BASE = (Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml").read_text()

# (id, text to replace, replacement, expected message, whether the replaced line is named)
CASES = [
    ("float-price", 'us: "49.00"', "us: 49.00", "must be quoted", True),
    ("negative-price", 'us: "49.00"', 'us: "-49.00"', "must not be negative", True),
    ("jpy-decimals", 'jp: "6500"', 'jp: "6500.5"', "too many decimals for JPY", True),
    ("kwd-decimals", 'kw: "15.250"', 'kw: "15.2505"', "too many decimals for KWD", True),
    ("unknown-currency", "currency: JPY", "currency: XYZ", "unknown currency 'XYZ'", True),
    (
        "unknown-locale",
        "locales: [en-US, ar-EG]",
        "locales: [en-US, xx-QQ]",
        "unknown locale",
        True,
    ),
    (
        "market-locale-outside-org",
        "countries: [JP]\n    locales: [en-US]",
        "countries: [JP]\n    locales: [de-DE]",
        "not one of the org's locales",
        True,
    ),
    ("tier-0", "            tier: 2", "            tier: 0", "must be at least 1", True),
    ("difficulty-out-of-range", "difficulty: 3", "difficulty: 11", "must be at most 10", True),
    ("unknown-level", "level: beginner", "level: wizard", "'wizard' is not one of", True),
    ("unknown-product-type", "type: digital", "type: vinyl", "'vinyl' is not one of", True),
    ("unknown-plan-type", "type: subscription", "type: rental", "'rental' is not one of", True),
    (
        "unknown-interval",
        "interval: month",
        "interval: fortnight",
        "'fortnight' is not one of",
        True,
    ),
    ("compare-at-below", 'compare_at: "59.00"', 'compare_at: "40.00"', "below the price", True),
    ("shares-over-100", 'share: "40%"', 'share: "95%"', "over 100%", False),
    ("offer-ends-before-start", "ends: 2026-03-31", "ends: 2026-02-01", "before it starts", False),
    (
        "duplicate-variant",
        "      - slug: pdf\n",
        "      - slug: pdf\n        plans: []\n      - slug: pdf\n",
        "variant 'pdf' is listed twice",
        False,
    ),
    (
        "malformed-domain",
        "domain: academy.acme.example",
        "domain: Academy_Acme",
        "not a lower-case host name",
        True,
    ),
    (
        "unknown-brand",
        "brands: [acme-academy]",
        "brands: [nope]",
        "brand 'nope' not found in org acme",
        True,
    ),
    (
        "unknown-instructor",
        "- instructor: jane-doe",
        "- instructor: john-roe",
        "instructor 'john-roe' not found",
        True,
    ),
    (
        "unknown-product",
        "products: [python-101, ebook]",
        "products: [python-101, nope]",
        "product 'nope' not found in org acme",
        True,
    ),
    ("unknown-market", 'eu: "17.99"', 'xx: "17.99"', "market 'xx' not found in org acme", True),
    (
        "duplicate-key",
        "    status: active\n",
        "    status: active\n    status: draft\n",
        "duplicate key 'status'",
        False,
    ),
    (
        "unknown-key",
        "trial_days: 14",
        "trial_dayz: 14",
        "unknown key 'trial_dayz' (did you mean 'trial_days'?)",
        True,
    ),
    (
        "wrong-kind",
        "kind: catalog",
        "kind: course_outline",
        "kind is 'course_outline', expected catalog",
        True,
    ),
    ("wrong-version", "version: 1", "version: 2", "unsupported version '2'", True),
]


def _line_of(text: str, needle: str) -> int:
    return (
        text[: text.index(needle)].count("\n")
        + 1
        + needle[: len(needle) - len(needle.lstrip("\n"))].count("\n")
    )


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "catalog.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _assert_unchanged(cli: Cli) -> None:
    cli.fails(1, "catalog", "export", "--org", "acme")  # the org was never created


@pytest.mark.parametrize(
    ("old", "new", "message", "named"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_catalog_is_exit_3_naming_the_line(
    cli: Cli, tmp_path: Path, old: str, new: str, message: str, named: bool
) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    path = _write(tmp_path, text)
    result = cli.fails(3, "catalog", "import", str(path))
    assert message in result.stderr
    if named:
        line = _line_of(text, new.splitlines()[-1] if "\n" in new.strip("\n") else new.strip("\n"))
        assert f"{path}:{line}:" in result.stderr
    assert result.stdout == ""
    _assert_unchanged(cli)


RAW_CASES = [
    ("empty", "", "the file is empty"),
    ("truncated", BASE[: BASE.index("Python 101,") + 11], "not valid YAML"),
    ("binary", b"\x00\x9f\xff\xfe binary \x00\x01", "not"),
    (
        "deeply-nested",
        "version: 1\nkind: catalog\nx: " + "[" * 100 + "]" * 100 + "\n",
        "nested deeper than 64 levels",
    ),
    (
        "alias-bomb",
        'version: 1\nkind: catalog\na: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n',
        "anchors and aliases",
    ),
    (
        "python-tag",
        "version: 1\nkind: catalog\nlocales: !!python/object/apply:os.system ['echo hi']\n",
        "tags are not allowed",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"), [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES]
)
def test_unreadable_files_are_exit_3(
    cli: Cli, tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path, content)
    result = cli.fails(3, "catalog", "import", str(path), "--org", "acme")
    assert message in result.stderr
    assert f"{path}" in result.stderr
    _assert_unchanged(cli)


def test_country_no_stays_norway(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, BASE)
    assert "countries: [DE, FR, ES, NO]" in BASE
    cli.ok("catalog", "import", str(path))
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert 'countries: [DE, FR, ES, "NO"]' in exported  # in the order written, NO quoted


def test_every_problem_is_reported_at_once(cli: Cli, tmp_path: Path) -> None:
    """Schema problems of some products and money problems of others, in one run."""
    text = BASE.replace("tier: 2", "tier: 0").replace("level: beginner", "level: wizard")
    text = text.replace('kw: "15.250"', 'kw: "15.2505"').replace(
        "prices: {us: 20}", 'prices: {us: "20.001"}'
    )
    result = cli.fails(3, "catalog", "import", str(_write(tmp_path, text)))
    lines = result.stderr.splitlines()
    assert "must be at least 1" in lines[0] or "'wizard' is not one of" in lines[0]
    assert any("too many decimals for USD" in line for line in lines)
    # the money of the product with schema problems is checked too (issue 21)
    assert any("too many decimals for KWD" in line for line in lines)
    assert "4 problems found; nothing was written" in result.stderr
    assert "python-101" not in result.stderr  # the broken product is not also "not found"
    text = BASE.replace('jp: "6500"', 'jp: "6500.5"').replace('kw: "15.250"', 'kw: "15.2505"')
    text = text.replace('compare_at: "59.00"', 'compare_at: "1.00"')
    result = cli.fails(3, "catalog", "import", str(_write(tmp_path, text)))
    assert "too many decimals for JPY" in result.stderr
    assert "too many decimals for KWD" in result.stderr
    assert "below the price" in result.stderr
    assert "3 problems found; nothing was written" in result.stderr
