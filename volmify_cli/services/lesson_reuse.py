"""Reuse of library lessons across organizations (SPEC 4.2): by copy, never by reference.
`copy_lesson` copies a lesson that its org marked `shareable` (any other is "not found" from
another org, in the same words as a missing one), keeping its origin (org and lesson, plain
references) and its creator profile; `origin_digest` remembers the origin's content as copied or
last synced, so `diff_lesson` tells an upstream change from a local one, and `sync_lesson`
takes the origin's content through the library's one writer."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import select
from sqlmodel import Session

from volmify_cli.db.bulk import table_of
from volmify_cli.errors import ConflictError, NotFoundError, UsageError
from volmify_cli.models.courses import OrgLesson
from volmify_cli.models.orgs import Org
from volmify_cli.rules import check_slug
from volmify_cli.services.changes import diff_fields
from volmify_cli.services.course_spec import CourseSyncContext
from volmify_cli.services.course_texts import Texts, diff_texts
from volmify_cli.services.lesson_library import (
    CONTENT,
    SHOWN,
    LessonDetailRead,
    LessonInput,
    LibraryImport,
    StoredLesson,
    content_digest,
    library_lesson,
    load_library,
    show_lesson,
    write_library,
)
from volmify_cli.services.lookup import get_org
from volmify_cli.translation_choice import choose_translation


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
