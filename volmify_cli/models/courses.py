"""org/content/course: courses (1:1 with a course product), modules > sections > placed lessons,
the org's reusable lesson library, skills, and community ratings.

Access rule: a learner with tier T sees an item when T >= its effective tier, the maximum
required tier along module -> section -> placement.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, String, Text
from sqlmodel import Field

from volmify_cli.enums import CourseLevel, LessonType, ProductType, SkillKind
from volmify_cli.models.base import (
    GlobalRow,
    GlobalTranslation,
    OrgChild,
    OrgOwned,
    OrgTranslation,
    Timestamps,
    check,
    child_org_id,
    enum_check,
    flag,
    global_translation_args,
    one_of,
    partial_unique,
    slug_field,
    tenant_fk,
    text_field,
    translation_args,
    unique,
    utc_field,
)
from volmify_cli.models.products import product_extension_args, product_type_field

TIER_MIN = "required_access_tier >= 1"
LIBRARY = "course_id IS NULL"  # a lesson of the org's library (else a course's own)
OWN = "course_id IS NOT NULL"


class OrgProductCourse(Timestamps, table=True):
    """The course extension of a `course` product: level (qualitative prerequisite knowledge)
    and difficulty (1..10, quantitative)."""

    __tablename__ = "org_product_course"

    org_id: uuid.UUID = child_org_id()
    product_id: uuid.UUID = Field(nullable=False)
    product_type: str = product_type_field(ProductType.COURSE)
    level: str = Field(default=CourseLevel.BEGINNER, sa_type=String(20), nullable=False)
    difficulty: int = Field(default=1, nullable=False)
    estimated_minutes: int | None = Field(default=None)

    __table_args__ = (
        *product_extension_args("org_product_course", ProductType.COURSE),
        enum_check("level", CourseLevel),
        check("difficulty_range", "difficulty >= 1 AND difficulty <= 10"),
        check(
            "estimated_minutes_non_negative", "estimated_minutes IS NULL OR estimated_minutes >= 0"
        ),
    )


class OrgProductCourseTranslation(OrgTranslation, table=True):
    __tablename__ = "org_product_course_translation"

    product_id: uuid.UUID = Field(nullable=False)
    prerequisites: str | None = Field(default=None, sa_type=Text, nullable=True)
    target_audience: str | None = Field(default=None, sa_type=Text, nullable=True)
    learning_outcomes: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "product_id", "locale_key"),
        ForeignKeyConstraint(
            ["org_id", "product_id"],
            ["org_product_course.org_id", "org_product_course.product_id"],
            ondelete="CASCADE",
        ),
        *translation_args("org_product_course_translation", "product_id", "org_product")[2:],
    )


def course_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["org_id", "course_id"],
        ["org_product_course.org_id", "org_product_course.product_id"],
        ondelete="CASCADE",
    )


class OrgCourseModule(OrgChild, table=True):
    __tablename__ = "org_course_module"

    course_id: uuid.UUID = Field(nullable=False)
    slug: str = slug_field()
    sort_order: int = Field(default=0, nullable=False)
    required_access_tier: int = Field(default=1, nullable=False)
    is_required: bool = flag(True)
    estimated_minutes: int | None = Field(default=None)

    __table_args__ = (
        course_fk(),
        unique("org_id", "course_id", "slug"),
        check("required_access_tier_min", TIER_MIN),
    )


class OrgCourseModuleTranslation(OrgTranslation, table=True):
    __tablename__ = "org_course_module_translation"

    module_id: uuid.UUID = Field(nullable=False)
    title: str = text_field(300)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args(
        "org_course_module_translation", "module_id", "org_course_module"
    )


class OrgCourseModuleSection(OrgChild, table=True):
    __tablename__ = "org_course_module_section"

    module_id: uuid.UUID = Field(nullable=False)
    slug: str = slug_field()
    sort_order: int = Field(default=0, nullable=False)
    required_access_tier: int = Field(default=1, nullable=False)
    is_required: bool = flag(True)
    estimated_minutes: int | None = Field(default=None)

    __table_args__ = (
        tenant_fk(["module_id"], "org_course_module"),
        unique("org_id", "module_id", "slug"),
        check("required_access_tier_min", TIER_MIN),
    )


class OrgCourseModuleSectionTranslation(OrgTranslation, table=True):
    __tablename__ = "org_course_module_section_translation"

    section_id: uuid.UUID = Field(nullable=False)
    title: str = text_field(300)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args(
        "org_course_module_section_translation", "section_id", "org_course_module_section"
    )


class OrgLesson(OrgOwned, table=True):
    """A lesson: a course's own (`course_id` set: written inline in its outline, slug unique in
    the course, changed only by that course's imports) or one of the org's lesson library
    (`course_id` NULL: slug unique among the library's, created and changed only explicitly,
    placed by any course of the org). Its creator profile keeps attribution wherever it is
    placed; a library lesson copied from another org remembers its origin as a plain reference
    (the source may be deleted; nothing is shared by reference across orgs), and only a library
    lesson can be `shareable` (offered to other orgs for copying)."""

    __tablename__ = "org_lesson"

    slug: str = slug_field()
    type: str = Field(default=LessonType.TEXT, sa_type=String(20), nullable=False)
    estimated_minutes: int | None = Field(default=None)
    content_ref: str | None = text_field(500, nullable=True, default=None)
    creator_profile_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_profile.id", ondelete="SET NULL"
    )
    origin_org_id: uuid.UUID | None = Field(default=None)
    origin_lesson_id: uuid.UUID | None = Field(default=None)
    course_id: uuid.UUID | None = Field(default=None)
    shareable: bool = flag(False)
    # a copy's digest of its origin's content when copied or last synced: `courses lessons
    # diff` tells an upstream change from a change made here
    origin_digest: str | None = text_field(64, nullable=True, default=None)

    __table_args__ = (
        tenant_fk(["course_id"], "org_product_course", ("product_id",)),
        partial_unique("uq_org_lesson_library_slug", "org_id", "slug", where=LIBRARY),
        partial_unique("uq_org_lesson_course_slug", "org_id", "course_id", "slug", where=OWN),
        enum_check("type", LessonType),
        check(
            "estimated_minutes_non_negative", "estimated_minutes IS NULL OR estimated_minutes >= 0"
        ),
        check("shareable_library_only", f"{LIBRARY} OR NOT shareable"),
    )


class OrgLessonTranslation(OrgTranslation, table=True):
    __tablename__ = "org_lesson_translation"

    lesson_id: uuid.UUID = Field(nullable=False)
    title: str = text_field(300)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args("org_lesson_translation", "lesson_id", "org_lesson")


class OrgCourseModuleSectionLesson(OrgChild, table=True):
    """A lesson placed in a section (the course's own, or one of the library), with its own
    required tier and order. Its references to lessons are checked at commit (deferred): a
    course's own lessons go with the course's row, sooner in a cascade than the placements
    below its modules and sections."""

    __tablename__ = "org_course_module_section_lesson"

    section_id: uuid.UUID = Field(nullable=False)
    lesson_id: uuid.UUID = Field(nullable=False)
    sort_order: int = Field(default=0, nullable=False)
    required_access_tier: int = Field(default=1, nullable=False)
    is_required: bool = flag(True)
    prerequisite_lesson_id: uuid.UUID | None = Field(default=None)

    __table_args__ = (
        tenant_fk(["section_id"], "org_course_module_section"),
        tenant_fk(["lesson_id"], "org_lesson", ondelete="NO ACTION", deferred=True),
        tenant_fk(["prerequisite_lesson_id"], "org_lesson", ondelete="NO ACTION", deferred=True),
        unique("org_id", "section_id", "lesson_id"),
        check("required_access_tier_min", TIER_MIN),
    )


class Skill(GlobalRow, table=True):
    """The global skill taxonomy; a parent skill is a real FK (cycles refused on write)."""

    __tablename__ = "skill"

    slug: str = slug_field(unique=True)
    parent_skill_id: uuid.UUID | None = Field(
        default=None, foreign_key="skill.id", ondelete="SET NULL"
    )
    category: str | None = text_field(100, nullable=True, default=None)
    approved_at: dt.datetime | None = utc_field(default=None)

    __table_args__ = (check("not_own_parent", "parent_skill_id IS NULL OR parent_skill_id <> id"),)


class SkillTranslation(GlobalTranslation, table=True):
    __tablename__ = "skill_translation"

    skill_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = global_translation_args("skill_translation", "skill_id", "skill")


class OrgProductCourseSkill(Timestamps, table=True):
    __tablename__ = "org_product_course_skill"

    org_id: uuid.UUID = child_org_id()
    course_id: uuid.UUID = Field(nullable=False)
    skill_id: uuid.UUID = Field(foreign_key="skill.id", nullable=False)
    kind: str = Field(default=SkillKind.TAUGHT, sa_type=String(20), nullable=False)
    proficiency_level: str | None = Field(default=None, sa_type=String(20))
    weight: int = Field(default=5, nullable=False)
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "course_id", "skill_id"),
        course_fk(),
        enum_check("kind", SkillKind),
        check(
            "proficiency_level_valid",
            f"proficiency_level IS NULL OR {one_of('proficiency_level', CourseLevel)}",
        ),
        check("weight_range", "weight >= 1 AND weight <= 10"),
    )


class OrgProductCourseRating(OrgChild, table=True):
    """Community validation of a course's declared level and difficulty: one per user."""

    __tablename__ = "org_product_course_rating"

    course_id: uuid.UUID = Field(nullable=False)
    user_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", nullable=False)
    level_rating: str = Field(sa_type=String(20), nullable=False)
    difficulty_rating: int = Field(nullable=False)
    comment: str | None = Field(default=None, sa_type=Text, nullable=True)
    instructor_response: str | None = Field(default=None, sa_type=Text, nullable=True)
    responded_at: dt.datetime | None = utc_field(default=None)
    # when the learner rated (or last changed the rating): a response never moves it
    rated_at: dt.datetime | None = utc_field(default=None)

    __table_args__ = (
        course_fk(),
        unique("org_id", "course_id", "user_id"),
        enum_check("level_rating", CourseLevel),
        check("difficulty_rating_range", "difficulty_rating >= 1 AND difficulty_rating <= 10"),
    )
