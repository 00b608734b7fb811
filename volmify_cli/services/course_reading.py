"""Read a course's whole outline (settings, skills, modules > sections > placed lessons, with every
translation) in a handful of queries, for `courses tree`, `courses show` and `courses export`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.errors import NotFoundError
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
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import OrgProduct, OrgProductTranslation
from volmify_cli.services.course_texts import Existing, load_translations
from volmify_cli.services.lookup import get_product
from volmify_cli.translation_choice import choose_translation


@dataclass
class PlacedLesson:
    placement_id: uuid.UUID
    lesson_id: uuid.UUID
    slug: str
    type: str
    minutes: int | None
    tier: int
    required: bool
    content: str | None  # the lesson's content reference
    own: bool  # the course's own lesson (else one of the org's library)
    texts: Existing = field(default_factory=dict)


@dataclass
class SectionNode:
    id: uuid.UUID
    slug: str
    tier: int
    required: bool
    minutes: int | None
    texts: Existing = field(default_factory=dict)
    lessons: list[PlacedLesson] = field(default_factory=list)


@dataclass
class ModuleNode:
    id: uuid.UUID
    slug: str
    tier: int
    required: bool
    minutes: int | None
    texts: Existing = field(default_factory=dict)
    sections: list[SectionNode] = field(default_factory=list)


@dataclass
class CourseSkill:
    slug: str
    kind: str
    weight: int
    level: str | None


@dataclass
class Outline:
    product: OrgProduct
    level: str
    difficulty: int
    minutes: int | None
    texts: Existing
    skills: list[CourseSkill]
    modules: list[ModuleNode]

    def placements(self) -> list[tuple[ModuleNode, SectionNode, PlacedLesson]]:
        return [
            (module, section, lesson)
            for module in self.modules
            for section in module.sections
            for lesson in section.lessons
        ]


def text(texts: Existing, name: str, locale: str | None) -> str | None:
    """One field of a translated text in `locale`, falling back as SPEC 4.2 says."""
    row = choose_translation(texts, locale)
    return row.values.get(name) if row is not None else None


def get_course(session: Session, org: Org, slug: str) -> OrgProduct:
    """The course product `slug`. Raises NotFoundError (also for a product of another type)."""
    product = get_product(session, org, slug)
    if product.type != "course":
        raise NotFoundError(
            f"product {slug!r} is a {product.type} product, not a course",
            "see `volmify courses list`",
        )
    return product


@dataclass
class CourseContent:
    level: str = "beginner"
    difficulty: int = 1
    minutes: int | None = None
    skills: list[CourseSkill] = field(default_factory=list)
    modules: list[ModuleNode] = field(default_factory=list)


def load_outline(session: Session, org: Org, product: OrgProduct) -> Outline:
    content = load_contents(session, org.id, [product.id])[product.id]
    product_texts = load_translations(
        session,
        OrgProductTranslation,
        org_id=org.id,
        parent_field="product_id",
        parent_ids=[product.id],
        fields=("title", "description"),
    ).get(product.id, {})
    return Outline(
        product,
        content.level,
        content.difficulty,
        content.minutes,
        product_texts,
        content.skills,
        content.modules,
    )


def load_contents(
    session: Session, org_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CourseContent]:
    """The content of many courses: a few queries per 500 courses. Siblings are ordered by
    (sort order, slug by code point), the same on every database."""
    result = {course_id: CourseContent() for course_id in course_ids}
    for part in chunks(sorted(set(course_ids))):
        _load_part(session, org_id, list(part), result)
    modules = [module for content in result.values() for module in content.modules]
    _attach_texts(session, org_id, modules)
    return result


def _rows(session: Session, query: Any) -> list[Any]:
    return list(session.connection().execute(query))


def _load_part(
    session: Session,
    org_id: uuid.UUID,
    part: list[uuid.UUID],
    result: dict[uuid.UUID, CourseContent],
) -> None:
    course = table_of(OrgProductCourse)
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    lesson = table_of(OrgLesson)
    link, skill = table_of(OrgProductCourseSkill), table_of(Skill)
    for row in _rows(
        session,
        select(course.c.product_id, course.c.level, course.c.difficulty, course.c.estimated_minutes)
        .where(course.c.org_id == org_id, course.c.product_id.in_(part)),
    ):  # fmt: skip
        content = result[row[0]]
        content.level, content.difficulty, content.minutes = row[1], row[2], row[3]
    node = ("id", "slug", "required_access_tier", "is_required", "estimated_minutes")
    # id -> (parent id, node, sort order); siblings are sorted in Python (by code point)
    modules: dict[uuid.UUID, tuple[uuid.UUID, ModuleNode, int]] = {}
    for row in _rows(
        session,
        select(m.c.course_id, m.c.sort_order, *(m.c[c] for c in node)).where(
            m.c.org_id == org_id, m.c.course_id.in_(part)
        ),
    ):
        modules[row[2]] = (row[0], ModuleNode(*row[2:]), row[1])
    module_join = and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id)
    sections: dict[uuid.UUID, tuple[uuid.UUID, SectionNode, int]] = {}
    for row in _rows(
        session,
        select(s.c.module_id, s.c.sort_order, *(s.c[c] for c in node))
        .join_from(s, m, module_join)
        .where(s.c.org_id == org_id, m.c.course_id.in_(part)),
    ):
        sections[row[2]] = (row[0], SectionNode(*row[2:]), row[1])
    placements = _rows(
        session,
        select(
            p.c.section_id, p.c.sort_order, p.c.id, lesson.c.id, lesson.c.slug, lesson.c.type,
            lesson.c.estimated_minutes, p.c.required_access_tier, p.c.is_required,
            lesson.c.content_ref, lesson.c.course_id.is_not(None).label("own"),
        )
        .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
        .join(m, module_join)
        .join(lesson, and_(lesson.c.org_id == p.c.org_id, lesson.c.id == p.c.lesson_id))
        .where(p.c.org_id == org_id, m.c.course_id.in_(part)),
    )  # fmt: skip
    for row in sorted(placements, key=lambda r: (r[1], r[4])):
        placed_id, lesson_id, slug, kind, minutes, tier, required, content, own = row[2:]
        sections[row[0]][1].lessons.append(
            PlacedLesson(
                placed_id, lesson_id, slug, kind, minutes, tier, required, content, bool(own)
            )
        )
    for module_id, section, _order in sorted(sections.values(), key=lambda v: (v[2], v[1].slug)):
        modules[module_id][1].sections.append(section)
    for course_id, module, _order in sorted(modules.values(), key=lambda v: (v[2], v[1].slug)):
        result[course_id].modules.append(module)
    skills = _rows(
        session,
        select(link.c.course_id, link.c.sort_order, skill.c.slug, link.c.kind, link.c.weight,
               link.c.proficiency_level)
        .join_from(link, skill, skill.c.id == link.c.skill_id)
        .where(link.c.org_id == org_id, link.c.course_id.in_(part)),
    )  # fmt: skip
    for row in sorted(skills, key=lambda r: (r[1], r[2])):
        result[row[0]].skills.append(CourseSkill(*row[2:]))


def _attach_texts(session: Session, org_id: uuid.UUID, modules: list[ModuleNode]) -> None:
    sections = [section for module in modules for section in module.sections]
    lessons = [lesson for section in sections for lesson in section.lessons]
    for model, parent, nodes, key in (
        (OrgCourseModuleTranslation, "module_id", modules, "id"),
        (OrgCourseModuleSectionTranslation, "section_id", sections, "id"),
        (OrgLessonTranslation, "lesson_id", lessons, "lesson_id"),
    ):
        ids = {getattr(item, key) for item in nodes}
        texts = load_translations(
            session,
            model,
            org_id=org_id,
            parent_field=parent,
            parent_ids=sorted(ids),
            fields=("title", "description"),
        )
        for item in nodes:
            item.texts = texts.get(getattr(item, key), {})


def load_skills(session: Session, org_id: uuid.UUID, course_id: uuid.UUID) -> list[CourseSkill]:
    return load_contents(session, org_id, [course_id])[course_id].skills
