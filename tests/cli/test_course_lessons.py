"""`volmify courses lessons` (SPEC 4.2): the org's lesson library through the command line, every
change naming the courses it reaches, promotion of a course's own lesson, and reuse across
organizations by copy (origin and creator kept, nothing shared by reference, a lesson that is
not shareable is "not found" from another org)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from tests.factories import make_instructor, make_org
from tests.support import Cli
from tests.world import build_world_at
from volmify_cli.services.lesson_edits import create_lesson
from volmify_cli.services.lesson_library import show_lesson
from volmify_cli.services.lesson_reuse import copy_lesson

ACME = ("--org", "acme")
BETA = ("--org", "beta")


@pytest.fixture
def library(cli: Cli, tmp_path: Path) -> Cli:
    """acme with library lesson `safety` (shareable) placed by courses woodwork and metalwork,
    and a private library lesson `house-rules`; beta has no lessons."""
    assert cli.db_url
    build_world_at(cli.db_url)
    cli.ok("courses", "lessons", "create", "safety", "--title", "Safety first", "--type", "video",
           "--minutes", "4", "--shareable", *ACME)  # fmt: skip
    cli.ok("courses", "lessons", "create", "house-rules", "--title", "House rules", *ACME)
    for course in ("woodwork", "metalwork"):
        outline = tmp_path / f"{course}.yaml"
        outline.write_text(
            f"version: 1\nkind: course_outline\ncourse: {course}\ntitle: {course}\nmodules:\n"
            "  - title: A\n    sections:\n      - title: A\n        lessons:\n"
            "          - lesson: safety\n          - {title: Own work, type: assignment}\n",
            encoding="utf-8",
        )
        cli.ok("courses", "import", str(outline), *ACME)
    return cli


def _tree_lessons(cli: Cli, course: str, *org: str) -> list[tuple[str, bool]]:
    tree = cli.json("courses", "tree", course, *(org or ACME))
    return [
        (lesson["slug"], lesson["library"])
        for module in tree["children"]
        for section in module["children"]
        for lesson in section["children"]
    ]


def test_the_library_lists_its_lessons_and_the_courses_placing_them(library: Cli) -> None:
    rows = {row["slug"]: row for row in library.json("courses", "lessons", "list", *ACME)}
    assert set(rows) == {"house-rules", "safety"}  # courses' own lessons are not the library's
    assert (rows["safety"]["courses"], rows["safety"]["shareable"]) == (2, True)
    shown = library.json("courses", "lessons", "show", "safety", *ACME)
    assert shown["placed_in"] == ["metalwork", "woodwork"]
    assert (shown["title"], shown["type"], shown["minutes"]) == ("Safety first", "video", 4)
    assert library.json("courses", "lessons", "list", *BETA) == []


def test_an_update_names_every_course_placing_the_lesson_a_dry_run_too(library: Cli) -> None:
    dry = library.run("courses", "lessons", "update", "safety", "--title", "Safety at all times",
                      "--dry-run", "--format", "json", *ACME)  # fmt: skip
    assert dry.exit_code == 0, dry.stderr
    assert "lesson safety is placed in 2 courses: metalwork, woodwork" in dry.stderr
    assert '"placed_in"' in dry.stdout
    assert library.json("courses", "lessons", "show", "safety", *ACME)["title"] == "Safety first"
    done = library.json("courses", "lessons", "update", "safety", "--title", "Safety at all times",
                        "--locale", "en-US", *ACME)  # fmt: skip
    assert done["placed_in"] == {"safety": ["metalwork", "woodwork"]}
    tree = library.json("courses", "tree", "woodwork", *ACME)
    assert tree["children"][0]["children"][0]["children"][0]["title"] == "Safety at all times"
    # the description was not given: it keeps its text; the German title is new
    library.ok("courses", "lessons", "update", "safety", "--title", "Sicherheit", "--locale",
               "de-DE", *ACME)  # fmt: skip
    texts = library.json("courses", "lessons", "show", "safety", *ACME)["translations"]
    assert (
        texts["en-US"]["title"] == "Safety at all times" and texts["de-DE"]["title"] == "Sicherheit"
    )


def test_bad_values_get_the_rule_books_words_and_write_nothing(library: Cli) -> None:
    before = library.json("courses", "lessons", "list", *ACME)
    long = library.fails(1, "courses", "lessons", "create", "x", "--title", "T" * 301, *ACME)
    assert long.stderr == "Error: title is 301 characters long (at most 300)\n"
    kind = library.fails(2, "courses", "lessons", "create", "x", "--title", "X", "--type",
                         "podcast", *ACME)  # fmt: skip
    assert "lesson type" in kind.stderr
    taken = library.fails(1, "courses", "lessons", "create", "safety", "--title", "Again", *ACME)
    assert "already exists" in taken.stderr
    nothing = library.fails(2, "courses", "lessons", "update", "safety", *ACME)
    assert "nothing to change" in nothing.stderr
    assert library.json("courses", "lessons", "list", *ACME) == before


def test_promote_moves_a_courses_own_lesson_into_the_library(library: Cli) -> None:
    assert ("own-work", False) in _tree_lessons(library, "woodwork")
    promoted = library.run("courses", "lessons", "promote", "woodwork/own-work", "--format",
                           "json", *ACME)  # fmt: skip
    assert promoted.exit_code == 0, promoted.stderr
    assert "write `lesson: own-work` in woodwork's outline" in promoted.stderr
    assert ("own-work", True) in _tree_lessons(library, "woodwork")
    exported = library.ok("courses", "export", "woodwork", *ACME).stdout
    assert "- lesson: own-work" in exported
    # metalwork's own lesson of the same slug is still metalwork's
    assert ("own-work", False) in _tree_lessons(library, "metalwork")
    clash = library.fails(1, "courses", "lessons", "promote", "metalwork/own-work", *ACME)
    assert "has a lesson 'own-work' already" in clash.stderr
    missing = library.fails(1, "courses", "lessons", "promote", "woodwork/nope", *ACME)
    assert "has no lesson 'nope' of its own" in missing.stderr
    library.fails(2, "courses", "lessons", "promote", "woodwork", *ACME)


def test_a_copy_across_orgs_keeps_its_origin_and_follows_it_only_on_sync(library: Cli) -> None:
    copied = library.json("courses", "lessons", "copy", "safety", "--from-org", "acme", *BETA)
    assert (copied["origin"], copied["shareable"], copied["title"]) == (
        "acme/safety",
        False,  # a copy is not offered onward unless beta says so
        "Safety first",
    )
    unchanged = library.json("courses", "lessons", "diff", "safety", *BETA)
    assert (unchanged["upstream_changed"], unchanged["differences"]) == (False, [])
    library.ok("courses", "lessons", "update", "safety", "--minutes", "6", *ACME)
    diff = library.json("courses", "lessons", "diff", "safety", *BETA)
    assert diff["upstream_changed"] is True
    assert diff["differences"] == [{"field": "minutes", "here": 4, "upstream": 6}]
    library.ok("courses", "lessons", "sync", "safety", "--dry-run", *BETA)
    assert library.json("courses", "lessons", "show", "safety", *BETA)["minutes"] == 4
    synced = library.json("courses", "lessons", "sync", "safety", *BETA)
    assert synced["changes"][0]["fields"] == {"minutes": {"old": 4, "new": 6}}
    assert library.json("courses", "lessons", "show", "safety", *BETA)["minutes"] == 6
    # a change made here is a difference, not an upstream change
    library.ok("courses", "lessons", "update", "safety", "--minutes", "9", *BETA)
    local = library.json("courses", "lessons", "diff", "safety", *BETA)
    assert local["upstream_changed"] is False and local["differences"] != []
    # the origin never sees the copy's changes
    assert library.json("courses", "lessons", "show", "safety", *ACME)["minutes"] == 6


def test_another_orgs_lesson_that_is_not_shareable_is_not_found(library: Cli) -> None:
    private = library.fails(1, "courses", "lessons", "copy", "house-rules", "--from-org",
                            "acme", *BETA)  # fmt: skip
    absent = library.fails(1, "courses", "lessons", "copy", "no-such-lesson", "--from-org",
                           "acme", *BETA)  # fmt: skip
    # the same words whether it exists or not: another org's library is not browsable
    assert private.stderr.replace("house-rules", "X") == absent.stderr.replace(
        "no-such-lesson", "X"
    )
    library.fails(1, "courses", "lessons", "show", "safety", *BETA)
    library.fails(1, "courses", "lessons", "update", "safety", "--minutes", "1", *BETA)
    library.fails(1, "courses", "lessons", "promote", "woodwork/own-work", *BETA)
    library.fails(2, "courses", "lessons", "copy", "safety", "--from-org", "acme", *ACME)
    assert library.json("courses", "lessons", "list", *BETA) == []


def test_a_copied_lesson_keeps_its_creator(session: Session) -> None:
    """Attribution survives reuse: the copy's creator profile is the origin's."""
    acme, beta = make_org(session, "acme"), make_org(session, "beta")
    creator = make_instructor(session, "jane-doe", orgs=[acme])
    create_lesson(session, org="acme", slug="kilns", title="Kilns", shareable=True)
    session.connection().execute(
        text("UPDATE org_lesson SET creator_profile_id = :creator WHERE slug = 'kilns'"),
        {
            "creator": creator.id.hex
            if session.connection().dialect.name == "sqlite"
            else creator.id
        },
    )
    copy_lesson(session, org="beta", slug="kilns", from_org="acme")
    (copy,) = session.connection().execute(
        text("SELECT creator_profile_id, origin_org_id FROM org_lesson"
             " WHERE origin_org_id IS NOT NULL")
    ).all()  # fmt: skip
    assert [str(value).replace("-", "") for value in copy] == [creator.id.hex, acme.id.hex]
    assert show_lesson(session, org="beta", slug="kilns")["origin"] == "acme/kilns"
    assert beta.id != acme.id


def test_the_library_exports_and_imports_back_unchanged(library: Cli, tmp_path: Path) -> None:
    library.ok("courses", "lessons", "update", "safety", "--title", "Sicherheit", "--locale",
               "de-DE", "--content", "media/safety.mp4", *ACME)  # fmt: skip
    first = tmp_path / "library.yaml"
    library.ok("courses", "lessons", "export", "-o", str(first), *ACME)
    text = first.read_text(encoding="utf-8")
    assert "kind: lesson_library" in text and "content: media/safety.mp4" in text
    again = library.json("courses", "import", str(first), *ACME)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert library.ok("courses", "lessons", "export", *ACME).stdout == text
    # the file names its org: another --org is a conflict, and nothing is written there
    library.fails(3, "courses", "import", str(first), *BETA)
    assert library.json("courses", "lessons", "list", *BETA) == []


def test_a_placed_lesson_is_not_deleted_an_unplaced_one_is(library: Cli) -> None:
    placed = library.fails(1, "courses", "lessons", "delete", "safety", "--yes", *ACME)
    assert "placed in metalwork, woodwork" in placed.stderr
    library.fails(2, "courses", "lessons", "delete", "house-rules", *ACME)  # CI: needs --yes
    library.ok("courses", "lessons", "delete", "house-rules", "--yes", *ACME)
    assert [r["slug"] for r in library.json("courses", "lessons", "list", *ACME)] == ["safety"]
    library.fails(1, "courses", "lessons", "delete", "house-rules", "--yes", *ACME)
