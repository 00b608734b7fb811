"""The `courses lessons` commands that create and change library lessons (SPEC 4.2): each
builds a `LessonInput` from its options, checked by the rule book, for the library's one writer;
`promote` moves a course's own lesson into the library, `delete` removes one no course places."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import table_of
from volmify_cli.db.types import utcnow
from volmify_cli.enums import LessonType, enum_value
from volmify_cli.errors import ConflictError, NotFoundError, UsageError
from volmify_cli.models.courses import OrgLesson
from volmify_cli.models.products import OrgProduct
from volmify_cli.rulebook import DESCRIPTION, LESSON_CONTENT, MINUTES, TITLE
from volmify_cli.rules import check_slug
from volmify_cli.services.course_spec import CourseSyncContext
from volmify_cli.services.course_texts import Texts
from volmify_cli.services.lesson_library import (
    LessonDetailRead,
    LessonInput,
    LibraryImport,
    courses_placing,
    library_lesson,
    load_library,
    show_lesson,
    write_library,
)
from volmify_cli.services.lookup import get_content_locale, get_org


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
