"""Ratings in learning files come only from members enrolled in the course (issue 21): a member
who never took the course and a user of another org are refused, each naming its line; a member
enrolled in the database (not in the file) rates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.world import build_world
from tests.support import Cli

TIERS = str(Path(__file__).resolve().parent.parent / "data" / "outlines" / "tiers.yaml")

RATINGS = """version: 1
kind: learning
org: acme
ratings:
  - {course: python-101, user: ana@example.org, level: beginner, difficulty: 4}
  - {course: python-101, user: cy@example.org, level: expert, difficulty: 9}
  - {course: python-101, user: bob@example.org, level: intermediate, difficulty: 6}
"""


@pytest.fixture
def world(cli: Cli) -> Cli:
    build_world(cli.db_url or "")
    cli.ok("courses", "import", TIERS, "--org", "acme")
    return cli


def count(cli: Cli) -> int:
    summary = cli.json("courses", "ratings", "python-101", "--org", "acme")
    return int(summary["community"]["count"])


def test_only_enrolled_members_rate_in_a_learning_file(world: Cli, tmp_path: Path) -> None:
    world.ok("orgs", "members", "add", "cy@example.org", "--org", "globex")  # globex only
    world.ok("enrollments", "add", "python-101", "--member", "bob@example.org", "--org", "acme")
    path = tmp_path / "ratings.yaml"
    path.write_text(RATINGS, encoding="utf-8")
    result = world.fails(3, "learning", "import", str(path))
    lines = RATINGS.splitlines()
    expected = [
        f"{path}:{number}:{lines[number - 1].index(email) + 1}: ratings[{index}].user: {email} "
        "is not enrolled in course python-101: only enrolled members rate"
        for index, (number, email) in enumerate(((5, "ana@example.org"), (6, "cy@example.org")))
    ]
    assert [line for line in result.stderr.splitlines() if line.startswith(str(path))] == expected
    assert count(world) == 0  # nothing written, not even bob's rating
    path.write_text(RATINGS.replace(lines[4] + "\n", "").replace(lines[5] + "\n", ""))
    world.ok("learning", "import", str(path))
    assert count(world) == 1
