"""The org's lesson library (SPEC 4.2): lessons that courses place with `lesson: SLUG`, created
and changed only explicitly, by a `kind: lesson_library` document (`courses import`) or the
`courses lessons` commands (`lesson_edits`, `lesson_reuse`). An outline never changes them.

One write path: the document reader and every command build `LessonInput`s and hand them to
`write_library`, which diffs them against the stored lessons by slug and writes through the
course write batch. Changing a library lesson changes every course that places it, so each
change names those courses (`placed_in`), in a dry run too.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.errors import NotFoundError
from volmify_cli.ids import uuid7
from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.outline_schema import LessonLibraryDoc
from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgLesson,
    OrgLessonTranslation,
)
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import OrgProduct
from volmify_cli.services.changes import ChangeSet, diff_fields
from volmify_cli.services.course_spec import CourseSyncContext, prepare_texts
from volmify_cli.services.course_texts import Existing, Texts, diff_texts, load_translations
from volmify_cli.services.course_writes import Writes
from volmify_cli.services.lookup import get_org
from volmify_cli.translation_choice import choose_translation

CONTENT = ("type", "estimated_minutes", "content_ref")  # what a copy takes from its origin
COLUMNS = (*CONTENT, "shareable")
ORIGIN = ("origin_org_id", "origin_lesson_id", "origin_digest", "creator_profile_id")
SHOWN = {"estimated_minutes": "minutes", "content_ref": "content"}
FIELDS = ("title", "description")


@dataclass
class StoredLesson:
    id: uuid.UUID
    slug: str
    values: dict[str, Any]  # COLUMNS
    origin: dict[str, Any]  # ORIGIN
    course_id: uuid.UUID | None = None
    texts: Existing = field(default_factory=dict)


@dataclass
class LessonInput:
    """A library lesson as a document or a command states it. `values` holds the columns it
    sets (a command's update only the ones given); `texts` the locales it sets; `origin`
    what a copy or a sync records of the lesson it came from."""

    slug: str
    values: dict[str, Any]
    texts: Texts
    origin: dict[str, Any] = field(default_factory=dict)


@dataclass
class LibraryImport:
    """The plan of a library write, and the courses that place each changed lesson."""

    changes: ChangeSet
    placed_in: dict[str, list[str]]  # changed lesson slug -> course slugs, sorted


class LessonRead(TypedDict):
    slug: str
    title: str | None
    type: str
    minutes: int | None
    shareable: bool
    origin: str | None  # ORG/LESSON of a copy
    courses: int


class LessonDetailRead(LessonRead):
    description: str | None
    content: str | None
    placed_in: list[str]
    translations: dict[str, dict[str, str | None]]


# -- reading ---------------------------------------------------------------------------------------


def load_library(
    session: Session, org_id: uuid.UUID, slugs: Iterable[str] | None = None
) -> dict[str, StoredLesson]:
    """The library lessons with these slugs (every one with None), with their texts."""
    table = table_of(OrgLesson)
    columns = (table.c.slug, table.c.id, *(table.c[c] for c in (*COLUMNS, *ORIGIN)))
    query = select(*columns).where(table.c.org_id == org_id, table.c.course_id.is_(None))
    found: dict[str, StoredLesson] = {}
    parts = [None] if slugs is None else list(chunks(sorted(set(slugs))))
    for part in parts:
        scoped = query if part is None else query.where(table.c.slug.in_(part))
        for row in session.connection().execute(scoped):
            found[row[0]] = _stored(row)
    _attach_texts(session, org_id, found.values())
    return found


def _stored(row: Any) -> StoredLesson:
    """A lesson from a row of (slug, id, *COLUMNS, *ORIGIN), without its texts."""
    values = dict(zip(COLUMNS, row[2 : 2 + len(COLUMNS)], strict=True))
    values["shareable"] = bool(values["shareable"])
    origin = dict(zip(ORIGIN, row[2 + len(COLUMNS) :], strict=True))
    return StoredLesson(row[1], row[0], values, origin)


def _attach_texts(session: Session, org_id: uuid.UUID, lessons: Iterable[StoredLesson]) -> None:
    lessons = list(lessons)
    texts = load_translations(
        session,
        OrgLessonTranslation,
        org_id=org_id,
        parent_field="lesson_id",
        parent_ids=[lesson.id for lesson in lessons],
        fields=FIELDS,
    )
    for lesson in lessons:
        lesson.texts = texts.get(lesson.id, {})


def library_lesson(session: Session, org: Org, slug: str) -> StoredLesson:
    """Raises NotFoundError."""
    found = load_library(session, org.id, [slug]).get(slug)
    if found is None:
        raise NotFoundError(
            f"lesson {slug!r} not found in org {org.slug}'s lesson library",
            "see `volmify courses lessons list`",
        )
    return found


def courses_placing(
    session: Session, org_id: uuid.UUID, lesson_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """lesson id -> the slugs of the courses that place it, sorted."""
    p = table_of(OrgCourseModuleSectionLesson)
    s = table_of(OrgCourseModuleSection)
    m = table_of(OrgCourseModule)
    product = table_of(OrgProduct)
    result: dict[uuid.UUID, set[str]] = {}
    for part in chunks(sorted(set(lesson_ids))):
        query = (
            select(p.c.lesson_id, product.c.slug)
            .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
            .join(m, and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id))
            .join(product, and_(product.c.org_id == m.c.org_id, product.c.id == m.c.course_id))
            .where(p.c.org_id == org_id, p.c.lesson_id.in_(part))
        )
        for lesson_id, slug in session.connection().execute(query):
            result.setdefault(lesson_id, set()).add(slug)
    return {lesson_id: sorted(slugs) for lesson_id, slugs in result.items()}


def content_digest(values: dict[str, Any], texts: Existing) -> str:
    """A lesson's content (what a copy takes: type, minutes, content, texts) as a digest."""
    shape = {
        "values": [values.get(name) for name in CONTENT],
        "texts": sorted((locale, sorted(row.values.items())) for locale, row in texts.items()),
    }
    encoded = json.dumps(shape, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(encoded, digest_size=32).hexdigest()


# -- the one write path ----------------------------------------------------------------------------


def write_library(
    session: Session,
    org: Org,
    inputs: Sequence[LessonInput],
    *,
    default_locale: str,
    dry_run: bool = False,
) -> LibraryImport:
    """Create or update these lessons of the org's library (by slug; lessons not named stay),
    and name the courses that place each changed one."""
    stored = load_library(session, org.id, [lesson.slug for lesson in inputs])
    changes = ChangeSet()
    writes = Writes(org.id, default_locale)
    writer = writes.text(OrgLessonTranslation, "lesson_id")
    changed: dict[str, uuid.UUID] = {}
    for lesson in inputs:
        old = stored.get(lesson.slug)
        if old is None:
            lesson_id = uuid7()
            changes.create("lesson", lesson.slug)
            row = {"org_id": org.id, "id": lesson_id, "slug": lesson.slug}
            writes.insert(OrgLesson, row | lesson.values | lesson.origin)
            writer.queue(lesson_id, {}, lesson.texts)
            continue
        fields = [
            (SHOWN.get(name, name), before, after)
            for name, before, after in diff_fields(old.values, lesson.values)
        ] + diff_texts(old.texts, lesson.texts, default_locale)
        changes.update("lesson", lesson.slug, fields)
        if fields:
            changed[lesson.slug] = old.id
        moved = diff_fields(old.values, lesson.values) + diff_fields(old.origin, lesson.origin)
        if moved:
            update = {"org_id": org.id, "id": old.id, **lesson.values, **lesson.origin}
            writes.update(OrgLesson, update)
        writer.queue(old.id, old.texts, lesson.texts)
    placing = courses_placing(session, org.id, changed.values())
    placed_in = {slug: placing[i] for slug, i in changed.items() if i in placing}
    if not dry_run:
        writes.write(session)
    return LibraryImport(changes, placed_in)


# -- the document ----------------------------------------------------------------------------------


def import_library(
    session: Session,
    *,
    org: str,
    doc: LessonLibraryDoc,
    filename: str,
    dry_run: bool = False,
) -> LibraryImport:
    """A `kind: lesson_library` document into the org's library. Raises NotFoundError (org)
    and InvalidInputError (every problem of the file, with FILE:LINE:COLUMN; nothing
    written)."""
    the_org = get_org(session, org)
    context = CourseSyncContext.for_org(session, the_org)
    problems = Problems(filename)
    inputs: dict[str, LessonInput] = {}
    for index, lesson in enumerate(doc.lessons):
        path = f"lessons[{index}]"
        slug = str(lesson.slug)
        texts = prepare_texts(
            lesson, context=context, problems=problems, filename=filename, path=path
        )
        if slug in inputs:
            problems.add(lesson.slug, f"{path}.slug", f"lesson {slug!r} is in the file twice")
            continue
        values = {
            "type": str(lesson.type),
            "estimated_minutes": lesson.minutes,
            "content_ref": str(lesson.content) if lesson.content is not None else None,
            "shareable": lesson.shareable,
        }
        inputs[slug] = LessonInput(slug, values, texts)
    problems.raise_if_any()
    return write_library(
        session,
        the_org,
        list(inputs.values()),
        default_locale=context.default_locale,
        dry_run=dry_run,
    )


# -- reading for people -------------------------------------------------------------------------


def list_lessons(session: Session, *, org: str, locale: str | None = None) -> list[LessonRead]:
    """The org's library lessons, all at once (see `iter_lessons`)."""
    return list(iter_lessons(session, org=org, locale=locale))


READ_BATCH = 1000  # lessons per fetch: each batch's texts, courses and origins in a few queries


def iter_lessons(session: Session, *, org: str, locale: str | None = None) -> Iterator[LessonRead]:
    """The org's library lessons by slug, with the courses placing each, streamed from the
    database in batches (a list prints its first row at once). Raises NotFoundError (before
    the first row)."""
    the_org = get_org(session, org)
    table = table_of(OrgLesson)
    columns = (table.c.slug, table.c.id, *(table.c[c] for c in (*COLUMNS, *ORIGIN)))
    query = (
        select(*columns)
        .where(table.c.org_id == the_org.id, table.c.course_id.is_(None))
        .order_by(table.c.slug)
    )
    found = session.connection().execute(query.execution_options(yield_per=READ_BATCH))
    return (
        read for batch in found.partitions() for read in _reads(session, the_org.id, batch, locale)
    )


def _reads(
    session: Session, org_id: uuid.UUID, rows: Sequence[Any], locale: str | None
) -> list[LessonRead]:
    lessons = [_stored(row) for row in rows]
    _attach_texts(session, org_id, lessons)
    placing = courses_placing(session, org_id, [lesson.id for lesson in lessons])
    origins = _origin_names(session, lessons)
    return [_read(lesson, locale, placing.get(lesson.id, []), origins) for lesson in lessons]


def show_lesson(
    session: Session, *, org: str, slug: str, locale: str | None = None
) -> LessonDetailRead:
    """A library lesson with its texts, origin and the courses that place it. Raises
    NotFoundError."""
    the_org = get_org(session, org)
    lesson = library_lesson(session, the_org, slug)
    placed = courses_placing(session, the_org.id, [lesson.id]).get(lesson.id, [])
    read = _read(lesson, locale, placed, _origin_names(session, [lesson]))
    chosen = choose_translation(lesson.texts, locale)
    return LessonDetailRead(
        **read,
        description=chosen.values.get("description") if chosen else None,
        content=lesson.values["content_ref"],
        placed_in=placed,
        translations={k: dict(row.values) for k, row in sorted(lesson.texts.items())},
    )


def _read(
    lesson: StoredLesson, locale: str | None, placed: list[str], origins: dict[Any, str]
) -> LessonRead:
    chosen = choose_translation(lesson.texts, locale)
    return LessonRead(
        slug=lesson.slug,
        title=chosen.values.get("title") if chosen else None,
        type=lesson.values["type"],
        minutes=lesson.values["estimated_minutes"],
        shareable=lesson.values["shareable"],
        origin=origins.get(lesson.origin["origin_lesson_id"]),
        courses=len(placed),
    )


def _origin_names(session: Session, lessons: Iterable[StoredLesson]) -> dict[Any, str]:
    """origin lesson id -> ORG/LESSON (the origin may be gone: its ids are plain references)."""
    wanted = {
        (lesson.origin["origin_org_id"], lesson.origin["origin_lesson_id"])
        for lesson in lessons
        if lesson.origin["origin_lesson_id"] is not None
    }
    table, org_table = table_of(OrgLesson), table_of(Org)
    found: dict[Any, str] = {}
    for part in chunks(sorted({lesson_id for _, lesson_id in wanted})):  # a few queries in all
        query = (
            select(table.c.org_id, table.c.id, org_table.c.slug, table.c.slug)
            .join_from(table, org_table, org_table.c.id == table.c.org_id)
            .where(table.c.id.in_(part))
        )
        for org_id, lesson_id, org_slug, slug in session.connection().execute(query):
            if (org_id, lesson_id) in wanted:
                found[lesson_id] = f"{org_slug}/{slug}"
    names = {lesson_id: found.get(lesson_id, f"(deleted) {lesson_id}") for _, lesson_id in wanted}
    return names
