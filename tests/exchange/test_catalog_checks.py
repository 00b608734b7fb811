"""File-only catalog checks (`catalog validate`): rules across fields and entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.catalog_files import validate_catalog

BASE = (Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml").read_text()


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        validate_catalog([path])
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


def test_the_spec_example_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BASE, encoding="utf-8")
    result = validate_catalog([path])
    assert result["counts"]["prices"] == 8
    assert result["warnings"] == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    domain: academy.acme.example\n    default: true\n", "    default: true\n", None),
        (
            "    locales: [en-US]\n  - slug: jp",
            "    locales: [en-US]\n    default: true\n  - slug: jp",
            "a second default market (first: us)",
        ),
        (
            "{country: KW, locale: ar-EG}",
            "{country: KW, locale: ar-EG}, {country: KW}",
            "country 'KW' is listed twice",
        ),
        (
            "locales: [en-US, ar-EG]\ninstructors",
            "locales: [en-US]\ninstructors",
            "locale 'ar-EG' is not one of the market's locales",
        ),
        (
            "            interval: month\n",
            "            interval: month\n            access_days: 30\n",
            "access_days is only for one_time plans",
        ),
        ("            interval: month\n", "", "a subscription plan needs an interval"),
        (
            "    digital: {file: books/python.pdf, size_bytes: 1048576}\n",
            "    service: {duration_minutes: 30}\n",
            "service: is only for products of type service",
        ),
        (
            '              - {up_to: 100, prices: {us: "0.10"}}\n',
            '              - {up_to: 100, prices: {eu: "0.10"}}\n',
            "the plan has no price in market 'eu'",
        ),
        (
            '              - {up_to: null, prices: {us: "0.05"}}\n',
            '              - {up_to: 50, prices: {us: "0.05"}}\n',
            "the last usage tier must be open-ended",
        ),
        ('    percent: "25%"\n', "", "a percentage offer needs percent"),
        (
            "    coupons: [SPRING25]\n",
            "    coupons: [SPRING25]\n  - slug: again\n    type: percentage\n    percent: 10%\n    coupons: [spring25]\n",
            "coupon spring25 is also a code of offer spring-sale",
        ),
        (
            "title: {en-US: Python 101, ar-EG: ",
            "title: {en-US: Python 101, de-DE: ",
            "locale 'de-DE' is not one of the catalog's locales",
        ),
        (
            "      - slug: standard\n        default: true\n",
            "      - slug: standard\n        default: false\n",
            "the only variant of a product is its default",
        ),
        ('    share: "30%"\n', '    share: "30"\n', "is ambiguous"),
    ],
    ids=lambda v: v[:24] if isinstance(v, str) else v,
)
def test_rules(tmp_path: Path, old: str, new: str, expected: str | None) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    if expected is None:
        path = tmp_path / "c.yaml"
        path.write_text(text, encoding="utf-8")
        validate_catalog([path])
        return
    found = problems(tmp_path, text)
    assert any(expected in p for p in found), found


def test_files_of_one_catalog_must_agree_on_the_org(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("version: 1\nkind: catalog\norg: other\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        validate_catalog([tmp_path])
    assert "a different org than in" in str(caught.value.problems[0])


def test_plan_addresses_with_the_default_variant(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        BASE.replace("ebook/buy]", "ebook/buy, ebook/api, python-101/premium-monthly]"),
        encoding="utf-8",
    )
    assert validate_catalog([path])["warnings"] == []
    path.write_text(BASE.replace("ebook/buy]", "python-101/standard/nope]"), encoding="utf-8")
    (warning,) = validate_catalog([path])["warnings"]
    assert "plan 'python-101/standard/nope' is not defined in these files" in warning


def test_price_problems_name_where_each_key_and_amount_was_written(tmp_path: Path) -> None:
    """Prices are kept small until they are read (`PriceMap`): a problem still names the line
    and column of the amount it is about, in block and in flow style."""
    text = (
        BASE.replace('              us: "49.00"\n', '              us: "49.001"\n')
        .replace('prices: {us: "19.99", eu: "17.99"}', 'prices: {us: "19.99", eu: "17.999"}')
        .replace('{up_to: null, prices: {us: "0.05"}}', '{up_to: null, prices: {eu: "0.05"}}')
    )
    found = problems(tmp_path, text)
    lines = text.splitlines()
    amount_line = lines.index('              us: "49.001"') + 1
    flow_line = next(i for i, line in enumerate(lines, 1) if '"17.999"' in line)
    tier_line = next(i for i, line in enumerate(lines, 1) if 'prices: {eu: "0.05"}' in line)
    flow_column = lines[flow_line - 1].index('"17.999"') + 1
    eu_value_column = lines[tier_line - 1].index('"0.05"') + 1
    assert any(p.startswith(f"{amount_line}:19: ") and "prices.us" in p for p in found), found
    assert any(
        p.startswith(f"{flow_line}:{flow_column}: ") and "prices.eu" in p and "EUR" in p
        for p in found
    ), found
    assert any(
        p.startswith(f"{tier_line}:{eu_value_column}: ")
        and "the plan has no price in market 'eu'" in p
        for p in found
    ), found
