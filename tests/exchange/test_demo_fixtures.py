"""The demo's course blocks, outline and learning records go through the course and learning
importers: the catalog's `course:` blocks are synced as one run (two courses each own a lesson of
the same slug), the org's lesson library is imported, the org's plans are built with the factories (the catalog importer
is tested elsewhere), then the outline and `acme/learning.yaml` are imported as the demo does."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from tests.factories import default_variant, make_org, make_plan, make_product
from volmify_cli.enums import PlanType
from volmify_cli.exchange.readers import read_course_file, read_learning, read_outline
from volmify_cli.exchange.yamlio import load_yaml_file
from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.outline_schema import CourseBody, LessonLibraryDoc
from volmify_cli.reports.progress import progress_report
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.course_content import (
    CourseSyncContext,
    CourseTarget,
    apply_course_contents,
    prepare_course_content,
)
from volmify_cli.services.learning_import import import_learning
from volmify_cli.services.lesson_library import import_library
from volmify_cli.services.outline_import import import_outline

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "acme"
PLANS = {
    "python-101": [("basic", 1), ("premium-monthly", 2), ("vip-annual", 3)],
    "data-science-pro": [("basic", 1), ("pro-monthly", 3)],
}


def test_the_acme_demo_courses_and_learners_import(session: Session) -> None:
    org = make_org(session, "acme", locales=("en-US", "de-DE", "ar-EG"))
    catalog = load_yaml_file(FIXTURES / "catalog" / "10-courses.yaml")
    context = CourseSyncContext.for_org(session, org)
    problems = Problems("10-courses.yaml")
    targets = []
    for index, entry in enumerate(catalog["products"]):
        product = make_product(session, org, entry["slug"])
        for slug, tier in PLANS[entry["slug"]]:
            kind = PlanType.ONE_TIME if slug == "basic" else PlanType.SUBSCRIPTION
            make_plan(session, default_variant(session, product), slug, tier=tier, type=kind)
        spec = prepare_course_content(
            body=CourseBody.model_validate(entry["course"]),
            context=context,
            problems=problems,
            filename="10-courses.yaml",
            path_prefix=f"products[{index}].course",
        )
        targets.append(CourseTarget(product.id, product.slug, spec))
    context.resolve(session, problems)
    assert not problems, [str(p) for p in problems.items]
    changes = ChangeSet()
    apply_course_contents(
        session, context=context, targets=targets, changes=changes, prune=False, dry_run=False
    )
    lessons = [c.key for c in changes.changes if c.entity == "lesson"]
    # each course has its own quiz of that slug; neither import touches the other's
    assert {"python-101/python-basics-quiz", "data-science-pro/python-basics-quiz"} <= set(lessons)

    library = read_course_file(FIXTURES / "lessons.yaml")
    assert isinstance(library, LessonLibraryDoc)
    made = import_library(session, org="acme", doc=library, filename="lessons.yaml")
    assert made.changes.lines() == ["+ lesson learning-at-acme"] and made.placed_in == {}
    outline = read_outline(FIXTURES / "outlines" / "css-for-engineers.yaml")
    planned = import_outline(session, org="acme", doc=outline, filename="css.yaml")
    assert planned.changes[0].line() == "+ product css-for-engineers"

    learning = import_learning(
        session,
        org="acme",
        doc=read_learning(FIXTURES / "learning.yaml"),
        filename="learning.yaml",
    )
    assert learning.changes.count("create") > 0 and not learning.warnings
    by_course = {row["key"]: row for row in progress_report(session, org="acme")["rows"]}
    # python-101 visible lessons: basic (tier 1) 3, premium (2) 5, VIP (3) 7.
    # ana (premium) 4 done; ben (VIP) 6 done; chen (basic) 1 done; fatima (basic) none.
    python = by_course["python-101"]
    assert (python["lessons_completed"], python["lessons_total"]) == (4 + 6 + 1, 5 + 7 + 3 + 3)
    again = import_learning(
        session,
        org="acme",
        doc=read_learning(FIXTURES / "learning.yaml"),
        filename="learning.yaml",
    )
    assert (again.changes.count("create"), again.changes.count("update")) == (0, 0)
    onboarding = import_learning(
        session,
        org="acme",
        doc=read_learning(FIXTURES / "onboarding.yaml"),
        filename="onboarding.yaml",
    )
    assert [c.key for c in onboarding.changes.changes if c.entity == "enrollment"] == [
        "css-for-engineers/kim@example.org",
        "css-for-engineers/lee@example.org",
    ]
