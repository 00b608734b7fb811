"""Property: for any outline, import -> export -> import changes nothing, and the second export
is byte-identical to the first (texts with quotes, colons, `NO`, digits and non-Latin letters;
any tier nesting; the course's own lessons placed again; the org's library lessons placed)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from tests.factories import make_org, make_product
from volmify_cli.exchange.outline_export import export_outline
from volmify_cli.exchange.yamlio import dump_yaml, load_yaml_text
from volmify_cli.inputs.documents import validate_document
from volmify_cli.inputs.outline_schema import CourseOutlineDoc
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.lesson_edits import create_lesson
from volmify_cli.services.outline_import import import_outline

LIBRARY = ["library-a", "library-b"]
words = st.sampled_from(
    ["Intro", "NO", "1.10", "12:30", "a: b", "Ünïcode", '"quoted"', "x #y", "ok"]
)
title = st.lists(words, min_size=1, max_size=3).map(" ".join)
tier = st.integers(min_value=1, max_value=4)
lesson_type = st.sampled_from(["video", "text", "quiz", "assignment", "interactive"])


@st.composite
def outlines(draw: Any) -> dict[str, Any]:
    counter = iter(range(1000))
    placed: list[dict[str, Any]] = []

    def lesson() -> dict[str, Any]:
        if draw(st.integers(0, 5)) == 0:  # a library lesson, placed as it is
            return {"lesson": draw(st.sampled_from(LIBRARY)), "tier": draw(tier)}
        if placed and draw(st.booleans()) and draw(st.booleans()):
            # the course's own lesson placed again: written again as it is, placed anew
            return {**draw(st.sampled_from(placed)), "tier": draw(tier), "required": True}
        slug = f"lesson-{next(counter)}"
        item: dict[str, Any] = {"slug": slug, "title": draw(title), "type": draw(lesson_type)}
        if draw(st.booleans()):
            item["minutes"] = draw(st.integers(min_value=0, max_value=300))
        if draw(st.booleans()):
            item["content"] = draw(st.sampled_from(["https://cdn.example.org/a.mp4", "b/c.md"]))
        item["tier"] = draw(tier)
        item["required"] = draw(st.booleans())
        placed.append(item)
        return item

    def section(index: int) -> dict[str, Any]:
        lessons = [lesson() for _ in range(draw(st.integers(0, 3)))]
        seen: set[str] = set()
        unique = []
        for item in lessons:  # a lesson sits once per section
            key = item.get("lesson") or item["slug"]
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return {"slug": f"s-{index}", "title": draw(title), "tier": draw(tier), "lessons": unique}

    modules = [
        {
            "slug": f"m-{m}",
            "title": draw(title),
            "tier": draw(tier),
            "sections": [section(s) for s in range(draw(st.integers(0, 2)))],
        }
        for m in range(draw(st.integers(0, 3)))
    ]
    skills = draw(st.lists(st.sampled_from(["python", "sql", "git"]), unique=True, max_size=3))
    return {
        "version": 1,
        "kind": "course_outline",
        "course": "prop-101",
        "title": draw(title),
        "level": draw(st.sampled_from(["beginner", "intermediate", "advanced", "expert"])),
        "difficulty": draw(st.integers(1, 10)),
        "skills": skills,
        "modules": modules,
    }


def _import(session: Session, text: str) -> ChangeSet:
    doc = validate_document(
        CourseOutlineDoc,
        load_yaml_text(text, filename="p.yaml"),
        filename="p.yaml",
        kind="course_outline",
    )
    return import_outline(session, org="acme", doc=doc, filename="p.yaml")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=outlines())
def test_export_import_export_is_identical(session: Session, document: dict[str, Any]) -> None:
    nested = session.begin_nested()
    try:
        org = make_org(session, "acme")
        make_product(session, org, "prop-101")
        for slug in LIBRARY:
            create_lesson(session, org="acme", slug=slug, title=f"Library {slug}")
        _import(session, dump_yaml(document))
        first = export_outline(session, org="acme", slug="prop-101")
        again = _import(session, first)
        assert (again.count("create"), again.count("update"), again.count("delete")) == (0, 0, 0)
        assert export_outline(session, org="acme", slug="prop-101") == first
    finally:
        nested.rollback()
