"""The org's lesson library (SPEC 4.2): lessons that courses place with `lesson: SLUG`, created
and changed only explicitly, by a `kind: lesson_library` document (`courses import`) or the
`courses lessons` commands. An outline never changes them.

One write path: the document reader and every command build `LessonInput`s and hand them to
`write_library`, which diffs them against the stored lessons by slug and writes through the
course write batch. Changing a library lesson changes every course that places it, so each
change names those courses (`placed_in`), in a dry run too.

Reuse across organizations is by copy, never by reference: `copy_lesson` copies a lesson that
its org marked `shareable` (any other is "not found" from another org), keeping its origin (org
and lesson, plain references) and its creator profile; `origin_digest` remembers the origin's
content as copied or last synced, so `diff_lesson` tells an upstream change from a local one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.db.types import utcnow
from volmify_cli.enums import LessonType, enum_value
from volmify_cli.errors import ConflictError, NotFoundError, UsageError
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
from volmify_cli.rulebook import DESCRIPTION, LESSON_CONTENT, MINUTES, TITLE
from volmify_cli.rules import check_slug
from volmify_cli.services.changes import ChangeSet, diff_fields
from volmify_cli.services.course_spec import CourseSyncContext, prepare_texts
from volmify_cli.services.course_texts import Existing, Texts, diff_texts, load_translations
from volmify_cli.services.course_writes import Writes
from volmify_cli.services.lookup import get_content_locale, get_org
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
            values = dict(zip(COLUMNS, row[2 : 2 + len(COLUMNS)], strict=True))
            values["shareable"] = bool(values["shareable"])
            origin = dict(zip(ORIGIN, row[2 + len(COLUMNS) :], strict=True))
            found[row[0]] = StoredLesson(row[1], row[0], values, origin)
    _attach_texts(session, org_id, found.values())
    return found


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


# -- commands --------------------------------------------------------------------------------------


def _option_values(
    type: str | None, minutes: int | None, content: str | None, shareable: bool | None
) -> dict[str, Any]:
    """The columns given on the command line, checked by the rule book (an empty --content
    clears it)."""
    values: dict[str, Any] = {}
    if type is not None:
        values["type"] = str(enum_value(LessonType, type, "lesson type"))
    if minutes is not None:
        values["estimated_minutes"] = MINUTES.check(minutes)
    if content is not None:
        values["content_ref"] = LESSON_CONTENT.check(content, required=False) or None
    if shareable is not None:
        values["shareable"] = shareable
    return values


def _option_texts(locale: str, title: str | None, description: str | None) -> Texts:
    texts: dict[str, str | None] = {}
    if title is not None:
        texts["title"] = TITLE.check(title)
    if description is not None:
        texts["description"] = DESCRIPTION.check(description, required=False) or None
    return {locale: texts} if texts else {}


def create_lesson(
    session: Session,
    *,
    org: str,
    slug: str,
    title: str,
    type: str = LessonType.TEXT,
    minutes: int | None = None,
    description: str | None = None,
    content: str | None = None,
    shareable: bool = False,
    locale: str | None = None,
) -> LessonDetailRead:
    """Add a lesson to the org's library. Raises NotFoundError (org), ConflictError (the slug
    is taken), RuleError (a value the rule book refuses), UsageError (a bad type)."""
    the_org = get_org(session, org)
    check_slug(slug, "lesson slug")
    text_locale = get_content_locale(session, the_org, locale)
    if load_library(session, the_org.id, [slug]):
        raise ConflictError(f"lesson {slug!r} already exists in org {the_org.slug}'s library")
    values = {"type": LessonType.TEXT.value, "estimated_minutes": None, "content_ref": None}
    values |= _option_values(type, minutes, content, shareable)
    texts = _option_texts(text_locale, title, description)
    default = CourseSyncContext.for_org(session, the_org).default_locale
    write_library(session, the_org, [LessonInput(slug, values, texts)], default_locale=default)
    return show_lesson(session, org=org, slug=slug, locale=text_locale)


def update_lesson(
    session: Session,
    *,
    org: str,
    slug: str,
    title: str | None = None,
    type: str | None = None,
    minutes: int | None = None,
    description: str | None = None,
    content: str | None = None,
    shareable: bool | None = None,
    locale: str | None = None,
    dry_run: bool = False,
) -> LibraryImport:
    """Change a library lesson (texts in `locale`, default: the org's default locale); the
    result names the courses that place it. Raises like `create_lesson`, NotFoundError for a
    lesson the library lacks."""
    the_org = get_org(session, org)
    lesson = library_lesson(session, the_org, slug)
    text_locale = get_content_locale(session, the_org, locale)
    values = _option_values(type, minutes, content, shareable)
    texts = _option_texts(text_locale, title, description)
    if not values and not texts:
        raise UsageError("nothing to change: give --title, --type, --minutes, ... ")
    stored = lesson.texts.get(text_locale)
    if texts and stored is not None:  # the fields not given keep their text
        texts = {text_locale: {**stored.values, **texts[text_locale]}}
    elif texts and "title" not in texts[text_locale]:
        raise UsageError(f"lesson {slug!r} has no text in {text_locale} yet: give --title too")
    default = CourseSyncContext.for_org(session, the_org).default_locale
    lesson_input = LessonInput(slug, values, texts)
    return write_library(session, the_org, [lesson_input], default_locale=default, dry_run=dry_run)


def list_lessons(session: Session, *, org: str, locale: str | None = None) -> list[LessonRead]:
    the_org = get_org(session, org)
    lessons = load_library(session, the_org.id)
    placing = courses_placing(session, the_org.id, [lesson.id for lesson in lessons.values()])
    origins = _origin_names(session, lessons.values())
    return [
        _read(lesson, locale, placing.get(lesson.id, []), origins)
        for _, lesson in sorted(lessons.items())
    ]


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
    names: dict[Any, str] = {}
    table, org_table = table_of(OrgLesson), table_of(Org)
    for org_id, lesson_id in wanted:
        row = (
            session.connection()
            .execute(
                select(org_table.c.slug, table.c.slug)
                .join_from(table, org_table, org_table.c.id == table.c.org_id)
                .where(table.c.org_id == org_id, table.c.id == lesson_id)
            )
            .first()
        )
        names[lesson_id] = f"{row[0]}/{row[1]}" if row else f"(deleted) {lesson_id}"
    return names


def promote_lesson(session: Session, *, org: str, path: str) -> LessonDetailRead:
    """Move a course's own lesson (`COURSE/LESSON`) into the org's library; the course goes on
    placing it. Raises NotFoundError, ConflictError (the library has that slug already)."""
    the_org = get_org(session, org)
    course, _, slug = path.partition("/")
    if not course or not slug or "/" in slug:
        raise UsageError(f"{path!r}: write COURSE/LESSON (a course's own lesson)")
    table, product = table_of(OrgLesson), table_of(OrgProduct)
    row = session.connection().execute(
        select(table.c.id)
        .join_from(table, product, and_(product.c.org_id == table.c.org_id,
                                        product.c.id == table.c.course_id))
        .where(table.c.org_id == the_org.id, product.c.slug == course, table.c.slug == slug)
    ).first()  # fmt: skip
    if row is None:
        raise NotFoundError(
            f"course {course!r} has no lesson {slug!r} of its own in org {the_org.slug}",
            f"see `volmify courses tree {course}`",
        )
    if load_library(session, the_org.id, [slug]):
        raise ConflictError(
            f"the library of org {the_org.slug} has a lesson {slug!r} already",
            "rename one of them first",
        )
    session.connection().execute(
        table.update()
        .where(table.c.org_id == the_org.id, table.c.id == row[0])
        .values(course_id=None, updated_at=utcnow())
    )
    return show_lesson(session, org=org, slug=slug)


def delete_lesson(session: Session, *, org: str, slug: str) -> None:
    """Delete a library lesson that no course places (its texts go with it). Raises
    NotFoundError, ConflictError naming the courses that place it."""
    the_org = get_org(session, org)
    lesson = library_lesson(session, the_org, slug)
    placing = courses_placing(session, the_org.id, [lesson.id]).get(lesson.id)
    if placing:
        raise ConflictError(
            f"lesson {slug!r} is placed in {', '.join(placing)}",
            "remove it from those outlines (courses import --prune) first",
        )
    table = table_of(OrgLesson)
    session.connection().execute(
        table.delete().where(table.c.org_id == the_org.id, table.c.id == lesson.id)
    )


# -- reuse across organizations --------------------------------------------------------------------


def _shared_lesson(session: Session, from_org: str, slug: str) -> tuple[Org, StoredLesson]:
    """A lesson another org marked shareable. Anything else is not found, whether it exists
    or not (tenant isolation: another org's library is not browsable)."""
    source_org = get_org(session, from_org)
    found = load_library(session, source_org.id, [slug]).get(slug)
    if found is None or not found.values["shareable"]:
        raise NotFoundError(f"no shareable lesson {slug!r} in org {source_org.slug}")
    return source_org, found


def _copied_texts(session: Session, org: Org, source: StoredLesson) -> Texts:
    """The origin's texts in the locales this org has; when it has none of them, the origin's
    default text in this org's default locale."""
    context = CourseSyncContext.for_org(session, org)
    texts = {
        locale: dict(row.values)
        for locale, row in source.texts.items()
        if locale in context.locales
    }
    if texts or not source.texts:
        return texts
    chosen = choose_translation(source.texts, context.default_locale)
    return {context.default_locale: dict(chosen.values)} if chosen else {}


def copy_lesson(
    session: Session, *, org: str, slug: str, from_org: str, as_slug: str | None = None
) -> LessonDetailRead:
    """Copy another org's shareable library lesson into this org's library, keeping its
    origin and creator profile. Raises NotFoundError, ConflictError (the slug is taken)."""
    the_org = get_org(session, org)
    source_org, source = _shared_lesson(session, from_org, slug)
    if source_org.id == the_org.id:
        raise UsageError("a lesson is copied from another organization")
    target = check_slug(as_slug, "lesson slug") if as_slug is not None else slug
    if load_library(session, the_org.id, [target]):
        raise ConflictError(
            f"lesson {target!r} already exists in org {the_org.slug}'s library",
            "copy it under another slug with --as SLUG",
        )
    origin = {
        "origin_org_id": source_org.id,
        "origin_lesson_id": source.id,  # the lesson copied (itself perhaps a copy)
        "origin_digest": content_digest(source.values, source.texts),
        "creator_profile_id": source.origin["creator_profile_id"],
    }
    values = {name: source.values[name] for name in CONTENT} | {"shareable": False}
    texts = _copied_texts(session, the_org, source)
    default = CourseSyncContext.for_org(session, the_org).default_locale
    write_library(
        session, the_org, [LessonInput(target, values, texts, origin)], default_locale=default
    )
    return show_lesson(session, org=org, slug=target)


class LessonDiff(TypedDict):
    lesson: str
    origin: str
    upstream_changed: bool  # since the copy or the last sync
    differences: list[dict[str, Any]]  # {field, here, upstream}


def _upstream(session: Session, org: Org, slug: str) -> tuple[StoredLesson, StoredLesson, Org]:
    lesson = library_lesson(session, org, slug)
    origin_org_id = lesson.origin["origin_org_id"]
    if origin_org_id is None:
        raise UsageError(f"lesson {slug!r} is not a copy of another org's lesson")
    table = table_of(OrgLesson)
    row = (
        session.connection()
        .execute(
            select(table.c.slug).where(
                table.c.org_id == origin_org_id, table.c.id == lesson.origin["origin_lesson_id"]
            )
        )
        .first()
    )
    source_org = session.get(Org, origin_org_id)
    if row is None or source_org is None:
        raise NotFoundError(f"the origin of lesson {slug!r} no longer exists")
    _, source = _shared_lesson(session, source_org.slug, row[0])
    return lesson, source, source_org


def diff_lesson(session: Session, *, org: str, slug: str) -> LessonDiff:
    """What the origin of a copied lesson has now that the copy has not. Raises NotFoundError
    (the lesson, or its origin gone or no longer shareable), UsageError (not a copy)."""
    the_org = get_org(session, org)
    lesson, source, source_org = _upstream(session, the_org, slug)
    upstream = _copy_of(session, the_org, lesson, source)
    default = CourseSyncContext.for_org(session, the_org).default_locale
    differences = [
        {"field": SHOWN.get(name, name), "here": here, "upstream": there}
        for name, here, there in diff_fields(lesson.values, upstream.values)
    ] + [
        {"field": name, "here": here, "upstream": there}
        for name, here, there in diff_texts(lesson.texts, upstream.texts, default)
    ]
    return LessonDiff(
        lesson=slug,
        origin=f"{source_org.slug}/{source.slug}",
        upstream_changed=content_digest(source.values, source.texts)
        != lesson.origin["origin_digest"],
        differences=differences,
    )


def _copy_of(session: Session, org: Org, lesson: StoredLesson, source: StoredLesson) -> LessonInput:
    values = {name: source.values[name] for name in CONTENT}
    origin = {"origin_digest": content_digest(source.values, source.texts)}
    return LessonInput(lesson.slug, values, _copied_texts(session, org, source), origin)


def sync_lesson(session: Session, *, org: str, slug: str, dry_run: bool = False) -> LibraryImport:
    """Take the origin's content into a copied lesson (the plan names the courses placing
    it). Raises like `diff_lesson`."""
    the_org = get_org(session, org)
    lesson, source, _source_org = _upstream(session, the_org, slug)
    default = CourseSyncContext.for_org(session, the_org).default_locale
    return write_library(
        session, the_org, [_copy_of(session, the_org, lesson, source)], default_locale=default,
        dry_run=dry_run,
    )  # fmt: skip
