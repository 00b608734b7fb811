"""The course outline schema (SPEC 4.2): shape, defaults and bad input."""

from __future__ import annotations

import pytest

from volmify_cli.enums import CourseLevel, LessonType, SkillKind
from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.yamlio import load_yaml_text
from volmify_cli.inputs.documents import validate_document
from volmify_cli.inputs.outline_schema import CourseOutlineDoc

OUTLINE = """version: 1
kind: course_outline
course: python-101
title: Python 101
level: beginner
difficulty: 3
skills:
  - python
  - {skill: programming-basics, kind: prerequisite, weight: 3}
modules:
  - slug: getting-started
    title: Getting started
    sections:
      - slug: setup
        title: Setup
        lessons:
          - slug: installing-python
            title: Installing Python
            type: video
            minutes: 8
          - lesson: shared-quiz-basics
          - title: First quiz
            type: quiz
            tier: 2
  - title: Going further
    tier: 2
    sections: []
"""


def load(text: str) -> CourseOutlineDoc:
    return validate_document(
        CourseOutlineDoc,
        load_yaml_text(text, filename="o.yaml"),
        filename="o.yaml",
        kind="course_outline",
    )


def test_the_spec_example_is_valid() -> None:
    doc = load(OUTLINE)
    assert (doc.course, doc.level, doc.difficulty) == ("python-101", CourseLevel.BEGINNER, 3)
    assert [(s.skill, s.kind, s.weight) for s in doc.skills] == [
        ("python", SkillKind.TAUGHT, 5),
        ("programming-basics", SkillKind.PREREQUISITE, 3),
    ]
    lessons = doc.modules[0].sections[0].lessons
    assert (lessons[0].slug, lessons[0].type, lessons[0].minutes) == (
        "installing-python",
        LessonType.VIDEO,
        8,
    )
    assert (lessons[1].lesson, lessons[1].title) == ("shared-quiz-basics", None)
    assert (lessons[2].slug, lessons[2].tier) == (None, 2)
    assert doc.modules[1].slug is None and doc.modules[1].tier == 2


def test_bad_outline_reports_every_problem() -> None:
    bad = (
        OUTLINE.replace("difficulty: 3", "difficulty: 11")
        .replace("level: beginner", "level: guru")
        .replace("tier: 2\n    sections", "tier: 0\n    sections")
        .replace(
            "- lesson: shared-quiz-basics", "- lesson: shared-quiz-basics\n            title: X"
        )
    )
    with pytest.raises(InvalidInputError) as caught:
        load(bad)
    assert [str(p) for p in caught.value.problems] == [
        "o.yaml:5:8: level: 'guru' is not one of: beginner, intermediate, advanced, expert",
        "o.yaml:6:13: difficulty: difficulty must be at most 10, not 11",
        "o.yaml:21:13: modules[0].sections[0].lessons[1]: a lesson is either a reference (lesson: SLUG) or inline (title …), not both",
        "o.yaml:27:11: modules[1].tier: access tier must be at least 1, not 0",
    ]


def test_a_reused_lesson_cannot_be_changed_from_a_placement() -> None:
    bad = OUTLINE.replace(
        "- lesson: shared-quiz-basics", "- lesson: shared-quiz-basics\n            type: video"
    )
    with pytest.raises(InvalidInputError) as caught:
        load(bad)
    assert [str(p) for p in caught.value.problems] == [
        "o.yaml:21:13: modules[0].sections[0].lessons[1]: a reused lesson (lesson: SLUG) is placed as it is: type belong to its inline definition (only tier and required may be given here)"
    ]
