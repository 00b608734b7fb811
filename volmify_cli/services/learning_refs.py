"""What a learning document refers to, loaded with a few set-based queries: users and members
by e-mail, plans by address, course products by slug, subscriptions, enrollments, progress and
ratings already stored."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.models.core import User
from volmify_cli.models.courses import OrgProductCourseRating
from volmify_cli.models.learning import OrgMemberCourseEnrollment, OrgMemberLessonProgress
from volmify_cli.models.orgs import Org, OrgMember
from volmify_cli.models.plans import OrgMemberSubscription, OrgProductVariantPaymentPlan
from volmify_cli.models.products import OrgProduct, OrgProductVariant


@dataclass(frozen=True)
class PlanRef:
    id: uuid.UUID
    product_id: uuid.UUID
    product: str
    address: str  # PRODUCT/VARIANT/PLAN
    tier: int


@dataclass
class Stored:
    """Rows already in the database, keyed by natural keys (ids inside)."""

    users: dict[str, tuple[uuid.UUID, str]] = field(default_factory=dict)  # email -> id, name
    members: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)  # user id -> row
    plans: dict[str, PlanRef] = field(default_factory=dict)  # P/V/PLAN and P/PLAN
    courses: dict[str, uuid.UUID] = field(default_factory=dict)  # course slug -> product id
    products: dict[str, str] = field(default_factory=dict)  # slug -> type
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    enrollments: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = field(default_factory=dict)
    progress: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = field(default_factory=dict)
    ratings: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = field(default_factory=dict)


def _rows(session: Session, query: Any) -> list[Any]:
    return list(session.connection().execute(query))


def load_stored(
    session: Session,
    org: Org,
    emails: Iterable[str],
    product_slugs: Iterable[str],
    external_ids: Iterable[str] = (),
) -> Stored:
    """Everything the document may touch, in a few queries per 500 keys."""
    stored = Stored()
    user, member = table_of(User), table_of(OrgMember)
    for part in chunks(sorted(set(emails))):
        for row in _rows(
            session,
            select(user.c.id, user.c.email_normalized, user.c.name).where(
                user.c.email_normalized.in_(part)
            ),
        ):
            stored.users[row[1]] = (row[0], row[2])
    user_ids = [user_id for user_id, _name in stored.users.values()]
    for part in chunks(user_ids):
        for row in _rows(
            session,
            select(member.c.id, member.c.user_id, member.c.role, member.c.status).where(
                member.c.org_id == org.id, member.c.user_id.in_(part)
            ),
        ):
            stored.members[row[1]] = {"id": row[0], "role": row[2], "status": row[3]}
    _load_catalog(session, org, stored, product_slugs)
    member_ids = [row["id"] for row in stored.members.values()]
    _load_learning(session, org, stored, member_ids, sorted(set(external_ids)))
    return stored


def _load_catalog(session: Session, org: Org, stored: Stored, slugs: Iterable[str]) -> None:
    product = table_of(OrgProduct)
    variant = table_of(OrgProductVariant)
    plan = table_of(OrgProductVariantPaymentPlan)
    wanted = sorted(set(slugs))
    product_ids: dict[uuid.UUID, str] = {}
    for part in chunks(wanted):
        for row in _rows(
            session,
            select(product.c.id, product.c.slug, product.c.type).where(
                product.c.org_id == org.id, product.c.slug.in_(part)
            ),
        ):
            stored.products[row[1]] = row[2]
            product_ids[row[0]] = row[1]
            if row[2] == "course":
                stored.courses[row[1]] = row[0]
    for part in chunks(sorted(product_ids)):
        for row in _rows(
            session,
            select(
                plan.c.id,
                variant.c.product_id,
                variant.c.slug,
                variant.c.is_default,
                plan.c.slug,
                plan.c.access_tier,
            )
            .join_from(
                plan,
                variant,
                and_(variant.c.org_id == plan.c.org_id, variant.c.id == plan.c.variant_id),
            )
            .where(plan.c.org_id == org.id, variant.c.product_id.in_(part)),
        ):
            slug = product_ids[row[1]]
            ref = PlanRef(row[0], row[1], slug, f"{slug}/{row[2]}/{row[4]}", int(row[5]))
            stored.plans[ref.address] = ref
            if row[3]:
                stored.plans[f"{slug}/{row[4]}"] = ref


def _load_learning(
    session: Session,
    org: Org,
    stored: Stored,
    member_ids: list[uuid.UUID],
    external_ids: list[str],
) -> None:
    sub = table_of(OrgMemberSubscription)
    enrollment = table_of(OrgMemberCourseEnrollment)
    progress = table_of(OrgMemberLessonProgress)
    rating = table_of(OrgProductCourseRating)
    sub_columns = (
        "id", "member_id", "plan_id", "status", "access_tier", "started_at",
        "trial_ends_at", "current_period_end", "canceled_at", "external_id",
    )  # fmt: skip
    seen: set[uuid.UUID] = set()
    for column, keys in ((sub.c.member_id, member_ids), (sub.c.external_id, external_ids)):
        for part in chunks(list(keys)):
            for row in _rows(
                session,
                select(*(sub.c[c] for c in sub_columns)).where(
                    sub.c.org_id == org.id, column.in_(part)
                ),
            ):
                if row[0] not in seen:
                    seen.add(row[0])
                    stored.subscriptions.append(dict(zip(sub_columns, row, strict=True)))
    for part in chunks(member_ids):
        for row in _rows(
            session,
            select(
                enrollment.c.id,
                enrollment.c.member_id,
                enrollment.c.course_id,
                enrollment.c.access_tier,
                enrollment.c.subscription_id,
                enrollment.c.enrolled_at,
            ).where(enrollment.c.org_id == org.id, enrollment.c.member_id.in_(part)),
        ):
            stored.enrollments[(row[1], row[2])] = {
                "id": row[0],
                "access_tier": row[3],
                "subscription_id": row[4],
                "enrolled_at": row[5],
            }
    enrollment_ids = [row["id"] for row in stored.enrollments.values()]
    for part in chunks(enrollment_ids):
        for row in _rows(
            session,
            select(
                progress.c.enrollment_id,
                progress.c.placement_id,
                progress.c.status,
                progress.c.percent,
                progress.c.seconds_spent,
                progress.c.completed_at,
            ).where(progress.c.org_id == org.id, progress.c.enrollment_id.in_(part)),
        ):
            stored.progress[(row[0], row[1])] = {
                "status": row[2],
                "percent": row[3],
                "seconds_spent": row[4],
                "completed_at": row[5],
            }
    user_ids = [user_id for user_id, _name in stored.users.values()]
    for part in chunks(user_ids):
        for row in _rows(
            session,
            select(
                rating.c.id,
                rating.c.course_id,
                rating.c.user_id,
                rating.c.level_rating,
                rating.c.difficulty_rating,
                rating.c.comment,
            ).where(rating.c.org_id == org.id, rating.c.user_id.in_(part)),
        ):
            stored.ratings[(row[1], row[2])] = {
                "id": row[0],
                "level_rating": row[3],
                "difficulty_rating": row[4],
                "comment": row[5],
            }


def day(value: dt.date | None) -> dt.datetime | None:
    """A date in a file is midnight UTC."""
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC) if value else None
