"""`courses export`: a course as a `kind: course_outline` document (SPEC 4.2).

Deterministic: keys in a fixed order, content in its sort order, slugs always written, tiers
written as declared (always, so a reader sees them), texts as a plain string when only the org's
default locale has one (else a mapping, default locale first). The course's own lessons are
written inline (wherever the course places them), the org's library lessons as `lesson: SLUG`
(an outline places them and never changes them), so `export -> import -> export` is
byte-identical.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from volmify_cli.exchange.yamlio import dump_yaml
from volmify_cli.models.orgs import Org
from volmify_cli.services.course_reading import (
    CourseContent,
    CourseSkill,
    ModuleNode,
    PlacedLesson,
    SectionNode,
    get_course,
    load_contents,
    load_outline,
)
from volmify_cli.services.course_spec import CourseSyncContext
from volmify_cli.services.course_texts import Existing, plain_or_map
from volmify_cli.services.lookup import get_org


def export_outline(session: Session, *, org: str, slug: str) -> str:
    """The outline of course `slug` as YAML text. Raises NotFoundError."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, slug)
    outline = load_outline(session, the_org, product)
    default = CourseSyncContext.for_org(session, the_org).default_locale
    document: dict[str, Any] = {"version": 1, "kind": "course_outline", "course": product.slug}
    _Writer(default).texts(document, outline.texts)
    body = CourseContent(
        outline.level, outline.difficulty, outline.minutes, outline.skills, outline.modules
    )
    document.update(course_body(body, default))
    return dump_yaml(document)


def course_body(content: CourseContent, default_locale: str) -> dict[str, Any]:
    """A course's body as a file writes it (`level`, `difficulty`, `minutes`, `skills`,
    `modules`): the outline's body, and a catalog product's `course:` block."""
    writer = _Writer(default_locale)
    body: dict[str, Any] = {"level": content.level, "difficulty": content.difficulty}
    if content.minutes is not None:
        body["minutes"] = content.minutes
    body["skills"] = [_skill(skill) for skill in content.skills]
    body["modules"] = [writer.module(module) for module in content.modules]
    return body


def course_bodies(
    session: Session, org: Org, product_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """The `course:` block of each course product, for a catalog export: a few queries per 500
    courses, whatever their number."""
    default = CourseSyncContext.for_org(session, org).default_locale
    contents = load_contents(session, org.id, product_ids)
    return {product_id: course_body(content, default) for product_id, content in contents.items()}


def _skill(skill: CourseSkill) -> str | dict[str, Any]:
    if skill.kind == "taught" and skill.weight == 5 and skill.level is None:
        return skill.slug
    written: dict[str, Any] = {"skill": skill.slug, "kind": skill.kind, "weight": skill.weight}
    if skill.level is not None:
        written["level"] = skill.level
    return written


class _Writer:
    def __init__(self, default_locale: str) -> None:
        self.default = default_locale

    def texts(self, target: dict[str, Any], texts: Existing) -> None:
        for name in ("title", "description"):
            values = {
                locale: value
                for locale, row in texts.items()
                if (value := row.values.get(name)) is not None
            }
            if values:
                target[name] = plain_or_map(values, self.default)

    def _node(
        self, node: ModuleNode | SectionNode, children_key: str, children: list[Any]
    ) -> dict[str, Any]:
        written: dict[str, Any] = {"slug": node.slug}
        self.texts(written, node.texts)
        written["tier"] = node.tier
        if not node.required:
            written["required"] = False
        if node.minutes is not None:
            written["minutes"] = node.minutes
        written[children_key] = children
        return written

    def module(self, module: ModuleNode) -> dict[str, Any]:
        return self._node(module, "sections", [self.section(s) for s in module.sections])

    def section(self, section: SectionNode) -> dict[str, Any]:
        return self._node(section, "lessons", [self.lesson(item) for item in section.lessons])

    def lesson(self, lesson: PlacedLesson) -> dict[str, Any]:
        written: dict[str, Any]
        if lesson.own:
            written = {"slug": lesson.slug}
            self.texts(written, lesson.texts)
            written["type"] = lesson.type
            if lesson.minutes is not None:
                written["minutes"] = lesson.minutes
            if lesson.content is not None:
                written["content"] = lesson.content
        else:
            written = {"lesson": lesson.slug}
        written["tier"] = lesson.tier
        if not lesson.required:
            written["required"] = False
        return written
