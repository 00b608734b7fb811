"""progress report --by role: the org's learning analytics grouped by each member's role in
that org, on both databases.

World (hand-computed; tiers.yaml shows 1 lesson at tier 1, 4 at tier 2, 7 at tier 3):
  ana  member      tier 2: installing-python done 100 s, editors done         -> 2/4
  bob  member      tier 1: installing-python done 60 s                        -> 1/1, complete
  cy   instructor  tier 3: installing-python done 30 s, first-quiz 40% 20 s   -> 1/7
  dee  admin       not enrolled: no row
  ana is an instructor of globex, enrolled there: counted neither in acme's rows nor as an
  instructor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.world import build_world
from tests.support import Cli

TIERS = str(Path(__file__).resolve().parent.parent / "data" / "outlines" / "tiers.yaml")


def record(cli: Cli, member: str, lesson: str, status: str, *extra: str) -> None:
    cli.ok(
        "enrollments", "progress", "python-101", "--member", member, "--lesson", lesson,
        "--status", status, "--org", "acme", *extra,
    )  # fmt: skip


@pytest.fixture
def world(cli: Cli) -> Cli:
    build_world(cli.db_url or "", plan_tiers=(1, 2, 3))
    cli.ok("courses", "import", TIERS, "--org", "acme")
    cli.ok("orgs", "members", "add", "cy@example.org", "--role", "instructor", "--org", "acme")
    cli.ok("orgs", "members", "add", "dee@example.org", "--name", "Dee", "--role", "admin",
           "--org", "acme")  # fmt: skip
    for member, plan in (("ana", "tier-2"), ("bob", "tier-1"), ("cy", "tier-3")):
        cli.ok("enrollments", "add", "python-101", "--member", f"{member}@example.org",
               "--plan", f"python-101/{plan}", "--org", "acme")  # fmt: skip
    record(cli, "ana@example.org", "installing-python", "completed", "--seconds", "100")
    record(cli, "ana@example.org", "editors", "completed")
    record(cli, "bob@example.org", "installing-python", "completed", "--seconds", "60")
    record(cli, "cy@example.org", "installing-python", "completed", "--seconds", "30")
    record(cli, "cy@example.org", "first-quiz", "in-progress", "--percent", "40", "--seconds", "20")
    cli.ok("orgs", "members", "add", "ana@example.org", "--role", "instructor", "--org", "globex")
    cli.ok("enrollments", "add", "globex-course", "--member", "ana@example.org", "--org", "globex")
    return cli


def test_progress_by_role(world: Cli) -> None:
    report = world.json("progress", "report", "--by", "role", "--org", "acme")
    assert report["by"] == "role"
    assert [
        (r["key"], r["members"], r["enrollments"], r["completed"], r["lessons_completed"],
         r["lessons_total"], r["completion_rate"], r["seconds_spent"])
        for r in report["rows"]
    ] == [
        ("instructor", 1, 1, 0, 1, 7, round(100 * 1 / 7, 1), 30 + 20),
        ("member", 2, 2, 1, 2 + 1, 4 + 1, 60.0, 100 + 60),
    ]  # fmt: skip
    assert report["totals"] == {
        "enrollments": 3, "completed": 1, "lessons_completed": 4, "lessons_total": 12,
        "completion_rate": round(100 * 4 / 12, 1), "seconds_spent": 210,
    }  # fmt: skip


def test_progress_by_role_agrees_with_by_member(world: Cli) -> None:
    """The roles' rows add up the member rows of the members holding each role."""
    roles = {
        "ana@example.org": "member",
        "bob@example.org": "member",
        "cy@example.org": "instructor",
    }
    members = world.json("progress", "report", "--by", "member", "--org", "acme")["rows"]
    by_role = {
        r["key"]: r
        for r in world.json("progress", "report", "--by", "role", "--org", "acme")["rows"]
    }
    for role, row in by_role.items():
        mine = [m for m in members if roles[m["key"]] == role]
        assert row["members"] == len(mine)
        for field in (
            "enrollments",
            "completed",
            "lessons_completed",
            "lessons_total",
            "seconds_spent",
        ):
            assert row[field] == sum(m[field] for m in mine), (role, field)


def test_progress_by_role_of_one_course_and_as_a_table(world: Cli) -> None:
    globex = world.json("progress", "report", "--by", "role", "--org", "globex")
    assert [(r["key"], r["members"], r["enrollments"]) for r in globex["rows"]] == [
        ("instructor", 1, 1)
    ]
    one = world.json(
        "progress", "report", "--by", "role", "--course", "python-101", "--org", "acme"
    )
    assert [r["key"] for r in one["rows"]] == ["instructor", "member"]
    table = world.ok("progress", "report", "--by", "role", "--org", "acme", "--format", "table")
    assert "Members" in table.stdout and "instructor" in table.stdout
    world.fails(2, "progress", "report", "--by", "team", "--org", "acme")
