"""volmify courses import | export | tree | list | show, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.world import build_world
from tests.support import Cli

DATA = Path(__file__).resolve().parent.parent / "data"
TIERS = str(DATA / "outlines" / "tiers.yaml")


@pytest.fixture
def world(cli: Cli) -> Cli:
    build_world(cli.db_url or "")
    return cli


def flatten(nodes: list[dict[str, Any]]) -> list[tuple[str, str, int, int, bool]]:
    result = []
    for node in nodes:
        result.append(
            (
                node["kind"],
                node["slug"],
                node["required_tier"],
                node["effective_tier"],
                node["accessible"],
            )
        )
        result.extend(flatten(node["children"]))
    return result


def accessible(tree: dict[str, Any]) -> set[str]:
    return {slug for _k, slug, _r, _e, ok in flatten(tree["children"]) if ok}


TIER_1 = {"getting-started", "setup", "installing-python"}
TIER_2 = TIER_1 | {
    "first-quiz",
    "tooling",
    "editors",
    "going-further",
    "functions",
    "defining-functions",
}
EVERYTHING = TIER_2 | {"debuggers", "closures", "mastery", "capstone", "final-project"}


def test_import_then_tree_shows_declared_and_effective_tiers(world: Cli) -> None:
    plan = world.json("courses", "import", TIERS, "--org", "acme")
    assert (plan["created"], plan["updated"], plan["deleted"]) == (25, 1, 0)
    tree = world.json("courses", "tree", "python-101", "--org", "acme", "--tier", "1")
    assert (tree["course"], tree["title"], tree["tier"]) == ("python-101", "Python 101", 1)
    assert flatten(tree["children"]) == [
        ("module", "getting-started", 1, 1, True),
        ("section", "setup", 1, 1, True),
        ("lesson", "installing-python", 1, 1, True),
        ("lesson", "first-quiz", 2, 2, False),
        ("section", "tooling", 2, 2, False),
        ("lesson", "editors", 1, 2, False),
        ("lesson", "debuggers", 3, 3, False),
        ("module", "going-further", 2, 2, False),
        ("section", "functions", 1, 2, False),
        ("lesson", "defining-functions", 1, 2, False),
        ("lesson", "closures", 3, 3, False),
        ("module", "mastery", 3, 3, False),
        ("section", "capstone", 1, 3, False),
        ("lesson", "final-project", 1, 3, False),
    ]
    lesson = tree["children"][0]["children"][0]["children"][0]
    assert lesson == {
        "kind": "lesson",
        "slug": "installing-python",
        "title": "Installing Python",
        "type": "video",
        "minutes": 8,
        "content": None,
        "library": False,  # written inline: the course's own lesson
        "required_tier": 1,
        "effective_tier": 1,
        "accessible": True,
        "children": [],
    }
    assert (
        accessible(world.json("courses", "tree", "python-101", "--org", "acme", "--tier", "2"))
        == TIER_2
    )
    assert (
        accessible(world.json("courses", "tree", "python-101", "--org", "acme", "--tier", "3"))
        == EVERYTHING
    )
    assert accessible(world.json("courses", "tree", "python-101", "--org", "acme")) == EVERYTHING


def test_tree_for_a_plan_uses_the_plans_tier(world: Cli) -> None:
    world.ok("courses", "import", TIERS, "--org", "acme")
    tree = world.json(
        "courses", "tree", "python-101", "--org", "acme", "--plan", "python-101/standard/tier-2"
    )
    assert (tree["tier"], tree["plan"]) == (2, "python-101/standard/tier-2")
    assert accessible(tree) == TIER_2
    short = world.json(
        "courses", "tree", "python-101", "--org", "acme", "--plan", "python-101/tier-1"
    )
    assert accessible(short) == TIER_1


def test_tree_table_marks_locked_items(world: Cli) -> None:
    world.ok("courses", "import", TIERS, "--org", "acme")
    result = world.ok(
        "courses", "tree", "python-101", "--org", "acme", "--tier", "1", "--format", "table"
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "Python 101 (python-101) · as tier 1"
    installing = next(line for line in lines if "installing-python" in line)
    closures = next(line for line in lines if "(closures)" in line)
    assert "🔒" not in installing
    assert "🔒 Closures (closures) · text · tier 3 · locked" in closures


def test_tree_bad_tier_and_foreign_plan(world: Cli) -> None:
    world.ok("courses", "import", TIERS, "--org", "acme")
    result = world.fails(1, "courses", "tree", "python-101", "--org", "acme", "--tier", "0")
    assert "access tier must be at least 1, not 0" in result.stderr
    result = world.fails(
        1, "courses", "tree", "python-101", "--org", "acme", "--plan", "ebook/standard/x"
    )
    assert "not found" in result.stderr
    world.fails(1, "courses", "tree", "ebook", "--org", "acme")


def test_show_warns_about_content_no_plan_grants(world: Cli) -> None:
    world.ok("courses", "import", TIERS, "--org", "acme")
    result = world.ok("courses", "show", "python-101", "--org", "acme", "--format", "json")
    record = json.loads(result.stdout)
    assert record["warnings"] == ["3 lessons need tier 3 but no plan grants it"]
    assert "Warning: 3 lessons need tier 3 but no plan grants it" in result.stderr
    assert record["lessons_by_tier"] == {"1": 1, "2": 3, "3": 3}
    assert (record["modules"], record["sections"], record["lessons"]) == (3, 4, 7)
    assert record["highest_plan_tier"] == 2
    assert [s["skill"] for s in record["skills"]] == ["python", "programming-basics"]
    rows = world.json("courses", "list", "--org", "acme")
    assert [(r["slug"], r["modules"], r["lessons"], r["enrollments"]) for r in rows] == [
        ("python-101", 3, 7, 0)
    ]


def test_export_import_export_is_byte_identical(world: Cli, tmp_path: Path) -> None:
    world.ok("courses", "import", TIERS, "--org", "acme")
    first = tmp_path / "first.yaml"
    world.ok("courses", "export", "python-101", "--org", "acme", "-o", str(first))
    again = world.json("courses", "import", str(first), "--org", "acme")
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    second = world.ok("courses", "export", "python-101", "--org", "acme").stdout
    assert second == first.read_text(encoding="utf-8")
    assert "tier: 1" in second and "slug: getting-started" in second
    # Never overwrites without --force.
    result = world.fails(1, "courses", "export", "python-101", "--org", "acme", "-o", str(first))
    assert "already exists" in result.stderr
    world.ok("courses", "export", "python-101", "--org", "acme", "-o", str(first), "--force")


def test_round_trip_with_translations_and_a_lesson_placed_twice(cli: Cli, tmp_path: Path) -> None:
    build_world(cli.db_url or "", locales=("en-US", "de-DE"))
    source = tmp_path / "o.yaml"
    source.write_text(
        """version: 1
kind: course_outline
course: python-101
title: {en-US: Python 101, de-DE: Python 101 (de)}
level: intermediate
difficulty: 5
skills:
  - {skill: python, weight: 8, level: beginner}
modules:
  - title: {en-US: Basics, de-DE: Grundlagen}
    description: Start here
    minutes: 30
    sections:
      - title: "NO"
        required: false
        lessons:
          - title: {en-US: Variables, de-DE: Variablen}
            type: text
            minutes: 12
      - title: Review
        lessons:
          - title: {en-US: Variables, de-DE: Variablen}
            type: text
            minutes: 12
            tier: 2
            required: false
""",
        encoding="utf-8",
    )
    cli.ok("courses", "import", str(source), "--org", "acme")
    first = cli.ok("courses", "export", "python-101", "--org", "acme").stdout
    exported = tmp_path / "exported.yaml"
    exported.write_text(first, encoding="utf-8")
    again = cli.json("courses", "import", str(exported), "--org", "acme")
    assert (again["created"], again["updated"]) == (0, 0)
    assert cli.ok("courses", "export", "python-101", "--org", "acme").stdout == first
    # the course's own lesson, placed twice: written inline both times, one lesson stored
    assert first.count("slug: variables") == 2 and "lesson: variables" not in first
    assert len(cli.json("courses", "tree", "python-101", "--org", "acme")["children"]) == 1
    assert "title: 'NO'" in first
    german = cli.json("courses", "tree", "python-101", "--org", "acme", "--locale", "de-AT")
    assert german["children"][0]["title"] == "Grundlagen"


def test_a_dry_run_writes_nothing(world: Cli) -> None:
    result = world.ok("courses", "import", TIERS, "--org", "acme", "--dry-run", "--format", "table")
    assert "+ module python-101/getting-started" in result.stdout.splitlines()
    assert "Dry run, nothing written: 25 created, 1 updated, 1 unchanged" in result.stderr
    assert world.json("courses", "show", "python-101", "--org", "acme")["modules"] == 0


def test_a_new_course_is_created_as_a_draft(world: Cli, tmp_path: Path) -> None:
    source = tmp_path / "new.yaml"
    source.write_text(Path(TIERS).read_text().replace("course: python-101", "course: rust-101"))
    plan = world.json("courses", "import", str(source), "--org", "acme")
    assert plan["changes"][0] == {"action": "create", "entity": "product", "key": "rust-101"}
    record = world.json("courses", "show", "rust-101", "--org", "acme")
    assert (record["status"], record["title"], record["difficulty"]) == ("draft", "Python 101", 3)
    assert record["warnings"] == ["no active plan of rust-101 grants access to its 7 lessons"]


def test_prune_asks_for_confirmation(world: Cli, tmp_path: Path) -> None:
    world.ok("courses", "import", TIERS, "--org", "acme")
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(Path(TIERS).read_text().split("  - title: Mastery")[0])
    result = world.fails(2, "courses", "import", str(smaller), "--org", "acme", "--prune")
    assert "pass --yes" in result.stderr
    plan = world.json("courses", "import", str(smaller), "--org", "acme", "--prune", "--yes")
    assert [c["key"] for c in plan["changes"] if c["action"] == "delete"] == [
        "python-101/final-project",  # the course's own lesson, with its placement
        "python-101/mastery",
        "python-101/mastery/capstone",
        "python-101/mastery/capstone/final-project",
    ]
    assert world.json("courses", "show", "python-101", "--org", "acme")["modules"] == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace("course: python-101", "course: ebook"),
            ["{f}:3:9: course: product 'ebook' is a digital product, not a course"],
        ),
        (
            lambda t: t.replace("course: python-101\ntitle: Python 101\n", "course: new-one\n"),
            [
                "{f}:3:9: course: course 'new-one' does not exist in org acme yet: add a title to create it"
            ],
        ),
        (
            lambda t: t.replace("difficulty: 3", "difficulty: 0").replace(
                "level: beginner", "level: pro"
            ),
            [
                "{f}:5:8: level: 'pro' is not one of: beginner, intermediate, advanced, expert",
                "{f}:6:13: difficulty: difficulty must be at least 1, not 0",
            ],
        ),
        (
            lambda t: t.replace(
                "          - title: Final project\n", "          - lesson: final-project-x\n"
            ),
            [
                "{f}:46:13: modules[2].sections[0].lessons[0]: a reused lesson (lesson: SLUG) is placed as it is: type belong to its inline definition (only tier and required may be given here)"
            ],
        ),
        (
            lambda t: t.replace(
                "          - title: Final project\n            type: assignment\n",
                "          - lesson: globex-lesson\n",
            ),
            [
                "{f}:46:13: modules[2].sections[0].lessons[0]: lesson 'globex-lesson' not found in org acme's lesson library (`lesson: SLUG` places a library lesson; write a course's own lesson inline, with its title; a library comes from another database with `courses lessons export` and `courses import`)"
            ],
        ),
    ],
)
def test_bad_outlines_exit_3_naming_the_place(
    world: Cli, tmp_path: Path, change: Any, expected: list[str]
) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(change(Path(TIERS).read_text()))
    result = world.fails(3, "courses", "import", str(source), "--org", "acme")
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(source))]
    assert problems == [line.format(f=source) for line in expected]
    assert "nothing was written" in result.stderr
    assert world.json("courses", "show", "python-101", "--org", "acme")["modules"] == 0


def test_the_file_org_must_match_an_explicit_org(world: Cli, tmp_path: Path) -> None:
    source = tmp_path / "o.yaml"
    source.write_text(
        Path(TIERS)
        .read_text()
        .replace("kind: course_outline\n", "kind: course_outline\norg: globex\n")
    )
    result = world.fails(3, "courses", "import", str(source), "--org", "acme")
    assert "file is for org 'globex', --org is 'acme'" in result.stderr
    world.ok("courses", "import", str(source))  # without --org the file's org is used
    assert world.json("courses", "show", "python-101", "--org", "globex")["lessons"] == 7
    assert world.json("courses", "show", "python-101", "--org", "acme")["lessons"] == 0


class Answers:
    """A prompter on a terminal that answers as told and remembers what it was asked."""

    enabled = True

    def __init__(self, *, confirm: bool) -> None:
        self.answer = confirm
        self.asked: list[str] = []

    def confirm(self, message: str, *, yes: bool) -> bool:
        self.asked.append(message)
        return yes or self.answer


def test_prune_on_a_terminal_asks_and_a_no_writes_nothing(
    world: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from volmify_cli.cli.context import AppContext

    world.ok("courses", "import", TIERS, "--org", "acme")
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(Path(TIERS).read_text().split("  - title: Mastery")[0])
    no = Answers(confirm=False)
    monkeypatch.setattr(AppContext, "prompter", lambda self: no)
    result = world.fails(1, "courses", "import", str(smaller), "--org", "acme", "--prune")
    assert no.asked == ["Delete 4 items from course python-101?"]
    assert "- module python-101/mastery" in result.stderr
    assert world.json("courses", "show", "python-101", "--org", "acme")["modules"] == 3
    yes = Answers(confirm=True)
    monkeypatch.setattr(AppContext, "prompter", lambda self: yes)
    world.ok("courses", "import", str(smaller), "--org", "acme", "--prune")
    assert world.json("courses", "show", "python-101", "--org", "acme")["modules"] == 2
    # Nothing to delete: no question.
    quiet = Answers(confirm=False)
    monkeypatch.setattr(AppContext, "prompter", lambda self: quiet)
    world.ok("courses", "import", str(smaller), "--org", "acme", "--prune")
    assert quiet.asked == []
