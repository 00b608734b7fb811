"""`volmify demo`: load the demo organizations from `fixtures/` through the importers users run
(catalog import, course outline import, learning import, sales import) — no special path.

Every step is idempotent (upserts by natural keys; sales by order_id), so the demo can be run
again; `reset_demo` deletes the demo organizations first to start over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

from sqlmodel import Session, select

from volmify_cli.models.orgs import Org
from volmify_cli.resources import resource_dir

DEMO_ORGS = ("acme", "globex")
StepKind = Literal["lessons", "catalog", "outline", "learning", "sales", "skills"]


@dataclass(frozen=True)
class DemoStep:
    org: str
    kind: StepKind
    path: Path

    @property
    def command(self) -> str:
        """The command a user types to do the same step."""
        verb = {
            "lessons": "courses import",
            "catalog": "catalog import",
            "outline": "courses import",
            "learning": "learning import",
            "sales": "sales import",
            "skills": "skills import",
        }[self.kind]
        relative = self.path.relative_to(resource_dir("fixtures").parent)
        return f"volmify {verb} {relative}" + (f" --org {self.org}" if self.org else "")


class StepRead(TypedDict):
    org: str
    step: str
    command: str
    summary: str


def demo_steps() -> list[DemoStep]:
    """The demo's steps in dependency order: catalogs, the org's lesson library (outlines
    place its lessons), then outlines, learners and sales."""
    fixtures = resource_dir("fixtures")
    # the platform's skill taxonomy first (no org): the catalogs' skills then refer to it
    steps: list[DemoStep] = [DemoStep("", "skills", fixtures / "skills.yaml")]
    for org in DEMO_ORGS:
        base = fixtures / org
        catalog = base / "catalog" if (base / "catalog").is_dir() else base / "catalog.yaml"
        steps.append(DemoStep(org, "catalog", catalog))
        if (base / "lessons.yaml").is_file():  # after the catalog creates the org
            steps.append(DemoStep(org, "lessons", base / "lessons.yaml"))
        steps += [DemoStep(org, "outline", p) for p in sorted((base / "outlines").glob("*.yaml"))]
        steps.append(DemoStep(org, "learning", base / "learning.yaml"))
        steps.append(DemoStep(org, "sales", base / "sales.csv"))
    return steps


def run_step(session: Session, step: DemoStep) -> StepRead:
    """Apply one step in the session's transaction. Raises what the importer raises."""
    summary = {
        "lessons": _lessons,
        "catalog": _catalog,
        "outline": _outline,
        "learning": _learning,
        "sales": _sales,
        "skills": _skills,
    }[step.kind](session, step)
    return StepRead(org=step.org, step=step.kind, command=step.command, summary=summary)


def _lessons(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_course_file
    from volmify_cli.inputs.outline_schema import LessonLibraryDoc
    from volmify_cli.services.lesson_library import import_library

    doc = read_course_file(step.path)
    if not isinstance(doc, LessonLibraryDoc):
        raise ValueError(f"{step.path} is not a lesson library")
    return import_library(session, org=step.org, doc=doc, filename=step.path.name).changes.summary()


def _catalog(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.catalog_files import read_catalog
    from volmify_cli.services.catalog import apply_catalog_import, plan_catalog_import

    files = read_catalog([step.path])
    plan = plan_catalog_import(session, files, org=step.org)
    return apply_catalog_import(session, plan).summary()


def _outline(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_outline
    from volmify_cli.services.outline_import import import_outline

    doc = read_outline(step.path)
    changes = import_outline(session, org=step.org, doc=doc, filename=str(step.path))
    return changes.summary()


def _learning(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_learning
    from volmify_cli.services.learning_import import import_learning

    doc = read_learning(step.path)
    return import_learning(
        session, org=step.org, doc=doc, filename=str(step.path)
    ).changes.summary()


def _sales(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.sales_files import open_sales_file
    from volmify_cli.services.sales import import_sales

    source = open_sales_file(step.path)
    result = import_sales(session, org_slug=step.org, lines=source.lines, file=source.name)
    return f"{result['created']} orders recorded, {result['unchanged']} already there"


def _skills(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_skills
    from volmify_cli.services.skill_import import import_skills

    doc = read_skills(step.path)
    return import_skills(session, doc=doc, filename=str(step.path)).summary()


def existing_demo_orgs(session: Session) -> list[str]:
    return sorted(session.exec(select(Org.slug).where(Org.slug.in_(DEMO_ORGS))))  # type: ignore[attr-defined]


def reset_demo(session: Session) -> list[str]:
    """Delete the demo organizations (everything they own goes with them); global rows such as
    users and instructor profiles stay and are reused. Returns the slugs deleted."""
    from volmify_cli.services.orgs import delete_org

    deleted = existing_demo_orgs(session)
    for slug in deleted:
        delete_org(session, slug=slug)
    return deleted
