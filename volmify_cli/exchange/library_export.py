"""`courses lessons export`: the org's lesson library as a `kind: lesson_library` document
(SPEC 4.2). Deterministic (lessons by slug, keys in a fixed order, texts as a plain string when
only the default locale has one), so `export -> import -> export` is byte-identical. A copy's
origin is not part of the document: it is the copy's history, not its content."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from volmify_cli.exchange.yamlio import dump_yaml
from volmify_cli.services.course_spec import CourseSyncContext
from volmify_cli.services.course_texts import plain_or_map
from volmify_cli.services.lesson_library import StoredLesson, load_library
from volmify_cli.services.lookup import get_org


def export_library(session: Session, *, org: str) -> str:
    """The org's library lessons as YAML text. Raises NotFoundError (org)."""
    the_org = get_org(session, org)
    default = CourseSyncContext.for_org(session, the_org).default_locale
    lessons = load_library(session, the_org.id)
    document: dict[str, Any] = {"version": 1, "kind": "lesson_library", "org": the_org.slug}
    document["lessons"] = [_lesson(lessons[slug], default) for slug in sorted(lessons)]
    return dump_yaml(document)


def _lesson(lesson: StoredLesson, default_locale: str) -> dict[str, Any]:
    written: dict[str, Any] = {"slug": lesson.slug}
    for name in ("title", "description"):
        values = {
            locale: value
            for locale, row in lesson.texts.items()
            if (value := row.values.get(name)) is not None
        }
        if values:
            written[name] = plain_or_map(values, default_locale)
    written["type"] = lesson.values["type"]
    if lesson.values["estimated_minutes"] is not None:
        written["minutes"] = lesson.values["estimated_minutes"]
    if lesson.values["content_ref"] is not None:
        written["content"] = lesson.values["content_ref"]
    if lesson.values["shareable"]:
        written["shareable"] = True
    return written
