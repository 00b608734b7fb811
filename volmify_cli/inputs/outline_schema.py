"""The course outline (`kind: course_outline`, SPEC 4.2) and the outline body that a catalog
product's `course:` block shares with it (SPEC 4.1 key table)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import PlainValidator, model_validator

from volmify_cli.enums import CourseLevel, LessonType, SkillKind
from volmify_cli.inputs.documents import DocModel, MarkedMap, Scalar
from volmify_cli.inputs.fields import (
    Bool,
    ContentRef,
    DescriptionText,
    Difficulty,
    Int,
    Minutes,
    SkillWeight,
    Slug,
    Str,
    Tier,
    TitleText,
    enum_field,
)

Level = Annotated[CourseLevel, PlainValidator(enum_field(CourseLevel))]
Kind = Annotated[SkillKind, PlainValidator(enum_field(SkillKind))]
LessonKind = Annotated[LessonType, PlainValidator(enum_field(LessonType))]


class SkillDoc(DocModel):
    skill: Slug
    kind: Kind = SkillKind.TAUGHT
    weight: SkillWeight = 5
    level: Level | None = None


def _skill(value: Any) -> SkillDoc:
    """A skill is a slug (taught, weight 5) or a mapping {skill, kind?, weight?, level?}."""
    if isinstance(value, Scalar):
        value_map = MarkedMap(value.line, value.column)
        value_map["skill"] = value
        value_map.key_marks["skill"] = (value.line, value.column)
        return SkillDoc.model_validate(value_map)
    return SkillDoc.model_validate(value)


SkillEntry = Annotated[SkillDoc, PlainValidator(_skill)]


class LessonDoc(DocModel):
    """An inline lesson (`title`: the course's own lesson, upserted by its slug, given or
    derived, unique within the course) or a placement of a lesson of the org's library
    (`lesson: SLUG`, never changed by an outline)."""

    lesson: Slug | None = None
    slug: Slug | None = None
    title: TitleText | None = None
    type: LessonKind = LessonType.TEXT
    minutes: Minutes | None = None
    tier: Tier = 1
    required: Bool = True
    description: DescriptionText | None = None
    content: ContentRef | None = None  # a URL or a path reference to the lesson's material
    rule_reads: ClassVar[frozenset[str] | None] = frozenset(
        ("lesson", "slug", "title", "type", "minutes", "description", "content")
    )

    @model_validator(mode="after")
    def _inline_or_reference(self) -> LessonDoc:
        if self.lesson is not None and (self.title is not None or self.slug is not None):
            raise ValueError(
                "a lesson is either a reference (lesson: SLUG) or inline (title …), not both"
            )
        reused_with = sorted({"type", "minutes", "description", "content"} & self.model_fields_set)
        if self.lesson is not None and reused_with:
            raise ValueError(
                f"a reused lesson (lesson: SLUG) is placed as it is: {', '.join(reused_with)} "
                "belong to its inline definition (only tier and required may be given here)"
            )
        if self.lesson is None and self.title is None:
            raise ValueError("a lesson needs a title (inline) or lesson: SLUG (reuse)")
        return self


class SectionDoc(DocModel):
    slug: Slug | None = None
    title: TitleText
    tier: Tier = 1
    required: Bool = True
    minutes: Minutes | None = None
    description: DescriptionText | None = None
    lessons: list[LessonDoc] = []


class ModuleDoc(DocModel):
    slug: Slug | None = None
    title: TitleText
    tier: Tier = 1
    required: Bool = True
    minutes: Minutes | None = None
    description: DescriptionText | None = None
    sections: list[SectionDoc] = []


class CourseBody(DocModel):
    """The outline body: shared by `kind: course_outline` and a catalog product's `course:`."""

    level: Level = CourseLevel.BEGINNER
    difficulty: Difficulty = 1
    minutes: Minutes | None = None
    skills: list[SkillEntry] = []
    modules: list[ModuleDoc] = []


class CourseOutlineDoc(CourseBody):
    """`kind: course_outline`: a course product (a new one is created as a draft) and its body."""

    version: Int
    kind: Str
    org: Slug | None = None
    course: Slug
    title: TitleText | None = None
    description: DescriptionText | None = None


class LibraryLessonDoc(DocModel):
    """A lesson of the org's library (`kind: lesson_library`): the keys of an inline lesson,
    a required slug (its name wherever courses place it), and `shareable` (other orgs may copy
    it with `courses lessons copy`)."""

    slug: Slug
    title: TitleText
    type: LessonKind = LessonType.TEXT
    minutes: Minutes | None = None
    description: DescriptionText | None = None
    content: ContentRef | None = None
    shareable: Bool = False


class LessonLibraryDoc(DocModel):
    """`kind: lesson_library`: lessons of the org's library, upserted by slug (SPEC 4.2)."""

    version: Int
    kind: Str
    org: Slug | None = None
    lessons: list[LibraryLessonDoc] = []
