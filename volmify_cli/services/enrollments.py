"""Enrollments of org members in courses and their lesson progress.

An enrollment's access tier comes from a plan of the course (`--plan`), an explicit `--tier`, or
the member's best live subscription to one of the course's plans (else 1). Progress is recorded
only on lessons that tier can see; the enrollment's status follows its lesson progress and its
percent is derived by the progress report, never stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from sqlalchemy import and_, delete, select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, table_of
from volmify_cli.db.types import utcnow
from volmify_cli.enums import MemberStatus, ProgressStatus
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.ids import uuid7
from volmify_cli.models.core import User
from volmify_cli.models.learning import OrgMemberCourseEnrollment, OrgMemberLessonProgress
from volmify_cli.models.orgs import Org, OrgMember
from volmify_cli.models.products import OrgProduct
from volmify_cli.reports.progress import enrollment_stats
from volmify_cli.rulebook import TIER
from volmify_cli.services.course_reading import get_course
from volmify_cli.services.learning_rules import (
    load_placements,
    progress_values,
    refresh_enrollment_status,
)
from volmify_cli.services.lookup import get_member, get_org, get_plan
from volmify_cli.services.subscription_access import (
    BASE_TIER,
    EnrollmentKey,
    best_holding,
    enrollment_access,
    held_on_plan,
    load_holdings,
)


class EnrollmentRead(TypedDict):
    course: str
    member: str
    name: str
    status: str
    access_tier: int  # granted
    current_tier: int  # what the member sees now (subscription_access)
    subscription: str | None  # the subscription the tier follows
    access_ended_at: dt.datetime | None  # when that subscription's access ended
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    lessons_completed: int
    lessons_total: int
    percent: int
    seconds_spent: int


class ProgressRead(TypedDict):
    course: str
    member: str
    lesson: str
    status: str
    percent: int
    seconds_spent: int
    completed_at: dt.datetime | None
    enrollment_status: str
    enrollment_percent: int


def _active_member(session: Session, org: Org, email: str) -> OrgMember:
    member, _user = get_member(session, org, email)
    if member.status in (MemberStatus.LEFT, MemberStatus.SUSPENDED):
        raise RuleError(f"member {email!r} is {member.status} in org {org.slug}")
    return member


def enroll(
    session: Session,
    *,
    org: str,
    course: str,
    member: str,
    plan: str | None = None,
    tier: int | None = None,
) -> EnrollmentRead:
    """Enroll an org member in a course. Raises NotFoundError (org, course, a non-member, plan),
    RuleError (tier < 1, a plan of another product, a member who left or is suspended),
    ConflictError (already enrolled)."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    the_member = _active_member(session, the_org, member)
    e = table_of(OrgMemberCourseEnrollment)
    existing = (
        session.connection()
        .execute(
            select(e.c.access_tier).where(
                e.c.org_id == the_org.id,
                e.c.member_id == the_member.id,
                e.c.course_id == product.id,
            )
        )
        .first()
    )
    if existing is not None:
        raise ConflictError(
            f"{member} is already enrolled in {course} (tier {existing[0]})",
            "record progress with `volmify enrollments progress`",
        )
    subscription_id: uuid.UUID | None = None
    if tier is not None and plan is not None:
        raise RuleError("give --plan or --tier, not both")
    if tier is not None:
        TIER.check(tier)
    else:
        # The enrollment follows the subscription its tier comes from (subscription_access).
        holdings = [
            h
            for h in load_holdings(session, the_org.id, member_ids=[the_member.id])
            if h.product_id == product.id
        ]
        if plan is not None:
            plan_product, _variant, found = get_plan(session, the_org, plan)
            if plan_product.id != product.id:
                raise RuleError(
                    f"plan {plan!r} is a plan of {plan_product.slug!r}, not of {course!r}"
                )
            tier = found.access_tier
            held = held_on_plan(holdings, found.id, utcnow())
        else:
            held = best_holding(holdings, utcnow())
            tier = held.tier if held else BASE_TIER
        subscription_id = held.id if held else None
    Bulk(session).insert_rows(
        OrgMemberCourseEnrollment,
        [
            {
                "org_id": the_org.id,
                "id": uuid7(),
                "member_id": the_member.id,
                "course_id": product.id,
                "status": ProgressStatus.NOT_STARTED.value,
                "access_tier": tier,
                "enrolled_at": utcnow(),
                "subscription_id": subscription_id,
            }
        ],
    )
    return list_enrollments(session, org=org, course=course, member=member)[0]


def list_enrollments(
    session: Session,
    *,
    org: str,
    course: str | None = None,
    member: str | None = None,
    limit: int | None = None,
) -> list[EnrollmentRead]:
    """Enrollments with their derived progress, by course then e-mail, all at once (see
    `iter_enrollments`). Raises NotFoundError."""
    return list(iter_enrollments(session, org=org, course=course, member=member, limit=limit))


READ_BATCH = 2000  # enrollments per fetch: the access of each batch is read in a few queries


def iter_enrollments(
    session: Session,
    *,
    org: str,
    course: str | None = None,
    member: str | None = None,
    limit: int | None = None,
) -> Iterator[EnrollmentRead]:
    """Enrollments with their derived progress, by course then e-mail, streamed from the
    database in batches (a list prints its first row at once, in flat memory); `limit + 1` rows,
    so the caller can say some were left out. Raises NotFoundError (before the first row)."""
    the_org = get_org(session, org)
    course_id = get_course(session, the_org, course).id if course else None
    member_id = get_member(session, the_org, member)[0].id if member else None
    stats = enrollment_stats(the_org.id, course_id=course_id).subquery()
    e, m, u, p = (
        table_of(OrgMemberCourseEnrollment),
        table_of(OrgMember),
        table_of(User),
        table_of(OrgProduct),
    )
    query = (
        select(
            p.c.slug,
            u.c.email,
            u.c.name,
            e.c.status,
            e.c.access_tier,
            e.c.enrolled_at,
            e.c.completed_at,
            stats.c.lessons_completed,
            stats.c.lessons_total,
            stats.c.percent,
            stats.c.seconds_spent,
            e.c.member_id,
            e.c.course_id,
            e.c.subscription_id,
        )
        .join_from(e, stats, stats.c.enrollment_id == e.c.id)
        .join(m, and_(m.c.org_id == e.c.org_id, m.c.id == e.c.member_id))
        .join(u, u.c.id == m.c.user_id)
        .join(p, and_(p.c.org_id == e.c.org_id, p.c.id == e.c.course_id))
        .where(e.c.org_id == the_org.id)
        .order_by(p.c.slug, u.c.email_normalized)
    )
    if member_id is not None:
        query = query.where(e.c.member_id == member_id)
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.connection().execute(query.execution_options(yield_per=READ_BATCH))
    return _with_access(session, the_org.id, found.partitions())


def _with_access(
    session: Session, org_id: uuid.UUID, batches: Iterator[Sequence[Any]]
) -> Iterator[EnrollmentRead]:
    """Each batch of enrollment rows with what each gives now (its current tier)."""
    now = utcnow()
    for rows in batches:
        keys = [EnrollmentKey(row[11], row[12], int(row[4]), row[13]) for row in rows]
        yield from _reads(rows, enrollment_access(session, org_id, keys, now))


def _reads(rows: Sequence[Any], accesses: Sequence[Any]) -> Iterator[EnrollmentRead]:
    return (
        EnrollmentRead(
            course=row[0],
            member=row[1],
            name=row[2],
            status=row[3],
            access_tier=int(row[4]),
            current_tier=access.tier,
            subscription=access.subscription.label if access.subscription else None,
            access_ended_at=access.ended_at,
            enrolled_at=row[5],
            completed_at=row[6],
            lessons_completed=int(row[7]),
            lessons_total=int(row[8]),
            percent=int(row[9]),
            seconds_spent=int(row[10]),
        )
        for row, access in zip(rows, accesses, strict=True)
    )


def record_progress(
    session: Session,
    *,
    org: str,
    course: str,
    member: str,
    lesson: str,
    status: ProgressStatus,
    percent: int | None = None,
    seconds: int | None = None,
) -> ProgressRead:
    """Record a member's progress on a lesson of a course (LESSON or MODULE/SECTION/LESSON).
    Raises NotFoundError (not enrolled, lesson not placed), RuleError (a lesson the
    enrollment's tier cannot see, bad percent or seconds)."""
    values = progress_values(status, percent, seconds)  # the values' rules first
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    the_member, _user = get_member(session, the_org, member)
    e = table_of(OrgMemberCourseEnrollment)
    enrollment = (
        session.connection()
        .execute(
            select(e.c.id, e.c.access_tier, e.c.subscription_id).where(
                e.c.org_id == the_org.id,
                e.c.member_id == the_member.id,
                e.c.course_id == product.id,
            )
        )
        .first()
    )
    if enrollment is None:
        raise NotFoundError(
            f"{member} is not enrolled in {course}", "enroll with `volmify enrollments add`"
        )
    found = load_placements(session, the_org.id, [product.id])[product.id].find(lesson)
    if isinstance(found, str):
        raise NotFoundError(f"{found} ({course})")
    held = EnrollmentKey(the_member.id, product.id, int(enrollment[1]), enrollment[2])
    access = enrollment_access(session, the_org.id, [held], utcnow())[0]
    if found.tier > access.tier:
        if access.ended and found.tier <= access.granted_tier:
            assert access.subscription is not None
            raise RuleError(
                f"lesson {found.path} needs tier {found.tier}; {access.why(member)}, and the "
                f"enrollment now gives tier {access.tier}",
                f"see `volmify subscriptions show {access.subscription.label}`",
            )
        raise RuleError(
            f"lesson {found.path} needs tier {found.tier}; {member}'s enrollment has tier "
            f"{access.tier}",
            "enroll through a plan with a higher tier",
        )
    g = table_of(OrgMemberLessonProgress)
    key = {"org_id": the_org.id, "enrollment_id": enrollment[0], "placement_id": found.id}
    row = (
        session.connection()
        .execute(
            select(g.c.completed_at).where(
                g.c.org_id == the_org.id,
                g.c.enrollment_id == enrollment[0],
                g.c.placement_id == found.id,
            )
        )
        .first()
    )
    completed_at = (row[0] if row is not None else None) or utcnow()
    values["completed_at"] = completed_at if status == ProgressStatus.COMPLETED else None
    if row is None:
        Bulk(session).insert_rows(OrgMemberLessonProgress, [{**key, **values}])
    else:
        Bulk(session).update_rows(
            OrgMemberLessonProgress,
            ("org_id", "enrollment_id", "placement_id"),
            [{**key, **values}],
        )
    refresh_enrollment_status(session, the_org.id, [enrollment[0]])
    stored = (
        session.connection()
        .execute(
            select(g.c.status, g.c.percent, g.c.seconds_spent, g.c.completed_at).where(
                g.c.org_id == the_org.id,
                g.c.enrollment_id == enrollment[0],
                g.c.placement_id == found.id,
            )
        )
        .one()
    )
    summary = list_enrollments(session, org=org, course=course, member=member)[0]
    return ProgressRead(
        course=product.slug,
        member=member,
        lesson=found.path,
        status=stored[0],
        percent=int(stored[1]),
        seconds_spent=int(stored[2]),
        completed_at=stored[3],
        enrollment_status=summary["status"],
        enrollment_percent=summary["percent"],
    )


def unenroll(session: Session, *, org: str, course: str, member: str) -> int:
    """Remove a member's enrollment in a course with its lesson progress; returns how many
    progress records went with it. Raises NotFoundError."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    the_member, _user = get_member(session, the_org, member)
    e, g = table_of(OrgMemberCourseEnrollment), table_of(OrgMemberLessonProgress)
    found = (
        session.connection()
        .execute(
            select(e.c.id).where(
                e.c.org_id == the_org.id,
                e.c.member_id == the_member.id,
                e.c.course_id == product.id,
            )
        )
        .first()
    )
    if found is None:
        raise NotFoundError(f"{member} is not enrolled in {course}")
    progress = session.connection().execute(
        delete(g).where(g.c.org_id == the_org.id, g.c.enrollment_id == found[0])
    )
    session.connection().execute(delete(e).where(e.c.org_id == the_org.id, e.c.id == found[0]))
    return int(progress.rowcount or 0)
