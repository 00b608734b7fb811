"""volmify enrollments | learning import | progress report, through the real command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.world import build_world
from tests.support import Cli

DATA = Path(__file__).resolve().parent.parent / "data"
TIERS = str(DATA / "outlines" / "tiers.yaml")
LEARNING = DATA / "learning" / "acme.yaml"


@pytest.fixture
def world(cli: Cli) -> Cli:
    build_world(cli.db_url or "", plan_tiers=(1, 2, 3))
    cli.ok("courses", "import", TIERS, "--org", "acme")
    return cli


def enrollments(cli: Cli, *extra: str) -> list[tuple[Any, ...]]:
    rows = cli.json("enrollments", "list", "--org", "acme", *extra)
    return [
        (r["course"], r["member"], r["status"], r["access_tier"], r["lessons_completed"],
         r["lessons_total"], r["percent"])
        for r in rows
    ]  # fmt: skip


def progress(cli: Cli, member: str, lesson: str, status: str, *extra: str) -> dict[str, Any]:
    return dict(
        cli.json(
            "enrollments", "progress", "python-101", "--member", member, "--lesson", lesson,
            "--status", status, "--org", "acme", *extra,
        )
    )  # fmt: skip


def test_enroll_and_record_progress(world: Cli) -> None:
    added = world.json("enrollments", "add", "python-101", "--member", "ana@example.org",
                       "--plan", "python-101/tier-2", "--org", "acme")  # fmt: skip
    assert (added["access_tier"], added["status"], added["lessons_total"]) == (2, "not_started", 4)
    world.ok("enrollments", "add", "python-101", "--member", "bob@example.org", "--org", "acme")
    done = progress(world, "ana@example.org", "installing-python", "completed", "--seconds", "100")
    assert (done["status"], done["percent"], done["enrollment_status"], done["enrollment_percent"]) == (
        "completed", 100, "in_progress", 25,
    )  # fmt: skip
    progress(world, "ana@example.org", "first-quiz", "in-progress", "--percent", "40")
    for lesson in (
        "first-quiz",
        "editors",
        "getting-started/tooling/editors",
        "defining-functions",
    ):
        last = progress(world, "ana@example.org", lesson, "completed")
    assert (last["enrollment_status"], last["enrollment_percent"]) == ("completed", 100)
    assert enrollments(world) == [
        ("python-101", "ana@example.org", "completed", 2, 4, 4, 100),
        ("python-101", "bob@example.org", "not_started", 1, 0, 1, 0),
    ]
    report = world.json("progress", "report", "--org", "acme", "--by", "member")
    assert [(r["key"], r["completed"], r["lessons_completed"], r["lessons_total"],
             r["completion_rate"], r["seconds_spent"]) for r in report["rows"]] == [
        ("ana@example.org", 1, 4, 4, 100.0, 100),
        ("bob@example.org", 0, 0, 1, 0.0, 0),
    ]  # fmt: skip
    assert report["totals"]["completion_rate"] == 80.0


def test_enrollment_and_progress_errors(world: Cli) -> None:
    world.ok(
        "enrollments",
        "add",
        "python-101",
        "--member",
        "ana@example.org",
        "--tier",
        "2",
        "--org",
        "acme",
    )
    cases = [
        (
            ("enrollments", "add", "python-101", "--member", "cy@example.org"),
            "member 'cy@example.org' not found in org acme",
        ),
        (("enrollments", "add", "python-101", "--member", "ana@example.org"), "already enrolled"),
        (("enrollments", "add", "ebook", "--member", "bob@example.org"), "not a course"),
        (
            ("enrollments", "add", "python-101", "--member", "bob@example.org", "--tier", "0"),
            "access tier must be at least 1, not 0",
        ),
        (
            (
                "enrollments",
                "add",
                "python-101",
                "--member",
                "bob@example.org",
                "--plan",
                "python-101/nope",
            ),
            "plan 'python-101/nope' not found",
        ),
        (
            (
                "enrollments",
                "progress",
                "python-101",
                "--member",
                "ana@example.org",
                "--lesson",
                "closures",
                "--status",
                "completed",
            ),
            "needs tier 3",
        ),
        (
            (
                "enrollments",
                "progress",
                "python-101",
                "--member",
                "ana@example.org",
                "--lesson",
                "nope",
                "--status",
                "completed",
            ),
            "not placed",
        ),
        (
            (
                "enrollments",
                "progress",
                "python-101",
                "--member",
                "bob@example.org",
                "--lesson",
                "editors",
                "--status",
                "completed",
            ),
            "not enrolled",
        ),
        (
            (
                "enrollments",
                "progress",
                "python-101",
                "--member",
                "ana@example.org",
                "--lesson",
                "editors",
                "--status",
                "in_progress",
                "--percent",
                "150",
            ),
            "percent must be at most 100, not 150",
        ),
        (
            (
                "enrollments",
                "progress",
                "python-101",
                "--member",
                "ana@example.org",
                "--lesson",
                "editors",
                "--status",
                "completed",
                "--percent",
                "50",
            ),
            "at 100%",
        ),
    ]
    for args, message in cases:
        result = world.fails(1, *args, "--org", "acme")
        assert message in result.stderr, (args, result.stderr)
    world.fails(
        2,
        "enrollments",
        "progress",
        "python-101",
        "--member",
        "ana@example.org",
        "--lesson",
        "editors",
        "--status",
        "done",
        "--org",
        "acme",
    )
    assert enrollments(world) == [("python-101", "ana@example.org", "not_started", 2, 0, 4, 0)]


def test_learning_import_upserts_and_is_idempotent(world: Cli) -> None:
    result = world.ok("learning", "import", str(LEARNING), "--format", "json")
    import json

    plan = json.loads(result.stdout)
    assert (plan["created"], plan["updated"], plan["unchanged"]) == (11, 1, 1)
    assert {"action": "update", "entity": "member", "key": "ana@example.org",
            "fields": {"role": {"old": "member", "new": "admin"}}} in plan["changes"]  # fmt: skip
    assert "user ana@example.org is named 'Ana Lima'; 'Ana L.' is not applied" in result.stderr
    assert enrollments(world) == [
        ("python-101", "bob@example.org", "in_progress", 3, 1, 7, 14),
        ("python-101", "Dana@Example.org", "in_progress", 2, 1, 4, 25),  # as first written
    ]
    again = world.json("learning", "import", str(LEARNING))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 13)  # 11 + 1 + 1
    ratings = world.json("courses", "ratings", "python-101", "--org", "acme")["community"]
    assert (ratings["count"], ratings["mean_difficulty"]) == (2, 5.0)


def test_learning_dry_run_writes_nothing(world: Cli) -> None:
    result = world.ok("learning", "import", str(LEARNING), "--dry-run", "--format", "table")
    assert "+ enrollment python-101/dana@example.org" in result.stdout.splitlines()
    assert "Dry run, nothing written: 11 created, 1 updated, 1 unchanged" in result.stderr
    assert enrollments(world) == []


def test_bad_learning_files_exit_3_naming_the_line(world: Cli, tmp_path: Path) -> None:
    text = LEARNING.read_text()
    bad = (
        text.replace("tier: 3\n", "tier: 1\n")
        .replace("course: python-101\n    via", "course: ebook\n    via")
        .replace(
            "{course: python-101, user: bob@example.org",
            "{course: python-101, user: zed@example.org",
        )
        .replace("{email: Dana@Example.org, name: Dana Cohen}", "{email: Dana@Example.org}")
    )
    source = tmp_path / "bad.yaml"
    source.write_text(bad)
    result = world.fails(3, "learning", "import", str(source))
    problems = [
        line.removeprefix(str(source))
        for line in result.stderr.splitlines()
        if line.startswith(str(source))
    ]
    assert problems == [
        ":6:5: members[1]: dana@example.org is a new user: add a name",
        ":8:14: subscriptions[0].member: dana@example.org is not a member of org acme (list it under members)",
        ":11:13: enrollments[0].member: dana@example.org is not a member of org acme (list it under members)",
        ":12:13: enrollments[0].course: product 'ebook' is a digital product, not a course",
        ":22:42: enrollments[1].progress.getting-started/tooling/debuggers: lesson getting-started/tooling/debuggers needs tier 3; this enrollment has tier 1",
        ":24:32: ratings[0].user: user dana@example.org not found (list it under members)",
        ":25:32: ratings[1].user: user zed@example.org not found (list it under members)",
    ]
    assert enrollments(world) == []
    schema = tmp_path / "schema.yaml"
    schema.write_text(
        text.replace("difficulty: 6", "difficulty: 11").replace(
            "status: in_progress", "status: halfway"
        )
    )
    result = world.fails(3, "learning", "import", str(schema))
    assert "ratings[1].difficulty: difficulty must be at most 10, not 11" in result.stderr
    assert "'halfway' is not one of: not_started, in_progress, completed" in result.stderr
    world.fails(3, "learning", "import", str(LEARNING), "--org", "globex")


def test_remove_an_enrollment_with_its_progress(world: Cli) -> None:
    world.ok("enrollments", "add", "python-101", "--member", "ana@example.org", "--org", "acme")
    progress(world, "ana@example.org", "installing-python", "completed")
    world.fails(
        2, "enrollments", "remove", "python-101", "--member", "ana@example.org", "--org", "acme"
    )
    result = world.ok(
        "enrollments",
        "remove",
        "python-101",
        "--member",
        "ana@example.org",
        "--yes",
        "--org",
        "acme",
    )
    assert "(1 progress records)" in result.stderr
    assert enrollments(world) == []
    world.fails(
        1,
        "enrollments",
        "remove",
        "python-101",
        "--member",
        "ana@example.org",
        "--yes",
        "--org",
        "acme",
    )
