"""Community validation of a course's declared level and difficulty: one rating per user and
course (updated on re-rating), with an optional instructor response; the summary is computed in
SQL."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import and_, func, select
from sqlmodel import Session
from sqlmodel import select as orm_select

from volmify_cli.db.bulk import table_of
from volmify_cli.db.types import utcnow
from volmify_cli.enums import CourseLevel
from volmify_cli.errors import NotFoundError, RuleError
from volmify_cli.models.core import User
from volmify_cli.models.courses import OrgProductCourse, OrgProductCourseRating
from volmify_cli.rulebook import COMMENT, DIFFICULTY
from volmify_cli.rules import check_prose
from volmify_cli.services.course_reading import get_course
from volmify_cli.services.learning_rules import is_enrolled, not_enrolled
from volmify_cli.services.lookup import get_org, get_user


class RatingRead(TypedDict):
    course: str
    user: str
    level: str
    difficulty: int
    comment: str | None
    response: str | None
    responded_at: dt.datetime | None
    rated_at: dt.datetime


class CommunityRead(TypedDict):
    count: int
    levels: dict[str, int]
    mean_difficulty: float | None
    most_rated_level: str | None
    agreeing_with_level: int


class RatingsRead(TypedDict):
    course: str
    declared: dict[str, object]
    community: CommunityRead
    ratings: list[RatingRead]


def _read(course: str, email: str, row: OrgProductCourseRating) -> RatingRead:
    return RatingRead(
        course=course,
        user=email,
        level=row.level_rating,
        difficulty=row.difficulty_rating,
        comment=row.comment,
        response=row.instructor_response,
        responded_at=row.responded_at,
        rated_at=row.rated_at or row.updated_at,
    )


def rate_course(
    session: Session,
    *,
    org: str,
    course: str,
    user: str,
    level: CourseLevel,
    difficulty: int,
    comment: str | None = None,
) -> RatingRead:
    """Record (or replace) a user's rating of a course. Raises NotFoundError (org, course,
    user), RuleError (difficulty outside 1..10, a control character in the comment)."""
    DIFFICULTY.check(difficulty)
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    the_user = get_user(session, user)
    if not is_enrolled(session, the_org.id, product.id, the_user.id):
        raise RuleError(not_enrolled(user, course), "enroll the member first: enrollments add")
    row = session.exec(
        orm_select(OrgProductCourseRating).where(
            OrgProductCourseRating.org_id == the_org.id,
            OrgProductCourseRating.course_id == product.id,
            OrgProductCourseRating.user_id == the_user.id,
        )
    ).first()
    if row is None:
        row = OrgProductCourseRating(
            org_id=the_org.id,
            course_id=product.id,
            user_id=the_user.id,
            level_rating=level,
            difficulty_rating=difficulty,
        )
    row.level_rating = str(level)
    row.difficulty_rating = difficulty
    if comment is not None:
        row.comment = COMMENT.check(comment, required=False)
    row.rated_at = row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _read(product.slug, the_user.email, row)


def respond_to_rating(
    session: Session, *, org: str, course: str, user: str, response: str
) -> RatingRead:
    """The instructor's answer to a user's rating (free text). Raises NotFoundError, RuleError
    (a control character other than a tab or a line break)."""
    check_prose(response)
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    the_user = get_user(session, user)
    row = session.exec(
        orm_select(OrgProductCourseRating).where(
            OrgProductCourseRating.org_id == the_org.id,
            OrgProductCourseRating.course_id == product.id,
            OrgProductCourseRating.user_id == the_user.id,
        )
    ).first()
    if row is None:
        raise NotFoundError(f"{user} has not rated course {course!r}")
    row.instructor_response = response
    row.responded_at = utcnow()
    session.add(row)
    session.flush()
    return _read(product.slug, the_user.email, row)


def course_ratings(session: Session, *, org: str, course: str) -> RatingsRead:
    """Declared level and difficulty next to the community's: the level distribution, the mean
    difficulty and every rating with its response. Raises NotFoundError."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    rating, ext, user = (
        table_of(OrgProductCourseRating),
        table_of(OrgProductCourse),
        table_of(User),
    )
    connection = session.connection()
    declared = connection.execute(
        select(ext.c.level, ext.c.difficulty).where(
            ext.c.org_id == the_org.id, ext.c.product_id == product.id
        )
    ).one()
    mine = and_(rating.c.org_id == the_org.id, rating.c.course_id == product.id)
    count, mean = connection.execute(
        select(func.count(), func.avg(rating.c.difficulty_rating)).where(mine)
    ).one()
    levels = {level.value: 0 for level in CourseLevel}
    for level, n in connection.execute(
        select(rating.c.level_rating, func.count()).where(mine).group_by(rating.c.level_rating)
    ):
        levels[level] = int(n)
    most = max(levels, key=lambda key: levels[key]) if count else None
    rows = connection.execute(
        select(
            user.c.email,
            rating.c.level_rating,
            rating.c.difficulty_rating,
            rating.c.comment,
            rating.c.instructor_response,
            rating.c.responded_at,
            func.coalesce(rating.c.rated_at, rating.c.updated_at),
        )
        .join_from(rating, user, user.c.id == rating.c.user_id)
        .where(mine)
        .order_by(user.c.email_normalized)
    )
    return RatingsRead(
        course=product.slug,
        declared={"level": declared[0], "difficulty": declared[1]},
        community=CommunityRead(
            count=int(count),
            levels=levels,
            mean_difficulty=round(float(mean), 2) if mean is not None else None,
            most_rated_level=most,
            agreeing_with_level=levels.get(declared[0], 0),
        ),
        ratings=[
            RatingRead(
                course=product.slug,
                user=row[0],
                level=row[1],
                difficulty=row[2],
                comment=row[3],
                response=row[4],
                responded_at=row[5],
                rated_at=row[6],
            )
            for row in rows
        ],
    )
