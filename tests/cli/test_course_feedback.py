"""volmify courses skills | rate | ratings | respond."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.world import build_world
from tests.support import Cli

TIERS = str(Path(__file__).resolve().parent.parent / "data" / "outlines" / "tiers.yaml")


@pytest.fixture
def world(cli: Cli) -> Cli:
    build_world(cli.db_url or "")
    cli.ok("courses", "import", TIERS, "--org", "acme")  # declares beginner, difficulty 3
    return cli


def skills(cli: Cli) -> list[tuple[str, str, int, str | None]]:
    rows = cli.json("courses", "skills", "list", "python-101", "--org", "acme")
    return [(r["skill"], r["kind"], r["weight"], r["level"]) for r in rows]


def test_skills_add_update_list_remove(world: Cli) -> None:
    assert skills(world) == [
        ("python", "taught", 5, None),
        ("programming-basics", "prerequisite", 3, None),
    ]
    added = world.json(
        "courses",
        "skills",
        "add",
        "python-101",
        "sql",
        "--kind",
        "prerequisite",
        "--weight",
        "4",
        "--level",
        "intermediate",
        "--org",
        "acme",
    )
    assert (added["skill"], added["kind"], added["weight"], added["level"]) == (
        "sql",
        "prerequisite",
        4,
        "intermediate",
    )
    world.ok("courses", "skills", "add", "python-101", "python", "--weight", "8", "--org", "acme")
    assert skills(world) == [
        ("python", "taught", 8, None),
        ("programming-basics", "prerequisite", 3, None),
        ("sql", "prerequisite", 4, "intermediate"),
    ]
    world.ok("courses", "skills", "remove", "python-101", "programming-basics", "--org", "acme")
    assert [s[0] for s in skills(world)] == ["python", "sql"]
    result = world.fails(
        1, "courses", "skills", "remove", "python-101", "programming-basics", "--org", "acme"
    )
    assert "has no skill 'programming-basics'" in result.stderr
    result = world.fails(
        1, "courses", "skills", "add", "python-101", "rust", "--weight", "11", "--org", "acme"
    )
    assert "weight must be at most 10, not 11" in result.stderr
    world.fails(1, "courses", "skills", "add", "python-101", "Not A Slug", "--org", "acme")
    world.fails(
        2, "courses", "skills", "add", "python-101", "rust", "--kind", "optional", "--org", "acme"
    )


def rate(cli: Cli, user: str, level: str, difficulty: str, *extra: str) -> dict[str, object]:
    return dict(
        cli.json(
            "courses",
            "rate",
            "python-101",
            "--user",
            user,
            "--level",
            level,
            "--difficulty",
            difficulty,
            "--org",
            "acme",
            *extra,
        )
    )


def test_ratings_compare_declared_with_the_community(world: Cli) -> None:
    outsider = world.fails(
        1, "courses", "rate", "python-101", "--user", "ana@example.org", "--level", "beginner",
        "--difficulty", "4", "--org", "acme",
    )  # fmt: skip
    assert "only enrolled members rate" in outsider.stderr  # not enrolled yet
    world.ok("orgs", "members", "add", "cy@example.org", "--org", "acme")
    for member in ("ana@example.org", "bob@example.org", "cy@example.org"):
        world.ok("enrollments", "add", "python-101", "--member", member, "--org", "acme")
    rate(world, "ana@example.org", "beginner", "4", "--comment", "Clear.")
    rate(world, "bob@example.org", "intermediate", "6")
    rate(world, "cy@example.org", "beginner", "5")
    again = rate(world, "ana@example.org", "intermediate", "2")  # re-rating replaces
    assert (again["level"], again["difficulty"], again["comment"]) == ("intermediate", 2, "Clear.")
    rated = {r["user"]: r["rated_at"] for r in world.json(
        "courses", "ratings", "python-101", "--org", "acme")["ratings"]}  # fmt: skip
    world.ok(
        "courses",
        "respond",
        "python-101",
        "--user",
        "ana@example.org",
        "--response",
        "Thanks!",
        "--org",
        "acme",
    )
    summary = world.json("courses", "ratings", "python-101", "--org", "acme")
    responded = {r["user"]: r["rated_at"] for r in summary["ratings"]}
    assert responded == rated  # a response never moves the rating's date
    assert summary["declared"] == {"level": "beginner", "difficulty": 3}
    # ana: intermediate 2, bob: intermediate 6, cy: beginner 5 -> mean 13 / 3
    assert summary["community"] == {
        "count": 3,
        "levels": {"beginner": 1, "intermediate": 2, "advanced": 0, "expert": 0},
        "mean_difficulty": 4.33,
        "most_rated_level": "intermediate",
        "agreeing_with_level": 1,
    }
    assert [
        (r["user"], r["level"], r["difficulty"], r["response"]) for r in summary["ratings"]
    ] == [
        ("ana@example.org", "intermediate", 2, "Thanks!"),
        ("bob@example.org", "intermediate", 6, None),
        ("cy@example.org", "beginner", 5, None),
    ]
    assert summary["ratings"][0]["responded_at"] is not None


def test_bad_ratings(world: Cli) -> None:
    result = world.fails(
        1,
        "courses",
        "rate",
        "python-101",
        "--user",
        "ana@example.org",
        "--level",
        "beginner",
        "--difficulty",
        "11",
        "--org",
        "acme",
    )
    assert "difficulty must be at most 10, not 11" in result.stderr
    result = world.fails(
        1,
        "courses",
        "rate",
        "python-101",
        "--user",
        "nobody@example.org",
        "--level",
        "beginner",
        "--difficulty",
        "3",
        "--org",
        "acme",
    )
    assert "user 'nobody@example.org' not found" in result.stderr
    world.fails(
        2,
        "courses",
        "rate",
        "python-101",
        "--user",
        "ana@example.org",
        "--level",
        "guru",
        "--difficulty",
        "3",
        "--org",
        "acme",
    )
    world.fails(
        2,
        "courses",
        "rate",
        "python-101",
        "--user",
        "ana@example.org",
        "--difficulty",
        "3",
        "--org",
        "acme",
    )
    result = world.fails(
        1,
        "courses",
        "respond",
        "python-101",
        "--user",
        "bob@example.org",
        "--response",
        "x",
        "--org",
        "acme",
    )
    assert "has not rated" in result.stderr
    assert (
        world.json("courses", "ratings", "python-101", "--org", "acme")["community"]["count"] == 0
    )
