"""`volmify demo`: loads both organizations through the users' importers, is safe to run again,
and can start over with --reset."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tests.support import Cli

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DIGITS = {"USD": 2, "EUR": 2, "KWD": 3, "JPY": 0}


def expected_net_by_currency(org: str) -> dict[str, int]:
    """Net per currency straight from the fixture file (independent of the importer)."""
    totals: dict[str, int] = defaultdict(int)
    with (FIXTURES / org / "sales.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            scale = Decimal(10) ** DIGITS[row["currency"]]
            amount, tax, fee, refunded = (
                Decimal(row[field] or 0) * scale for field in ("amount", "tax", "fee", "refunded")
            )
            # a refund returns its part of the tax, rounded half-up to the minor unit (SPEC 5)
            returned = (tax * refunded / amount).quantize(Decimal(1), ROUND_HALF_UP)
            totals[row["currency"]] += int(amount - tax - fee - (refunded - returned))
    return dict(totals)


def test_demo_loads_both_organizations_and_tours_them(cli: Cli) -> None:
    result = cli.ok("demo")
    assert "volmify catalog import fixtures/acme/catalog --org acme: " in result.stderr
    for heading in ("The organizations", "Revenue by creator", "as a VIP (tier 3)"):
        assert heading in result.stdout
    assert "volmify courses tree python-101 --tier 1 --org acme" in result.stdout
    assert [org["slug"] for org in cli.json("orgs", "list")] == ["acme", "globex"]

    for org in ("acme", "globex"):
        report = cli.json("revenue", "report", "--org", org)
        totals = {row["currency"]: row["net_minor"] for row in report["totals"]}
        assert totals == expected_net_by_currency(org)

    tier1 = cli.json("courses", "tree", "python-101", "--tier", "1", "--org", "acme")
    tier3 = cli.json("courses", "tree", "python-101", "--tier", "3", "--org", "acme")

    def lessons(node: dict) -> list[dict]:
        found = [node] if node.get("kind") == "lesson" else []
        for child in node.get("children", []):
            found += lessons(child)
        return found

    visible1 = {n["slug"] for n in lessons(tier1) if n["accessible"]}
    assert visible1 == {"installing-python", "your-first-program", "python-basics-quiz"}
    assert all(n["accessible"] for n in lessons(tier3))
    # The quiz is one library lesson placed in two courses.
    science = cli.json("courses", "tree", "data-science-pro", "--org", "acme")
    assert "python-basics-quiz" in {n["slug"] for n in lessons(science)}

    # The skill taxonomy: fixtures/skills.yaml's parents and names; a skill a catalog names
    # that the file leaves out is there too, unnamed and unapproved.
    import yaml

    wanted = yaml.safe_load((FIXTURES / "skills.yaml").read_text(encoding="utf-8"))["skills"]
    listed = {row["skill"]: row for row in cli.json("skills", "list")}
    for skill in wanted:
        row = listed.pop(skill["slug"])
        assert (row["parent"], row["name"]) == (skill.get("parent"), skill["name"]["en-US"])
    assert listed and all(not row["approved"] and row["name"] is None for row in listed.values())
    assert "volmify skills tree" in result.stdout


def test_demo_twice_changes_nothing_the_second_time(cli: Cli) -> None:
    cli.ok("demo")
    before = cli.json("sales", "list", "--org", "acme", "--limit", "1000")
    again = cli.ok("demo")
    assert "0 created, 0 updated" in again.stderr
    assert "0 orders recorded, 320 already there" in again.stderr
    assert cli.json("sales", "list", "--org", "acme", "--limit", "1000") == before


def test_reset_asks_first_and_starts_over(cli: Cli) -> None:
    cli.ok("demo")
    refused = cli.fails(2, "demo", "--reset")
    assert "pass --yes" in refused.stderr
    result = cli.ok("demo", "--reset", "--yes")
    assert "Deleted organization acme." in result.stderr
    assert "320 orders recorded" in result.stderr
