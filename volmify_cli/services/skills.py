"""The skills a course teaches or requires (global `skill` rows, linked per course with a kind
and a weight 1..10)."""

from __future__ import annotations

from typing import TypedDict

from sqlmodel import Session, select

from volmify_cli.enums import CourseLevel, SkillKind
from volmify_cli.errors import NotFoundError
from volmify_cli.models.courses import OrgProductCourseSkill, Skill
from volmify_cli.rulebook import SKILL_WEIGHT
from volmify_cli.rules import check_slug
from volmify_cli.services.course_reading import get_course, load_skills
from volmify_cli.services.lookup import get_org
from volmify_cli.services.skill_reads import skill_names


class CourseSkillRead(TypedDict):
    course: str
    skill: str
    name: str | None
    kind: str
    weight: int
    level: str | None


def list_course_skills(
    session: Session, *, org: str, course: str, locale: str | None = None
) -> list[CourseSkillRead]:
    """The course's skills in their order, named in `locale` (the taxonomy's names, with
    fallback). Raises NotFoundError."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    skills = load_skills(session, the_org.id, product.id)
    names = skill_names(session, [skill.slug for skill in skills], locale)
    return [
        CourseSkillRead(
            course=product.slug,
            skill=skill.slug,
            name=names.get(skill.slug),
            kind=skill.kind,
            weight=skill.weight,
            level=skill.level,
        )
        for skill in skills
    ]


def add_course_skill(
    session: Session,
    *,
    org: str,
    course: str,
    skill: str,
    kind: SkillKind | None = None,
    weight: int | None = None,
    level: CourseLevel | None = None,
    locale: str | None = None,
) -> CourseSkillRead:
    """Link a skill to a course (the global skill is created when unknown, unnamed and
    unapproved: `volmify skills update` names it); adding a linked
    skill again updates the values given. Raises NotFoundError, RuleError (a bad slug, a weight
    outside 1..10)."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    check_slug(skill, "skill")
    if weight is not None:
        SKILL_WEIGHT.check(weight)
    row = session.exec(select(Skill).where(Skill.slug == skill)).first()
    if row is None:
        row = Skill(slug=skill)
        session.add(row)
        session.flush()
    link = session.exec(
        select(OrgProductCourseSkill).where(
            OrgProductCourseSkill.org_id == the_org.id,
            OrgProductCourseSkill.course_id == product.id,
            OrgProductCourseSkill.skill_id == row.id,
        )
    ).first()
    if link is None:
        count = len(load_skills(session, the_org.id, product.id))
        link = OrgProductCourseSkill(
            org_id=the_org.id,
            course_id=product.id,
            skill_id=row.id,
            kind=kind or SkillKind.TAUGHT,
            weight=weight if weight is not None else 5,
            proficiency_level=level,
            sort_order=count,
        )
    else:
        if kind is not None:
            link.kind = kind
        if weight is not None:
            link.weight = weight
        if level is not None:
            link.proficiency_level = level
    session.add(link)
    session.flush()
    return CourseSkillRead(
        course=product.slug,
        skill=skill,
        name=skill_names(session, [skill], locale).get(skill),
        kind=str(link.kind),
        weight=link.weight,
        level=str(link.proficiency_level) if link.proficiency_level else None,
    )


def remove_course_skill(session: Session, *, org: str, course: str, skill: str) -> None:
    """Unlink a skill from a course (the global skill stays). Raises NotFoundError."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, course)
    link = session.exec(
        select(OrgProductCourseSkill)
        .join(Skill, Skill.id == OrgProductCourseSkill.skill_id)  # type: ignore[arg-type]
        .where(
            OrgProductCourseSkill.org_id == the_org.id,
            OrgProductCourseSkill.course_id == product.id,
            Skill.slug == skill,
        )
    ).first()
    if link is None:
        raise NotFoundError(f"course {course!r} has no skill {skill!r}")
    session.delete(link)
    session.flush()
