"""volmify courses import --from olx DIR | --from scorm imsmanifest.xml, through the real
command line: the course `courses tree` shows afterwards, warnings on stderr and in the JSON
result, an unchanged second import, --dry-run, --prune, and exit 3 naming the XML file and line
(also for a problem only the database can find)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli.world import build_world
from tests.support import Cli

ROOT = Path(__file__).resolve().parent.parent.parent
OLX = ROOT / "fixtures" / "olx"
SCORM = ROOT / "fixtures" / "scorm"

Node = tuple[str, str, str, Any]


@pytest.fixture
def world(cli: Cli) -> Cli:
    build_world(cli.db_url or "")
    return cli


def tree(cli: Cli, course: str) -> list[Node]:
    """(kind, slug, title, type/content of a lesson) of every node, depth first."""
    found = cli.json("courses", "tree", course, "--org", "acme")

    def walk(nodes: list[dict[str, Any]]) -> list[Node]:
        result: list[Node] = []
        for node in nodes:
            lesson = (node["type"], node.get("content")) if node["kind"] == "lesson" else None
            result.append((node["kind"], node["slug"], node["title"], lesson))
            result.extend(walk(node["children"]))
        return result

    return walk(found["children"])


SKETCHING = [
    ("module", "seeing-before-drawing", "Seeing before drawing", None),
    ("section", "tools-and-posture", "Tools and posture", None),
    (
        "lesson",
        "choosing-pencils-and-paper",
        "Choosing pencils and paper",
        ("video", "https://www.youtube.com/watch?v=Fs101Penc1l"),
    ),
    ("lesson", "a-five-minute-warm-up", "A five-minute warm-up", ("text", None)),
    ("section", "first-exercises", "First exercises", None),
    ("lesson", "blind-contour-drawing", "Blind contour drawing", ("text", None)),
    ("lesson", "practice", "Practice", ("text", None)),
    ("lesson", "check-proportions", "Check: proportions", ("quiz", None)),
    ("module", "drawing-outdoors", "Drawing outdoors", None),
    ("section", "leaves-and-branches", "Leaves and branches", None),
    (
        "lesson",
        "leaf-shapes-in-three-lines",
        "Leaf shapes in three lines",
        ("video", "https://media.example.org/fs101/leaf-shapes.mp4"),
    ),
    ("lesson", "practice-2", "Practice", ("text", None)),
    ("lesson", "share-your-sketchbook-page", "Share your sketchbook page", ("text", None)),
]
KNOTS = [
    ("module", "knots-that-stop-a-rope", "Knots that stop a rope", None),
    ("section", "two-stopper-knots", "Two stopper knots", None),
    (
        "lesson",
        "the-overhand-knot",
        "The overhand knot",
        ("video", "https://media.example.org/knots/overhand.mp4"),
    ),
    ("lesson", "figure-eight", "🪢", ("text", None)),
    ("lesson", "quick-check", "Quick check", ("quiz", None)),
    ("module", "knots-that-hold-a-load", "Knots that hold a load", None),
    ("section", "fixed-loops", "Fixed loops", None),
    ("lesson", "the-bowline", "The bowline", ("interactive", None)),
    ("lesson", "tie-and-photograph", "Tie and photograph", ("assignment", None)),
]
TIDE_POOLS = [
    ("module", "zones-of-the-shore", "Zones of the shore", None),
    ("section", "the-splash-zone", "The splash zone", None),
    ("lesson", "periwinkles", "Periwinkles", ("interactive", "periwinkles/index.html")),
    ("lesson", "lichens-on-rock", "Lichens on rock", ("text", "lichens.html")),
    ("section", "the-low-zone", "The low zone", None),
    ("lesson", "anemones", "Anemones", ("video", "media/anemones.mp4")),
    ("module", "visiting-responsibly", "Visiting responsibly", None),
    ("section", "rules-of-thumb", "Rules of thumb", None),
    ("lesson", "reading-a-tide-table", "Reading a tide table", ("text", "tides.pdf")),
    ("lesson", "final-check", "Final check", ("interactive", "quiz/index.html")),
]
NIGHT_SKY = [
    ("module", "finding-your-way", "Finding your way", None),
    ("section", "finding-your-way", "Finding your way", None),
    (
        "lesson",
        "finding-north",
        "Finding north",
        ("interactive", "content/orientation.html?chapter=1"),
    ),
    (
        "lesson",
        "letting-your-eyes-adapt",
        "Letting your eyes adapt",
        ("text", "content/dark-adaptation.html"),
    ),
    ("module", "the-moon", "The Moon", None),
    ("section", "the-moon", "The Moon", None),
    ("lesson", "phases", "Phases", ("video", "content/moon/phases.webm")),
    (
        "lesson",
        "craters-through-binoculars",
        "Craters through binoculars",
        ("interactive", "content/moon/craters.html"),
    ),
]
KITCHEN = [
    ("module", "kitchen-safety-basics", "Kitchen Safety Basics", None),
    ("section", "kitchen-safety-basics", "Kitchen Safety Basics", None),
    ("lesson", "holding-a-knife", "Holding a knife", ("text", "knives.html")),
    ("lesson", "hot-pans-and-burns", "Hot pans and burns", ("text", "burns.html")),
    ("lesson", "a-small-fire-on-the-stove", "A small fire on the stove", ("text", "fire.html")),
]

CASES = [
    ("olx", OLX / "field-sketching", "fs101", "Field Sketching for Naturalists", SKETCHING, 3),
    ("olx", OLX / "practical-knots", "knots-101", "Practical Knots", KNOTS, 2),
    (
        "scorm",
        SCORM / "tide-pools-scorm12" / "imsmanifest.xml",
        "tide-pools-up-close",
        "Tide Pools Up Close",
        TIDE_POOLS,
        3,
    ),
    (
        "scorm",
        SCORM / "night-sky-scorm2004" / "imsmanifest.xml",
        "naked-eye-astronomy",
        "Naked-Eye Astronomy",
        NIGHT_SKY,
        3,
    ),
    (
        "scorm",
        SCORM / "kitchen-safety-imscp" / "imsmanifest.xml",
        "kitchen-safety-basics",
        "Kitchen Safety Basics",
        KITCHEN,
        0,
    ),
]


@pytest.mark.parametrize(
    ("source", "path", "course", "title", "expected", "warned"),
    CASES,
    ids=["olx-pointers", "olx-inline", "scorm-1.2", "scorm-2004", "ims-cp"],
)
def test_import_builds_the_course_and_a_second_import_changes_nothing(
    world: Cli,
    source: str,
    path: Path,
    course: str,
    title: str,
    expected: list[Node],
    warned: int,
) -> None:
    result = world.ok(
        "courses", "import", "--from", source, str(path), "--org", "acme", "--format", "json"
    )
    plan = json.loads(result.stdout)
    assert (plan["org"], plan["course"], plan["dry_run"]) == ("acme", course, False)
    lessons = sum(1 for node in expected if node[0] == "lesson")
    assert plan["created"] == 1 + len(expected) + lessons  # the product, nodes, placements
    assert len(plan["warnings"]) == warned
    for warning in plan["warnings"]:  # each names its file and line, on stderr too
        assert f"Warning: {warning}" in result.stderr
        assert warning.startswith(f"{path}/" if source == "olx" else f"{path}:")
    assert tree(world, course) == expected
    assert world.json("courses", "show", course, "--org", "acme")["title"] == title

    again = world.json("courses", "import", "--from", source, str(path), "--org", "acme")
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert again["changes"] == []
    assert tree(world, course) == expected


def test_a_dry_run_writes_nothing(world: Cli) -> None:
    plan = world.json(
        "courses", "import", "--from", "olx", str(OLX / "practical-knots"), "--org", "acme",
        "--dry-run",
    )  # fmt: skip
    assert plan["dry_run"] is True and plan["created"] > 0
    world.fails(1, "courses", "tree", "knots-101", "--org", "acme")


def test_prune_removes_what_the_source_no_longer_has(world: Cli, tmp_path: Path) -> None:
    course = tmp_path / "sketching"
    shutil.copytree(OLX / "field-sketching", course)
    world.ok("courses", "import", "--from", "olx", str(course), "--org", "acme")
    sequential = course / "sequential" / "first_exercises.xml"
    sequential.write_text(
        sequential.read_text(encoding="utf-8").replace('<vertical url_name="blind_contour"/>', ""),
        encoding="utf-8",
    )
    plan = world.json(
        "courses", "import", "--from", "olx", str(course), "--org", "acme", "--prune", "--yes"
    )
    assert plan["deleted"] >= 1
    assert {"action": "delete", "entity": "lesson", "key": "fs101/blind-contour-drawing"} in (
        plan["changes"]
    )
    slugs = [slug for kind, slug, _, _ in tree(world, "fs101") if kind == "lesson"]
    assert slugs == [
        "choosing-pencils-and-paper",
        "a-five-minute-warm-up",
        "practice",
        "check-proportions",
        "leaf-shapes-in-three-lines",
        "practice-2",
        "share-your-sketchbook-page",
    ]


def test_a_title_too_long_is_exit_3_naming_the_xml_file_and_line(
    world: Cli, tmp_path: Path
) -> None:
    course = tmp_path / "sketching"
    shutil.copytree(OLX / "field-sketching", course)
    sequential = course / "sequential" / "tools.xml"
    sequential.write_text(
        sequential.read_text(encoding="utf-8").replace("Tools and posture", "x" * 400),
        encoding="utf-8",
    )
    result = world.fails(3, "courses", "import", "--from", "olx", str(course), "--org", "acme")
    assert (
        f"{course}/sequential/tools.xml:1:1: modules[0].sections[0].title: title is 400"
        " characters long (at most 300)"
    ) in result.stderr
    assert result.stdout == ""
    world.fails(1, "courses", "tree", "fs101", "--org", "acme")  # nothing written


def test_a_problem_the_database_finds_names_the_xml_file_and_line(
    world: Cli, tmp_path: Path
) -> None:
    # `ebook` is a digital product of the org: the service refuses it as the course
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "course.xml").write_text(
        '<course course="ebook" display_name="E">\n'
        '  <chapter display_name="One"><sequential display_name="S"/></chapter>\n'
        "</course>\n",
        encoding="utf-8",
    )
    result = world.fails(
        3, "courses", "import", "--from", "olx", str(tmp_path / "c"), "--org", "acme"
    )
    assert f"{tmp_path / 'c'}/course.xml:1:1: course: product 'ebook' is a digital product" in (
        result.stderr
    )


def test_an_unknown_source_format_is_a_usage_error(world: Cli) -> None:
    result = world.fails(
        2, "courses", "import", "--from", "moodle", str(OLX / "field-sketching"), "--org", "acme"
    )
    assert "'moodle' is not one of: olx, scorm" in result.stderr
