"""`volmify sales import | list | show` through the real command line."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from tests.revenue_reference import PART_1, csv_text
from tests.support import Cli
from tests.world import build_world_at


@pytest.fixture
def world(cli: Cli, db_url: str) -> Cli:
    build_world_at(db_url)
    return cli


@pytest.fixture
def part1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    Path("part1.csv").write_text(csv_text(PART_1, bom=True), encoding="utf-8")
    return "part1.csv"


def test_import_records_every_line_and_a_second_run_changes_nothing(world: Cli, part1: str) -> None:
    first = world.json("sales", "import", part1, "--org", "acme")
    assert (first["lines"], first["created"], first["unchanged"]) == (9, 9, 0)
    listed = world.json("sales", "list", "--org", "acme", "--sort", "oldest")
    again = world.json("sales", "import", part1, "--org", "acme")
    assert (again["created"], again["unchanged"], again["replaced"]) == (0, 9, [])
    assert world.json("sales", "list", "--org", "acme", "--sort", "oldest") == listed
    assert [row["order_id"] for row in listed] == [f"S{n}" for n in range(1, 10)]


def test_a_changed_line_is_exit_3_and_update_replaces_it(world: Cli, part1: str) -> None:
    world.json("sales", "import", part1, "--org", "acme")
    before = world.json("sales", "list", "--org", "acme")
    changed = [dataclasses.replace(s, fee=175) if s.order_id == "S4" else s for s in PART_1]
    Path(part1).write_text(csv_text(changed), encoding="utf-8")
    result = world.fails(3, "sales", "import", part1, "--org", "acme", "--format", "json")
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "part1.csv:5: order_id: order_id 'S4' is already recorded with different content",
        "Error: 1 problem found; nothing was written",
        "Hint: pass --update to replace changed orders",
    ]
    assert world.json("sales", "list", "--org", "acme") == before
    updated = world.run("sales", "import", part1, "--org", "acme", "--update", "--format", "json")
    assert updated.exit_code == 0
    assert "Replaced order S4" in updated.stderr
    shown = world.json("sales", "show", "S4", "--org", "acme")
    # net 15.250 - 0.750 - 0.175 = 14.325 KWD at 40% / 20% / 10%
    assert shown["net"] == "14.325"
    assert [(a["key"], a["amount"]) for a in shown["allocations"]] == [
        ("jane-doe", "5.730"), ("john-roe", "2.865"), ("acme-academy", "1.432"),
        ("org:acme", "4.298"),
    ]  # fmt: skip


def test_a_refused_import_writes_nothing_and_names_every_problem(world: Cli, part1: str) -> None:
    Path("bad.csv").write_text(
        csv_text(PART_1)
        + "X1,2026-03-01,python-101,,basic,jp,JPY,1000.5,,,,,,\n"
        + "X2,not-a-date,python-101,,basic,us,USD,10.00,,,12.00,,,\n"
        + "X3,2026-03-01,python-101,,basic,kw,USD,10.00,,,,,,\n",
        encoding="utf-8",
    )
    result = world.fails(3, "sales", "import", "bad.csv", "--org", "acme")
    assert result.stderr.splitlines() == [
        "bad.csv:11: amount: amount '1000.5' has too many decimals for JPY (no decimals)",
        "bad.csv:12: sold_at: sold_at 'not-a-date' is not an ISO 8601 date or date-time (e.g. 2026-03-01 or 2026-03-01T14:30:00Z)",
        "bad.csv:12: refunded: refunded 12.00 is more than the amount 10.00",
        "bad.csv:13: currency: currency USD is not the currency of plan 'python-101/standard/basic' in market 'kw' (KWD)",
        "Error: 4 problems found; nothing was written",
    ]
    assert world.json("sales", "list", "--org", "acme") == []


def test_dry_run_reports_and_writes_nothing(world: Cli, part1: str) -> None:
    result = world.run("sales", "import", part1, "--org", "acme", "--dry-run", "--format", "json")
    assert result.exit_code == 0
    assert "Dry run: nothing was written." in result.stderr
    assert world.json("sales", "list", "--org", "acme") == []


def test_yaml_sales_name_their_org(world: Cli, tmp_path: Path) -> None:
    path = tmp_path / "beta.yaml"
    path.write_text(
        "version: 1\nkind: sales\norg: beta\nsales:\n"
        "  - {order_id: B1, sold_at: 2026-02-02, product: rust-intro, plan: basic, market: de,"
        ' currency: EUR, amount: "39.00", tax: "6.23", fee: "1.00"}\n',
        encoding="utf-8",
    )
    assert world.json("sales", "import", str(path))["created"] == 1
    (sale,) = world.json("sales", "list", "--org", "beta")
    assert (sale["order_id"], sale["net_minor"], sale["net"]) == ("B1", 3177, "31.77")
    conflict = world.fails(3, "sales", "import", str(path), "--org", "acme")
    assert "file is for org 'beta', --org is 'acme'" in conflict.stderr


def test_coupon_over_its_limit_is_a_warning(world: Cli, part1: str) -> None:
    world.json("sales", "import", part1, "--org", "acme")
    more = [dataclasses.replace(PART_1[8], order_id="C1")]
    Path("more.csv").write_text(csv_text(more), encoding="utf-8")
    result = world.run("sales", "import", "more.csv", "--org", "acme", "--format", "json")
    assert result.exit_code == 0
    assert (
        "Warning: coupon SPRING10 has been redeemed 2 times, over its usage limit of 1"
        in result.stderr
    )


def test_list_filters_by_inclusive_utc_days_and_limits(world: Cli, part1: str) -> None:
    world.json("sales", "import", part1, "--org", "acme")
    rows = world.json(
        "sales",
        "list",
        "--org",
        "acme",
        "--sort",
        "oldest",
        "--from",
        "2026-01-10",
        "--to",
        "2026-01-25",
    )
    assert [r["order_id"] for r in rows] == ["S2", "S3", "S4"]
    assert rows[0]["sold_at"] == "2026-01-10T09:30:00Z"
    assert (rows[2]["amount_minor"], rows[2]["amount"], rows[2]["currency"]) == (
        15250,
        "15.250",
        "KWD",
    )
    limited = world.run("sales", "list", "--org", "acme", "--limit", "2", "--format", "json")
    assert limited.exit_code == 0 and "more were left out" in limited.stderr
    assert world.fails(2, "sales", "list", "--org", "acme", "--from", "Jan 5").stderr.startswith(
        "Error: --from 'Jan 5' is not a date"
    )


def test_list_as_csv_parses(world: Cli, part1: str) -> None:
    world.json("sales", "import", part1, "--org", "acme")
    result = world.ok("sales", "list", "--org", "acme", "--sort", "oldest", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["order_id"] for r in rows] == [f"S{n}" for n in range(1, 10)]
    assert rows[4]["net"] == "-0.90" and rows[4]["status"] == "refunded"


def test_show_gives_the_allocations_and_unknown_orders_are_exit_1(world: Cli, part1: str) -> None:
    world.json("sales", "import", part1, "--org", "acme")
    shown = world.json("sales", "show", "S5", "--org", "acme")
    assert [(a["kind"], a["key"], a["share"], a["amount_minor"]) for a in shown["allocations"]] == [
        ("instructor", "kim-lee", "50%", 0), ("brand", "jane-doe", "0%", 0),
        ("org", "org:acme", "50%", -90),
    ]  # fmt: skip
    assert world.fails(1, "sales", "show", "S99", "--org", "acme").stderr.startswith(
        "Error: order 'S99' not found in org acme"
    )


def test_an_unreadable_file_or_unknown_org_is_a_clear_error(world: Cli, part1: str) -> None:
    missing = world.fails(3, "sales", "import", "nope.csv", "--org", "acme")
    assert "nope.csv: cannot read" in missing.stderr
    unknown = world.fails(1, "sales", "import", part1, "--org", "zeta")
    assert unknown.stderr.startswith("Error: organization 'zeta' not found")
