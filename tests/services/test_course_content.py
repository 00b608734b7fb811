"""Syncing a course body into a course product (the code path shared by `courses import` and a
catalog's `course:` blocks)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from tests.factories import make_instructor, make_member, make_org, make_product, make_user
from tests.learning_factories import make_enrollment, make_lesson, make_progress
from tests.services.course_helpers import count, outline, stored_tree
from volmify_cli.errors import ConflictError, InvalidInputError
from volmify_cli.inputs.documents import Problems
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.course_content import (
    CourseSyncContext,
    CourseTarget,
    apply_course_contents,
    prepare_course_content,
    sync_course_content,
)

TIERS_TREE = [
    ("getting-started", "setup", "installing-python", 1, 1, 1),
    ("getting-started", "setup", "first-quiz", 1, 1, 2),
    ("getting-started", "tooling", "editors", 1, 2, 1),
    ("getting-started", "tooling", "debuggers", 1, 2, 3),
    ("going-further", "functions", "defining-functions", 2, 1, 1),
    ("going-further", "functions", "closures", 2, 1, 3),
    ("mastery", "capstone", "final-project", 3, 1, 1),
]


def sync(
    session: Session, org, product, source: str, *, prune: bool = False, dry_run: bool = False
) -> ChangeSet:  # type: ignore[no-untyped-def]
    changes = ChangeSet()
    sync_course_content(
        session,
        org=org,
        product=product,
        body=outline(source),
        changes=changes,
        prune=prune,
        filename="o.yaml",
        dry_run=dry_run,
        course="python-101",
    )
    return changes


def test_a_new_outline_creates_the_tree_in_file_order_with_derived_slugs(session: Session) -> None:
    org = make_org(session)
    product = make_product(session, org)
    changes = sync(session, org, product, "tiers.yaml")
    assert stored_tree(session, "python-101") == TIERS_TREE
    # 7 lessons + 3 modules + 4 sections + 7 placements + 2 skills + 2 skill links
    assert changes.count("create") == 25
    assert changes.lines()[0] == "~ course python-101 (difficulty: 1 -> 3, minutes: none -> 240)"
    level, difficulty, minutes = (
        session.connection()
        .execute(text("SELECT level, difficulty, estimated_minutes FROM org_product_course"))
        .one()
    )
    assert (level, difficulty, minutes) == ("beginner", 3, 240)


def test_the_same_outline_twice_changes_nothing_the_second_time(session: Session) -> None:
    org = make_org(session)
    product = make_product(session, org)
    sync(session, org, product, "tiers.yaml")
    again = sync(session, org, product, "tiers.yaml")
    assert again.summary() == "0 created, 0 updated, 25 unchanged"


def test_reorder_update_and_prune(session: Session) -> None:
    org = make_org(session)
    product = make_product(session, org)
    sync(session, org, product, "tiers.yaml")
    source = (
        _tiers_text()
        .replace("          - title: Editors\n            type: text\n", "")
        .replace(
            "    tier: 3\n    sections:\n      - title: Capstone",
            "    tier: 2\n    sections:\n      - title: Capstone",
        )
    )
    # Swap the first two modules.
    first, rest = source.split("  - title: Going further\n", 1)
    head, getting_started = first.split("modules:\n", 1)
    further, mastery = rest.split("  - title: Mastery\n", 1)
    swapped = (
        head
        + "modules:\n  - title: Going further\n"
        + further
        + getting_started
        + "  - title: Mastery\n"
        + mastery
    )
    plan = sync(session, org, product, swapped)
    assert sorted(plan.lines()) == sorted(
        [
            "~ module python-101/going-further (position: 2 -> 1)",
            "~ module python-101/getting-started (position: 1 -> 2)",
            "~ module python-101/mastery (tier: 3 -> 2)",
            "~ placement python-101/getting-started/tooling/debuggers (position: 2 -> 1)",
        ]
    )
    # Without --prune the removed placement stays.
    assert ("getting-started", "tooling", "editors", 1, 2, 1) in stored_tree(session, "python-101")
    pruned = sync(session, org, product, swapped, prune=True)
    # the course's own lesson goes with its last placement
    assert pruned.lines() == [
        "- lesson python-101/editors",
        "- placement python-101/getting-started/tooling/editors",
    ]
    assert [row[2] for row in stored_tree(session, "python-101")] == [
        "defining-functions",
        "closures",
        "installing-python",
        "first-quiz",
        "debuggers",
        "final-project",
    ]
    assert count(session, "org_lesson") == 6  # the course's own lesson went with the prune


def _tiers_text() -> str:
    from tests.services.course_helpers import DATA

    return (DATA / "outlines" / "tiers.yaml").read_text(encoding="utf-8")


def test_prune_refuses_to_delete_learner_progress(session: Session) -> None:
    org = make_org(session)
    product = make_product(session, org)
    sync(session, org, product, "tiers.yaml")
    member = make_member(session, org, make_user(session))
    enrollment = make_enrollment(session, member, product, tier=3)
    make_progress(session, enrollment, product, "closures", seconds=60)
    without_module = _tiers_text().split("  - title: Going further\n")[0] + (
        "  - title: Mastery\n" + _tiers_text().split("  - title: Mastery\n")[1]
    )
    with pytest.raises(ConflictError) as caught:
        sync(session, org, product, without_module, prune=True)
    assert "python-101/going-further/functions/closures (1 learners)" in caught.value.reason
    assert [row[0] for row in stored_tree(session, "python-101")].count("going-further") == 2


def test_a_reused_lesson_sits_in_two_courses_and_keeps_its_creator(session: Session) -> None:
    org = make_org(session)
    jane = make_instructor(session, "jane-doe", orgs=[org])
    make_lesson(
        session, org, "shared-quiz", title="Shared quiz", type="quiz", creator_profile_id=jane.id
    )
    first = make_product(session, org, "python-101")
    second = make_product(session, org, "data-201")
    body = """version: 1
kind: course_outline
course: {course}
modules:
  - title: Intro
    sections:
      - title: Check
        lessons:
          - lesson: shared-quiz
            tier: 2
"""
    sync(session, org, first, body.format(course="python-101"))
    plan = ChangeSet()
    sync_course_content(
        session,
        org=org,
        product=second,
        body=outline(body.format(course="data-201")),
        changes=plan,
        prune=False,
        filename="o.yaml",
    )
    assert "lesson" not in {change.entity for change in plan.changes}
    assert stored_tree(session, "python-101") == [("intro", "check", "shared-quiz", 1, 1, 2)]
    assert stored_tree(session, "data-201") == [("intro", "check", "shared-quiz", 1, 1, 2)]
    rows = (
        session.connection()
        .execute(
            text(
                "SELECT l.slug, l.type, l.creator_profile_id, t.title FROM org_lesson l "
                "JOIN org_lesson_translation t ON t.org_id = l.org_id AND t.lesson_id = l.id"
            )
        )
        .all()
    )
    assert len(rows) == 1
    assert (rows[0][0], rows[0][1], rows[0][3]) == ("shared-quiz", "quiz", "Shared quiz")
    assert str(rows[0][2]).replace("-", "") == str(jane.id).replace("-", "")


def test_a_lesson_of_another_org_is_not_found_and_nothing_is_written(session: Session) -> None:
    org = make_org(session)
    other = make_org(session, "globex")
    make_lesson(session, other, "their-lesson")
    product = make_product(session, org)
    body = """version: 1
kind: course_outline
course: python-101
modules:
  - title: Intro
    sections:
      - title: Start
        lessons:
          - title: Mine
          - lesson: their-lesson
"""
    with pytest.raises(InvalidInputError) as caught:
        sync(session, org, product, body)
    assert [str(p) for p in caught.value.problems] == [
        "o.yaml:10:13: modules[0].sections[0].lessons[1]: lesson 'their-lesson' not found in org acme's lesson library (`lesson: SLUG` places a library lesson; write a course's own lesson inline, with its title; a library comes from another database with `courses lessons export` and `courses import`)"
    ]
    assert count(session, "org_course_module") == 0
    assert count(session, "org_lesson") == 1


def test_duplicate_sibling_slugs_name_both_lines(session: Session) -> None:
    org = make_org(session)
    product = make_product(session, org)
    body = """version: 1
kind: course_outline
course: python-101
modules:
  - title: Basics
  - slug: intro
    title: Intro
  - title: Basics!
    sections:
      - title: A
      - slug: a
        title: Another
"""
    with pytest.raises(InvalidInputError) as caught:
        sync(session, org, product, body)
    assert [str(p) for p in caught.value.problems] == [
        "o.yaml:8:5: modules[2]: module slug 'basics' is used twice among its siblings (line 5 and line 8)",
        "o.yaml:11:9: modules[2].sections[1]: section slug 'a' is used twice among its siblings (line 10 and line 11)",
    ]


def test_texts_in_several_locales_and_locales_the_org_lacks(session: Session) -> None:
    org = make_org(session, locales=("en-US", "de-DE"))
    product = make_product(session, org)
    body = """version: 1
kind: course_outline
course: python-101
modules:
  - title: {en-US: Getting started, de-DE: Erste Schritte}
    description: {de-DE: Los geht's}
    sections:
      - title: {fr-FR: Installation}
"""
    with pytest.raises(InvalidInputError) as caught:
        sync(session, org, product, body)
    assert [str(p) for p in caught.value.problems] == [
        "o.yaml:8:17: modules[0].sections[0].title: locale 'fr-FR' is not one of org acme's locales (en-US, de-DE)",
        "o.yaml:8:9: modules[0].sections[0]: no slug, and no title in the org's default locale en-US to derive one from: add a slug",
    ]
    good = body.replace("{fr-FR: Installation}", "Installation")
    sync(session, org, product, good)
    rows = (
        session.connection()
        .execute(
            text(
                "SELECT locale_key, is_default, title, description FROM org_course_module_translation ORDER BY locale_key"
            )
        )
        .all()
    )
    assert [tuple(row) for row in rows] == [
        ("de-DE", False, "Erste Schritte", "Los geht's"),
        ("en-US", True, "Getting started", None),
    ]
    renamed = good.replace("de-DE: Erste Schritte", "de-DE: Einstieg")
    plan = sync(session, org, product, renamed)
    assert plan.lines() == [
        "~ module python-101/getting-started (title[de-DE]: 'Erste Schritte' -> 'Einstieg')"
    ]


def test_a_dry_run_plans_a_new_course_and_writes_nothing(session: Session) -> None:
    org = make_org(session)
    plan = sync(session, org, None, "tiers.yaml", dry_run=True)
    assert plan.count("create") == 25
    assert count(session, "org_lesson") == 0
    assert count(session, "skill") == 0


def test_a_lesson_written_inline_is_its_courses_own_even_in_one_run(session: Session) -> None:
    """A catalog run: a `lesson:` places a library lesson; the inline lesson another course of
    the run writes is that course's own, and naming it from elsewhere is an error."""
    org = make_org(session)
    first = make_product(session, org, "python-101")
    second = make_product(session, org, "data-201")
    uses = outline("""version: 1
kind: course_outline
course: python-101
modules:
  - title: M
    sections:
      - title: S
        lessons:
          - lesson: shared
""")
    defines = outline("""version: 1
kind: course_outline
course: data-201
modules:
  - title: M
    sections:
      - title: S
        lessons:
          - title: Shared
            type: video
""")
    context = CourseSyncContext.for_org(session, org)
    problems = Problems("catalog.yaml")
    specs = [
        prepare_course_content(
            body=body, context=context, problems=problems, filename="catalog.yaml"
        )
        for body in (uses, defines)
    ]
    context.resolve(session, problems)
    assert [str(p) for p in problems.items] == [
        "catalog.yaml:9:13: modules[0].sections[0].lessons[0]: lesson 'shared' not found in org acme's lesson library (`lesson: SLUG` places a library lesson; write a course's own lesson inline, with its title; a library comes from another database with `courses lessons export` and `courses import`)"
    ]
    assert first.id != second.id and specs[1].lessons.keys() == {"shared"}


def test_an_inline_lesson_defined_twice_differently_is_an_error(session: Session) -> None:
    org = make_org(session)
    product = make_product(session, org)
    body = """version: 1
kind: course_outline
course: python-101
modules:
  - title: M
    sections:
      - title: S
        lessons:
          - title: Intro
            type: video
      - title: T
        lessons:
          - title: Intro
            type: text
"""
    with pytest.raises(InvalidInputError) as caught:
        sync(session, org, product, body)
    assert [str(p) for p in caught.value.problems] == [
        "o.yaml:13:13: modules[0].sections[1].lessons[0]: lesson 'intro' is defined again in this course with different content (first at o.yaml:9): a course's lesson slugs are unique within the course (repeat it unchanged to place it again)"
    ]


def _statements(session: Session, run: Any) -> int:
    """Statements sent while `run` runs: SQLAlchemy's, and the bulk writer's (one executemany
    or COPY each, whatever the number of rows)."""
    from sqlalchemy import event

    from volmify_cli.db.bulk import Bulk

    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    def counted(method: Any) -> Any:
        def call(self: Bulk, sql: str, *args: Any) -> Any:
            seen.append(sql)
            return method(self, sql, *args)

        return call

    engine = session.connection().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name in ("insert", "execute_many", "query"):
                patch.setattr(Bulk, name, counted(getattr(Bulk, name)))
            run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _catalog_run(session: Session, org: Any, products: list[Any]) -> ChangeSet:
    context = CourseSyncContext.for_org(session, org)
    problems = Problems("catalog.yaml")
    targets = []
    for product in products:
        body = outline(_tiers_text().replace("course: python-101", f"course: {product.slug}"))
        spec = prepare_course_content(
            body=body, context=context, problems=problems, filename="catalog.yaml"
        )
        targets.append(CourseTarget(product.id, product.slug, spec))
    context.resolve(session, problems)
    assert not problems
    changes = ChangeSet()
    apply_course_contents(
        session, context=context, targets=targets, changes=changes, prune=True, dry_run=False
    )
    return changes


def test_a_catalog_of_courses_is_synced_with_a_fixed_number_of_statements(
    session: Session,
) -> None:
    """Set-based: 2 courses or 30 courses, the same statements (reads and executemany writes)."""
    org = make_org(session)
    _catalog_run(session, org, [make_product(session, org, "warm-up", variant=None)])
    few = [make_product(session, org, f"few-{i}", variant=None) for i in range(2)]
    many = [make_product(session, org, f"many-{i}", variant=None) for i in range(30)]
    first_few = _statements(session, lambda: _catalog_run(session, org, few))
    first_many = _statements(session, lambda: _catalog_run(session, org, many))
    assert first_many == first_few
    # Inline lessons are each course's own: 33 courses of 7 lessons, none shared.
    assert count(session, "org_lesson") == 33 * 7
    assert stored_tree(session, "many-29") == TIERS_TREE
    again: list[ChangeSet] = []
    assert _statements(session, lambda: again.append(_catalog_run(session, org, many))) < first_many
    # 30 x (16 + 7 own lessons) + 2 global skills
    assert again[0].summary() == "0 created, 0 updated, 692 unchanged"
