"""Document schemas: scalar types read as SPEC 4 says, errors name FILE:LINE:COLUMN and path."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import PlainValidator

from volmify_cli.enums import MarketType
from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.yamlio import load_yaml_text
from volmify_cli.inputs.documents import DocModel, Problems, validate_document
from volmify_cli.inputs.fields import Amount, Bool, Date, Int, Share, Slug, Str, Text, enum_field


class Price(DocModel):
    amount: Amount
    currency: Str | None = None


class Plan(DocModel):
    slug: Slug
    tier: Int = 1
    featured: Bool = False
    starts: Date | None = None
    share: Share | None = None
    prices: dict[Str, Amount] = {}


class Market(DocModel):
    slug: Str
    type: Annotated[MarketType, PlainValidator(enum_field(MarketType))]
    countries: list[Str] = []
    name: Text


class Doc(DocModel):
    version: Int
    kind: Str
    markets: list[Market] = []
    plans: list[Plan] = []


def check(text: str) -> Doc:
    return validate_document(
        Doc, load_yaml_text(text, filename="c.yaml"), filename="c.yaml", kind="test"
    )


def problems(text: str) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        check(text)
    return [str(problem) for problem in caught.value.problems]


HEAD = "version: 1\nkind: test\n"


def test_a_valid_document_keeps_text_and_positions() -> None:
    doc = check(
        HEAD
        + "markets:\n  - slug: no\n    type: custom\n    countries: [NO, '012']\n    name: {en-US: X, ar-EG: Y}\n"
        + "plans:\n  - slug: basic\n    tier: 2\n    featured: true\n    starts: 2026-03-01\n"
        + '    share: "40.5%"\n    prices: {us: "19.99", jp: 1000}\n'
    )
    market = doc.markets[0]
    assert market.countries == ["NO", "012"]
    assert market.mark == (4, 5)
    assert market.name == {"en-US": "X", "ar-EG": "Y"}
    plan = doc.plans[0]
    assert (plan.tier, plan.featured, str(plan.starts), plan.share) == (2, True, "2026-03-01", 4050)
    assert plan.prices == {"us": "19.99", "jp": "1000"}
    assert plan.prices["us"].line == 14


def test_every_problem_is_reported_with_file_line_column_and_path() -> None:
    found = problems(
        HEAD
        + "markets:\n  - slug: us\n    type: single-country\n    name: X\n    nmae: Y\n"
        + "plans:\n  - slug: Basic\n    tier: two\n    prices: {us: 19.99}\n  - tier: 1\n    share: '4000'\n"
    )
    assert found == [
        "c.yaml:5:11: markets[0].type: 'single-country' is not one of: single_country, multi_region, linguistic, economic, custom",
        "c.yaml:7:5: markets[0]: unknown key 'nmae' (did you mean 'name'?)",
        "c.yaml:9:11: plans[0].slug: slug 'Basic' is not a valid slug (use lower-case letters, digits and single hyphens, e.g. python-101)",
        "c.yaml:10:11: plans[0].tier: must be a whole number, not 'two'",
        'c.yaml:11:18: plans[0].prices.us: 19.99 must be quoted ("19.99"): an unquoted decimal is a float',
        "c.yaml:12:5: plans[1]: missing key 'slug'",
        "c.yaml:13:12: plans[1].share: share '4000' is ambiguous (write a percentage as \"4000%\" or basis points as a bare integer)",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "c.yaml: the file is empty"),
        ("- a\n", "a document must be a mapping"),
        ("kind: test\n", "missing version: 1"),
        ("version: 2\nkind: test\n", "unsupported version '2'"),
        ("version: 1\nkind: catalog\n", "kind is 'catalog', expected test"),
    ],
)
def test_header_is_checked_first(body: str, message: str) -> None:
    assert message in problems(body)[0]


def test_wrong_shapes() -> None:
    found = problems(HEAD + "markets: {slug: x}\nplans:\n  - slug: [a]\n    tier: 1\n")
    assert found[0].startswith("c.yaml:3:10: markets: must be a list")
    assert "plans[0].slug: must be text, not a list" in found[1]


def test_problems_collector_points_at_models_and_scalars() -> None:
    doc = check(HEAD + "markets:\n  - slug: us\n    type: custom\n    name: X\n")
    collected = Problems("c.yaml")
    collected.add(doc.markets[0], "markets[0]", "brand 'x' not found in org acme")
    collected.add(doc.markets[0].slug, ["markets", 0, "slug"], "taken")
    assert [str(p) for p in collected.items] == [
        "c.yaml:4:5: markets[0]: brand 'x' not found in org acme",
        "c.yaml:4:11: markets[0].slug: taken",
    ]
    with pytest.raises(InvalidInputError):
        collected.raise_if_any()


def test_models_that_set_the_same_keys_share_one_frozen_set_of_them() -> None:
    """A large catalog has 150,000 models: the names of the keys each set are one shared frozen
    set per combination, still read by `model_fields_set`."""
    doc = check(HEAD + "plans:\n  - slug: a\n    tier: 2\n  - slug: b\n    tier: 3\n  - slug: c\n")
    first, second, third = doc.plans
    assert first.model_fields_set == {"slug", "tier"} == second.model_fields_set
    assert first.model_fields_set is second.model_fields_set
    assert third.model_fields_set == {"slug"}
    assert isinstance(first.model_fields_set, frozenset)


def test_a_models_position_survives_copies_and_comparisons() -> None:
    """Positions are kept in a small read-only mapping, not a dict per model: pydantic's copies
    and equality still read it."""
    import copy

    plan = check(HEAD + "plans:\n  - slug: a\n    tier: 2\n").plans[0]
    assert plan.mark == (4, 5)
    assert copy.copy(plan).mark == copy.deepcopy(plan).mark == (4, 5)
    assert copy.deepcopy(plan) == plan
    assert dict(plan.__pydantic_private__ or {}) == {"line": 4, "column": 5}
