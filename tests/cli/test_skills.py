"""volmify skills (issue 21): the platform's skill taxonomy. Names per locale with fallback, a
parent that never makes a cycle, a category, approval; skills that course imports create appear
unapproved; `courses skills list` names skills in the display locale; `skills import` takes a
`kind: skills` file through the same writer. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_completion import _complete
from tests.cli.world import build_world
from tests.support import Cli
from volmify_cli import rulebook

TIERS = str(Path(__file__).resolve().parent.parent / "data" / "outlines" / "tiers.yaml")


def taxonomy(cli: Cli) -> dict[str, str | None]:
    """Each skill's parent, as `skills list` says."""
    return {row["skill"]: row["parent"] for row in cli.json("skills", "list")}


def nested(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The tree's slugs as nested dicts, children in the order the tree gives them."""
    return {node["skill"]: nested(node["children"]) for node in nodes}


def test_names_per_locale_fall_back_to_the_language_then_the_default(cli: Cli) -> None:
    created = cli.json(
        "skills", "create", "python", "--name", "Python", "--category", "programming"
    )
    assert (created["name"], created["default_locale"], created["approved"]) == (
        "Python",
        "en-US",  # no --locale: the platform's locale
        False,
    )
    cli.ok("skills", "update", "python", "--name", "Python-Programmierung", "--locale", "de-DE")
    cli.ok("skills", "update", "python", "--description", "Die Sprache.", "--locale", "de-DE")
    cli.ok("skills", "update", "python", "--description", "The language.")  # the default's

    names = {"en-US": "Python", "de-DE": "Python-Programmierung"}
    assert cli.json("skills", "show", "python")["names"] == names
    austrian = cli.json("skills", "show", "python", "--locale", "de-AT")  # de-AT -> de-DE
    assert (austrian["name"], austrian["description"]) == (names["de-DE"], "Die Sprache.")
    japanese = cli.json("skills", "show", "python", "--locale", "ja-JP")  # -> the default
    assert (japanese["name"], japanese["description"]) == ("Python", "The language.")
    assert cli.json("skills", "list", "--locale", "de-DE")[0]["name"] == names["de-DE"]


def test_a_parent_that_makes_a_cycle_is_refused_naming_the_cycle(cli: Cli) -> None:
    cli.ok("skills", "create", "a", "--name", "A")
    cli.ok("skills", "create", "b", "--name", "B", "--parent", "a")
    cli.ok("skills", "create", "c", "--name", "C", "--parent", "b")
    before = taxonomy(cli)
    assert before == {"a": None, "b": "a", "c": "b"}

    refused = cli.fails(1, "skills", "update", "a", "--parent", "c")
    assert "(a -> c -> b -> a)" in refused.stderr
    itself = cli.fails(1, "skills", "update", "b", "--parent", "b")
    assert "(b -> b)" in itself.stderr
    assert taxonomy(cli) == before  # nothing written

    cli.ok("skills", "update", "c", "--no-parent")
    cli.ok("skills", "update", "a", "--parent", "c")  # no cycle any more
    assert taxonomy(cli) == {"a": "c", "b": "a", "c": None}
    assert nested(cli.json("skills", "tree")) == {"c": {"a": {"b": {}}}}


def test_bad_values_are_refused_before_anything_is_written(cli: Cli) -> None:
    cli.ok("skills", "create", "python", "--name", "Python")
    cases = [
        (("skills", "create", "Not A Slug", "--name", "X"), "is not a valid slug"),
        (("skills", "create", "go", "--name", "Go", "--parent", "nope"), "'nope' not found"),
        (("skills", "create", "python", "--name", "Python"), "'python' already exists"),
        (("skills", "update", "nope", "--name", "X"), "skill 'nope' not found"),
        (("skills", "create", "go", "--name", "N" * 201), "at most 200"),
        (("skills", "create", "go", "--name", "Go", "--locale", "xx-QQ"), "xx"),
        (("skills", "update", "python", "--name", "P", "--locale", "fy-NL"), "not registered"),
        (("skills", "update", "python", "--description", "D", "--locale", "de-DE"), "no name in de-DE"),
        (("skills", "create", "go", "--name", "Go", "--category", "C" * 101), "at most 100"),
    ]  # fmt: skip
    for args, message in cases:
        assert message in cli.fails(1, *args).stderr, args
    assert taxonomy(cli) == {"python": None}
    assert cli.json("skills", "show", "python")["names"] == {"en-US": "Python"}


def test_list_filters_by_category_and_approval(cli: Cli) -> None:
    cli.ok("skills", "create", "python", "--name", "Python", "--category", "programming")
    cli.ok("skills", "create", "sql", "--name", "SQL", "--category", "data", "--approve")
    cli.ok("skills", "create", "rust", "--name", "Rust", "--category", "programming")

    def slugs(*options: str) -> list[str]:
        return [row["skill"] for row in cli.json("skills", "list", *options)]

    assert slugs() == ["python", "rust", "sql"]
    assert slugs("--limit", "2") == ["python", "rust"]
    assert slugs("--category", "programming") == ["python", "rust"]
    assert slugs("--unapproved") == ["python", "rust"]
    approved = cli.json("skills", "update", "python", "--approve")
    assert approved["approved"] and approved["approved_at"] is not None
    assert slugs("--unapproved") == ["rust"]
    cli.ok("skills", "update", "sql", "--unapprove")
    assert slugs("--unapproved") == ["rust", "sql"]
    assert cli.json("skills", "show", "sql")["approved_at"] is None
    cli.ok("skills", "update", "rust", "--no-category")
    assert slugs("--category", "programming") == ["python"]
    assert cli.json("skills", "show", "rust")["category"] is None


def test_course_imports_create_unknown_skills_unapproved_and_courses_skills_name_them(
    cli: Cli,
) -> None:
    build_world(cli.db_url or "", locales=("en-US", "de-DE"))
    cli.ok("skills", "create", "programming", "--name", "Programming", "--approve")
    cli.ok("courses", "import", TIERS, "--org", "acme")  # python, programming-basics: new
    created = {row["skill"]: row for row in cli.json("skills", "list", "--unapproved")}
    assert set(created) == {"python", "programming-basics"}
    assert all(row["name"] is None for row in created.values())

    cli.ok("skills", "update", "python", "--name", "Python", "--parent", "programming")
    cli.ok("skills", "update", "python", "--name", "Python (Sprache)", "--locale", "de-DE")
    rows = cli.json("courses", "skills", "list", "python-101", "--org", "acme", "--locale", "de-AT")
    assert [(r["skill"], r["name"]) for r in rows] == [
        ("python", "Python (Sprache)"),
        ("programming-basics", None),  # not named yet
    ]
    shown_course = cli.json("courses", "show", "python-101", "--org", "acme", "--locale", "de-AT")
    assert [(s["skill"], s["name"]) for s in shown_course["skills"]] == [
        ("python", "Python (Sprache)"),
        ("programming-basics", None),
    ]
    shown = cli.json("skills", "show", "programming")
    assert [(c["skill"], c["name"]) for c in shown["children"]] == [("python", "Python")]
    assert cli.json("skills", "show", "python")["courses_teaching"] == 1
    basics = cli.json("skills", "show", "programming-basics")
    assert (basics["courses_teaching"], basics["courses_requiring"]) == (0, 1)
    # a skill added on the command line is created the same way: unnamed, unapproved
    cli.ok("courses", "skills", "add", "python-101", "sql", "--org", "acme")
    assert cli.json("skills", "show", "sql")["approved"] is False


SKILLS_FILE = """\
version: 1
kind: skills
skills:
  - slug: python
    name: {en-US: Python, de-DE: Python-Programmierung}
    parent: programming
    category: programming
    approved: true
  - slug: programming
    name: Programming
"""


def test_skills_import_upserts_and_a_second_run_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text(SKILLS_FILE, encoding="utf-8")
    planned = cli.json("skills", "import", str(path), "--dry-run")
    assert (planned["dry_run"], planned["created"]) == (True, 2)
    assert cli.json("skills", "list") == []  # a dry run writes nothing
    first = cli.json("skills", "import", str(path))
    assert (first["created"], first["updated"]) == (2, 0)
    assert taxonomy(cli) == {"programming": None, "python": "programming"}
    python = cli.json("skills", "show", "python", "--locale", "de-DE")
    assert (python["name"], python["category"], python["approved"]) == (
        "Python-Programmierung",
        "programming",
        True,
    )
    again = cli.json("skills", "import", str(path))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)

    path.write_text(SKILLS_FILE.replace("name: Programming", "name: Coding"), encoding="utf-8")
    changed = cli.json("skills", "import", str(path))
    assert (changed["created"], changed["updated"]) == (0, 1)
    assert cli.json("skills", "show", "programming")["name"] == "Coding"


def test_a_bad_skills_file_names_every_problem_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("skills", "create", "a", "--name", "A")
    cli.ok("skills", "create", "b", "--name", "B", "--parent", "a")
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\n"
        "kind: skills\n"
        "skills:\n"
        "  - {slug: a, parent: b}\n"  # line 4: a -> b -> a
        "  - {slug: new-one}\n"  # line 5: a new skill needs a name
        "  - {slug: c, name: {fy-NL: C}}\n"  # line 6: a locale the registry lacks
        "  - {slug: a, name: A}\n",  # line 7: a twice
        encoding="utf-8",
    )
    problems = cli.fails(3, "skills", "import", str(path)).stderr.splitlines()
    assert problems[-1] == "Error: 4 problems found; nothing was written"
    assert problems[0].startswith(f"{path}:4:") and "(a -> b -> a)" in problems[0]
    assert problems[1].startswith(f"{path}:5:") and "needs a name" in problems[1]
    assert problems[2].startswith(f"{path}:6:") and "not registered" in problems[2]
    assert problems[3].startswith(f"{path}:7:") and "also at line 4" in problems[3]
    assert taxonomy(cli) == {"a": None, "b": "a"}


def test_a_category_is_held_to_one_rule_on_the_command_line_and_in_a_file(
    cli: Cli, tmp_path: Path
) -> None:
    too_long = "c" * (rulebook.SKILL_CATEGORY.max_length + 1)
    option = cli.fails(1, "skills", "create", "go", "--name", "Go", "--category", too_long)
    path = tmp_path / "skills.yaml"
    path.write_text(
        f"version: 1\nkind: skills\nskills:\n  - {{slug: go, name: Go, category: {too_long}}}\n",
        encoding="utf-8",
    )
    problem = cli.fails(3, "skills", "import", str(path)).stderr.splitlines()[0]
    reason = option.stderr.splitlines()[0].removeprefix("Error: ")
    assert problem.startswith(f"{path}:4:") and problem.endswith(f"skills[0].category: {reason}")
    assert cli.json("skills", "list") == []


def test_what_the_rules_let_through_both_databases_store(cli: Cli) -> None:
    name = "N" * rulebook.NAME.max_length
    category = "c" * rulebook.SKILL_CATEGORY.max_length
    cli.ok("skills", "create", "edge", "--name", name, "--category", category)
    shown = cli.json("skills", "show", "edge")
    assert (shown["name"], shown["category"]) == (name, category)


def test_skill_slugs_complete_from_the_taxonomy(
    cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for slug in ("python", "programming", "sql"):
        cli.ok("skills", "create", slug, "--name", slug.title())
    monkeypatch.setenv("VOLMIFY_DATABASE_URL", db_url)
    offered, heavy = _complete(monkeypatch, "volmify skills show p")
    assert offered == ["programming", "python"]
    assert heavy == []  # as quick as every other Tab
    offered, _heavy = _complete(monkeypatch, "volmify skills update sql --parent py")
    assert offered == ["python"]
