"""Members' subscriptions (the entitlements): list, show, and the lifecycle's moves (cancel,
resume, expire), decided by `subscription_lifecycle`. Enrollments that follow a subscription
need no writing: their access is computed from it (`subscription_access`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypedDict

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, table_of
from volmify_cli.db.types import utcnow
from volmify_cli.enums import SubscriptionStatus
from volmify_cli.errors import NotFoundError
from volmify_cli.models.core import User
from volmify_cli.models.orgs import Org, OrgMember
from volmify_cli.models.plans import OrgMemberSubscription, OrgProductVariantPaymentPlan
from volmify_cli.models.products import OrgProduct, OrgProductVariant
from volmify_cli.services import subscription_lifecycle as lifecycle
from volmify_cli.services.lookup import get_member, get_org, get_plan
from volmify_cli.services.subscription_access import load_plan_terms, state_of
from volmify_cli.services.subscription_lifecycle import PlanTerms, SubscriptionState


class SubscriptionRead(TypedDict):
    id: str
    external_id: str | None
    member: str
    name: str
    plan: str
    plan_type: str
    status: str
    access_tier: int
    started_at: dt.datetime | None
    trial_ends_at: dt.datetime | None
    current_period_end: dt.datetime | None
    canceled_at: dt.datetime | None
    has_access: bool
    access_ends: dt.datetime | None


def _query(org: Org) -> Any:
    """Subscriptions with their member, in a stable order: e-mail, plan address, start."""
    sub, member, user = table_of(OrgMemberSubscription), table_of(OrgMember), table_of(User)
    plan, variant = table_of(OrgProductVariantPaymentPlan), table_of(OrgProductVariant)
    product = table_of(OrgProduct)
    return (
        select(sub, user.c.email, user.c.name)
        .join_from(sub, member,
                   and_(member.c.org_id == sub.c.org_id, member.c.id == sub.c.member_id))
        .join(user, user.c.id == member.c.user_id)
        .join(plan, and_(plan.c.org_id == sub.c.org_id, plan.c.id == sub.c.plan_id))
        .join(variant, and_(variant.c.org_id == plan.c.org_id, variant.c.id == plan.c.variant_id))
        .join(product,
              and_(product.c.org_id == variant.c.org_id, product.c.id == variant.c.product_id))
        .where(sub.c.org_id == org.id)
        .order_by(
            user.c.email_normalized, product.c.slug, variant.c.slug, plan.c.slug,
            sub.c.started_at.is_(None), sub.c.started_at, sub.c.id,
        )
    )  # fmt: skip


def _reads(
    session: Session, org: Org, rows: Sequence[Any], now: dt.datetime
) -> list[SubscriptionRead]:
    terms = load_plan_terms(session, org.id, {row["plan_id"] for row in rows})
    reads = []
    for row in rows:
        plan = terms[row["plan_id"]]
        window = lifecycle.access(plan, state_of(row))
        reads.append(
            SubscriptionRead(
                id=str(row["id"]),
                external_id=row["external_id"],
                member=row["email"],
                name=row["name"],
                plan=plan.address,
                plan_type=plan.type,
                status=row["status"],
                access_tier=int(row["access_tier"]),
                started_at=row["started_at"],
                trial_ends_at=row["trial_ends_at"],
                current_period_end=row["current_period_end"],
                canceled_at=row["canceled_at"],
                has_access=window.grants(now),
                access_ends=window.until,
            )
        )
    return reads


def list_subscriptions(
    session: Session,
    *,
    org: str,
    member: str | None = None,
    status: SubscriptionStatus | None = None,
    plan: str | None = None,
    limit: int | None = None,
) -> list[SubscriptionRead]:
    """The org's subscriptions, all at once (see `iter_subscriptions`)."""
    found = iter_subscriptions(
        session, org=org, member=member, status=status, plan=plan, limit=limit
    )
    return list(found)


READ_BATCH = 2000  # subscriptions per fetch: each batch's plan terms are read in one query


def iter_subscriptions(
    session: Session,
    *,
    org: str,
    member: str | None = None,
    status: SubscriptionStatus | None = None,
    plan: str | None = None,
    limit: int | None = None,
) -> Iterator[SubscriptionRead]:
    """The org's subscriptions, by member e-mail, plan and start, with whether each gives
    access now, streamed from the database in batches (a list prints its first row at once);
    `limit + 1` of them with a limit, so the caller can say some were left out. Raises
    NotFoundError (org, member, plan) before the first row."""
    the_org = get_org(session, org)
    sub = table_of(OrgMemberSubscription)
    query = _query(the_org)
    if member is not None:
        query = query.where(sub.c.member_id == get_member(session, the_org, member)[0].id)
    if status is not None:
        query = query.where(sub.c.status == status.value)
    if plan is not None:
        query = query.where(sub.c.plan_id == get_plan(session, the_org, plan)[2].id)
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.connection().execute(query.execution_options(yield_per=READ_BATCH))
    now = utcnow()
    return (
        read
        for batch in found.mappings().partitions()
        for read in _reads(session, the_org, batch, now)
    )


def _find(session: Session, org: Org, key: str) -> Any:
    sub = table_of(OrgMemberSubscription)
    match = sub.c.external_id == key
    with contextlib.suppress(ValueError):  # an id when it reads as one
        match = or_(match, sub.c.id == uuid.UUID(key))
    row = session.connection().execute(_query(org).where(match)).mappings().first()
    if row is None:
        raise NotFoundError(
            f"subscription {key!r} not found in org {org.slug}",
            "name it by its external id or id: see `volmify subscriptions list`",
        )
    return row


def show_subscription(session: Session, *, org: str, key: str) -> SubscriptionRead:
    """One subscription by its external id (or id). Raises NotFoundError."""
    the_org = get_org(session, org)
    return _reads(session, the_org, [_find(session, the_org, key)], utcnow())[0]


Move = Callable[[PlanTerms, SubscriptionState, str, dt.datetime, dt.datetime], SubscriptionState]


def _move(session: Session, org: str, key: str, at: dt.date | None, move: Move) -> SubscriptionRead:
    the_org = get_org(session, org)
    row = _find(session, the_org, key)
    terms = load_plan_terms(session, the_org.id, [row["plan_id"]])[row["plan_id"]]
    now = utcnow()
    moment = lifecycle.start_of_day(at) if at is not None else now
    label = row["external_id"] or str(row["id"])
    after = move(terms, state_of(row), label, moment, now)
    changed = {
        name: getattr(after, name)
        for name in ("status", "trial_ends_at", "current_period_end", "canceled_at")
        if getattr(after, name) != row[name]
    }
    Bulk(session).update_rows(
        OrgMemberSubscription,
        ("org_id", "id"),
        [{"org_id": the_org.id, "id": row["id"], **changed}],
    )
    return show_subscription(session, org=org, key=str(row["id"]))


def cancel_subscription(
    session: Session, *, org: str, key: str, at: dt.date | None = None
) -> SubscriptionRead:
    """Cancel a subscription at `at` (default now): access continues until the end of the
    period paid for (`current_period_end`, set here). Raises NotFoundError, ConflictError
    (already canceled or expired), RuleError (a one-time purchase, a date before its start or
    in the future)."""
    return _move(
        session, org, key, at,
        lambda terms, state, label, moment, now: lifecycle.cancel(
            terms, state, label=label, at=moment, now=now
        ),
    )  # fmt: skip


def resume_subscription(
    session: Session, *, org: str, key: str, at: dt.date | None = None
) -> SubscriptionRead:
    """Undo a cancellation whose paid period has not ended at `at` (default now). Raises
    NotFoundError, ConflictError (not canceled), RuleError (its access has ended)."""
    return _move(
        session, org, key, at,
        lambda terms, state, label, moment, _now: lifecycle.resume(
            terms, state, label=label, at=moment
        ),
    )  # fmt: skip


def expire_subscription(
    session: Session, *, org: str, key: str, at: dt.date | None = None
) -> SubscriptionRead:
    """End a subscription's access at `at` (default now). Raises NotFoundError, ConflictError
    (already expired), RuleError (a date before its start or in the future)."""
    return _move(
        session, org, key, at,
        lambda terms, state, label, moment, now: lifecycle.expire(
            terms, state, label=label, at=moment, now=now
        ),
    )  # fmt: skip
