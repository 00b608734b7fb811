"""Builders for learning rows (lessons, enrollments, progress, ratings) in service tests; they write
rows directly, like tests/factories.py, so a test of one service does not depend on another."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, select

from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgLesson,
    OrgLessonTranslation,
)
from volmify_cli.models.learning import OrgMemberCourseEnrollment, OrgMemberLessonProgress
from volmify_cli.models.orgs import Org, OrgMember
from volmify_cli.models.products import OrgProduct

WHEN = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def make_lesson(
    session: Session,
    org: Org,
    slug: str,
    *,
    title: str | None = None,
    type: str = "text",
    creator_profile_id: uuid.UUID | None = None,
) -> OrgLesson:
    lesson = OrgLesson(org_id=org.id, slug=slug, type=type, creator_profile_id=creator_profile_id)
    session.add(lesson)
    session.flush()
    session.add(
        OrgLessonTranslation(
            org_id=org.id,
            lesson_id=lesson.id,
            locale_key=org.default_locale_key,
            is_default=True,
            title=title or slug.replace("-", " ").capitalize(),
        )
    )
    session.flush()
    return lesson


def make_enrollment(
    session: Session, member: OrgMember, course: OrgProduct, *, tier: int = 1
) -> OrgMemberCourseEnrollment:
    enrollment = OrgMemberCourseEnrollment(
        org_id=member.org_id,
        member_id=member.id,
        course_id=course.id,
        access_tier=tier,
        enrolled_at=WHEN,
    )
    session.add(enrollment)
    session.flush()
    return enrollment


def placement_id(session: Session, course: OrgProduct, lesson_slug: str) -> uuid.UUID:
    """The placement of a lesson in a course (the first, in course order)."""
    p, s, m, lesson = (
        OrgCourseModuleSectionLesson,
        OrgCourseModuleSection,
        OrgCourseModule,
        OrgLesson,
    )
    row = session.exec(
        select(p.id)
        .join(s, (s.org_id == p.org_id) & (s.id == p.section_id))  # type: ignore[arg-type]
        .join(m, (m.org_id == s.org_id) & (m.id == s.module_id))  # type: ignore[arg-type]
        .join(lesson, (lesson.org_id == p.org_id) & (lesson.id == p.lesson_id))  # type: ignore[arg-type]
        .where(m.org_id == course.org_id, m.course_id == course.id, lesson.slug == lesson_slug)
        .order_by(m.sort_order, s.sort_order, p.sort_order)  # type: ignore[arg-type]
    ).first()
    assert row is not None, f"lesson {lesson_slug} is not placed in {course.slug}"
    return row


def make_progress(
    session: Session,
    enrollment: OrgMemberCourseEnrollment,
    course: OrgProduct,
    lesson_slug: str,
    *,
    status: str = "completed",
    percent: int | None = None,
    seconds: int = 0,
) -> OrgMemberLessonProgress:
    progress = OrgMemberLessonProgress(
        org_id=enrollment.org_id,
        enrollment_id=enrollment.id,
        placement_id=placement_id(session, course, lesson_slug),
        status=status,
        percent=percent if percent is not None else (100 if status == "completed" else 0),
        seconds_spent=seconds,
        completed_at=WHEN if status == "completed" else None,
    )
    session.add(progress)
    session.flush()
    return progress
