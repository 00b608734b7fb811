"""Learning analytics computed in SQL: per enrollment, the lessons its access tier can see, how
many of them are completed, and the time spent; then rolled up by course, member, module or the
member's role in the org (a role's row also counts its members who are enrolled).

An enrollment's percent is derived here from lesson progress (never stored): completed visible
lessons * 100 // visible lessons (0 when nothing is visible). An enrollment is complete when every
lesson its tier can see is completed (and there is at least one).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.errors import UsageError
from volmify_cli.models.core import User
from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgCourseModuleTranslation,
)
from volmify_cli.models.learning import OrgMemberCourseEnrollment, OrgMemberLessonProgress
from volmify_cli.models.orgs import OrgMember
from volmify_cli.models.products import OrgProduct, OrgProductTranslation
from volmify_cli.services.course_reading import get_course
from volmify_cli.services.lookup import get_org
from volmify_cli.services.translations import texts_for

BY = ("course", "member", "module", "role")


class greatest(FunctionElement[int]):  # named as the SQL function it renders
    """GREATEST(a, b, …) on PostgreSQL; SQLite's multi-argument scalar max(a, b, …)."""

    type = Integer()
    name = "greatest"
    inherit_cache = True


@compiles(greatest)
def _greatest_default(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


class ProgressRow(TypedDict):
    key: str
    label: str | None
    enrollments: int
    completed: int
    lessons_completed: int
    lessons_total: int
    completion_rate: float
    seconds_spent: int
    members: NotRequired[int]  # --by role: the members of that role with an enrollment


class ProgressTotals(TypedDict):
    enrollments: int
    completed: int
    lessons_completed: int
    lessons_total: int
    completion_rate: float
    seconds_spent: int


class ProgressReport(TypedDict):
    org: str
    by: str
    course: str | None
    rows: list[ProgressRow]
    totals: ProgressTotals


def enrollment_stats(
    org_id: uuid.UUID,
    *,
    course_id: uuid.UUID | None = None,
    enrollment_ids: Sequence[uuid.UUID] | None = None,
    by_module: bool = False,
) -> Select[Any]:
    """Per enrollment (and module): enrollment_id, member_id, course_id, [module_id],
    lessons_total (visible at the enrollment's tier), lessons_completed, seconds_spent,
    percent."""
    e = table_of(OrgMemberCourseEnrollment)
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    g = table_of(OrgMemberLessonProgress)
    visible = (
        greatest(m.c.required_access_tier, s.c.required_access_tier, p.c.required_access_tier)
        <= e.c.access_tier
    )
    joined = (
        e.outerjoin(m, and_(m.c.org_id == e.c.org_id, m.c.course_id == e.c.course_id))
        .outerjoin(s, and_(s.c.org_id == m.c.org_id, s.c.module_id == m.c.id))
        .outerjoin(p, and_(p.c.org_id == s.c.org_id, p.c.section_id == s.c.id, visible))
        .outerjoin(
            g,
            and_(
                g.c.org_id == p.c.org_id,
                g.c.enrollment_id == e.c.id,
                g.c.placement_id == p.c.id,
            ),
        )
    )
    total = func.count(p.c.id)
    completed = func.coalesce(func.sum(case((g.c.status == "completed", 1), else_=0)), 0)
    keys: list[ColumnElement[Any]] = [e.c.id, e.c.member_id, e.c.course_id]
    if by_module:
        keys.append(m.c.id)
    query = (
        select(
            *(key.label(name) for key, name in zip(keys, _KEY_NAMES, strict=False)),
            total.label("lessons_total"),
            completed.label("lessons_completed"),
            func.coalesce(func.sum(g.c.seconds_spent), 0).label("seconds_spent"),
            case((total == 0, literal(0)), else_=(completed * 100) / total).label("percent"),
        )
        .select_from(joined)
        .where(e.c.org_id == org_id)
        .group_by(*keys)
    )
    if by_module:
        query = query.where(m.c.id.is_not(None))
    if course_id is not None:
        query = query.where(e.c.course_id == course_id)
    if enrollment_ids is not None:
        query = query.where(e.c.id.in_(list(enrollment_ids)))
    return query


_KEY_NAMES = ("enrollment_id", "member_id", "course_id", "module_id")


def enrollment_progress(
    session: Session, org_id: uuid.UUID, enrollment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int, int, int]]:
    """enrollment id -> (lessons_total, lessons_completed, seconds_spent, percent)."""
    result: dict[uuid.UUID, tuple[int, int, int, int]] = {}
    for part in chunks(list(enrollment_ids)):
        query = enrollment_stats(org_id, enrollment_ids=part)
        for row in session.connection().execute(query):
            result[row.enrollment_id] = (
                int(row.lessons_total),
                int(row.lessons_completed),
                int(row.seconds_spent),
                int(row.percent),
            )
    return result


def _rate(completed: int, total: int) -> float:
    return round(100 * completed / total, 1) if total else 0.0


def progress_report(
    session: Session, *, org: str, course: str | None = None, by: str = "course"
) -> ProgressReport:
    """Learning analytics of the org's members. Raises NotFoundError (org, course), UsageError
    (an unknown --by)."""
    if by not in BY:
        raise UsageError(f"unknown --by {by!r}", f"choose one of: {', '.join(BY)}")
    the_org = get_org(session, org)
    course_id = get_course(session, the_org, course).id if course else None
    stats = enrollment_stats(the_org.id, course_id=course_id, by_module=by == "module").subquery()
    complete = case(
        (and_(stats.c.lessons_total > 0, stats.c.lessons_completed == stats.c.lessons_total), 1),
        else_=0,
    )
    counted = case((stats.c.lessons_total > 0, 1), else_=0) if by == "module" else literal(1)
    sums = (
        func.sum(counted).label("enrollments"),
        func.sum(complete).label("completed"),
        func.sum(stats.c.lessons_completed).label("lessons_completed"),
        func.sum(stats.c.lessons_total).label("lessons_total"),
        func.sum(stats.c.seconds_spent).label("seconds_spent"),
    )
    if by == "role":
        rows = _by_role(session, the_org.id, stats, sums)
    else:
        group = stats.c[f"{by}_id"]  # course_id, member_id or module_id
        grouped = session.connection().execute(select(group, *sums).group_by(group)).all()
        labels = _labels(session, the_org.id, by, [row[0] for row in grouped])
        rows = [_row(row, *labels[row[0]]) for row in grouped]
    rows.sort(key=lambda row: row["key"])
    whole = enrollment_stats(the_org.id, course_id=course_id).subquery()
    whole_complete = case(
        (and_(whole.c.lessons_total > 0, whole.c.lessons_completed == whole.c.lessons_total), 1),
        else_=0,
    )
    totals = (
        session.connection()
        .execute(
            select(
                func.count(),
                func.sum(whole_complete),
                func.sum(whole.c.lessons_completed),
                func.sum(whole.c.lessons_total),
                func.sum(whole.c.seconds_spent),
            )
        )
        .one()
    )
    done, total = int(totals[2] or 0), int(totals[3] or 0)
    return ProgressReport(
        org=the_org.slug,
        by=by,
        course=course,
        rows=rows,
        totals=ProgressTotals(
            enrollments=int(totals[0] or 0),
            completed=int(totals[1] or 0),
            lessons_completed=done,
            lessons_total=total,
            completion_rate=_rate(done, total),
            seconds_spent=int(totals[4] or 0),
        ),
    )


def _row(row: Any, key: str, label: str | None) -> ProgressRow:
    done, total = int(row.lessons_completed or 0), int(row.lessons_total or 0)
    return ProgressRow(
        key=key,
        label=label,
        enrollments=int(row.enrollments or 0),
        completed=int(row.completed or 0),
        lessons_completed=done,
        lessons_total=total,
        completion_rate=_rate(done, total),
        seconds_spent=int(row.seconds_spent or 0),
    )


def _by_role(
    session: Session, org_id: uuid.UUID, stats: Any, sums: tuple[Any, ...]
) -> list[ProgressRow]:
    """One row per role that has an enrolled member: keyed by the role (it has no other
    name), with how many of that role's members are enrolled."""
    member = table_of(OrgMember)
    source = stats.join(member, and_(member.c.org_id == org_id, member.c.id == stats.c.member_id))
    query = (
        select(member.c.role, *sums, func.count(distinct(stats.c.member_id)).label("members"))
        .select_from(source)
        .group_by(member.c.role)
    )
    rows = []
    for found in session.connection().execute(query):
        row = _row(found, str(found.role), None)
        row["members"] = int(found.members)
        rows.append(row)
    return rows


def _labels(
    session: Session, org_id: uuid.UUID, by: str, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str | None]]:
    """key and label of each group: course slug and title; member e-mail and name; or
    `course/module` and the module title."""
    connection = session.connection()
    result: dict[uuid.UUID, tuple[str, str | None]] = {}
    if by == "member":
        member, user = table_of(OrgMember), table_of(User)
        for part in chunks(ids):
            for row in connection.execute(
                select(member.c.id, user.c.email, user.c.name)
                .join_from(member, user, user.c.id == member.c.user_id)
                .where(member.c.org_id == org_id, member.c.id.in_(part))
            ):
                result[row[0]] = (row[1], row[2])
        return result
    product = table_of(OrgProduct)
    if by == "course":
        titles = texts_for(
            session,
            OrgProductTranslation,
            org_id=org_id,
            parent_field="product_id",
            parent_ids=ids,
            field="title",
        )
        for part in chunks(ids):
            for found in connection.execute(
                select(product.c.id, product.c.slug).where(
                    product.c.org_id == org_id, product.c.id.in_(part)
                )
            ):
                result[found[0]] = (found[1], titles.get(found[0]))
        return result
    module = table_of(OrgCourseModule)
    titles = texts_for(
        session,
        OrgCourseModuleTranslation,
        org_id=org_id,
        parent_field="module_id",
        parent_ids=ids,
        field="title",
    )
    for part in chunks(ids):
        for hit in connection.execute(
            select(module.c.id, product.c.slug, module.c.slug)
            .join_from(
                module,
                product,
                and_(product.c.org_id == module.c.org_id, product.c.id == module.c.course_id),
            )
            .where(module.c.org_id == org_id, module.c.id.in_(part))
        ):
            result[hit[0]] = (f"{hit[1]}/{hit[2]}", titles.get(hit[0]))
    return result
