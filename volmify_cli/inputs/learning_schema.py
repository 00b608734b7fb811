"""The learning records document (`kind: learning`, SPEC 4.4): members, subscriptions,
enrollments with lesson progress, and course ratings of one organization."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import PlainValidator, ValidatorFunctionWrapHandler, WrapValidator

from volmify_cli.enums import (
    CourseLevel,
    MemberRole,
    MemberStatus,
    ProgressStatus,
    SubscriptionStatus,
)
from volmify_cli.inputs.documents import DocModel
from volmify_cli.inputs.fields import (
    CommentText,
    Date,
    Difficulty,
    ExternalId,
    Int,
    Name,
    Percent,
    Seconds,
    Slug,
    Str,
    Tier,
    enum_field,
    text_rule,
)
from volmify_cli.inputs.marks import Scalar, position
from volmify_cli.rules import normalize_email

Email = Annotated[Scalar, PlainValidator(text_rule(normalize_email))]
Role = Annotated[MemberRole, PlainValidator(enum_field(MemberRole))]
MemberState = Annotated[MemberStatus, PlainValidator(enum_field(MemberStatus))]


def _keep_position(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate as usual, then keep where the value was written (a subscription's status and
    dates are checked together later, by the lifecycle, and a problem names their line)."""
    checked = handler(value)
    line, column = position(value)
    if line is None:
        return checked
    if isinstance(checked, dt.date):
        marked = MarkedDate(checked.year, checked.month, checked.day)
        marked.line, marked.column = line, column or 0
        return marked
    return Scalar(str(checked), line, column or 0, True)


class MarkedDate(dt.date):
    """A date that remembers its line and column in the file."""

    line: int
    column: int


# A status kept as written (its text is one of SubscriptionStatus's values) and dates that keep
# their positions.
SubscriptionState = Annotated[
    str,
    PlainValidator(enum_field(SubscriptionStatus)),
    WrapValidator(_keep_position),
]
PlacedDate = Annotated[Date, WrapValidator(_keep_position)]
Progress = Annotated[ProgressStatus, PlainValidator(enum_field(ProgressStatus))]
Level = Annotated[CourseLevel, PlainValidator(enum_field(CourseLevel))]


class MemberDoc(DocModel):
    """A member; the user is created when unknown (global, by e-mail), so a new one needs a
    name. An existing user's name is never changed by an org's import."""

    email: Email
    name: Name | None = None
    role: Role = MemberRole.MEMBER
    status: MemberState = MemberStatus.ACTIVE


class SubscriptionDoc(DocModel):
    """An entitlement: a member holds a plan (PRODUCT/VARIANT/PLAN or PRODUCT/PLAN). Keyed by
    `external_id` when given, else by (member, plan)."""

    member: Email
    plan: Str
    status: SubscriptionState = SubscriptionStatus.ACTIVE
    started: PlacedDate | None = None
    trial_ends: PlacedDate | None = None
    current_period_end: PlacedDate | None = None
    canceled: PlacedDate | None = None
    external_id: ExternalId | None = None


class ProgressDoc(DocModel):
    status: Progress
    percent: Percent | None = None
    seconds: Seconds | None = None


class EnrollmentDoc(DocModel):
    """A member in a course; the access tier comes from `via` (a plan of the course) or `tier`
    (else the member's best live subscription to the course, else 1). `progress` maps a lesson
    (LESSON or MODULE/SECTION/LESSON) to its status."""

    member: Email
    course: Slug
    via: Str | None = None
    tier: Tier | None = None
    enrolled: Date | None = None
    progress: dict[str, ProgressDoc] = {}


class RatingDoc(DocModel):
    course: Slug
    user: Email
    level: Level
    difficulty: Difficulty
    comment: CommentText | None = None


class LearningDoc(DocModel):
    version: Int
    kind: Str
    org: Slug | None = None
    members: list[MemberDoc] = []
    subscriptions: list[SubscriptionDoc] = []
    enrollments: list[EnrollmentDoc] = []
    ratings: list[RatingDoc] = []
