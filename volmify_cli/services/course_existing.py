"""The stored content of many courses at once (settings, modules, sections, placements, the
courses' own lessons, skill links and texts): a few queries per 500 courses, so syncing a
catalog's course blocks costs the same handful of queries whether it holds one course or ten
thousand."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgCourseModuleSectionTranslation,
    OrgCourseModuleTranslation,
    OrgLesson,
    OrgLessonTranslation,
    OrgProductCourse,
    OrgProductCourseSkill,
    Skill,
)
from volmify_cli.services.course_texts import Existing, load_translations

NODE_COLUMNS = ("sort_order", "required_access_tier", "is_required", "estimated_minutes")
PLACEMENT_COLUMNS = ("sort_order", "required_access_tier", "is_required")
LESSON_COLUMNS = ("type", "estimated_minutes", "content_ref")
SKILL_COLUMNS = ("kind", "weight", "proficiency_level", "sort_order")


@dataclass
class Node:
    id: uuid.UUID
    values: dict[str, Any]
    texts: Existing = field(default_factory=dict)


@dataclass
class Content:
    """One course as stored. `settings` is None when the course row (the product's course
    extension) does not exist."""

    settings: dict[str, Any] | None = None
    modules: dict[str, Node] = field(default_factory=dict)
    sections: dict[tuple[str, str], Node] = field(default_factory=dict)
    # (module, section, lesson slug, the course's own lesson?) -> placement
    placements: dict[tuple[str, str, str, bool], Node] = field(default_factory=dict)
    lessons: dict[str, Node] = field(default_factory=dict)  # its own lessons, by slug
    skills: dict[str, Node] = field(default_factory=dict)  # skill slug -> link (id = skill id)


def load_existing(
    session: Session, org_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Content]:
    result = {course_id: Content() for course_id in course_ids}
    for part in chunks(sorted(set(course_ids))):
        _load_part(session, org_id, list(part), result)
    _attach_texts(session, org_id, list(result.values()))
    return result


def _load_part(
    session: Session,
    org_id: uuid.UUID,
    part: list[uuid.UUID],
    result: dict[uuid.UUID, Content],
) -> None:
    course = table_of(OrgProductCourse)
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    lesson = table_of(OrgLesson)
    link, skill = table_of(OrgProductCourseSkill), table_of(Skill)
    connection = session.connection()
    for row in connection.execute(
        select(course.c.product_id, course.c.level, course.c.difficulty, course.c.estimated_minutes)
        .where(course.c.org_id == org_id, course.c.product_id.in_(part))
    ):  # fmt: skip
        result[row[0]].settings = {
            "level": row[1],
            "difficulty": row[2],
            "estimated_minutes": row[3],
        }
    for row in connection.execute(
        select(m.c.course_id, m.c.id, m.c.slug, *(m.c[c] for c in NODE_COLUMNS)).where(
            m.c.org_id == org_id, m.c.course_id.in_(part)
        )
    ):
        result[row[0]].modules[row[2]] = Node(row[1], dict(zip(NODE_COLUMNS, row[3:], strict=True)))
    module_join = and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id)
    for row in connection.execute(
        select(m.c.course_id, s.c.id, m.c.slug, s.c.slug, *(s.c[c] for c in NODE_COLUMNS))
        .join_from(s, m, module_join)
        .where(s.c.org_id == org_id, m.c.course_id.in_(part))
    ):
        result[row[0]].sections[(row[2], row[3])] = Node(
            row[1], dict(zip(NODE_COLUMNS, row[4:], strict=True))
        )
    placements: Any = connection.execute(
        select(
            m.c.course_id, p.c.id, m.c.slug, s.c.slug, lesson.c.slug,
            lesson.c.course_id.is_not(None), *(p.c[c] for c in PLACEMENT_COLUMNS),
        )
        .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
        .join(m, module_join)
        .join(lesson, and_(lesson.c.org_id == p.c.org_id, lesson.c.id == p.c.lesson_id))
        .where(p.c.org_id == org_id, m.c.course_id.in_(part))
    )  # fmt: skip
    for row in placements:
        result[row[0]].placements[(row[2], row[3], row[4], bool(row[5]))] = Node(
            row[1], dict(zip(PLACEMENT_COLUMNS, row[6:], strict=True))
        )
    own = select(
        lesson.c.course_id, lesson.c.id, lesson.c.slug, *(lesson.c[c] for c in LESSON_COLUMNS)
    )
    for row in connection.execute(
        own.where(lesson.c.org_id == org_id, lesson.c.course_id.in_(part))
    ):
        values = dict(zip(LESSON_COLUMNS, row[3:], strict=True))
        result[row[0]].lessons[row[2]] = Node(row[1], values)
    for row in connection.execute(
        select(link.c.course_id, link.c.skill_id, skill.c.slug, *(link.c[c] for c in SKILL_COLUMNS))
        .join_from(link, skill, skill.c.id == link.c.skill_id)
        .where(link.c.org_id == org_id, link.c.course_id.in_(part))
    ):  # fmt: skip
        result[row[0]].skills[row[2]] = Node(row[1], dict(zip(SKILL_COLUMNS, row[3:], strict=True)))


def _attach_texts(session: Session, org_id: uuid.UUID, contents: list[Content]) -> None:
    modules = [node for content in contents for node in content.modules.values()]
    sections = [node for content in contents for node in content.sections.values()]
    lessons = [node for content in contents for node in content.lessons.values()]
    for model, parent, nodes in (
        (OrgCourseModuleTranslation, "module_id", modules),
        (OrgCourseModuleSectionTranslation, "section_id", sections),
        (OrgLessonTranslation, "lesson_id", lessons),
    ):
        texts = load_translations(
            session,
            model,
            org_id=org_id,
            parent_field=parent,
            parent_ids=[node.id for node in nodes],
            fields=("title", "description"),
        )
        for node in nodes:
            node.texts = texts.get(node.id, {})
