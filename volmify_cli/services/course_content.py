"""Sync a course body (modules > sections > placed lessons, library lessons, skills, level and
difficulty) into a course product: the one code path behind `courses import` and a catalog
product's `course:` block (SPEC 4.1, 4.2).

Set-based: a course's existing content is read with a handful of queries, compared in memory,
and written with one executemany per table and shape. Every create, update and delete is recorded
in the caller's ChangeSet (unchanged entities are counted); in a dry run nothing is written.

Two ways to call it:
- `sync_course_content(...)` for one course: checks (raising InvalidInputError with every problem
  before anything is written), then plans and writes.
- A run over many courses (a catalog) shares one `CourseSyncContext`: `prepare_course_content`
  for every body (problems collected), `context.resolve(session, problems)` once, raise, then
  `apply_course_content` per product. Inline lessons are then written once per run, and a
  `lesson: SLUG` may name a lesson defined inline in another course of the run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session

from volmify_cli.errors import ConflictError
from volmify_cli.exchange.changes import ChangeSet
from volmify_cli.exchange.documents import Problems
from volmify_cli.exchange.outline_schema import CourseBody
from volmify_cli.ids import uuid7
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
from volmify_cli.models.learning import OrgMemberLessonProgress
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import OrgProduct
from volmify_cli.services.bulk import (
    chunks,
    delete_by_ids,
    delete_by_keys,
    insert_rows,
    table_of,
    update_rows,
)
from volmify_cli.services.course_spec import (
    CourseSpec,
    CourseSyncContext,
    LibraryLesson,
    ModuleSpec,
    SectionSpec,
    prepare_course_content,
)
from volmify_cli.services.course_texts import (
    Existing,
    TranslationRow,
    TranslationWriter,
    diff_texts,
    load_translations,
)

__all__ = [
    "CourseSyncContext",
    "apply_course_content",
    "prepare_course_content",
    "sync_course_content",
]

# Column -> how the plan names it.
SHOWN = {
    "sort_order": "position",
    "required_access_tier": "tier",
    "is_required": "required",
    "estimated_minutes": "minutes",
    "type": "type",
    "kind": "kind",
    "weight": "weight",
    "proficiency_level": "level",
    "level": "level",
    "difficulty": "difficulty",
}


def _shown(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    result = []
    for name, value in new.items():
        before = old.get(name)
        if before != value:
            if name == "sort_order":  # positions are shown 1-based, as a person counts
                before, value = (before + 1 if before is not None else None), value + 1
            result.append((SHOWN.get(name, name), before, value))
    return result


def sync_course_content(
    session: Session,
    *,
    org: Org,
    product: OrgProduct | None,
    body: CourseBody,
    changes: ChangeSet,
    prune: bool,
    filename: str,
    path_prefix: str = "",
    dry_run: bool = False,
    course: str | None = None,
) -> None:
    """Make the content of course `product` match `body`.

    `product` is None only in a dry run for a course that does not exist yet (pass its slug as
    `course`); everything is then planned as created. Raises InvalidInputError (every problem,
    with FILE:LINE:COLUMN, before anything is written) and ConflictError when `prune` would
    delete lesson placements that learners have progress on.
    """
    context = CourseSyncContext.for_org(session, org)
    problems = Problems(filename)
    spec = prepare_course_content(
        body=body, context=context, problems=problems, filename=filename, path_prefix=path_prefix
    )
    context.resolve(session, problems)
    problems.raise_if_any()
    course_key = product.slug if product is not None else course
    if course_key is None:
        raise ValueError("sync_course_content needs the product or the course slug")
    apply_course_content(
        session,
        context=context,
        product_id=product.id if product is not None else None,
        course_key=course_key,
        spec=spec,
        changes=changes,
        prune=prune,
        dry_run=dry_run,
    )


# -- existing content ----------------------------------------------------------------------------


@dataclass
class Node:
    id: uuid.UUID
    values: dict[str, Any]
    texts: Existing = field(default_factory=dict)


@dataclass
class Content:
    modules: dict[str, Node] = field(default_factory=dict)
    sections: dict[tuple[str, str], Node] = field(default_factory=dict)
    placements: dict[tuple[str, str, str], Node] = field(default_factory=dict)


NODE_COLUMNS = ("sort_order", "required_access_tier", "is_required", "estimated_minutes")


def load_content(session: Session, org_id: uuid.UUID, course_id: uuid.UUID) -> Content:
    """A course's modules, sections and placements with their texts: five queries."""
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    lesson = table_of(OrgLesson)
    connection = session.connection()
    content = Content()
    for row in connection.execute(
        select(m.c.id, m.c.slug, *(m.c[c] for c in NODE_COLUMNS)).where(
            m.c.org_id == org_id, m.c.course_id == course_id
        )
    ):
        content.modules[row[1]] = Node(row[0], dict(zip(NODE_COLUMNS, row[2:], strict=True)))
    module_join = and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id)
    for row in connection.execute(
        select(s.c.id, m.c.slug, s.c.slug, *(s.c[c] for c in NODE_COLUMNS))
        .join_from(s, m, module_join)
        .where(s.c.org_id == org_id, m.c.course_id == course_id)
    ):
        content.sections[(row[1], row[2])] = Node(
            row[0], dict(zip(NODE_COLUMNS, row[3:], strict=True))
        )
    placement_columns = ("sort_order", "required_access_tier", "is_required")
    for row in connection.execute(
        select(p.c.id, m.c.slug, s.c.slug, lesson.c.slug, *(p.c[c] for c in placement_columns))
        .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
        .join(m, module_join)
        .join(lesson, and_(lesson.c.org_id == p.c.org_id, lesson.c.id == p.c.lesson_id))
        .where(p.c.org_id == org_id, m.c.course_id == course_id)
    ):
        content.placements[(row[1], row[2], row[3])] = Node(
            row[0], dict(zip(placement_columns, row[4:], strict=True))
        )
    for model, parent, nodes in (
        (OrgCourseModuleTranslation, "module_id", list(content.modules.values())),
        (OrgCourseModuleSectionTranslation, "section_id", list(content.sections.values())),
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
    return content


# -- the plan --------------------------------------------------------------------------------------


@dataclass
class _Writes:
    """Every write of one course, applied in an order the constraints accept."""

    org_id: uuid.UUID
    default_locale: str
    inserts: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    deletes: dict[type[Any], list[uuid.UUID]] = field(default_factory=dict)
    skill_deletes: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]] = field(default_factory=list)
    texts: dict[type[Any], TranslationWriter] = field(default_factory=dict)

    def insert(self, model: type[Any], row: dict[str, Any]) -> None:
        self.inserts.setdefault(model, []).append(row)

    def update(self, model: type[Any], row: dict[str, Any]) -> None:
        self.updates.setdefault(model, []).append(row)

    def delete(self, model: type[Any], row_id: uuid.UUID) -> None:
        self.deletes.setdefault(model, []).append(row_id)

    def text(self, model: type[Any], parent: str) -> TranslationWriter:
        if model not in self.texts:
            self.texts[model] = TranslationWriter(model, parent, self.org_id, self.default_locale)
        return self.texts[model]

    def write(self, session: Session) -> None:
        doomed: tuple[type[Any], ...] = (
            OrgCourseModuleSectionLesson,
            OrgCourseModuleSection,
            OrgCourseModule,
        )
        for model in doomed:
            delete_by_ids(session, model, self.org_id, self.deletes.get(model, []))
        delete_by_keys(
            session, OrgProductCourseSkill, ("org_id", "course_id", "skill_id"), self.skill_deletes
        )
        for writer in self.texts.values():
            writer.flush_unsets(session)
        order: tuple[type[Any], ...] = (
            Skill,
            OrgLesson,
            OrgProductCourse,
            OrgCourseModule,
            OrgCourseModuleSection,
            OrgCourseModuleSectionLesson,
            OrgProductCourseSkill,
        )
        for model in order:
            insert_rows(session, model, self.inserts.get(model, []))
        for writer in self.texts.values():
            writer.flush(session)
        keys: dict[type[Any], tuple[str, ...]] = {
            OrgProductCourse: ("org_id", "product_id"),
            OrgProductCourseSkill: ("org_id", "course_id", "skill_id"),
        }
        for model in order:
            update_rows(
                session, model, keys.get(model, ("org_id", "id")), self.updates.get(model, [])
            )


class _Planner:
    def __init__(
        self,
        session: Session,
        context: CourseSyncContext,
        course_id: uuid.UUID | None,
        course_key: str,
        changes: ChangeSet,
        prune: bool,
    ) -> None:
        self.session = session
        self.context = context
        self.org_id = context.org.id
        self.course_id = course_id or uuid7()  # a new course in a dry run: never written
        self.exists = course_id is not None
        self.key = course_key
        self.changes = changes
        self.prune = prune
        self.writes = _Writes(self.org_id, context.default_locale)
        self.doomed_placements: dict[uuid.UUID, str] = {}

    # -- course settings (level, difficulty, minutes) ------------------------------------------

    def settings(self, spec: CourseSpec) -> None:
        if not self.exists:
            return
        table = table_of(OrgProductCourse)
        row = (
            self.session.connection()
            .execute(
                select(table.c.level, table.c.difficulty, table.c.estimated_minutes).where(
                    table.c.org_id == self.org_id, table.c.product_id == self.course_id
                )
            )
            .first()
        )
        if row is None:  # a course product without its extension row: add it
            self.writes.insert(
                OrgProductCourse,
                {"org_id": self.org_id, "product_id": self.course_id, "product_type": "course"}
                | {"level": "beginner", "difficulty": 1, "estimated_minutes": None}
                | spec.settings,
            )
            return
        old = {"level": row[0], "difficulty": row[1], "estimated_minutes": row[2]}
        fields = _shown(old, spec.settings)
        if fields:
            self.changes.update("course", self.key, fields)
            self.writes.update(
                OrgProductCourse,
                {"org_id": self.org_id, "product_id": self.course_id, **spec.settings},
            )

    # -- library lessons -----------------------------------------------------------------------

    def lessons(self, spec: CourseSpec) -> None:
        """Upsert the inline lessons this course places (once per run)."""
        writer = self.writes.text(OrgLessonTranslation, "lesson_id")
        for module in spec.modules or []:
            for section in module.sections:
                for placement in section.placements:
                    slug = placement.lesson
                    if slug not in self.context.inline or slug in self.context.applied:
                        continue
                    self.context.applied.add(slug)
                    lesson = self.context.inline[slug]
                    values = {"type": lesson.type, "estimated_minutes": lesson.minutes}
                    known = self.context.library.get(slug)
                    if known is None or known.id is None:
                        lesson_id = uuid7()
                        self.changes.create("lesson", slug)
                        self.writes.insert(
                            OrgLesson,
                            {"org_id": self.org_id, "id": lesson_id, "slug": slug, **values},
                        )
                        writer.queue(lesson_id, {}, lesson.texts)
                    else:
                        lesson_id = known.id
                        old = {"type": known.type, "estimated_minutes": known.minutes}
                        fields = _shown(old, values) + diff_texts(
                            known.texts, lesson.texts, self.context.default_locale
                        )
                        self.changes.update("lesson", slug, fields)
                        if old != values:
                            self.writes.update(
                                OrgLesson, {"org_id": self.org_id, "id": lesson_id, **values}
                            )
                        writer.queue(lesson_id, known.texts, lesson.texts)
                    self.context.library[slug] = LibraryLesson(
                        lesson_id, slug, lesson.type, lesson.minutes, _as_existing(lesson.texts)
                    )

    # -- modules > sections > placements -------------------------------------------------------

    def tree(self, modules: list[ModuleSpec]) -> None:
        content = (
            load_content(self.session, self.org_id, self.course_id) if self.exists else Content()
        )
        writer = self.writes.text(OrgCourseModuleTranslation, "module_id")
        for index, module in enumerate(modules):
            values = _node_values(index, module.tier, module.required, module.minutes)
            module_id = self._node(
                "module",
                f"{self.key}/{module.slug}",
                OrgCourseModule,
                content.modules.get(module.slug),
                values,
                {"course_id": self.course_id, "slug": module.slug},
                writer,
                module.texts,
            )
            self.sections(module.slug, module_id, module.sections, content)
        if self.prune:
            wanted = {module.slug for module in modules}
            for slug, node in sorted(content.modules.items()):
                if slug not in wanted:
                    self.changes.delete("module", f"{self.key}/{slug}")
                    self.writes.delete(OrgCourseModule, node.id)
                    self._drop_sections(content, slug, set())

    def sections(
        self, module_slug: str, module_id: uuid.UUID, sections: list[SectionSpec], content: Content
    ) -> None:
        writer = self.writes.text(OrgCourseModuleSectionTranslation, "section_id")
        for index, section in enumerate(sections):
            values = _node_values(index, section.tier, section.required, section.minutes)
            section_id = self._node(
                "section",
                f"{self.key}/{module_slug}/{section.slug}",
                OrgCourseModuleSection,
                content.sections.get((module_slug, section.slug)),
                values,
                {"module_id": module_id, "slug": section.slug},
                writer,
                section.texts,
            )
            self.placements(module_slug, section, section_id, content)
        if self.prune and module_slug in content.modules:
            self._drop_sections(content, module_slug, {section.slug for section in sections})

    def placements(
        self, module_slug: str, section: SectionSpec, section_id: uuid.UUID, content: Content
    ) -> None:
        for index, placement in enumerate(section.placements):
            key = (module_slug, section.slug, placement.lesson)
            values = {
                "sort_order": index,
                "required_access_tier": placement.tier,
                "is_required": placement.required,
            }
            lesson = self.context.library[placement.lesson]
            self._node(
                "placement",
                f"{self.key}/{'/'.join(key)}",
                OrgCourseModuleSectionLesson,
                content.placements.get(key),
                values,
                {"section_id": section_id, "lesson_id": lesson.id},
                None,
                {},
            )
        if self.prune:
            wanted = {placement.lesson for placement in section.placements}
            for (m_slug, s_slug, l_slug), node in sorted(content.placements.items()):
                if (m_slug, s_slug) == (module_slug, section.slug) and l_slug not in wanted:
                    self._drop_placement(f"{m_slug}/{s_slug}/{l_slug}", node)

    def _node(
        self,
        entity: str,
        key: str,
        model: type[Any],
        old: Node | None,
        values: dict[str, Any],
        identity: dict[str, Any],
        writer: TranslationWriter | None,
        texts: dict[str, dict[str, str | None]],
    ) -> uuid.UUID:
        if old is None:
            node_id = uuid7()
            self.changes.create(entity, key)
            self.writes.insert(model, {"org_id": self.org_id, "id": node_id, **identity, **values})
            if writer is not None:
                writer.queue(node_id, {}, texts)
            return node_id
        fields = _shown(old.values, values)
        if writer is not None:
            fields += diff_texts(old.texts, texts, self.context.default_locale)
            writer.queue(old.id, old.texts, texts)
        self.changes.update(entity, key, fields)
        if old.values != values:
            self.writes.update(model, {"org_id": self.org_id, "id": old.id, **values})
        return old.id

    def _drop_sections(self, content: Content, module_slug: str, keep: set[str]) -> None:
        for (m_slug, s_slug), node in sorted(content.sections.items()):
            if m_slug == module_slug and s_slug not in keep:
                self.changes.delete("section", f"{self.key}/{m_slug}/{s_slug}")
                self.writes.delete(OrgCourseModuleSection, node.id)
                for (pm, ps, pl), placement in sorted(content.placements.items()):
                    if (pm, ps) == (m_slug, s_slug):
                        self._drop_placement(f"{pm}/{ps}/{pl}", placement)

    def _drop_placement(self, key: str, node: Node) -> None:
        self.changes.delete("placement", f"{self.key}/{key}")
        self.writes.delete(OrgCourseModuleSectionLesson, node.id)
        self.doomed_placements[node.id] = f"{self.key}/{key}"

    # -- skills --------------------------------------------------------------------------------

    def skills(self, spec: CourseSpec) -> None:
        assert spec.skills is not None
        self.context.load_skills(self.session, [skill.slug for skill in spec.skills])
        existing: dict[str, tuple[uuid.UUID, dict[str, Any]]] = {}
        if self.exists:
            link = table_of(OrgProductCourseSkill)
            skill = table_of(Skill)
            for row in self.session.connection().execute(
                select(
                    link.c.skill_id,
                    skill.c.slug,
                    link.c.kind,
                    link.c.weight,
                    link.c.proficiency_level,
                    link.c.sort_order,
                )
                .join_from(link, skill, skill.c.id == link.c.skill_id)
                .where(link.c.org_id == self.org_id, link.c.course_id == self.course_id)
            ):
                existing[row[1]] = (
                    row[0],
                    {
                        "kind": row[2],
                        "weight": row[3],
                        "proficiency_level": row[4],
                        "sort_order": row[5],
                    },
                )
        for index, item in enumerate(spec.skills):
            skill_id = self.context.skills.get(item.slug)
            if skill_id is None:
                skill_id = uuid7()
                self.changes.create("skill", item.slug)
                self.writes.insert(Skill, {"id": skill_id, "slug": item.slug})
                self.context.skills[item.slug] = skill_id
            values = {
                "kind": item.kind,
                "weight": item.weight,
                "proficiency_level": item.level,
                "sort_order": index,
            }
            key = {"org_id": self.org_id, "course_id": self.course_id, "skill_id": skill_id}
            old = existing.get(item.slug)
            if old is None:
                self.changes.create("course skill", f"{self.key}/{item.slug}")
                self.writes.insert(OrgProductCourseSkill, {**key, **values})
            else:
                self.changes.update(
                    "course skill", f"{self.key}/{item.slug}", _shown(old[1], values)
                )
                if old[1] != values:
                    self.writes.update(OrgProductCourseSkill, {**key, **values})
        if self.prune:
            wanted = {item.slug for item in spec.skills}
            for slug, (skill_id, _values) in sorted(existing.items()):
                if slug not in wanted:
                    self.changes.delete("course skill", f"{self.key}/{slug}")
                    self.writes.skill_deletes.append((self.org_id, self.course_id, skill_id))

    # -- guard -----------------------------------------------------------------------------------

    def guard(self) -> None:
        """A prune never silently deletes learners' progress."""
        if not self.doomed_placements:
            return
        progress = table_of(OrgMemberLessonProgress)
        blocked: list[str] = []
        for part in chunks(sorted(self.doomed_placements)):
            for placement_id, count in self.session.connection().execute(
                select(progress.c.placement_id, func.count())
                .where(progress.c.org_id == self.org_id, progress.c.placement_id.in_(part))
                .group_by(progress.c.placement_id)
            ):
                blocked.append(f"{self.doomed_placements[placement_id]} ({count} learners)")
        if blocked:
            raise ConflictError(
                "the prune would delete learners' progress on " + ", ".join(sorted(blocked)),
                "keep those lessons in the file, or import without --prune",
            )


def _node_values(index: int, tier: int, required: bool, minutes: int | None) -> dict[str, Any]:
    return {
        "sort_order": index,
        "required_access_tier": tier,
        "is_required": required,
        "estimated_minutes": minutes,
    }


def _as_existing(texts: dict[str, dict[str, str | None]]) -> Existing:
    return {locale: TranslationRow(locale, False, dict(values)) for locale, values in texts.items()}


def apply_course_content(
    session: Session,
    *,
    context: CourseSyncContext,
    product_id: uuid.UUID | None,
    course_key: str,
    spec: CourseSpec,
    changes: ChangeSet,
    prune: bool,
    dry_run: bool,
) -> None:
    """Plan a prepared course body against the product's content, record the plan in
    `changes`, and write it unless `dry_run`. `context.resolve` must have run without problems.
    Raises ConflictError when `prune` would delete placements that learners have progress on
    (before anything is written)."""
    if not dry_run:
        session.flush()  # rows the caller added through the ORM (a new product) come first
    planner = _Planner(session, context, product_id, course_key, changes, prune)
    planner.settings(spec)
    if spec.modules is not None:
        planner.lessons(spec)
        planner.tree(spec.modules)
    if spec.skills is not None:
        planner.skills(spec)
    planner.guard()
    if not dry_run:
        planner.writes.write(session)
