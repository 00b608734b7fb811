"""Learning analytics (progress report and enrollment percent) against hand-computed values.

World: python-101 from tiers.yaml (visible lessons: tier 1 -> 1, tier 2 -> 4, tier 3 -> 7) and
data-201 (one module, two tier-1 lessons).
  ana  python-101 tier 3: installing-python done 100 s, first-quiz done 200 s, closures 50% 300 s
  bob  python-101 tier 1: installing-python done 60 s                      -> complete
  cy   python-101 tier 2: editors done 120 s, defining-functions 30 s
  cy   data-201   tier 1: both lessons done, 10 s + 20 s                   -> complete
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.factories import make_member, make_org, make_product, make_user
from tests.learning_factories import make_enrollment, make_progress
from tests.services.course_helpers import outline
from volmify_cli.errors import NotFoundError, UsageError
from volmify_cli.reports.progress import progress_report
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.course_content import sync_course_content
from volmify_cli.services.enrollments import list_enrollments

DATA_201 = """version: 1
kind: course_outline
course: data-201
modules:
  - title: M
    sections:
      - title: S
        lessons:
          - title: One
          - title: Two
"""


@pytest.fixture
def world(session: Session) -> None:
    org = make_org(session)
    python = make_product(session, org, "python-101")
    data = make_product(session, org, "data-201")
    for product, source in ((python, "tiers.yaml"), (data, DATA_201)):
        sync_course_content(
            session, org=org, product=product, body=outline(source), changes=ChangeSet(),
            prune=False, filename="o.yaml",
        )  # fmt: skip
    ana, bob, cy = (
        make_member(session, org, make_user(session, f"{name}@example.org", name.title()))
        for name in ("ana", "bob", "cy")
    )
    e = make_enrollment(session, ana, python, tier=3)
    make_progress(session, e, python, "installing-python", seconds=100)
    make_progress(session, e, python, "first-quiz", seconds=200)
    make_progress(session, e, python, "closures", status="in_progress", percent=50, seconds=300)
    e = make_enrollment(session, bob, python, tier=1)
    make_progress(session, e, python, "installing-python", seconds=60)
    e = make_enrollment(session, cy, python, tier=2)
    make_progress(session, e, python, "editors", seconds=120)
    make_progress(session, e, python, "defining-functions", status="in_progress", seconds=30)
    e = make_enrollment(session, cy, data, tier=1)
    make_progress(session, e, data, "one", seconds=10)
    make_progress(session, e, data, "two", seconds=20)


def rows(report: dict[str, object]) -> list[tuple[object, ...]]:
    return [
        (r["key"], r["enrollments"], r["completed"], r["lessons_completed"], r["lessons_total"],
         r["completion_rate"], r["seconds_spent"])
        for r in report["rows"]  # type: ignore[attr-defined]
    ]  # fmt: skip


TOTALS = {
    "enrollments": 4,
    "completed": 2,
    "lessons_completed": 6,
    "lessons_total": 14,
    "completion_rate": 42.9,
    "seconds_spent": 840,
}


@pytest.mark.usefixtures("world")
def test_by_course(session: Session) -> None:
    report = progress_report(session, org="acme", by="course")
    assert rows(report) == [  # type: ignore[arg-type]
        ("data-201", 1, 1, 2, 2, 100.0, 30),
        ("python-101", 3, 1, 4, 12, 33.3, 810),
    ]
    assert report["rows"][1]["label"] == "Python 101"
    assert report["totals"] == TOTALS


@pytest.mark.usefixtures("world")
def test_by_member(session: Session) -> None:
    report = progress_report(session, org="acme", by="member")
    assert rows(report) == [  # type: ignore[arg-type]
        ("ana@example.org", 1, 0, 2, 7, 28.6, 600),
        ("bob@example.org", 1, 1, 1, 1, 100.0, 60),
        ("cy@example.org", 2, 1, 3, 6, 50.0, 180),
    ]
    assert report["totals"] == TOTALS


@pytest.mark.usefixtures("world")
def test_by_module(session: Session) -> None:
    report = progress_report(session, org="acme", by="module")
    assert rows(report) == [  # type: ignore[arg-type]
        ("data-201/m", 1, 1, 2, 2, 100.0, 30),
        ("python-101/getting-started", 3, 1, 4, 8, 50.0, 480),
        ("python-101/going-further", 2, 0, 0, 3, 0.0, 330),
        ("python-101/mastery", 1, 0, 0, 1, 0.0, 0),
    ]


@pytest.mark.usefixtures("world")
def test_one_course_only(session: Session) -> None:
    report = progress_report(session, org="acme", course="data-201", by="member")
    assert rows(report) == [("cy@example.org", 1, 1, 2, 2, 100.0, 30)]  # type: ignore[arg-type]
    assert report["totals"]["enrollments"] == 1
    with pytest.raises(NotFoundError):
        progress_report(session, org="acme", course="nope")
    with pytest.raises(UsageError):
        progress_report(session, org="acme", by="week")


@pytest.mark.usefixtures("world")
def test_enrollment_percent_is_derived_from_visible_lessons(session: Session) -> None:
    listed = list_enrollments(session, org="acme")
    assert [(r["course"], r["member"], r["lessons_completed"], r["lessons_total"], r["percent"],
             r["seconds_spent"]) for r in listed] == [
        ("data-201", "cy@example.org", 2, 2, 100, 30),
        ("python-101", "ana@example.org", 2, 7, 28, 600),
        ("python-101", "bob@example.org", 1, 1, 100, 60),
        ("python-101", "cy@example.org", 1, 4, 25, 150),
    ]  # fmt: skip


def test_an_org_without_learners_reports_zeros(session: Session) -> None:
    make_org(session, "quiet")
    report = progress_report(session, org="quiet")
    assert report["rows"] == []
    assert report["totals"] == {
        "enrollments": 0, "completed": 0, "lessons_completed": 0, "lessons_total": 0,
        "completion_rate": 0.0, "seconds_spent": 0,
    }  # fmt: skip
