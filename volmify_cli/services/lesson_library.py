"""The org's lesson library (SPEC 4.2): lessons that courses place with `lesson: SLUG`, created
and changed only explicitly, by a `kind: lesson_library` document (`courses import`) or the
`courses lessons` commands. An outline never changes them.

Changing a library lesson changes every course that places it, so each change names those
courses (`placed_in`), in a dry run too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
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
from volmify_cli.models.products import OrgProduct
from volmify_cli.services.changes import ChangeSet, diff_fields
from volmify_cli.services.course_spec import CourseSyncContext, prepare_texts
from volmify_cli.services.course_texts import Existing, diff_texts, load_translations
from volmify_cli.services.course_writes import Writes
from volmify_cli.services.lookup import get_org

COLUMNS = ("type", "estimated_minutes", "content_ref", "shareable")
SHOWN = {"estimated_minutes": "minutes", "content_ref": "content"}


@dataclass
class StoredLesson:
    id: uuid.UUID
    values: dict[str, Any]
    texts: Existing = field(default_factory=dict)


@dataclass
class LibraryImport:
    """The plan of a library import, and the courses that place each changed lesson."""

    changes: ChangeSet
    placed_in: dict[str, list[str]]  # changed lesson slug -> course slugs, sorted


def load_library(
    session: Session, org_id: uuid.UUID, slugs: Iterable[str]
) -> dict[str, StoredLesson]:
    """The library lessons with these slugs, with their texts."""
    table = table_of(OrgLesson)
    found: dict[str, StoredLesson] = {}
    for part in chunks(sorted(set(slugs))):
        query = select(table.c.slug, table.c.id, *(table.c[c] for c in COLUMNS)).where(
            table.c.org_id == org_id, table.c.course_id.is_(None), table.c.slug.in_(part)
        )
        for row in session.connection().execute(query):
            found[row[0]] = StoredLesson(row[1], dict(zip(COLUMNS, row[2:], strict=True)))
    texts = load_translations(
        session,
        OrgLessonTranslation,
        org_id=org_id,
        parent_field="lesson_id",
        parent_ids=[lesson.id for lesson in found.values()],
        fields=("title", "description"),
    )
    for lesson in found.values():
        lesson.texts = texts.get(lesson.id, {})
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


def import_library(
    session: Session,
    *,
    org: str,
    doc: LessonLibraryDoc,
    filename: str,
    dry_run: bool = False,
) -> LibraryImport:
    """Create or update the document's lessons in the org's library (upsert by slug; lessons
    the file does not name stay). Raises NotFoundError (org) and InvalidInputError (every
    problem of the file, with FILE:LINE:COLUMN; nothing written)."""
    the_org = get_org(session, org)
    context = CourseSyncContext.for_org(session, the_org)
    problems = Problems(filename)
    wanted: dict[str, tuple[dict[str, Any], Any]] = {}
    for index, lesson in enumerate(doc.lessons):
        path = f"lessons[{index}]"
        slug = str(lesson.slug)
        texts = prepare_texts(
            lesson, context=context, problems=problems, filename=filename, path=path
        )
        if slug in wanted:
            problems.add(lesson.slug, f"{path}.slug", f"lesson {slug!r} is in the file twice")
            continue
        values = {
            "type": str(lesson.type),
            "estimated_minutes": lesson.minutes,
            "content_ref": str(lesson.content) if lesson.content is not None else None,
            "shareable": lesson.shareable,
        }
        wanted[slug] = (values, texts)
    problems.raise_if_any()

    stored = load_library(session, the_org.id, wanted)
    changes = ChangeSet()
    writes = Writes(the_org.id, context.default_locale)
    writer = writes.text(OrgLessonTranslation, "lesson_id")
    changed: dict[str, uuid.UUID] = {}
    for slug, (values, texts) in wanted.items():
        old = stored.get(slug)
        if old is None:
            lesson_id = uuid7()
            changes.create("lesson", slug)
            writes.insert(
                OrgLesson, {"org_id": the_org.id, "id": lesson_id, "slug": slug, **values}
            )
            writer.queue(lesson_id, {}, texts)
            continue
        fields = [
            (SHOWN.get(name, name), before, after)
            for name, before, after in diff_fields(old.values, values)
        ] + diff_texts(old.texts, texts, context.default_locale)
        changes.update("lesson", slug, fields)
        if fields:
            changed[slug] = old.id
        if old.values != values:
            writes.update(OrgLesson, {"org_id": the_org.id, "id": old.id, **values})
        writer.queue(old.id, old.texts, texts)
    placing = courses_placing(session, the_org.id, changed.values())
    placed_in = {
        slug: placing[lesson_id] for slug, lesson_id in changed.items() if lesson_id in placing
    }
    if not dry_run:
        writes.write(session)
    return LibraryImport(changes, placed_in)
