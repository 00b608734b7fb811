"""Learning records: enrollments of org members in courses and their lesson progress.

Enrollment percent is derived from lesson progress by the reports, never stored twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String
from sqlmodel import Field

from volmify_cli.enums import ProgressStatus
from volmify_cli.models.base import (
    OrgChild,
    Timestamps,
    check,
    child_org_id,
    enum_check,
    non_negative,
    tenant_fk,
    unique,
    utc_field,
)


class OrgMemberCourseEnrollment(OrgChild, table=True):
    __tablename__ = "org_member_course_enrollment"

    member_id: uuid.UUID = Field(nullable=False)
    course_id: uuid.UUID = Field(nullable=False)
    status: str = Field(default=ProgressStatus.NOT_STARTED, sa_type=String(20), nullable=False)
    access_tier: int = Field(default=1, nullable=False)
    enrolled_at: dt.datetime = utc_field(nullable=False)
    completed_at: dt.datetime | None = utc_field(default=None)
    subscription_id: uuid.UUID | None = Field(default=None)

    __table_args__ = (
        tenant_fk(["member_id"], "org_member"),
        # A course with enrollments cannot be deleted out from under its learners.
        tenant_fk(["course_id"], "org_product_course", ("product_id",), ondelete="NO ACTION"),
        tenant_fk(["subscription_id"], "org_member_subscription", ondelete="NO ACTION"),
        unique("org_id", "member_id", "course_id"),
        enum_check("status", ProgressStatus),
        check("access_tier_min", "access_tier >= 1"),
    )


class OrgMemberLessonProgress(Timestamps, table=True):
    """Progress of one enrollment on one placed lesson."""

    __tablename__ = "org_member_lesson_progress"

    org_id: uuid.UUID = child_org_id()
    enrollment_id: uuid.UUID = Field(nullable=False)
    placement_id: uuid.UUID = Field(nullable=False)
    status: str = Field(default=ProgressStatus.NOT_STARTED, sa_type=String(20), nullable=False)
    percent: int = Field(default=0, nullable=False)
    seconds_spent: int = Field(default=0, sa_type=BigInteger, nullable=False)
    completed_at: dt.datetime | None = utc_field(default=None)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "enrollment_id", "placement_id"),
        tenant_fk(["enrollment_id"], "org_member_course_enrollment"),
        tenant_fk(["placement_id"], "org_course_module_section_lesson"),
        enum_check("status", ProgressStatus),
        check("percent_range", "percent >= 0 AND percent <= 100"),
        non_negative("seconds_spent"),
    )
