"""`courses import --from olx DIR`: an Open edX OLX course directory read into the course
outline a YAML file gives, with warnings for what is not kept and exit 3 naming the file and
line of what is wrong."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.olx import read_olx
from volmify_cli.inputs.outline_schema import CourseOutlineDoc

ROOT = Path(__file__).resolve().parent.parent.parent
SKETCHING = ROOT / "fixtures" / "olx" / "field-sketching"
KNOTS = ROOT / "fixtures" / "olx" / "practical-knots"


def lessons(doc: CourseOutlineDoc) -> list[tuple[str, str, str, str | None]]:
    """(module/section slug path, lesson slug, type, content) in course order."""
    return [
        (f"{module.slug}/{section.slug}", str(lesson.slug), lesson.type.value, lesson.content)
        for module in doc.modules
        for section in module.sections
        for lesson in section.lessons
    ]


def outline_of(doc: CourseOutlineDoc) -> Any:
    """The outline as plain data (marks dropped), for comparing two readings."""
    return [
        (
            str(m.slug),
            str(m.title),
            [
                (
                    str(s.slug),
                    str(s.title),
                    [(str(x.slug), str(x.title), x.type.value, x.content) for x in s.lessons],
                )
                for s in m.sections
            ],
        )
        for m in doc.modules
    ]


def problems(error: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# -- the two fixtures ------------------------------------------------------------------------


def test_a_studio_export_maps_chapters_sequentials_and_verticals() -> None:
    imported = read_olx(SKETCHING, name="sketching")
    doc = imported.doc
    assert (doc.course, doc.title) == ("fs101", "Field Sketching for Naturalists")
    assert [(m.slug, m.title) for m in doc.modules] == [
        ("seeing-before-drawing", "Seeing before drawing"),
        ("drawing-outdoors", "Drawing outdoors"),
    ]
    assert lessons(doc) == [
        (
            "seeing-before-drawing/tools-and-posture",
            "choosing-pencils-and-paper",
            "video",
            "https://www.youtube.com/watch?v=Fs101Penc1l",
        ),
        ("seeing-before-drawing/tools-and-posture", "a-five-minute-warm-up", "text", None),
        # html then problem: the first component types the unit
        ("seeing-before-drawing/first-exercises", "blind-contour-drawing", "text", None),
        ("seeing-before-drawing/first-exercises", "practice", "text", None),
        ("seeing-before-drawing/first-exercises", "check-proportions", "quiz", None),
        (
            "drawing-outdoors/leaves-and-branches",
            "leaf-shapes-in-three-lines",
            "video",
            "https://media.example.org/fs101/leaf-shapes.mp4",
        ),
        # a second "Practice" in another module: lesson slugs are unique in the course
        ("drawing-outdoors/leaves-and-branches", "practice-2", "text", None),
        ("drawing-outdoors/leaves-and-branches", "share-your-sketchbook-page", "text", None),
    ]
    assert imported.warnings == [
        "sketching/sequential/instructor_notes.xml:1: sequential 'Notes for the teaching team'"
        " is visible_to_staff_only: not imported (learners do not see it)",
        "sketching/vertical/share_your_page.xml:2: <discussion> in a unit is not imported",
        "sketching/course/2026.xml:4: <wiki> in a course is not imported",
    ]


def test_an_inline_course_types_lessons_and_names_emoji_titles_by_url_name() -> None:
    imported = read_olx(KNOTS, name="knots")
    doc = imported.doc
    assert (doc.course, doc.title) == ("knots-101", "Practical Knots")
    assert lessons(doc) == [
        (
            "knots-that-stop-a-rope/two-stopper-knots",
            "the-overhand-knot",
            "video",
            "https://media.example.org/knots/overhand.mp4",  # the HTML5 source before YouTube
        ),
        ("knots-that-stop-a-rope/two-stopper-knots", "figure-eight", "text", None),
        # a problem right in the sequential is a lesson of its own
        ("knots-that-stop-a-rope/two-stopper-knots", "quick-check", "quiz", None),
        ("knots-that-hold-a-load/fixed-loops", "the-bowline", "interactive", None),
        ("knots-that-hold-a-load/fixed-loops", "tie-and-photograph", "assignment", None),
    ]
    figure_eight = doc.modules[0].sections[0].lessons[1]
    assert figure_eight.title == "🪢"
    assert imported.warnings == [
        "knots/course.xml:26: <poll> in a sequential is not imported",
        "knots/course.xml:39: chapter 'Ideas for next year' is visible_to_staff_only: not"
        " imported (learners do not see it)",
    ]


# -- the two OLX styles ----------------------------------------------------------------------

INLINE = """<course course="Demo" url_name="run" display_name="Demo course">
  <chapter display_name="One" url_name="one">
    <sequential display_name="Part A" url_name="a">
      <vertical display_name="Start" url_name="start"><html/></vertical>
      <vertical display_name="Watch" url_name="watch"><video youtube="0.75:slow1,1.00:normal1"/></vertical>
    </sequential>
  </chapter>
</course>
"""

POINTERS = {
    "course.xml": '<course url_name="run" org="X" course="Demo"/>',
    "course/run.xml": '<course display_name="Demo course"><chapter url_name="one"/></course>',
    "chapter/one.xml": '<chapter display_name="One"><sequential url_name="a"/></chapter>',
    "sequential/a.xml": (
        '<sequential display_name="Part A">'
        '<vertical url_name="start"/><vertical url_name="weeks:watch"/></sequential>'
    ),
    "vertical/start.xml": '<vertical display_name="Start"><html url_name="h1"/></vertical>',
    # a colon in a url_name is a directory, as edX reads it
    "vertical/weeks/watch.xml": '<vertical display_name="Watch"><video url_name="v1"/></vertical>',
    "video/v1.xml": '<video youtube="0.75:slow1,1.00:normal1"/>',
}


def test_inline_and_pointer_styles_give_the_same_outline(tmp_path: Path) -> None:
    inline = read_olx(write(tmp_path / "inline", {"course.xml": INLINE}))
    pointers = read_olx(write(tmp_path / "pointers", POINTERS))
    expected = [
        (
            "one",
            "One",
            [
                (
                    "part-a",
                    "Part A",
                    [
                        ("start", "Start", "text", None),
                        ("watch", "Watch", "video", "https://www.youtube.com/watch?v=normal1"),
                    ],
                )
            ],
        )
    ]
    assert outline_of(inline.doc) == outline_of(pointers.doc) == expected
    assert inline.doc.course == pointers.doc.course == "demo"
    assert inline.warnings == pointers.warnings == []


# -- slugs -----------------------------------------------------------------------------------


def test_slugs_are_unique_where_the_spec_wants_them_and_never_missing(tmp_path: Path) -> None:
    course = write(
        tmp_path / "c",
        {
            "course.xml": """<course course="S" display_name="Slugs">
  <chapter display_name="Week">
    <sequential display_name="Review">
      <vertical display_name="Intro"><html/></vertical>
      <vertical display_name="Intro"><html/></vertical>
    </sequential>
    <sequential display_name="Review">
      <vertical display_name="😀"><html/></vertical>
    </sequential>
  </chapter>
  <chapter display_name="Week">
    <sequential display_name="Review">
      <vertical display_name="Intro"><html/></vertical>
      <vertical><html/></vertical>
    </sequential>
  </chapter>
</course>"""
        },
    )
    imported = read_olx(course, name="c")
    assert [m.slug for m in imported.doc.modules] == ["week", "week-2"]
    assert [s.slug for s in imported.doc.modules[0].sections] == ["review", "review-2"]
    assert [s.slug for s in imported.doc.modules[1].sections] == ["review"]  # another module
    assert [slug for _, slug, _, _ in lessons(imported.doc)] == [
        "intro",
        "intro-2",
        "lesson-3",  # emoji only, no url_name: positional
        "intro-3",
        "lesson-2",  # no display_name at all: titled and slugged by position
    ]
    untitled = imported.doc.modules[1].sections[0].lessons[1]
    assert untitled.title == "Lesson 2"
    assert "c/course.xml:14: vertical has no display_name: titled 'Lesson 2'" in imported.warnings


# -- refusals: exit 3 naming the file and line ----------------------------------------------


def test_a_too_long_display_name_is_refused_at_its_file_and_line(tmp_path: Path) -> None:
    files = dict(POINTERS)
    files["sequential/a.xml"] = f'<sequential\n  display_name="{"x" * 400}"/>'
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", files), name="c")
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("c/sequential/a.xml", 1)
    assert problem.path == "modules[0].sections[0].title"
    assert "300" in problem.message
    assert error.value.exit_code == 3


def test_malformed_xml_names_the_file_line_and_column(tmp_path: Path) -> None:
    files = dict(POINTERS)
    files["chapter/one.xml"] = (
        '<chapter display_name="One">\n  <sequential url_name="a">\n</chapter>'
    )
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", files), name="c")
    assert problems(error) == ["c/chapter/one.xml:3:3: not valid XML: mismatched tag"]


def test_a_missing_pointer_file_is_named_from_the_pointer(tmp_path: Path) -> None:
    files = dict(POINTERS)
    del files["sequential/a.xml"]
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", files), name="c")
    assert problems(error) == [
        "c/chapter/one.xml:1:29: points to c/sequential/a.xml, which does not exist"
    ]


def test_a_directory_without_course_xml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInputError) as error:
        read_olx(tmp_path / "empty", name="empty")
    assert problems(error) == ["empty/course.xml: does not exist"]
    assert "course.xml" in (error.value.hint or "")
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", POINTERS) / "course.xml", name="course.xml")
    assert problems(error) == ["course.xml: is not a directory"]


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE course [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE course [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE course SYSTEM "http://example.org/course.dtd">',
    ],
    ids=["expansion", "external-entity", "external-dtd"],
)
def test_document_type_declarations_are_refused(tmp_path: Path, declaration: str) -> None:
    course = write(
        tmp_path / "c",
        {"course.xml": f'<?xml version="1.0"?>\n{declaration}\n<course display_name="&b;"/>'},
    )
    with pytest.raises(InvalidInputError) as error:
        read_olx(course, name="c")
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("c/course.xml", 2)
    assert "document type declarations" in problem.message


@pytest.mark.parametrize("url_name", ["..:..:outside", ":etc", "a/../../outside"])
def test_a_pointer_cannot_leave_the_directory_by_its_name(tmp_path: Path, url_name: str) -> None:
    write(tmp_path, {"outside.xml": '<chapter display_name="Not yours"/>'})
    files = dict(POINTERS)
    files["course/run.xml"] = f'<course display_name="D"><chapter url_name="{url_name}"/></course>'
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", files), name="c")
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("c/course/run.xml", 1)
    assert "is not a file name inside the directory" in problem.message


def test_a_pointer_cannot_leave_the_directory_by_a_symbolic_link(tmp_path: Path) -> None:
    write(tmp_path, {"elsewhere/one.xml": '<chapter display_name="Not yours"/>'})
    course = write(tmp_path / "c", {k: v for k, v in POINTERS.items() if k != "chapter/one.xml"})
    os.symlink(tmp_path / "elsewhere", course / "chapter")
    with pytest.raises(InvalidInputError) as error:
        read_olx(course, name="c")
    assert problems(error) == [
        "c/course/run.xml:1:36: points to c/chapter/one.xml, which leads out of the course"
        " directory (a symbolic link)"
    ]


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_MB", "0.001")  # 1048 bytes
    files = dict(POINTERS)
    files["vertical/start.xml"] = (
        f'<vertical display_name="Start"><html>{"x" * 2000}</html></vertical>'
    )
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", files), name="c")
    assert problems(error) == ["c/vertical/start.xml: the file is over the 1048-byte limit"]
    assert "VOLMIFY_MAX_DOCUMENT_MB" in (error.value.hint or "")


def test_the_elements_of_all_files_together_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_VALUES", "12")  # POINTERS hold 13 elements
    with pytest.raises(InvalidInputError) as error:
        read_olx(write(tmp_path / "c", POINTERS), name="c")
    [problem] = error.value.problems
    assert problem.file == "c/video/v1.xml"  # the 13th element, in the last file read
    assert "more than 12 XML elements" in problem.message
    assert "VOLMIFY_MAX_DOCUMENT_VALUES" in (error.value.hint or "")
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_VALUES", "13")
    assert read_olx(tmp_path / "c").doc.course == "demo"


def test_the_course_must_be_nameable(tmp_path: Path) -> None:
    course = write(tmp_path / "c", {"course.xml": '<course display_name="😀"><chapter/></course>'})
    with pytest.raises(InvalidInputError) as error:
        read_olx(course, name="c")
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("c/course.xml", 1)
    assert "cannot name the course" in problem.message


TOKENS = [
    "<",
    ">",
    "/>",
    "</vertical>",
    "<chapter",
    ' url_name="',
    '"',
    "&",
    "&amp;",
    "é",
    "\x00",
    ":",
]


@settings(max_examples=150)
@given(
    cut=st.integers(0, len(INLINE)),
    length=st.integers(0, 40),
    insert=st.lists(st.sampled_from(TOKENS), max_size=3).map("".join),
)
def test_a_damaged_course_file_is_read_or_refused_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, cut: int, length: int, insert: str
) -> None:
    course = tmp_path_factory.mktemp("damaged")
    text = INLINE[:cut] + insert + INLINE[cut + length :]
    (course / "course.xml").write_text(text, encoding="utf-8")
    try:
        read_olx(course, name="c")
    except InvalidInputError as error:
        assert error.problems and all(p.file.startswith("c/") for p in error.problems)
