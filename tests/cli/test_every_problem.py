"""Validation reports every problem of an entity in one run (issue 21): a missing key never
hides a bad value of another key of the same product, plan or lesson, nor the checks that need
the whole entity (its rules, its money, its references). Each problem names FILE:LINE:COLUMN;
the exit is 3 and nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.world import build_world
from tests.support import Cli

DATA = Path(__file__).resolve().parent.parent / "data"
BASE = (DATA / "catalog" / "acme.yaml").read_text(encoding="utf-8")
TIERS = (DATA / "outlines" / "tiers.yaml").read_text(encoding="utf-8")
PYTHON_TITLE = next(line for line in BASE.splitlines(keepends=True) if "Python 101," in line)
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$")


def edit(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problems(stderr: str) -> list[tuple[int, int, str]]:
    """(line, column, path and message) of each FILE:LINE:COLUMN line."""
    found = [PROBLEM.match(line) for line in stderr.splitlines()]
    return [(int(m["line"]), int(m["column"]), m["rest"]) for m in found if m]


def validate(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    result = Cli().fails(3, "catalog", "validate", str(path))
    assert result.stdout == ""
    found = problems(result.stderr)
    assert all(line.startswith(f"{path}:") for line in result.stderr.splitlines()[: len(found)])
    assert f"{len(found)} problem{'s' if len(found) > 1 else ''} found" in result.stderr
    return found


def test_a_product_without_title_still_has_its_float_price_reported(tmp_path: Path) -> None:
    text = edit(
        BASE,
        (PYTHON_TITLE, ""),
        ('us: "49.00"', "us: 49.00"),
    )
    assert validate(tmp_path, text) == [
        (line_of(text, "- slug: python-101") , 5, "products[0]: missing key 'title'"),
        (line_of(text, "us: 49.00"), 19,
         "products[0].variants[0].plans[0].prices.us: 49.00 must be quoted (\"49.00\"):"
         " an unquoted decimal is a float"),
    ]  # fmt: skip


def test_a_plan_with_two_bad_values_reports_both(tmp_path: Path) -> None:
    text = edit(BASE, ("tier: 1\n", "tier: 0\n"), ('us: "49.00"', "us: 49.00"))
    found = validate(tmp_path, text)
    assert [(line, rest.split(":")[0]) for line, _, rest in found] == [
        (line_of(text, "tier: 0"), "products[0].variants[0].plans[0].tier"),
        (line_of(text, "us: 49.00"), "products[0].variants[0].plans[0].prices.us"),
    ]
    assert "must be at least 1" in found[0][2] and "must be quoted" in found[1][2]


def test_a_bad_value_does_not_hide_the_rule_of_its_plan(tmp_path: Path) -> None:
    """A subscription without an interval: the plan's rule runs although its tier is wrong."""
    text = edit(BASE, ("interval: month\n            ", ""), ("tier: 2\n", "tier: 0\n"))
    found = validate(tmp_path, text)
    plan = "products[0].variants[0].plans[1]"
    assert [(line, rest) for line, _, rest in found] == [
        (line_of(text, "- slug: premium-monthly"),
         f"{plan}: a subscription plan needs an interval (day, week, month or year)"),
        (line_of(text, "tier: 0"), f"{plan}.tier: access tier must be at least 1, not 0"),
    ]  # fmt: skip


def test_a_missing_title_does_not_hide_the_rule_of_its_product(tmp_path: Path) -> None:
    text = edit(BASE, ("    title: The Python Book\n", ""), ("type: digital", "type: physical"))
    found = validate(tmp_path, text)
    assert [rest for _, _, rest in found] == [
        "products[1]: missing key 'title'",
        "products[1]: digital: is only for products of type digital",
    ]
    assert {line for line, _, _ in found} == {line_of(text, "- slug: ebook")}


def test_a_missing_title_does_not_hide_references_or_money(tmp_path: Path) -> None:
    text = edit(
        BASE,
        (PYTHON_TITLE, ""),
        ("brands: [acme-academy]", "brands: []"),
        ('jp: "6500"', 'jp: "6500.5"'),
    )
    found = validate(tmp_path, text)
    assert [(line, rest.split(":")[0]) for line, _, rest in found] == [
        (line_of(text, "- slug: python-101"), "products[0]"),
        (line_of(text, "- brand: acme-academy"), "products[0].attribution[1].brand"),
        (line_of(text, 'jp: "6500.5"'), "products[0].variants[0].plans[0].prices.jp"),
    ]
    assert "brand 'acme-academy' is not one of the product's brands" in found[1][2]
    assert "too many decimals for JPY" in found[2][2]


def test_a_brand_or_market_without_name_does_not_hide_the_money(tmp_path: Path) -> None:
    text = edit(
        BASE,
        ("    name: Acme Academy\n", ""),
        ("    name: Japan\n", ""),
        ('us: "49.00"', "us: 49.00"),
    )
    found = validate(tmp_path, text)
    assert [(line, rest.split(":")[0]) for line, _, rest in found] == [
        (line_of(text, "- slug: acme-academy"), "brands[0]"),
        (line_of(text, "- slug: jp"), "markets[2]"),
        (line_of(text, "us: 49.00"), "products[0].variants[0].plans[0].prices.us"),
    ]


def test_a_market_without_slug_still_stops_the_checks_that_refer_to_it(tmp_path: Path) -> None:
    """Prices name their market by slug: without it they cannot be told right or wrong."""
    text = edit(BASE, ("  - slug: jp\n    name: Japan\n", "  - name: Japan\n"))
    assert [rest for _, _, rest in validate(tmp_path, text)] == ["markets[2]: missing key 'slug'"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ((("    title: The Python Book\n", ""),), "missing key 'title'"),
        ((("type: digital", "type: vinyl"),), "'vinyl' is not one of"),
        ((("      - slug: standard\n", "      - name: Standard\n"),), "missing key 'slug'"),
        ((("type: one_time\n            tier: 1\n", "tier: 1\n"),), "missing key 'type'"),
        ((("prices: {us: 20}", "prices: [20]"),), "must be a mapping of market slug to amount"),
        ((("- slug: python-101", "- slug: Python_101"),), "not a valid slug"),
        ((("brands: [acme-academy]", "brands: nope"),), "must be a list"),
        ((("    variants:\n      - slug: pdf\n", "    variants:\n"),), "must be a list"),
        ((("model: tiered", "model: stepped"),), "'stepped' is not one of"),
    ],
    ids=[
        "title",
        "type",
        "variant-slug",
        "plan-type",
        "prices",
        "slug",
        "brands",
        "variants",
        "pricing-model",
    ],
)
def test_one_problem_is_reported_once_and_alone(
    tmp_path: Path, changes: tuple[tuple[str, str], ...], message: str
) -> None:
    """What stands in for a missing or bad value while the rest is checked is never reported."""
    found = validate(tmp_path, edit(BASE, *changes))
    assert len(found) == 1, found
    assert message in found[0][2]


def test_import_validates_every_problem_first(cli: Cli, tmp_path: Path) -> None:
    text = edit(
        BASE,
        (PYTHON_TITLE, ""),
        ('us: "49.00"', "us: 49.00"),
    )
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("import", "diff"):
        result = cli.fails(3, "catalog", command, str(path), "--org", "acme")
        assert [line for line, _, _ in problems(result.stderr)] == [
            line_of(text, "- slug: python-101"),
            line_of(text, "us: 49.00"),
        ]
    cli.fails(1, "catalog", "export", "--org", "acme")  # nothing was written, not even the org


def test_an_outline_lesson_reports_its_rule_and_its_bad_value(cli: Cli, tmp_path: Path) -> None:
    build_world(cli.db_url or "", plan_tiers=(1, 2, 3))
    text = edit(
        TIERS,
        ("          - title: Editors\n            type: text\n",
         "          - title: Editors\n            lesson: installing-python\n            tier: 0\n"),
    )  # fmt: skip
    path = tmp_path / "outline.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli.fails(3, "courses", "import", str(path), "--org", "acme")
    lesson = "modules[0].sections[1].lessons[0]"
    assert [(line, rest.split(":")[0]) for line, _, rest in problems(result.stderr)] == [
        (line_of(text, "- title: Editors"), lesson),
        (line_of(text, "tier: 0"), f"{lesson}.tier"),
    ]
    assert "either a reference (lesson: SLUG) or inline" in result.stderr
    assert cli.json("courses", "show", "python-101", "--org", "acme")["lessons"] == 0


def test_an_outline_schema_problem_does_not_hide_what_the_database_tells(
    cli: Cli, tmp_path: Path
) -> None:
    """A module without its title and a lesson the org's library lacks, in one run."""
    build_world(cli.db_url or "", plan_tiers=(1,))
    text = edit(
        TIERS,
        ("  - title: Going further\n", "  - tier: 2\n"),
        ("    tier: 2\n    sections:", "    sections:"),
        ("          - title: Closures\n            type: text\n", "          - lesson: nope\n"),
    )
    path = tmp_path / "outline.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli.fails(3, "courses", "import", str(path), "--org", "acme")
    assert [(line, rest.split(":")[0]) for line, _, rest in problems(result.stderr)] == [
        (line_of(text, "  - tier: 2\n"), "modules[1]"),
        (line_of(text, "- lesson: nope"), "modules[1].sections[0].lessons[1]"),
    ]
    assert "missing key 'title'" in result.stderr and "'nope'" in result.stderr
    assert "stand-in" not in result.stderr
    # without an org to check against, the file's own problems are reported alone
    alone = Cli(cli.db_url).fails(3, "courses", "import", str(path))
    assert [line for line, _, _ in problems(alone.stderr)] == [line_of(text, "  - tier: 2\n")]
