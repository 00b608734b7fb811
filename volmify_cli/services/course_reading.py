"""Read a course's whole outline (settings, skills, modules > sections > placed lessons, with every
translation) in a handful of queries, for `courses tree`, `courses show` and `courses export`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

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
from volmify_cli.services.bulk import table_of
from volmify_cli.services.course_texts import Existing, load_translations
from volmify_cli.services.lookup import get_product
from volmify_cli.services.translations import pick


@dataclass
class PlacedLesson:
    placement_id: uuid.UUID
    lesson_id: uuid.UUID
    slug: str
    type: str
    minutes: int | None
    tier: int
    required: bool
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
    row = pick(texts, locale)
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


def load_outline(session: Session, org: Org, product: OrgProduct) -> Outline:
    connection = session.connection()
    course = table_of(OrgProductCourse)
    settings = connection.execute(
        select(course.c.level, course.c.difficulty, course.c.estimated_minutes).where(
            course.c.org_id == org.id, course.c.product_id == product.id
        )
    ).first()
    level, difficulty, minutes = settings if settings is not None else ("beginner", 1, None)
    modules = _modules(session, org.id, product.id)
    _attach_texts(session, org.id, modules)
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
        level,
        difficulty,
        minutes,
        product_texts,
        load_skills(session, org.id, product.id),
        modules,
    )


def _modules(session: Session, org_id: uuid.UUID, course_id: uuid.UUID) -> list[ModuleNode]:
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    lesson = table_of(OrgLesson)
    connection = session.connection()
    node = ("id", "slug", "required_access_tier", "is_required", "estimated_minutes")
    modules = [
        ModuleNode(*row)
        for row in connection.execute(
            select(*(m.c[c] for c in node))
            .where(m.c.org_id == org_id, m.c.course_id == course_id)
            .order_by(m.c.sort_order, m.c.slug)
        )
    ]
    by_module = {module.id: module for module in modules}
    module_join = and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id)
    sections: dict[Any, SectionNode] = {}
    for row in connection.execute(
        select(s.c.module_id, *(s.c[c] for c in node))
        .join_from(s, m, module_join)
        .where(s.c.org_id == org_id, m.c.course_id == course_id)
        .order_by(s.c.sort_order, s.c.slug)
    ):
        section = SectionNode(*row[1:])
        sections[section.id] = section
        by_module[row[0]].sections.append(section)
    for row in connection.execute(
        select(
            p.c.section_id,
            p.c.id,
            lesson.c.id,
            lesson.c.slug,
            lesson.c.type,
            lesson.c.estimated_minutes,
            p.c.required_access_tier,
            p.c.is_required,
        )
        .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
        .join(m, module_join)
        .join(lesson, and_(lesson.c.org_id == p.c.org_id, lesson.c.id == p.c.lesson_id))
        .where(p.c.org_id == org_id, m.c.course_id == course_id)
        .order_by(p.c.sort_order, lesson.c.slug)
    ):
        sections[row[0]].lessons.append(PlacedLesson(*row[1:]))
    return modules


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
    link = table_of(OrgProductCourseSkill)
    skill = table_of(Skill)
    rows = session.connection().execute(
        select(skill.c.slug, link.c.kind, link.c.weight, link.c.proficiency_level)
        .join_from(link, skill, skill.c.id == link.c.skill_id)
        .where(link.c.org_id == org_id, link.c.course_id == course_id)
        .order_by(link.c.sort_order, skill.c.slug)
    )
    return [CourseSkill(*row) for row in rows]
