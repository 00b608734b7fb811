"""Rules shared by the enrollment commands and `learning import`: which placement a lesson key
names, what a progress record may say, and the enrollment status derived from its lesson
progress. The access tier an enrollment gets, and keeps, is `subscription_access`'s."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, chunks, table_of
from volmify_cli.db.types import utcnow
from volmify_cli.enums import ProgressStatus
from volmify_cli.errors import RuleError
from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgLesson,
)
from volmify_cli.models.learning import OrgMemberCourseEnrollment, OrgMemberLessonProgress
from volmify_cli.models.orgs import OrgMember
from volmify_cli.reports.progress import enrollment_progress, greatest
from volmify_cli.rulebook import PERCENT, SECONDS
from volmify_cli.rules import normalize_email


@dataclass(frozen=True)
class Placement:
    id: uuid.UUID
    path: str  # module/section/lesson
    lesson: str
    tier: int  # effective


@dataclass
class CoursePlacements:
    by_lesson: dict[str, list[Placement]] = field(default_factory=dict)
    by_path: dict[str, Placement] = field(default_factory=dict)

    def find(self, key: str) -> Placement | str:
        """The placement a lesson key names (`LESSON` or `MODULE/SECTION/LESSON`), or why
        none."""
        if "/" in key:
            found = self.by_path.get(key)
            return found if found is not None else f"no lesson is placed at {key!r}"
        placed = self.by_lesson.get(key, [])
        if len(placed) == 1:
            return placed[0]
        if not placed:
            return f"lesson {key!r} is not placed in this course"
        paths = ", ".join(p.path for p in placed)
        return f"lesson {key!r} is placed more than once ({paths}): write MODULE/SECTION/LESSON"


def load_placements(
    session: Session, org_id: uuid.UUID, course_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, CoursePlacements]:
    """Every placement of the given courses with its effective tier, in one query per 500
    courses."""
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    lesson = table_of(OrgLesson)
    result: dict[uuid.UUID, CoursePlacements] = {}
    for part in chunks(sorted(set(course_ids))):
        for course_id in part:
            result.setdefault(course_id, CoursePlacements())
        query = (
            select(
                m.c.course_id,
                p.c.id,
                m.c.slug,
                s.c.slug,
                lesson.c.slug,
                greatest(
                    m.c.required_access_tier, s.c.required_access_tier, p.c.required_access_tier
                ),
            )
            .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
            .join(m, and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id))
            .join(lesson, and_(lesson.c.org_id == p.c.org_id, lesson.c.id == p.c.lesson_id))
            .where(p.c.org_id == org_id, m.c.course_id.in_(part))
            .order_by(m.c.sort_order, s.c.sort_order, p.c.sort_order)
        )
        for row in session.connection().execute(query):
            placement = Placement(row[1], f"{row[2]}/{row[3]}/{row[4]}", row[4], int(row[5]))
            course = result[row[0]]
            course.by_lesson.setdefault(placement.lesson, []).append(placement)
            course.by_path[placement.path] = placement
    return result


def progress_values(
    status: ProgressStatus, percent: int | None, seconds: int | None
) -> dict[str, Any]:
    """The columns a progress record sets. Raises RuleError for a percent outside 0..100, a
    completed lesson below 100%, a not-started one above 0%, or negative seconds."""
    if percent is not None:
        PERCENT.check(percent)
    if seconds is not None:
        SECONDS.check(seconds)
    if status == ProgressStatus.COMPLETED:
        if percent not in (None, 100):
            raise RuleError(f"a completed lesson is at 100%, not {percent}%")
        percent = 100
    elif status == ProgressStatus.NOT_STARTED:
        if percent not in (None, 0):
            raise RuleError(f"a lesson not started is at 0%, not {percent}%")
        percent = 0
    values: dict[str, Any] = {"status": str(status)}
    if percent is not None:
        values["percent"] = percent
    if seconds is not None:
        values["seconds_spent"] = seconds
    return values


def refresh_enrollment_status(
    session: Session, org_id: uuid.UUID, enrollment_ids: Sequence[uuid.UUID]
) -> None:
    """Derive each enrollment's status from its lesson progress: completed when every lesson
    its tier can see is completed, in progress once any lesson is started or done."""
    if not enrollment_ids:
        return
    stats = enrollment_progress(session, org_id, enrollment_ids)
    e = table_of(OrgMemberCourseEnrollment)
    started = _started(session, org_id, enrollment_ids)
    updates = []
    now = utcnow()
    for part in chunks(list(enrollment_ids)):
        for row in session.connection().execute(
            select(e.c.id, e.c.status, e.c.completed_at).where(
                e.c.org_id == org_id, e.c.id.in_(part)
            )
        ):
            total, completed, _seconds, _percent = stats.get(row[0], (0, 0, 0, 0))
            if total and completed == total:
                status = ProgressStatus.COMPLETED.value
            elif row[0] in started:
                status = ProgressStatus.IN_PROGRESS.value
            else:
                status = ProgressStatus.NOT_STARTED.value
            done: dt.datetime | None = row[2] if status == "completed" else None
            if status == "completed" and done is None:
                done = now
            if (status, done) != (row[1], row[2]):
                updates.append(
                    {"org_id": org_id, "id": row[0], "status": status, "completed_at": done}
                )
    Bulk(session).update_rows(OrgMemberCourseEnrollment, ("org_id", "id"), updates)


def refresh_org_enrollments(session: Session, org_id: uuid.UUID) -> None:
    """Every enrollment of the org gets the status its progress gives now (after a change to
    a course's outline)."""
    e = table_of(OrgMemberCourseEnrollment)
    ids = list(session.connection().scalars(select(e.c.id).where(e.c.org_id == org_id)))
    refresh_enrollment_status(session, org_id, ids)


def _started(
    session: Session, org_id: uuid.UUID, enrollment_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    g = table_of(OrgMemberLessonProgress)
    found: set[uuid.UUID] = set()
    for part in chunks(list(enrollment_ids)):
        found.update(
            row[0]
            for row in session.connection().execute(
                select(g.c.enrollment_id)
                .where(
                    g.c.org_id == org_id,
                    g.c.enrollment_id.in_(part),
                    g.c.status != ProgressStatus.NOT_STARTED.value,
                )
                .distinct()
            )
        )
    return found


def not_enrolled(email: str, course: str) -> str:
    """The one wording of a rating by someone the course does not have: only enrolled members
    rate (a user of another org, or a member who never took the course, does not)."""
    return (
        f"{normalize_email(email)} is not enrolled in course {course}: only enrolled members rate"
    )


def is_enrolled(
    session: Session, org_id: uuid.UUID, course_id: uuid.UUID, user_id: uuid.UUID
) -> bool:
    """Whether the user is a member of the org enrolled in the course."""
    e, m = table_of(OrgMemberCourseEnrollment), table_of(OrgMember)
    found = (
        session.connection()
        .execute(
            select(e.c.id)
            .join(m, and_(m.c.org_id == e.c.org_id, m.c.id == e.c.member_id))
            .where(e.c.org_id == org_id, e.c.course_id == course_id, m.c.user_id == user_id)
            .limit(1)
        )
        .first()
    )
    return found is not None
