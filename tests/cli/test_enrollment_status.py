"""An enrollment's status stays true when the course changes (issue 21): Ana completes every
lesson she can see, then a tier-1 lesson is added by `courses import`: she is in progress
again, at n/n+1, in the same transaction as the new lesson."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, Databases
from tests.support import Cli

ORG = ("--org", "acme")


@pytest.fixture(params=BACKENDS)
def demo(request: pytest.FixtureRequest, databases: Databases, tmp_path: Path) -> Iterator[Cli]:
    url = databases.migrated(str(request.param))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(tmp_path / "home"))
        cli = Cli(url)
        cli.ok("demo")
        yield cli
    databases.drop(url)


def _lessons(node: dict) -> Iterator[str]:
    for child in node.get("children", []):
        if child.get("kind") == "lesson":
            yield child["slug"]
        yield from _lessons(child)


def _ana(cli: Cli) -> dict:
    rows = cli.json("enrollments", "list", *ORG)
    return next(e for e in rows if e["member"] == "ana@example.org" and e["course"] == "python-101")


def _views_agree(cli: Cli) -> None:
    """`enrollments list` and `progress report --by member` tell the same story of Ana."""
    mine = [e for e in cli.json("enrollments", "list", *ORG) if e["member"] == "ana@example.org"]
    report = cli.json("progress", "report", "--by", "member", *ORG)["rows"]
    row = next(r for r in report if r["key"] == "ana@example.org")
    assert (
        row["enrollments"],
        row["completed"],
        row["lessons_completed"],
        row["lessons_total"],
    ) == (
        len(mine),
        sum(e["status"] == "completed" for e in mine),
        sum(e["lessons_completed"] for e in mine),
        sum(e["lessons_total"] for e in mine),
    )


def test_a_lesson_added_after_completion_reopens_the_enrollment(demo: Cli, tmp_path: Path) -> None:
    tree = demo.json("courses", "tree", "python-101", "--member", "ana@example.org", *ORG)
    for lesson in _lessons(tree):  # whatever her tier shows; a locked lesson is refused
        demo.run("enrollments", "progress", "python-101", "--member", "ana@example.org",
                 "--lesson", lesson, "--status", "completed", *ORG)  # fmt: skip
    before = _ana(demo)
    assert before["status"] == "completed"
    assert before["lessons_completed"] == before["lessons_total"]
    _views_agree(demo)
    outline = demo.ok("courses", "export", "python-101", *ORG).stdout
    marker = "    lessons:\n"
    added = outline.replace(
        marker,
        marker + "    - slug: a-new-lesson\n      title: A new lesson\n      type: text\n",
        1,
    )
    path = tmp_path / "outline.yaml"
    path.write_text(added, encoding="utf-8")
    demo.ok("courses", "import", str(path), *ORG)
    after = _ana(demo)
    assert after["lessons_total"] == before["lessons_total"] + 1
    assert after["lessons_completed"] == before["lessons_completed"]
    assert after["status"] == "in_progress"
    _views_agree(demo)
