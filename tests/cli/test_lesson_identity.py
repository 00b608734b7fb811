"""Lesson identity (SPEC 4.2, revision 2): a lesson written inline belongs to its course, so
importing, scaffolding or pruning one course never reads or changes another's lessons; the org's
library is explicit, and a change to a library lesson names every course that places it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from tests.factories import make_org
from tests.support import Cli
from tests.world import build_world_at
from volmify_cli.exchange.readers import read_course_file
from volmify_cli.inputs.outline_schema import LessonLibraryDoc
from volmify_cli.services.lesson_library import import_library
from volmify_cli.services.outline_import import import_outline


def _lessons(tree: dict[str, Any]) -> dict[str, tuple[str, str, int | None]]:
    return {
        lesson["slug"]: (lesson["title"], lesson["type"], lesson["minutes"])
        for module in tree["children"]
        for section in module["children"]
        for lesson in section["children"]
    }


def _scaffold(cli: Cli, title: str, here: Path) -> Path:
    target = here / f"{title}.yaml"
    cli.ok("courses", "scaffold", title, "--modules", "1", "--sections", "1", "--lessons", "2",
           "-o", str(target))  # fmt: skip
    return target


def test_two_scaffolded_courses_keep_their_own_lessons(cli: Cli, tmp_path: Path) -> None:
    assert cli.db_url
    build_world_at(cli.db_url)
    rust = _scaffold(cli, "Rust for Pythonistas", tmp_path)
    go = _scaffold(cli, "Go for Pythonistas", tmp_path)
    cli.ok("courses", "import", str(rust), "--org", "acme")
    cli.ok("courses", "import", str(go), "--org", "acme")
    before = _lessons(cli.json("courses", "tree", "rust-for-pythonistas", "--org", "acme"))
    assert before["lesson-1-1-1"] == ("Lesson 1.1.1", "video", 10)

    go.write_text(go.read_text().replace('"Lesson 1.1.1"', '"Goroutines"'), encoding="utf-8")
    plan = cli.json("courses", "import", str(go), "--org", "acme")
    updated = [(c["entity"], c["key"]) for c in plan["changes"] if c["action"] == "update"]
    assert updated == [("lesson", "go-for-pythonistas/lesson-1-1-1")]
    assert _lessons(cli.json("courses", "tree", "rust-for-pythonistas", "--org", "acme")) == before
    go_tree = _lessons(cli.json("courses", "tree", "go-for-pythonistas", "--org", "acme"))
    assert go_tree["lesson-1-1-1"] == ("Goroutines", "video", 10)


def test_an_introduction_in_two_courses_is_two_lessons(cli: Cli, tmp_path: Path) -> None:
    assert cli.db_url
    build_world_at(cli.db_url)

    def outline(course: str, intro: str) -> Path:
        path = tmp_path / f"{course}.yaml"
        path.write_text(
            f"version: 1\nkind: course_outline\ncourse: {course}\ntitle: {course}\nmodules:\n"
            "  - title: Start\n    sections:\n      - title: Start\n        lessons:\n"
            f"          - {intro}\n",
            encoding="utf-8",
        )
        return path

    cli.ok("courses", "import", str(outline("film", "{title: Introduction, type: video, minutes: 9}")),
           "--org", "acme")  # fmt: skip
    cli.ok("courses", "import", str(outline("essays", "{title: Introduction, minutes: 20}")),
           "--org", "acme")  # fmt: skip
    film = _lessons(cli.json("courses", "tree", "film", "--org", "acme"))
    assert film == {"introduction": ("Introduction", "video", 9)}
    essays = _lessons(cli.json("courses", "tree", "essays", "--org", "acme"))
    assert essays == {"introduction": ("Introduction", "text", 20)}
    # pruning one course's lessons never reaches the other's
    pruned = outline("essays", "{title: Conclusion}")
    plan = cli.json("courses", "import", str(pruned), "--org", "acme", "--prune", "--yes")
    deleted = [(c["entity"], c["key"]) for c in plan["changes"] if c["action"] == "delete"]
    assert ("lesson", "essays/introduction") in deleted
    assert _lessons(cli.json("courses", "tree", "film", "--org", "acme")) == film


def test_deleting_a_course_deletes_its_own_lessons_and_keeps_the_librarys(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli.db_url
    build_world_at(cli.db_url)
    library = tmp_path / "lessons.yaml"
    library.write_text(
        "version: 1\nkind: lesson_library\nlessons:\n  - {slug: welcome, title: Welcome}\n",
        encoding="utf-8",
    )
    with_session(cli, lambda s: _import_library(s, library))
    outline = tmp_path / "course.yaml"
    outline.write_text(
        "version: 1\nkind: course_outline\ncourse: pottery\ntitle: Pottery\nmodules:\n"
        "  - title: Clay\n    sections:\n      - title: Clay\n        lessons:\n"
        "          - lesson: welcome\n          - {title: Wedging, type: video}\n",
        encoding="utf-8",
    )
    cli.ok("courses", "import", str(outline), "--org", "acme")
    cli.ok("products", "delete", "pottery", "--org", "acme", "--yes")
    again = cli.json("courses", "import", str(outline), "--org", "acme")
    created = {(c["entity"], c["key"]) for c in again["changes"] if c["action"] == "create"}
    # the course's own lesson went with it; the library lesson stayed and is placed again
    assert ("lesson", "pottery/wedging") in created
    assert not any(key == "welcome" for _entity, key in created)


def with_session(cli: Cli, work: Any) -> Any:
    from tests.world import committed

    assert cli.db_url
    with committed(cli.db_url) as session:
        return work(session)


def _import_library(session: Session, path: Path, dry_run: bool = False) -> Any:
    doc = read_course_file(path)
    assert isinstance(doc, LessonLibraryDoc)
    return import_library(session, org="acme", doc=doc, filename=path.name, dry_run=dry_run)


def test_changing_a_library_lesson_names_every_course_placing_it(
    session: Session, tmp_path: Path
) -> None:
    make_org(session, "acme")
    library = tmp_path / "lessons.yaml"
    library.write_text(
        "version: 1\nkind: lesson_library\nlessons:\n"
        "  - {slug: safety, title: Safety first, type: video, minutes: 4}\n"
        "  - {slug: unused, title: Nobody places me}\n",
        encoding="utf-8",
    )
    made = _import_library(session, library)
    assert made.changes.summary() == "2 created, 0 updated, 0 unchanged"
    for course in ("woodwork", "metalwork"):
        outline = tmp_path / f"{course}.yaml"
        outline.write_text(
            f"version: 1\nkind: course_outline\ncourse: {course}\ntitle: {course}\nmodules:\n"
            "  - title: A\n    sections:\n      - title: A\n        lessons:\n"
            "          - lesson: safety\n",
            encoding="utf-8",
        )
        doc = read_course_file(outline)
        assert not isinstance(doc, LessonLibraryDoc)
        import_outline(session, org="acme", doc=doc, filename=outline.name)
    library.write_text(
        library.read_text()
        .replace("Safety first", "Safety at all times")
        .replace("Nobody", "No one"),
        encoding="utf-8",
    )
    planned = _import_library(session, library, dry_run=True)
    assert planned.placed_in == {"safety": ["metalwork", "woodwork"]}
    assert planned.changes.lines() == [
        "~ lesson safety (title: 'Safety first' -> 'Safety at all times')",
        "~ lesson unused (title: 'Nobody places me' -> 'No one places me')",
    ]
    assert _import_library(session, library).placed_in == planned.placed_in
    assert (
        _import_library(session, library).changes.summary() == "0 created, 0 updated, 2 unchanged"
    )


def test_slugs_are_transliterated_and_an_emoji_title_needs_one(cli: Cli, tmp_path: Path) -> None:
    assert cli.db_url
    build_world_at(cli.db_url)
    outline = tmp_path / "de.yaml"
    outline.write_text(
        "version: 1\nkind: course_outline\ncourse: deutsch\ntitle: Deutsch\nmodules:\n"
        "  - title: Überblick\n    sections:\n      - title: Straße\n        lessons:\n"
        "          - {title: 'Привет, мир'}\n          - {title: 🎉🚀}\n",
        encoding="utf-8",
    )
    refused = cli.fails(3, "courses", "import", str(outline), "--org", "acme")
    assert refused.stderr.startswith(f"{outline}:11:13: modules[0].sections[0].lessons[1]: ")
    assert "cannot derive a slug from the title '🎉🚀': add a slug" in refused.stderr
    outline.write_text(outline.read_text().replace("{title: 🎉🚀}", "{slug: party, title: 🎉🚀}"))
    cli.ok("courses", "import", str(outline), "--org", "acme")
    tree = cli.json("courses", "tree", "deutsch", "--org", "acme")
    module = tree["children"][0]
    section = module["children"][0]
    assert (module["slug"], section["slug"]) == ("uberblick", "strasse")
    assert [lesson["slug"] for lesson in section["children"]] == ["privet-mir", "party"]


def test_a_lessons_content_reference_round_trips(cli: Cli, tmp_path: Path) -> None:
    assert cli.db_url
    build_world_at(cli.db_url)
    outline = tmp_path / "film.yaml"
    outline.write_text(
        "version: 1\nkind: course_outline\ncourse: film\ntitle: Film\nmodules:\n"
        "  - title: Light\n    sections:\n      - title: Light\n        lessons:\n"
        "          - title: Three-point lighting\n            type: video\n"
        "            content: https://media.example.org/film/lighting.mp4\n"
        "          - {title: Exposure notes, content: notes/exposure.md}\n",
        encoding="utf-8",
    )
    cli.ok("courses", "import", str(outline), "--org", "acme")
    tree = cli.json("courses", "tree", "film", "--org", "acme")
    lessons = tree["children"][0]["children"][0]["children"]
    assert [lesson["content"] for lesson in lessons] == [
        "https://media.example.org/film/lighting.mp4",
        "notes/exposure.md",
    ]
    exported = cli.ok("courses", "export", "film", "--org", "acme").stdout
    assert "content: notes/exposure.md" in exported
    again = tmp_path / "again.yaml"
    again.write_text(exported, encoding="utf-8")
    unchanged = cli.json("courses", "import", str(again), "--org", "acme")
    assert (unchanged["created"], unchanged["updated"]) == (0, 0)
    long = outline.read_text().replace("notes/exposure.md", "n" * 501)
    outline.write_text(long, encoding="utf-8")
    refused = cli.fails(3, "courses", "import", str(outline), "--org", "acme")
    assert "content is 501 characters long (at most 500)" in refused.stderr
