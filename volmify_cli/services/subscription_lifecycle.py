"""The subscription lifecycle (DOMAIN `org_member_subscription`): which statuses and dates a
subscription may have on its plan, how `volmify subscriptions` moves it from one status to
another, and until when it gives access. The one home of these rules: `learning import`, the
`subscriptions` commands and the access checks of `courses tree --member` and `enrollments
progress` all ask this module. Pure: no database, no clock (the caller passes `at` and `now`).

- `trialing`: only on a plan with trial days; access until the trial ends (started + the plan's
  trial days, unless a trial end is written).
- `active`: access. A recurring plan renews; a one-time plan's access ends `access_days` after
  the purchase (`started`), or never when the plan gives lifetime access.
- `past_due`: recurring plans only (a one-time purchase owes nothing): a renewal payment is being
  retried and access continues meanwhile, until the subscription is canceled or expired.
- `canceled`: recurring plans only (nothing of a one-time purchase renews): access until the end
  of the paid period (`current_period_end`), then none.
- `expired`: no access.

A date written in a file is midnight UTC; access ends at that instant (`until` is exclusive).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from volmify_cli.enums import PlanType, SubscriptionStatus
from volmify_cli.errors import ConflictError, RuleError

TRIALING, ACTIVE, PAST_DUE = (
    SubscriptionStatus.TRIALING.value,
    SubscriptionStatus.ACTIVE.value,
    SubscriptionStatus.PAST_DUE.value,
)
CANCELED, EXPIRED = SubscriptionStatus.CANCELED.value, SubscriptionStatus.EXPIRED.value
RECURRING = (PlanType.SUBSCRIPTION.value, PlanType.USAGE_BASED.value)


@dataclass(frozen=True)
class PlanTerms:
    """What the lifecycle needs to know of a plan."""

    address: str  # PRODUCT/VARIANT/PLAN
    type: str
    trial_days: int = 0
    interval: str | None = None  # recurring plans: day | week | month | year
    interval_count: int = 1
    access_days: int | None = None  # one-time plans: None is lifetime access

    @property
    def recurring(self) -> bool:
        return self.type in RECURRING


@dataclass(frozen=True)
class SubscriptionState:
    status: str
    started_at: dt.datetime | None = None
    trial_ends_at: dt.datetime | None = None
    current_period_end: dt.datetime | None = None
    canceled_at: dt.datetime | None = None


@dataclass(frozen=True)
class Access:
    """Until when a subscription gives access. `until` is when access ends (or ended), None
    when no end is known; `over` says its status has ended access whatever the date (an
    expired subscription, or a canceled one without any date)."""

    until: dt.datetime | None
    over: bool = False

    def grants(self, at: dt.datetime) -> bool:
        return not self.over and (self.until is None or at < self.until)


def start_of_day(day: dt.date) -> dt.datetime:
    """A date written in a file or given with --at: midnight UTC."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def when(value: dt.datetime | None) -> str:
    """A date as a person reads it in a message: the day, with the time when not midnight."""
    if value is None:
        return "an unrecorded date"
    value = value.astimezone(dt.UTC)
    if value.time() == dt.time(0):
        return value.date().isoformat()
    return value.strftime("%Y-%m-%d %H:%M UTC")


# -- periods ---------------------------------------------------------------------------------------

# A file may write any date up to 9999-12-31: what would fall after the calendar's end is at it.
END_OF_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)


def _plus(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    try:
        return value + delta
    except OverflowError:
        return END_OF_TIME


def add_periods(anchor: dt.datetime, interval: str, count: int) -> dt.datetime:
    """`anchor` plus `count` billing intervals; a month or year keeps the anchor's day, or the
    month's last day when it has fewer (Jan 31 + 1 month = Feb 28)."""
    if interval == "day":
        return _plus(anchor, dt.timedelta(days=count))
    if interval == "week":
        return _plus(anchor, dt.timedelta(weeks=count))
    months = count * (12 if interval == "year" else 1)
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:
        return END_OF_TIME
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


def period_end_after(
    anchor: dt.datetime, interval: str, interval_count: int, at: dt.datetime
) -> dt.datetime:
    """The end of the billing period (counted from `anchor`) that contains `at`: the first
    `anchor + k * interval_count intervals` (k >= 0) after `at`."""
    step = max(interval_count, 1)
    if interval in ("day", "week"):
        days = (7 if interval == "week" else 1) * step
        k = max((at - anchor) // dt.timedelta(days=days), 0)
        periods = k * step
    else:
        months = (at.year - anchor.year) * 12 + at.month - anchor.month
        per = step * (12 if interval == "year" else 1)
        periods = max(months // per - 1, 0) * step
    end = add_periods(anchor, interval, periods)
    while end <= at and end != END_OF_TIME:
        periods += step
        end = add_periods(anchor, interval, periods)
    return end


def trial_end(terms: PlanTerms, state: SubscriptionState) -> dt.datetime | None:
    """When the trial ends: as written, else (while trialing) started + the plan's trial days."""
    if state.trial_ends_at is not None:
        return state.trial_ends_at
    if state.status == TRIALING and state.started_at is not None and terms.trial_days > 0:
        return _plus(state.started_at, dt.timedelta(days=terms.trial_days))
    return None


def one_time_end(terms: PlanTerms, state: SubscriptionState) -> dt.datetime | None:
    """When a one-time purchase's access ends: `access_days` after it (None: lifetime)."""
    if terms.recurring or terms.access_days is None or state.started_at is None:
        return None
    return _plus(state.started_at, dt.timedelta(days=terms.access_days))


def paid_through(terms: PlanTerms, state: SubscriptionState, at: dt.datetime) -> dt.datetime:
    """The end of the period paid for at `at`: the trial's end during a trial, the stored
    period end while it is ahead, else the end of the billing period containing `at`, counted
    from the last known period end, the trial's end or the start."""
    if state.current_period_end is not None and state.current_period_end > at:
        return state.current_period_end
    trial = trial_end(terms, state)
    if trial is not None and at < trial:
        return trial
    if not terms.recurring:
        ends = one_time_end(terms, state)
        return ends if ends is not None and ends > at else at
    anchor = state.current_period_end or trial or state.started_at
    if anchor is None or terms.interval is None:
        return at
    return period_end_after(anchor, terms.interval, terms.interval_count, at)


def access(terms: PlanTerms, state: SubscriptionState) -> Access:
    """Until when the subscription gives access (see the module's docstring)."""
    if state.status == EXPIRED:
        return Access(state.current_period_end or state.canceled_at, over=True)
    if state.status == TRIALING:
        return Access(trial_end(terms, state))
    if state.status == CANCELED:
        if state.current_period_end is not None:
            return Access(state.current_period_end)
        if state.canceled_at is not None:
            return Access(paid_through(terms, state, state.canceled_at))
        return Access(None, over=True)  # canceled, and no date says until when: none
    return Access(one_time_end(terms, state))


# -- what a file may say ---------------------------------------------------------------------------


def problems(terms: PlanTerms, state: SubscriptionState) -> list[tuple[str, str]]:
    """What is wrong with a subscription's status and dates on its plan, as (field, message)
    with the field named as a learning file names it (status, started, trial_ends,
    current_period_end, canceled)."""
    found: list[tuple[str, str]] = []
    plan, status = terms.address, state.status
    one_time = f"plan {plan} is a one-time purchase"
    if status == TRIALING and terms.trial_days <= 0:
        found.append(("status", f"plan {plan} has no trial (trial_days 0): it cannot be trialing"))
    elif status == TRIALING and trial_end(terms, state) is None:
        found.append(
            ("started", "a trialing subscription needs started (its trial ends trial_days later)")
        )
    if status == PAST_DUE and not terms.recurring:
        found.append(("status", f"{one_time}: nothing is due, so it cannot be past_due"))
    if status == CANCELED and not terms.recurring:
        found.append(
            ("status", f"{one_time}: nothing renews, so it cannot be canceled (use expired)")
        )
    if state.trial_ends_at is not None and not terms.recurring:
        found.append(("trial_ends", f"{one_time}: it has no trial"))
    if state.canceled_at is not None and status not in (CANCELED, EXPIRED):
        found.append(
            (
                "canceled",
                f"a subscription that is {status} has no canceled date (set status: canceled)",
            )
        )
    lasts = not terms.recurring and terms.access_days is not None
    if status == ACTIVE and lasts and state.started_at is None:
        found.append(
            ("started", f"plan {plan} gives {terms.access_days} days of access: give started")
        )
    started = state.started_at
    for field, value in (
        ("trial_ends", state.trial_ends_at),
        ("current_period_end", state.current_period_end),
        ("canceled", state.canceled_at),
    ):
        if started is not None and value is not None and value < started:
            found.append((field, f"{field} {when(value)} is before started {when(started)}"))
    return found


# -- what the commands do --------------------------------------------------------------------------


def _not_before_start(
    state: SubscriptionState, at: dt.datetime, now: dt.datetime, what: str
) -> None:
    if at > now:
        raise RuleError(f"{what} cannot be dated in the future ({when(at)})")
    if state.started_at is not None and at < state.started_at:
        raise RuleError(
            f"{what} on {when(at)} is before the subscription started ({when(state.started_at)})"
        )


def cancel(
    terms: PlanTerms, state: SubscriptionState, *, label: str, at: dt.datetime, now: dt.datetime
) -> SubscriptionState:
    """Cancel at `at`: access continues until the end of the period paid for then. Raises
    ConflictError (already canceled or expired), RuleError (a one-time purchase, a date before
    the start or in the future)."""
    if state.status in (CANCELED, EXPIRED):
        ends = access(terms, state).until
        raise ConflictError(
            f"subscription {label} is already {state.status} (access until {when(ends)})"
            if state.status == CANCELED
            else f"subscription {label} is already expired"
        )
    if not terms.recurring:
        raise RuleError(
            f"subscription {label} is a one-time purchase of {terms.address}: nothing renews, "
            "so there is nothing to cancel",
            f"end its access with `volmify subscriptions expire {label}`",
        )
    _not_before_start(state, at, now, "a cancellation")
    window = access(terms, state)  # a trial that ended unpaid gives no further period
    ends = paid_through(terms, state, at) if window.grants(at) else (window.until or at)
    return replace(
        state,
        status=CANCELED,
        canceled_at=at,
        trial_ends_at=trial_end(terms, state),
        current_period_end=ends,
    )


def resume(
    terms: PlanTerms, state: SubscriptionState, *, label: str, at: dt.datetime
) -> SubscriptionState:
    """Undo a cancellation whose paid period has not ended: the subscription renews again
    (trialing while its trial lasts, else active). Raises ConflictError (not canceled),
    RuleError (its access has ended)."""
    if state.status != CANCELED:
        raise ConflictError(
            f"only a canceled subscription can be resumed; {label} is {state.status}"
        )
    window = access(terms, state)
    if not window.grants(at):
        raise RuleError(
            f"subscription {label}'s access ended on {when(window.until)}: it cannot be resumed",
            "a new subscription starts with `volmify learning import`",
        )
    trial = state.trial_ends_at
    status = TRIALING if trial is not None and at < trial and terms.trial_days > 0 else ACTIVE
    return replace(state, status=status, canceled_at=None)


def expire(
    terms: PlanTerms, state: SubscriptionState, *, label: str, at: dt.datetime, now: dt.datetime
) -> SubscriptionState:
    """End access at `at` (or when it ended already, if earlier). Raises ConflictError (already
    expired), RuleError (a date before the start or in the future)."""
    if state.status == EXPIRED:
        ended = access(terms, state).until
        raise ConflictError(f"subscription {label} is already expired (since {when(ended)})")
    _not_before_start(state, at, now, "an expiry")
    until = access(terms, state).until
    return replace(
        state, status=EXPIRED, current_period_end=until if until is not None and until < at else at
    )
