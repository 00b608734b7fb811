"""Sync a course body (modules > sections > placed lessons, the course's own lessons, skills,
level and difficulty) into a course product: the one code path behind `courses import` and a catalog
product's `course:` block (SPEC 4.1, 4.2).

Set-based: a course's existing content is read with a handful of queries, compared in memory,
and written with one executemany per table and shape. Every create, update and delete is recorded
in the caller's ChangeSet (unchanged entities are counted); in a dry run nothing is written.

Two ways to call it:
- `sync_course_content(...)` for one course: checks (raising InvalidInputError with every problem
  before anything is written), then plans and writes.
- A run over many courses (a catalog) shares one `CourseSyncContext`: `prepare_course_content`
  for every body (problems collected), `context.resolve(session, problems)` once, raise, then
  one `apply_course_contents` with a `CourseTarget` per product (the stored content of all of
  them is read in a few queries per 500 courses and written in one batch).

Lesson identity (SPEC 4.2): a lesson written inline is the course's own (created, changed and,
with `prune`, deleted with the course's content; another course never reads or changes it); a
`lesson: SLUG` places a lesson of the org's library, which an outline never changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.errors import ConflictError
from volmify_cli.ids import uuid7
from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.outline_schema import CourseBody
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
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.course_existing import Content, Node, load_existing
from volmify_cli.services.course_spec import (
    CourseSpec,
    CourseSyncContext,
    ModuleSpec,
    SectionSpec,
    prepare_course_content,
)
from volmify_cli.services.course_texts import (
    TranslationWriter,
    diff_texts,
)
from volmify_cli.services.course_writes import Writes

__all__ = [
    "CourseSyncContext",
    "CourseTarget",
    "apply_course_content",
    "apply_course_contents",
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
    "content_ref": "content",
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


# -- the plan --------------------------------------------------------------------------------------


class _Planner:
    """Plans one course against its stored content, into the run's shared write batch."""

    def __init__(
        self,
        context: CourseSyncContext,
        target: CourseTarget,
        content: Content,
        changes: ChangeSet,
        prune: bool,
        writes: Writes,
    ) -> None:
        self.context = context
        self.org_id = context.org.id
        self.course_id = target.product_id or uuid7()  # a new course in a dry run: not written
        # a course the run creates has no course row to compare its settings with: the
        # product's own write (the catalog's sync) creates it with them
        self.exists = target.product_id is not None and not target.new
        self.key = target.course_key
        self.content = content
        self.changes = changes
        self.prune = prune
        self.writes = writes
        self.own_lessons: dict[str, uuid.UUID] = {}  # slug -> id, of the lessons it writes inline

    # -- course settings (level, difficulty, minutes) ------------------------------------------

    def settings(self, spec: CourseSpec) -> None:
        if not self.exists:
            return
        old = self.content.settings
        if old is None:  # a course product without its course row: add it
            self.writes.insert(
                OrgProductCourse,
                {"org_id": self.org_id, "product_id": self.course_id, "product_type": "course"}
                | {"level": "beginner", "difficulty": 1, "estimated_minutes": None}
                | spec.settings,
            )
            return
        fields = _shown(old, spec.settings)
        if fields:
            self.changes.update("course", self.key, fields)
            self.writes.update(
                OrgProductCourse,
                {"org_id": self.org_id, "product_id": self.course_id, **spec.settings},
            )

    # -- the course's own lessons -------------------------------------------------------------

    def lessons(self, spec: CourseSpec) -> None:
        """Upsert the lessons this course writes inline (its own); with prune, delete its own
        lessons the file no longer has (after their placements)."""
        writer = self.writes.text(OrgLessonTranslation, "lesson_id")
        stored = self.content.lessons
        for slug, lesson in spec.lessons.items():
            key, values = f"{self.key}/{slug}", lesson.values()
            old = stored.get(slug)
            if old is None:
                lesson_id = uuid7()
                self.changes.create("lesson", key)
                self.writes.insert(
                    OrgLesson,
                    {
                        "org_id": self.org_id,
                        "id": lesson_id,
                        "course_id": self.course_id,
                        "slug": slug,
                        **values,
                    },
                )
                writer.queue(lesson_id, {}, lesson.texts)
            else:
                lesson_id = old.id
                fields = _shown(old.values, values) + diff_texts(
                    old.texts, lesson.texts, self.context.default_locale
                )
                self.changes.update("lesson", key, fields)
                if old.values != values:
                    row = {"org_id": self.org_id, "id": lesson_id, **values}
                    self.writes.update(OrgLesson, row)
                writer.queue(lesson_id, old.texts, lesson.texts)
            self.own_lessons[slug] = lesson_id
        if self.prune:
            for slug, node in sorted(stored.items()):
                if slug not in spec.lessons:
                    self.changes.delete("lesson", f"{self.key}/{slug}")
                    self.writes.delete(OrgLesson, node.id)

    # -- modules > sections > placements -------------------------------------------------------

    def tree(self, modules: list[ModuleSpec]) -> None:
        content = self.content
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
            key = (module_slug, section.slug, placement.lesson, placement.own)
            values = {
                "sort_order": index,
                "required_access_tier": placement.tier,
                "is_required": placement.required,
            }
            if placement.own:
                lesson_id = self.own_lessons[placement.lesson]
            else:
                lesson_id = self.context.library[placement.lesson].id
            self._node(
                "placement",
                f"{self.key}/{module_slug}/{section.slug}/{placement.lesson}",
                OrgCourseModuleSectionLesson,
                content.placements.get(key),
                values,
                {"section_id": section_id, "lesson_id": lesson_id},
                None,
                {},
            )
        if self.prune:
            wanted = {(placement.lesson, placement.own) for placement in section.placements}
            for (m_slug, s_slug, l_slug, own), node in sorted(content.placements.items()):
                if (m_slug, s_slug) == (module_slug, section.slug) and (l_slug, own) not in wanted:
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
                for (pm, ps, pl, _own), placement in sorted(content.placements.items()):
                    if (pm, ps) == (m_slug, s_slug):
                        self._drop_placement(f"{pm}/{ps}/{pl}", placement)

    def _drop_placement(self, key: str, node: Node) -> None:
        self.changes.delete("placement", f"{self.key}/{key}")
        self.writes.delete(OrgCourseModuleSectionLesson, node.id)
        self.writes.doomed_placements[node.id] = f"{self.key}/{key}"

    # -- skills --------------------------------------------------------------------------------

    def skills(self, spec: CourseSpec) -> None:
        assert spec.skills is not None
        existing = self.content.skills
        for index, item in enumerate(spec.skills):
            skill_id = self.context.skills.get(item.slug)
            first_mention = item.slug not in self.context.counted_skills
            self.context.counted_skills.add(item.slug)
            if skill_id is None:
                skill_id = uuid7()
                self.changes.create("skill", item.slug)
                self.writes.insert(Skill, {"id": skill_id, "slug": item.slug})
                self.context.skills[item.slug] = skill_id
            elif first_mention:
                self.changes.keep("skill")
            values = {
                "kind": item.kind,
                "weight": item.weight,
                "proficiency_level": item.level,
                "sort_order": index,
            }
            key = {"org_id": self.org_id, "course_id": self.course_id, "skill_id": skill_id}
            old = existing.get(item.slug)
            entity, name = "course skill", f"{self.key}/{item.slug}"
            if old is None:
                self.changes.create(entity, name)
                self.writes.insert(OrgProductCourseSkill, {**key, **values})
            else:
                self.changes.update(entity, name, _shown(old.values, values))
                if old.values != values:
                    self.writes.update(OrgProductCourseSkill, {**key, **values})
        if self.prune:
            wanted = {item.slug for item in spec.skills}
            for slug, node in sorted(existing.items()):
                if slug not in wanted:
                    self.changes.delete("course skill", f"{self.key}/{slug}")
                    self.writes.skill_deletes.append((self.org_id, self.course_id, node.id))


def _guard(session: Session, org_id: uuid.UUID, doomed: dict[uuid.UUID, str]) -> None:
    """A prune never silently deletes learners' progress. Raises ConflictError."""
    progress = table_of(OrgMemberLessonProgress)
    blocked: list[str] = []
    for part in chunks(sorted(doomed)):
        for placement_id, count in session.connection().execute(
            select(progress.c.placement_id, func.count())
            .where(progress.c.org_id == org_id, progress.c.placement_id.in_(part))
            .group_by(progress.c.placement_id)
        ):
            blocked.append(f"{doomed[placement_id]} ({count} learners)")
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


@dataclass(frozen=True)
class CourseTarget:
    """One course of a run: its product (None only for a new course in a dry run), the slug
    that keys its plan lines, and its prepared body. `new`: the product's id is planned and
    its rows are written by the same run, before the course's."""

    product_id: uuid.UUID | None
    course_key: str
    spec: CourseSpec
    new: bool = False


def apply_course_contents(
    session: Session,
    *,
    context: CourseSyncContext,
    targets: Sequence[CourseTarget],
    changes: ChangeSet,
    prune: bool,
    dry_run: bool,
) -> Writes:
    """Plan every prepared course body against its product's stored content (read in a few
    queries per 500 courses), record the plan in `changes`, and write it all in one batch
    unless `dry_run`; the planned writes (a dry run's are written later by `Writes.write`, in
    the same transaction). `context.resolve` must have run without problems. Raises
    ConflictError when `prune` would delete placements that learners have progress on (before
    anything is written)."""
    if not dry_run:
        session.flush()  # rows the caller added through the ORM (a new product) come first
    existing = load_existing(
        session, context.org.id, [t.product_id for t in targets if t.product_id is not None]
    )
    slugs = sorted({skill.slug for t in targets for skill in t.spec.skills or []})
    context.load_skills(session, slugs)
    writes = Writes(context.org.id, context.default_locale)
    for target in targets:
        content = existing.get(target.product_id) if target.product_id else None
        planner = _Planner(context, target, content or Content(), changes, prune, writes)
        planner.settings(target.spec)
        if target.spec.modules is not None:
            planner.lessons(target.spec)
            planner.tree(target.spec.modules)
        if target.spec.skills is not None:
            planner.skills(target.spec)
    if writes.doomed_placements:
        _guard(session, context.org.id, writes.doomed_placements)
    if not dry_run:
        writes.write(session)
    return writes


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
    """`apply_course_contents` for one course."""
    apply_course_contents(
        session,
        context=context,
        targets=[CourseTarget(product_id, course_key, spec)],
        changes=changes,
        prune=prune,
        dry_run=dry_run,
    )
