"""Helpers for course service tests: read outlines and look at what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from volmify_cli.exchange.yamlio import load_yaml_text
from volmify_cli.inputs.documents import validate_document
from volmify_cli.inputs.outline_schema import CourseOutlineDoc

DATA = Path(__file__).resolve().parent.parent / "data"


def outline(source: str, filename: str = "o.yaml") -> CourseOutlineDoc:
    """An outline from YAML text, or from a file name under tests/data/outlines/."""
    if "\n" not in source:
        source = (DATA / "outlines" / source).read_text(encoding="utf-8")
    return validate_document(
        CourseOutlineDoc,
        load_yaml_text(source, filename=filename),
        filename=filename,
        kind="course_outline",
    )


def stored_tree(session: Session, course_slug: str) -> list[tuple[Any, ...]]:
    """(module, section, lesson, module tier, section tier, placement tier) in stored order."""
    rows = session.connection().execute(
        text(
            """
            SELECT m.slug, s.slug, l.slug, m.required_access_tier, s.required_access_tier,
                   p.required_access_tier
            FROM org_course_module m
            JOIN org_product pr ON pr.org_id = m.org_id AND pr.id = m.course_id
            JOIN org_course_module_section s ON s.org_id = m.org_id AND s.module_id = m.id
            JOIN org_course_module_section_lesson p ON p.org_id = s.org_id AND p.section_id = s.id
            JOIN org_lesson l ON l.org_id = p.org_id AND l.id = p.lesson_id
            WHERE pr.slug = :course
            ORDER BY m.sort_order, s.sort_order, p.sort_order
            """
        ),
        {"course": course_slug},
    )
    return [tuple(row) for row in rows]


def count(session: Session, table: str) -> int:
    return int(session.connection().execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
