"""Reading courses: the list, one course with its tier warnings, and the access tree.

Access rule (SPEC 6): a learner with tier T sees an item when T >= its effective tier, the
maximum required tier along module -> section -> placement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict, cast

from sqlalchemy import and_, func, select
from sqlmodel import Session

from volmify_cli.db.bulk import table_of
from volmify_cli.db.types import utcnow
from volmify_cli.errors import NotFoundError, RuleError
from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgProductCourse,
)
from volmify_cli.models.learning import OrgMemberCourseEnrollment
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlan
from volmify_cli.models.products import OrgProduct, OrgProductTranslation, OrgProductVariant
from volmify_cli.rulebook import TIER
from volmify_cli.services.course_reading import Outline, get_course, load_outline, text
from volmify_cli.services.course_texts import Existing
from volmify_cli.services.lookup import get_member, get_org, get_plan
from volmify_cli.services.skill_reads import skill_names
from volmify_cli.services.subscription_access import (
    EnrollmentAccess,
    EnrollmentKey,
    enrollment_access,
)
from volmify_cli.services.translations import texts_for


class CourseRow(TypedDict):
    slug: str
    title: str | None
    status: str
    level: str
    difficulty: int
    modules: int
    lessons: int
    enrollments: int


class PlanTier(TypedDict):
    plan: str
    tier: int
    status: str


class SkillRead(TypedDict):
    skill: str
    name: str | None  # in the display locale, with fallback; None: the taxonomy names it not yet
    kind: str
    weight: int
    level: str | None


class CourseRead(TypedDict):
    org: str
    slug: str
    title: str | None
    description: str | None
    status: str
    level: str
    difficulty: int
    minutes: int | None
    modules: int
    sections: int
    lessons: int
    lessons_by_tier: dict[str, int]
    plans: list[PlanTier]
    highest_plan_tier: int | None
    skills: list[SkillRead]
    enrollments: int
    warnings: list[str]


class TreeNode(TypedDict, total=False):
    kind: str
    slug: str
    title: str | None
    type: str
    minutes: int | None
    content: str | None  # lessons: the content reference
    library: bool  # lessons: placed from the org's library (else the course's own)
    required_tier: int
    effective_tier: int
    accessible: bool
    children: list[TreeNode]


class _Tree(TypedDict):
    course: str
    title: str | None
    level: str
    difficulty: int
    tier: int | None
    plan: str | None
    children: list[TreeNode]


class CourseTree(_Tree, total=False):
    member: str  # with `member`: what that member's enrollment gives at `at`
    at: dt.datetime
    access: dict[str, object]  # EnrollmentAccess.summary()


def list_courses(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> list[CourseRow]:
    """The org's course products, all at once (see `iter_courses`)."""
    return list(iter_courses(session, org=org, locale=locale, limit=limit))


READ_BATCH = 1000  # courses per fetch: each batch's titles in one query


def iter_courses(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> Iterator[CourseRow]:
    """The org's course products with content counts, by slug, streamed from the database in
    batches (`limit + 1` of them with a limit). Raises NotFoundError (before the first row)."""
    the_org = get_org(session, org)
    product, course = table_of(OrgProduct), table_of(OrgProductCourse)
    query = (
        select(product.c.id, product.c.slug, product.c.status, course.c.level, course.c.difficulty)
        .join_from(
            product,
            course,
            and_(course.c.org_id == product.c.org_id, course.c.product_id == product.c.id),
        )
        .where(product.c.org_id == the_org.id)
        .order_by(product.c.slug)
    )
    if limit is not None:
        query = query.limit(limit + 1)
    counts = _counts(session, the_org)  # grouped by course: one row per course at most
    found = session.connection().execute(query.execution_options(yield_per=READ_BATCH))
    return (
        row
        for batch in found.partitions()
        for row in _course_rows(session, the_org, batch, counts, locale)
    )


def _course_rows(
    session: Session,
    org: Org,
    rows: Sequence[Any],
    counts: tuple[Counter[object], ...],
    locale: str | None,
) -> list[CourseRow]:
    titles = texts_for(
        session,
        OrgProductTranslation,
        org_id=org.id,
        parent_field="product_id",
        parent_ids=[row[0] for row in rows],
        field="title",
        locale=locale,
    )
    modules, lessons, enrollments = counts
    return [
        CourseRow(
            slug=row[1],
            title=titles.get(row[0]),
            status=row[2],
            level=row[3],
            difficulty=row[4],
            modules=modules.get(row[0], 0),
            lessons=lessons.get(row[0], 0),
            enrollments=enrollments.get(row[0], 0),
        )
        for row in rows
    ]


def _counts(session: Session, org: Org) -> tuple[Counter[object], ...]:
    m = table_of(OrgCourseModule)
    s = table_of(OrgCourseModuleSection)
    p = table_of(OrgCourseModuleSectionLesson)
    e = table_of(OrgMemberCourseEnrollment)
    connection = session.connection()
    modules: Counter[object] = Counter(
        dict(
            connection.execute(
                select(m.c.course_id, func.count())
                .where(m.c.org_id == org.id)
                .group_by(m.c.course_id)
            ).all()
        )
    )
    lessons: Counter[object] = Counter(
        dict(
            connection.execute(
                select(m.c.course_id, func.count())
                .join_from(p, s, and_(s.c.org_id == p.c.org_id, s.c.id == p.c.section_id))
                .join(m, and_(m.c.org_id == s.c.org_id, m.c.id == s.c.module_id))
                .where(p.c.org_id == org.id)
                .group_by(m.c.course_id)
            ).all()
        )
    )
    enrollments: Counter[object] = Counter(
        dict(
            connection.execute(
                select(e.c.course_id, func.count())
                .where(e.c.org_id == org.id)
                .group_by(e.c.course_id)
            ).all()
        )
    )
    return modules, lessons, enrollments


def effective_tiers(outline: Outline) -> list[int]:
    """The effective tier of every placed lesson, in course order."""
    return [
        max(module.tier, section.tier, lesson.tier)
        for module, section, lesson in outline.placements()
    ]


def product_plans(session: Session, org: Org, product: OrgProduct) -> list[PlanTier]:
    variant, plan = table_of(OrgProductVariant), table_of(OrgProductVariantPaymentPlan)
    rows = session.connection().execute(
        select(variant.c.slug, plan.c.slug, plan.c.access_tier, plan.c.status)
        .join_from(
            plan,
            variant,
            and_(variant.c.org_id == plan.c.org_id, variant.c.id == plan.c.variant_id),
        )
        .where(plan.c.org_id == org.id, variant.c.product_id == product.id)
    )
    found = [
        PlanTier(plan=f"{product.slug}/{row[0]}/{row[1]}", tier=row[2], status=row[3])
        for row in rows
    ]
    return sorted(found, key=lambda item: item["plan"])


def tier_warnings(outline: Outline, plans: list[PlanTier]) -> list[str]:
    """What no learner can reach: lessons whose effective tier no active plan grants."""
    tiers = effective_tiers(outline)
    if not tiers:
        return []
    active = [item["tier"] for item in plans if item["status"] == "active"]
    if not active:
        return [
            f"no active plan of {outline.product.slug} grants access to its {len(tiers)} lessons"
        ]
    highest = max(active)
    above = Counter(tier for tier in tiers if tier > highest)
    return [
        f"{count} {'lesson needs' if count == 1 else 'lessons need'} tier {tier} "
        "but no plan grants it"
        for tier, count in sorted(above.items())
    ]


def show_course(session: Session, *, org: str, slug: str, locale: str | None = None) -> CourseRead:
    """One course with its content counts, plans, skills and tier warnings. Raises
    NotFoundError."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, slug)
    outline = load_outline(session, the_org, product)
    plans = product_plans(session, the_org, product)
    e = table_of(OrgMemberCourseEnrollment)
    enrollments = (
        session.connection()
        .execute(select(func.count()).where(e.c.org_id == the_org.id, e.c.course_id == product.id))
        .scalar_one()
    )
    tiers = effective_tiers(outline)
    active = [item["tier"] for item in plans if item["status"] == "active"]
    names = skill_names(session, [s.slug for s in outline.skills], locale)
    return CourseRead(
        org=the_org.slug,
        slug=product.slug,
        title=text(outline.texts, "title", locale),
        description=text(outline.texts, "description", locale),
        status=product.status,
        level=outline.level,
        difficulty=outline.difficulty,
        minutes=outline.minutes,
        modules=len(outline.modules),
        sections=sum(len(module.sections) for module in outline.modules),
        lessons=len(tiers),
        lessons_by_tier={str(tier): count for tier, count in sorted(Counter(tiers).items())},
        plans=plans,
        highest_plan_tier=max(active) if active else None,
        skills=[
            SkillRead(
                skill=s.slug, name=names.get(s.slug), kind=s.kind, weight=s.weight, level=s.level
            )
            for s in outline.skills
        ],
        enrollments=int(enrollments),
        warnings=tier_warnings(outline, plans),
    )


def course_tree(
    session: Session,
    *,
    org: str,
    slug: str,
    tier: int | None = None,
    plan: str | None = None,
    member: str | None = None,
    at: dt.datetime | None = None,
    locale: str | None = None,
) -> CourseTree:
    """The course as a nested tree with declared and effective tiers. With `tier` (or the access
    tier of `plan`, a plan of this course, or what `member`'s enrollment gives at `at`, default
    now: once the subscription it follows has ended, less) each node says whether that tier can
    see it; without any, every node is accessible. Raises NotFoundError (also a member not
    enrolled), RuleError (tier < 1, a plan of another product, more than one of tier, plan and
    member)."""
    the_org = get_org(session, org)
    product = get_course(session, the_org, slug)
    if sum(given is not None for given in (tier, plan, member)) > 1:
        raise RuleError("give one of --tier, --plan and --member")
    access: EnrollmentAccess | None = None
    moment = at or utcnow()
    if member is not None:
        access = member_access(session, the_org, product, member, moment)
        tier = access.tier
    if tier is not None:
        TIER.check(tier)
    if plan is not None:
        plan_product, _variant, found = get_plan(session, the_org, plan)
        if plan_product.id != product.id:
            raise RuleError(
                f"plan {plan!r} is a plan of {plan_product.slug!r}, not of course {slug!r}"
            )
        tier = found.access_tier
    outline = load_outline(session, the_org, product)

    def node(
        kind: str, slug: str, texts: Existing, required: int, effective: int, **extra: object
    ) -> TreeNode:
        made: dict[str, object] = {
            "kind": kind,
            "slug": slug,
            "title": text(texts, "title", locale),
        }
        made.update(extra)
        made.update(
            required_tier=required,
            effective_tier=effective,
            accessible=tier is None or tier >= effective,
            children=[],
        )
        return cast(TreeNode, made)

    children: list[TreeNode] = []
    for module in outline.modules:
        module_node = node("module", module.slug, module.texts, module.tier, module.tier)
        for section in module.sections:
            section_tier = max(module.tier, section.tier)
            section_node = node("section", section.slug, section.texts, section.tier, section_tier)
            for lesson in section.lessons:
                lesson_node = node(
                    "lesson",
                    lesson.slug,
                    lesson.texts,
                    lesson.tier,
                    max(section_tier, lesson.tier),
                    type=lesson.type,
                    minutes=lesson.minutes,
                    content=lesson.content,
                    library=not lesson.own,
                )
                section_node["children"].append(lesson_node)
            module_node["children"].append(section_node)
        children.append(module_node)
    tree = CourseTree(
        course=product.slug,
        title=text(outline.texts, "title", locale),
        level=outline.level,
        difficulty=outline.difficulty,
        tier=tier,
        plan=plan,
        children=children,
    )
    if member is not None and access is not None:
        tree["member"], tree["at"], tree["access"] = member, moment, access.summary()
    return tree


def member_access(
    session: Session, org: Org, product: OrgProduct, member: str, at: dt.datetime
) -> EnrollmentAccess:
    """What `member`'s enrollment in the course gives at `at`. Raises NotFoundError (not a
    member, not enrolled)."""
    the_member, _user = get_member(session, org, member)
    e = table_of(OrgMemberCourseEnrollment)
    found = (
        session.connection()
        .execute(
            select(e.c.access_tier, e.c.subscription_id).where(
                e.c.org_id == org.id, e.c.member_id == the_member.id, e.c.course_id == product.id
            )
        )
        .first()
    )
    if found is None:
        raise NotFoundError(
            f"{member} is not enrolled in {product.slug}", "enroll with `volmify enrollments add`"
        )
    key = EnrollmentKey(the_member.id, product.id, int(found[0]), found[1])
    return enrollment_access(session, org.id, [key], at)[0]
