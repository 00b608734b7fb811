"""The subscription lifecycle (issue 20): which statuses and dates a plan allows, until when a
subscription gives access, and the moves of `volmify subscriptions`; then, on both databases,
the tier an enrollment gives once the subscription it follows has ended."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from tests.factories import default_variant, make_member, make_org, make_plan, make_user
from tests.factories import make_product as make_course
from volmify_cli.enums import PlanType
from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.models.plans import (
    OrgMemberSubscription,
    OrgProductVariantPaymentPlanOneTime,
    OrgProductVariantPaymentPlanSubscription,
)
from volmify_cli.services import subscription_lifecycle as life
from volmify_cli.services.subscription_access import (
    EnrollmentKey,
    enrollment_access,
    load_plan_terms,
)
from volmify_cli.services.subscription_lifecycle import PlanTerms, SubscriptionState

MONTHLY = PlanTerms("c/standard/monthly", "subscription", trial_days=14, interval="month")
YEARLY = PlanTerms("c/standard/yearly", "subscription", interval="year")
LIFETIME = PlanTerms("c/standard/basic", "one_time")
PASS_30 = PlanTerms("c/standard/pass", "one_time", access_days=30)
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


def day(year: int, month: int, d: int) -> dt.datetime:
    return dt.datetime(year, month, d, tzinfo=dt.UTC)


def fields(terms: PlanTerms, **state: object) -> list[str]:
    return [field for field, _message in life.problems(terms, SubscriptionState(**state))]  # type: ignore[arg-type]


# -- what a file may say -------------------------------------------------------------------------


def test_each_invalid_combination_names_its_field() -> None:
    assert fields(YEARLY, status="trialing", started_at=day(2026, 2, 1)) == ["status"]
    assert fields(LIFETIME, status="trialing", started_at=day(2026, 2, 1)) == ["status"]
    assert fields(MONTHLY, status="trialing") == ["started"]  # no date to end the trial at
    assert fields(LIFETIME, status="past_due") == ["status"]
    assert fields(LIFETIME, status="canceled", canceled_at=day(2026, 3, 1)) == ["status"]
    assert fields(
        MONTHLY, status="active", started_at=day(2026, 1, 5), trial_ends_at=day(2026, 1, 1)
    ) == ["trial_ends"]
    assert fields(
        MONTHLY, status="canceled", started_at=day(2026, 4, 2), canceled_at=day(2026, 3, 1)
    ) == ["canceled"]
    assert fields(
        YEARLY, status="active", started_at=day(2026, 4, 2), current_period_end=day(2026, 1, 1)
    ) == ["current_period_end"]
    assert fields(YEARLY, status="active", canceled_at=day(2026, 3, 1)) == ["canceled"]
    assert fields(PASS_30, status="active") == ["started"]  # its access days count from it
    assert fields(LIFETIME, status="active", trial_ends_at=day(2026, 1, 1)) == ["trial_ends"]


def test_valid_combinations_pass() -> None:
    assert fields(MONTHLY, status="trialing", started_at=day(2026, 1, 5)) == []
    assert fields(YEARLY, status="past_due", started_at=day(2026, 1, 5)) == []
    assert (
        fields(MONTHLY, status="canceled", started_at=day(2026, 1, 5), canceled_at=day(2026, 1, 5))
        == []
    )
    assert fields(LIFETIME, status="expired") == []
    assert fields(PASS_30, status="active", started_at=day(2026, 1, 5)) == []
    assert fields(YEARLY, status="canceled") == []  # older files: canceled without a date


# -- until when it gives access --------------------------------------------------------------------


def test_a_trial_ends_trial_days_after_the_start() -> None:
    state = SubscriptionState("trialing", started_at=day(2026, 1, 5))
    window = life.access(MONTHLY, state)
    assert window.until == day(2026, 1, 19)
    assert window.grants(day(2026, 1, 18)) and not window.grants(day(2026, 1, 19))


def test_canceled_gives_access_until_the_end_of_the_paid_period() -> None:
    # monthly from Jan 5, canceled Mar 20: the period Mar 5 - Apr 5 was paid
    state = SubscriptionState("canceled", started_at=day(2026, 1, 5), canceled_at=day(2026, 3, 20))
    window = life.access(MONTHLY, state)
    assert window.until == day(2026, 4, 5)
    assert window.grants(day(2026, 4, 4)) and not window.grants(day(2026, 4, 5))
    # a stored period end is the paid period's end
    stored = SubscriptionState("canceled", current_period_end=day(2099, 1, 1))
    assert life.access(MONTHLY, stored).grants(NOW)
    # canceled, with no date at all: nothing says access lasts
    assert not life.access(MONTHLY, SubscriptionState("canceled")).grants(day(2000, 1, 1))


def test_active_and_past_due_renew_expired_gives_nothing() -> None:
    started = day(2020, 1, 1)
    assert life.access(YEARLY, SubscriptionState("active", started_at=started)).grants(NOW)
    assert life.access(YEARLY, SubscriptionState("past_due", started_at=started)).grants(NOW)
    expired = SubscriptionState("expired", current_period_end=day(2099, 1, 1))
    assert not life.access(YEARLY, expired).grants(day(2026, 1, 1))


def test_a_one_time_purchase_gives_access_for_its_access_days() -> None:
    state = SubscriptionState("active", started_at=day(2026, 1, 1))
    assert life.access(PASS_30, state).until == day(2026, 1, 31)
    assert not life.access(PASS_30, state).grants(day(2026, 1, 31))
    assert life.access(LIFETIME, state).grants(day(2999, 1, 1))


@given(
    anchor=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    offset=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=800)),
    interval=st.sampled_from(["day", "week", "month", "year"]),
    count=st.integers(min_value=1, max_value=3),
)
def test_the_period_end_is_the_first_boundary_after_the_moment(
    anchor: dt.datetime, offset: dt.timedelta, interval: str, count: int
) -> None:
    start = anchor.replace(tzinfo=dt.UTC)
    at = start + offset
    # brute force: walk the boundaries one period at a time
    k = 0
    while life.add_periods(start, interval, k) <= at:
        k += count
    assert life.period_end_after(start, interval, count, at) == life.add_periods(start, interval, k)


def test_dates_at_the_end_of_the_calendar_do_not_overflow() -> None:
    last = day(9999, 12, 1)
    canceled = SubscriptionState("canceled", started_at=last, canceled_at=day(9999, 12, 31))
    assert life.access(YEARLY, canceled).until == life.END_OF_TIME
    assert life.access(PASS_30, SubscriptionState("active", started_at=last)).grants(NOW)
    trial = SubscriptionState("trialing", started_at=day(9999, 12, 31))
    assert life.access(MONTHLY, trial).until == life.END_OF_TIME


def test_months_keep_the_day_or_the_months_last() -> None:
    assert life.add_periods(day(2026, 1, 31), "month", 1) == day(2026, 2, 28)
    assert life.add_periods(day(2026, 1, 31), "month", 3) == day(2026, 4, 30)
    assert life.add_periods(day(2024, 2, 29), "year", 1) == day(2025, 2, 28)


# -- the moves -------------------------------------------------------------------------------------


def test_cancel_then_resume_then_expire() -> None:
    active = SubscriptionState("active", started_at=day(2026, 1, 5))
    canceled = life.cancel(MONTHLY, active, label="s", at=day(2026, 3, 20), now=NOW)
    assert (canceled.status, canceled.canceled_at, canceled.current_period_end) == (
        "canceled",
        day(2026, 3, 20),
        day(2026, 4, 5),
    )
    resumed = life.resume(MONTHLY, canceled, label="s", at=day(2026, 4, 1))
    assert (resumed.status, resumed.canceled_at) == ("active", None)
    with pytest.raises(RuleError, match="ended on 2026-04-05: it cannot be resumed"):
        life.resume(MONTHLY, canceled, label="s", at=day(2026, 4, 5))
    expired = life.expire(MONTHLY, resumed, label="s", at=day(2026, 5, 1), now=NOW)
    assert (expired.status, expired.current_period_end) == ("expired", day(2026, 5, 1))
    with pytest.raises(ConflictError, match="already expired"):
        life.expire(MONTHLY, expired, label="s", at=NOW, now=NOW)
    with pytest.raises(ConflictError, match="only a canceled subscription can be resumed"):
        life.resume(MONTHLY, expired, label="s", at=NOW)


def test_canceling_a_trial_keeps_the_trial_and_resuming_it_trials_again() -> None:
    trial = SubscriptionState("trialing", started_at=day(2026, 1, 5))
    canceled = life.cancel(MONTHLY, trial, label="s", at=day(2026, 1, 10), now=NOW)
    assert (canceled.current_period_end, canceled.trial_ends_at) == (
        day(2026, 1, 19),
        day(2026, 1, 19),
    )
    assert life.resume(MONTHLY, canceled, label="s", at=day(2026, 1, 12)).status == "trialing"


def test_refused_moves() -> None:
    active = SubscriptionState("active", started_at=day(2026, 1, 5))
    with pytest.raises(RuleError, match="one-time purchase"):
        life.cancel(LIFETIME, active, label="s", at=NOW, now=NOW)
    with pytest.raises(RuleError, match="before the subscription started"):
        life.cancel(MONTHLY, active, label="s", at=day(2026, 1, 1), now=NOW)
    with pytest.raises(RuleError, match="in the future"):
        life.expire(MONTHLY, active, label="s", at=day(2027, 1, 1), now=NOW)
    canceled = life.cancel(MONTHLY, active, label="s", at=day(2026, 2, 1), now=NOW)
    with pytest.raises(ConflictError, match="already canceled"):
        life.cancel(MONTHLY, canceled, label="s", at=NOW, now=NOW)
    # expiring after the paid period ended keeps the day access really ended
    assert life.expire(MONTHLY, canceled, label="s", at=NOW, now=NOW).current_period_end == day(
        2026, 2, 5
    )


# -- on the databases: the tier an enrollment keeps --------------------------------------------------


def test_an_enrollment_follows_its_subscription_on_the_database(session: Session) -> None:
    org = make_org(session, "acme")
    course = make_course(session, org, "c")
    variant = default_variant(session, course)
    monthly = make_plan(session, variant, "monthly", type=PlanType.SUBSCRIPTION, tier=3)
    basic = make_plan(session, variant, "basic", type=PlanType.ONE_TIME, tier=2)
    session.get(OrgProductVariantPaymentPlanSubscription, (org.id, monthly.id)).trial_days = 14  # type: ignore[union-attr]
    session.get(OrgProductVariantPaymentPlanOneTime, (org.id, basic.id)).access_duration_days = 30  # type: ignore[union-attr]
    member = make_member(session, org, make_user(session, "ana@example.org", "Ana"))
    canceled = OrgMemberSubscription(
        org_id=org.id, member_id=member.id, plan_id=monthly.id, status="canceled",
        access_tier=3, started_at=day(2026, 1, 5), canceled_at=day(2026, 3, 20),
        external_id="sub_a",
    )  # fmt: skip
    bought = OrgMemberSubscription(
        org_id=org.id, member_id=member.id, plan_id=basic.id, access_tier=2,
        started_at=day(2026, 3, 1), external_id="ord_a",
    )  # fmt: skip
    session.add_all([canceled, bought])
    session.flush()

    terms = load_plan_terms(session, org.id, [monthly.id, basic.id])
    assert terms[monthly.id] == PlanTerms("c/standard/monthly", "subscription", 14, "month", 1)
    assert terms[basic.id].access_days == 30

    key = EnrollmentKey(member.id, course.id, 3, canceled.id)

    def seen(at: dt.datetime) -> tuple[int, bool, dt.datetime | None]:
        found = enrollment_access(session, org.id, [key], at)[0]
        return found.tier, found.ended, found.ended_at

    # canceled on Mar 20, paid until Apr 5 (monthly from Jan 5)
    assert seen(day(2026, 3, 25)) == (3, False, None)
    # after that, the one-time purchase would give tier 2, but its 30 days ended on Mar 31
    assert seen(day(2026, 4, 5)) == (1, True, day(2026, 4, 5))
    session.get(OrgProductVariantPaymentPlanOneTime, (org.id, basic.id)).access_duration_days = None  # type: ignore[union-attr]
    session.flush()
    assert seen(day(2026, 4, 5)) == (2, True, day(2026, 4, 5))  # tier from elsewhere remains
    # an enrollment granted a tier without a subscription keeps it
    plain = EnrollmentKey(member.id, course.id, 3, None)
    assert enrollment_access(session, org.id, [plain], day(2030, 1, 1))[0].tier == 3
