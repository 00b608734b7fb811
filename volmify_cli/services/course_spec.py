"""From a validated outline body (`CourseBody`) to a checked specification of a course's content:
slugs derived where absent, sibling slugs unique, locales the org's, the course's own lessons
(written inline) consistent within the course, placed library lessons found in the org's
library. Nothing is written here.

A `CourseSyncContext` is shared by every course body of one run (a catalog holds many): it knows
the org's locales, collects the library lessons the run places (`lesson: SLUG`), and loads them
and the skills the run needs in a few queries. A course's inline lessons are its own: another
course of the run never sees them (SPEC 4.2, lesson identity).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.outline_schema import CourseBody, LessonDoc, ModuleDoc, SectionDoc
from volmify_cli.models.courses import OrgLesson, OrgLessonTranslation, Skill
from volmify_cli.models.orgs import Org, OrgLocale
from volmify_cli.rules import slugify
from volmify_cli.services.course_texts import Existing, Texts, load_translations, texts_of

Where = tuple[str, int | None, int | None]  # file, line, column


def _where(filename: str, at: Any) -> Where:
    if hasattr(at, "mark"):
        line, column = at.mark
    else:
        line, column = getattr(at, "line", None), getattr(at, "column", None)
    return (filename, line, column)


def show_where(where: Where) -> str:
    file, line, _column = where
    return f"{file}:{line}" if line is not None else file


@dataclass
class LessonSpec:
    """An inline lesson: the course's own, upserted by its slug within the course."""

    slug: str
    type: str
    minutes: int | None
    content_ref: str | None
    texts: Texts
    where: Where

    def values(self) -> dict[str, Any]:
        """The lesson's columns as stored (texts apart)."""
        return {
            "type": self.type,
            "estimated_minutes": self.minutes,
            "content_ref": self.content_ref,
        }

    def content(self) -> tuple[Any, ...]:
        return (
            sorted(self.values().items()),
            sorted((k, sorted(v.items())) for k, v in self.texts.items()),
        )


@dataclass
class PlacementSpec:
    lesson: str  # the lesson's slug: the course's own (`own`) or the library's
    own: bool
    tier: int
    required: bool
    where: Where


@dataclass
class SectionSpec:
    slug: str
    tier: int
    required: bool
    minutes: int | None
    texts: Texts
    placements: list[PlacementSpec]


@dataclass
class ModuleSpec:
    slug: str
    tier: int
    required: bool
    minutes: int | None
    texts: Texts
    sections: list[SectionSpec]


@dataclass
class SkillSpec:
    slug: str
    kind: str
    weight: int
    level: str | None


@dataclass
class CourseSpec:
    """A course body, checked. `modules`/`skills` are None when the body does not have the key
    (then that part of the course is left alone); `settings` holds only the keys given."""

    settings: dict[str, Any]
    modules: list[ModuleSpec] | None
    skills: list[SkillSpec] | None
    lessons: dict[str, LessonSpec] = field(default_factory=dict)  # its own, by slug


@dataclass
class LibraryLesson:
    id: uuid.UUID
    slug: str
    type: str
    minutes: int | None
    texts: Existing


@dataclass
class CourseSyncContext:
    """Shared by every course body of one run in one organization."""

    org: Org
    locales: list[str]
    default_locale: str
    references: list[tuple[str, Where, str]] = field(default_factory=list)  # slug, where, path
    library: dict[str, LibraryLesson] = field(default_factory=dict)
    skills: dict[str, uuid.UUID | None] = field(default_factory=dict)
    # Global skills are counted once per run (created, or unchanged when they already exist),
    # so a second identical import reports them as unchanged, not as nothing.
    counted_skills: set[str] = field(default_factory=set)
    _resolved: bool = False

    @classmethod
    def for_org(cls, session: Session, org: Org) -> CourseSyncContext:
        table = table_of(OrgLocale)
        rows = (
            session.connection()
            .execute(
                select(table.c.locale_key, table.c.is_default)
                .where(table.c.org_id == org.id)
                .order_by(table.c.sort_order, table.c.locale_key)
            )
            .all()
        )
        locales = [row[0] for row in rows]
        default = next((row[0] for row in rows if row[1]), org.default_locale_key)
        return cls(org=org, locales=locales, default_locale=default)

    def resolve(self, session: Session, problems: Problems) -> None:
        """Load the library lessons the run places and report every placed slug that is not
        in this org's library (library lessons are created explicitly, never by an outline)."""
        wanted = sorted({slug for slug, _w, _p in self.references})
        self.load_lessons(session, [slug for slug in wanted if slug not in self.library])
        for slug, where, path in self.references:
            if slug not in self.library:
                problems.add(
                    (where[1], where[2]),
                    path,
                    f"lesson {slug!r} not found in org {self.org.slug}'s lesson library "
                    "(`lesson: SLUG` places a library lesson; write a course's own lesson "
                    "inline, with its title; a library comes from another database with "
                    "`courses lessons export` and `courses import`)",
                    filename=where[0],
                )
        self._resolved = True

    def load_lessons(self, session: Session, slugs: Sequence[str]) -> None:
        found: dict[uuid.UUID, LibraryLesson] = {}
        table = table_of(OrgLesson)
        for part in chunks(list(slugs)):
            query = select(table.c.id, table.c.slug, table.c.type, table.c.estimated_minutes).where(
                table.c.org_id == self.org.id, table.c.course_id.is_(None), table.c.slug.in_(part)
            )
            for row in session.connection().execute(query):
                found[row[0]] = LibraryLesson(row[0], row[1], row[2], row[3], {})
        texts = load_translations(
            session,
            OrgLessonTranslation,
            org_id=self.org.id,
            parent_field="lesson_id",
            parent_ids=list(found),
            fields=("title", "description"),
        )
        for lesson_id, lesson in found.items():
            lesson.texts = texts.get(lesson_id, {})
            self.library[lesson.slug] = lesson

    def load_skills(self, session: Session, slugs: Sequence[str]) -> None:
        missing = [slug for slug in slugs if slug not in self.skills]
        table = table_of(Skill)
        for part in chunks(missing):
            query = select(table.c.id, table.c.slug).where(table.c.slug.in_(part))
            for row in session.connection().execute(query):
                self.skills[row[1]] = row[0]


def _join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


class _Preparer:
    def __init__(
        self, context: CourseSyncContext, problems: Problems, filename: str, prefix: str
    ) -> None:
        self.context = context
        self.problems = problems
        self.filename = filename
        self.prefix = prefix
        self.lessons: dict[str, LessonSpec] = {}  # the course's own, by slug

    def add(self, at: Any, path: str, message: str) -> None:
        self.problems.add(at, _join(self.prefix, path), message, filename=self.filename)

    # -- texts ---------------------------------------------------------------------------------

    def locale_map(self, value: Any, path: str) -> dict[str, str] | None:
        if value is None:
            return None
        if isinstance(value, dict):
            result: dict[str, str] = {}
            for key, text in value.items():
                if key not in self.context.locales:
                    self.add(
                        key,
                        path,
                        f"locale {str(key)!r} is not one of org {self.context.org.slug}'s "
                        f"locales ({', '.join(self.context.locales)})",
                    )
                result[str(key)] = str(text)
            return result
        return {self.context.default_locale: str(value)}

    def texts(self, doc: Any, path: str) -> Texts:
        title = self.locale_map(doc.title, _join(path, "title")) or {}
        description = self.locale_map(doc.description, _join(path, "description"))
        for locale in description or {}:
            if locale not in title:
                self.add(
                    doc.description,
                    _join(path, "description"),
                    f"a description in {locale} needs a title in {locale}",
                )
        return texts_of({"title": title, "description": description})

    def slug(self, doc: Any, texts: Texts, path: str) -> str:
        given = getattr(doc, "slug", None)
        if given is not None:
            return str(given)
        title = texts.get(self.context.default_locale, {}).get("title")
        if title is None:
            self.add(
                doc,
                path,
                f"no slug, and no title in the org's default locale "
                f"{self.context.default_locale} to derive one from: add a slug",
            )
            return ""
        derived = slugify(title)
        if not derived:
            self.add(doc, path, f"cannot derive a slug from the title {title!r}: add a slug")
        return derived

    def unique(self, seen: dict[str, Any], slug: str, at: Any, path: str, noun: str) -> None:
        if not slug:
            return
        if slug in seen:
            first = seen[slug]
            line = first.mark[0] if hasattr(first, "mark") else getattr(first, "line", None)
            self.add(
                at,
                path,
                f"{noun} slug {slug!r} is used twice among its siblings (line {line} and line "
                f"{_where(self.filename, at)[1]})",
            )
        else:
            seen[slug] = at

    # -- the tree ------------------------------------------------------------------------------

    def modules(self, docs: Sequence[ModuleDoc]) -> list[ModuleSpec]:
        seen: dict[str, Any] = {}
        result = []
        for index, doc in enumerate(docs):
            path = f"modules[{index}]"
            texts = self.texts(doc, path)
            slug = self.slug(doc, texts, path)
            self.unique(seen, slug, doc, path, "module")
            sections = self.sections(doc.sections, path)
            result.append(ModuleSpec(slug, doc.tier, doc.required, doc.minutes, texts, sections))
        return result

    def sections(self, docs: Sequence[SectionDoc], parent: str) -> list[SectionSpec]:
        seen: dict[str, Any] = {}
        result = []
        for index, doc in enumerate(docs):
            path = f"{parent}.sections[{index}]"
            texts = self.texts(doc, path)
            slug = self.slug(doc, texts, path)
            self.unique(seen, slug, doc, path, "section")
            placements = self.placements(doc.lessons, path)
            result.append(SectionSpec(slug, doc.tier, doc.required, doc.minutes, texts, placements))
        return result

    def placements(self, docs: Sequence[LessonDoc], parent: str) -> list[PlacementSpec]:
        seen: dict[str, Any] = {}
        result = []
        for index, doc in enumerate(docs):
            path = f"{parent}.lessons[{index}]"
            where = _where(self.filename, doc)
            own = doc.lesson is None
            if not own:
                slug = str(doc.lesson)
                self.context.references.append((slug, where, _join(self.prefix, path)))
            else:
                slug = self.inline_lesson(doc, path)
            if slug and slug in seen:
                first = seen[slug]
                self.add(
                    doc,
                    path,
                    f"lesson {slug!r} is placed twice in this section (line {first.mark[0]} "
                    f"and line {where[1]})",
                )
            elif slug:
                seen[slug] = doc
            result.append(PlacementSpec(slug, own, doc.tier, doc.required, where))
        return result

    def inline_lesson(self, doc: LessonDoc, path: str) -> str:
        texts = self.texts(doc, path)
        slug = self.slug(doc, texts, path)
        if not slug:
            return ""
        content = str(doc.content) if doc.content is not None else None
        spec = LessonSpec(
            slug, str(doc.type), doc.minutes, content, texts, _where(self.filename, doc)
        )
        known = self.lessons.get(slug)
        if known is None:
            self.lessons[slug] = spec
        elif known.content() != spec.content():
            self.add(
                doc,
                path,
                f"lesson {slug!r} is defined again in this course with different content "
                f"(first at {show_where(known.where)}): a course's lesson slugs are unique "
                "within the course (repeat it unchanged to place it again)",
            )
        return slug

    def skills(self, body: CourseBody) -> list[SkillSpec]:
        seen: dict[str, Any] = {}
        result = []
        for index, doc in enumerate(body.skills):
            slug = str(doc.skill)
            self.unique(seen, slug, doc, f"skills[{index}]", "skill")
            level = str(doc.level) if doc.level is not None else None
            result.append(SkillSpec(slug, str(doc.kind), doc.weight, level))
        return result


def prepare_texts(
    doc: Any,
    *,
    context: CourseSyncContext,
    problems: Problems,
    filename: str,
    path: str = "",
) -> Texts:
    """The `title`/`description` of `doc` as locale -> {title, description}, checking that the
    locales are the org's (problems are added, not raised)."""
    return _Preparer(context, problems, filename, "").texts(doc, path)


SETTINGS = {"level": "level", "difficulty": "difficulty", "minutes": "estimated_minutes"}


def prepare_course_content(
    *,
    body: CourseBody,
    context: CourseSyncContext,
    problems: Problems,
    filename: str,
    path_prefix: str = "",
) -> CourseSpec:
    """Check a course body against the org (locales, slugs, inline lessons) and turn it into a
    `CourseSpec`. Problems are added to `problems` (with file, line and column); nothing is
    raised or written. Call `context.resolve(session, problems)` once after every body of the
    run has been prepared, so reused lessons are checked against the library and the run."""
    preparer = _Preparer(context, problems, filename, path_prefix)
    given = body.model_fields_set
    settings = {
        column: (str(value) if name == "level" else value)
        for name, column in SETTINGS.items()
        if name in given
        for value in [getattr(body, name)]
    }
    modules = preparer.modules(body.modules) if "modules" in given else None
    skills = preparer.skills(body) if "skills" in given else None
    return CourseSpec(settings, modules, skills, preparer.lessons)
