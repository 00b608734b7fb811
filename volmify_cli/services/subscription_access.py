"""Who sees what, now or at a date: members' subscriptions with their plans' terms, and the tier
an enrollment gives once the subscription it came from no longer gives access.

An enrollment whose tier came from a subscription follows it: while the subscription gives
access (`subscription_lifecycle.access`) the enrollment has the tier it was granted; after that,
the member keeps the best tier another of their subscriptions to the course still gives, else
tier 1, what every enrollment sees (DOMAIN: tier 1 is basic; an enrollment without a plan or a
subscription gets it). An enrollment granted a tier without a subscription keeps it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.models.plans import (
    OrgMemberSubscription,
    OrgProductVariantPaymentPlan,
    OrgProductVariantPaymentPlanOneTime,
    OrgProductVariantPaymentPlanSubscription,
    OrgProductVariantPaymentPlanUsageBased,
)
from volmify_cli.models.products import OrgProduct, OrgProductVariant
from volmify_cli.services import subscription_lifecycle as lifecycle
from volmify_cli.services.subscription_lifecycle import Access, PlanTerms, SubscriptionState

BASE_TIER = 1  # what an enrollment sees without a subscription that gives access
STATE_COLUMNS = ("status", "started_at", "trial_ends_at", "current_period_end", "canceled_at")


@dataclass(frozen=True)
class Holding:
    """A member's subscription, with its plan's terms."""

    id: uuid.UUID
    member_id: uuid.UUID
    plan_id: uuid.UUID
    product_id: uuid.UUID
    tier: int
    external_id: str | None
    state: SubscriptionState
    terms: PlanTerms

    @property
    def label(self) -> str:
        """How a person names it: the external id, else the id."""
        return self.external_id or str(self.id)

    @property
    def access(self) -> Access:
        return lifecycle.access(self.terms, self.state)

    def grants(self, at: dt.datetime) -> bool:
        return self.access.grants(at)


def state_of(row: Any) -> SubscriptionState:
    """The lifecycle state of a subscription row (a mapping with the STATE_COLUMNS)."""
    return SubscriptionState(**{name: row[name] for name in STATE_COLUMNS})


def load_plan_terms(
    session: Session, org_id: uuid.UUID, plan_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, PlanTerms]:
    """The lifecycle terms of the given plans, in one query per 500 plans."""
    plan, variant, product = (
        table_of(OrgProductVariantPaymentPlan),
        table_of(OrgProductVariant),
        table_of(OrgProduct),
    )
    sub = table_of(OrgProductVariantPaymentPlanSubscription)
    usage = table_of(OrgProductVariantPaymentPlanUsageBased)
    once = table_of(OrgProductVariantPaymentPlanOneTime)
    terms: dict[uuid.UUID, PlanTerms] = {}
    for part in chunks(sorted(set(plan_ids))):
        query = (
            select(
                plan.c.id, product.c.slug, variant.c.slug, plan.c.slug, plan.c.type,
                sub.c.trial_days, sub.c.interval, sub.c.interval_count, usage.c.interval,
                once.c.access_duration_days,
            )
            .join_from(plan, variant,
                       and_(variant.c.org_id == plan.c.org_id, variant.c.id == plan.c.variant_id))
            .join(product,
                  and_(product.c.org_id == variant.c.org_id, product.c.id == variant.c.product_id))
            .outerjoin(sub, and_(sub.c.org_id == plan.c.org_id, sub.c.plan_id == plan.c.id))
            .outerjoin(usage, and_(usage.c.org_id == plan.c.org_id, usage.c.plan_id == plan.c.id))
            .outerjoin(once, and_(once.c.org_id == plan.c.org_id, once.c.plan_id == plan.c.id))
            .where(plan.c.org_id == org_id, plan.c.id.in_(part))
        )  # fmt: skip
        for row in session.connection().execute(query):
            terms[row[0]] = PlanTerms(
                address=f"{row[1]}/{row[2]}/{row[3]}",
                type=row[4],
                trial_days=int(row[5] or 0),
                interval=row[6] or row[8],
                interval_count=int(row[7] or 1),
                access_days=row[9],
            )
    return terms


def load_holdings(
    session: Session,
    org_id: uuid.UUID,
    *,
    member_ids: Sequence[uuid.UUID] = (),
    ids: Sequence[uuid.UUID] = (),
) -> list[Holding]:
    """The subscriptions of the given members, or with the given ids, with their plans' terms."""
    sub, plan, variant = (
        table_of(OrgMemberSubscription),
        table_of(OrgProductVariantPaymentPlan),
        table_of(OrgProductVariant),
    )
    rows: dict[uuid.UUID, Any] = {}
    for column, keys in ((sub.c.member_id, member_ids), (sub.c.id, ids)):
        for part in chunks(sorted(set(keys))):
            query = (
                select(sub, variant.c.product_id)
                .join_from(sub, plan,
                           and_(plan.c.org_id == sub.c.org_id, plan.c.id == sub.c.plan_id))
                .join(variant,
                      and_(variant.c.org_id == plan.c.org_id, variant.c.id == plan.c.variant_id))
                .where(sub.c.org_id == org_id, column.in_(part))
            )  # fmt: skip
            for row in session.connection().execute(query).mappings():
                rows[row["id"]] = row
    terms = load_plan_terms(session, org_id, {row["plan_id"] for row in rows.values()})
    return [
        Holding(
            id=row["id"],
            member_id=row["member_id"],
            plan_id=row["plan_id"],
            product_id=row["product_id"],
            tier=int(row["access_tier"]),
            external_id=row["external_id"],
            state=state_of(row),
            terms=terms[row["plan_id"]],
        )
        for row in rows.values()
    ]


def best_holding(holdings: Iterable[Holding], at: dt.datetime) -> Holding | None:
    """The subscription giving access at `at` with the highest tier (then the lowest id)."""
    live = sorted((h for h in holdings if h.grants(at)), key=lambda h: (-h.tier, h.id))
    return live[0] if live else None


def held_on_plan(
    holdings: Iterable[Holding], plan_id: uuid.UUID, at: dt.datetime
) -> Holding | None:
    """The member's subscription to one plan that an enrollment through it follows: one that
    gives access at `at`, else the most recently started."""
    held = [h for h in holdings if h.plan_id == plan_id]
    if not held:
        return None
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    held.sort(key=lambda h: (not h.grants(at), -(h.state.started_at or floor).timestamp(), h.id))
    return held[0]


@dataclass(frozen=True)
class EnrollmentKey:
    member_id: uuid.UUID
    course_id: uuid.UUID
    tier: int  # granted
    subscription_id: uuid.UUID | None


@dataclass(frozen=True)
class EnrollmentAccess:
    """What an enrollment gives at a moment: `tier` (what the member sees), the tier it was
    granted, and the subscription it follows with whether that subscription's access ended."""

    granted_tier: int
    tier: int
    subscription: Holding | None = None
    ended: bool = False

    @property
    def ended_at(self) -> dt.datetime | None:
        return self.subscription.access.until if self.ended and self.subscription else None

    def summary(self) -> dict[str, Any]:
        """The access as data (a document's `access`): JSON-ready values."""
        held = self.subscription
        return {
            "granted_tier": self.granted_tier,
            "tier": self.tier,
            "subscription": held.label if held else None,
            "plan": held.terms.address if held else None,
            "status": held.state.status if held else None,
            "access_ended": self.ended,
            "access_ended_at": self.ended_at,
        }

    def why(self, member: str) -> str:
        """Why the member lost the granted tier, for an error message."""
        held = self.subscription
        assert held is not None
        return (
            f"{member}'s access through subscription {held.label} ({held.terms.address}, "
            f"{held.state.status}) ended on {lifecycle.when(self.ended_at)}"
        )


def enrollment_access(
    session: Session, org_id: uuid.UUID, keys: Sequence[EnrollmentKey], at: dt.datetime
) -> list[EnrollmentAccess]:
    """What each enrollment gives at `at` (see the module's docstring), in a few queries."""
    following = [key for key in keys if key.subscription_id is not None]
    holdings = load_holdings(session, org_id, member_ids=[key.member_id for key in following])
    by_id = {holding.id: holding for holding in holdings}
    result = []
    for key in keys:
        held = by_id.get(key.subscription_id) if key.subscription_id else None
        if held is None or held.grants(at):
            result.append(EnrollmentAccess(key.tier, key.tier, held))
            continue
        others = [
            h.tier
            for h in holdings
            if h.member_id == key.member_id
            and h.product_id == key.course_id
            and h.id != held.id
            and h.grants(at)
        ]
        result.append(EnrollmentAccess(key.tier, max(others, default=BASE_TIER), held, True))
    return result
