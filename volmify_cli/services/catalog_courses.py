"""A catalog's `course:` blocks go through the course-outline code (SPEC 4.1: "imported by the
same code as course outlines, in the same transaction"): `services.course_content`.

Planning runs it as a dry run (its problems join the catalog's, its plan lines join the plan)
and keeps its writes; applying writes them, after the catalog's own rows exist, in the same
transaction: each body is prepared and planned once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from volmify_cli.inputs.catalog_model import Catalog
from volmify_cli.inputs.documents import Problems
from volmify_cli.models.orgs import Org
from volmify_cli.services.changes import ChangeSet


def _context(org: Org, catalog: Catalog) -> Any:
    from volmify_cli.services.course_spec import CourseSyncContext

    return CourseSyncContext(
        org=org, locales=list(catalog.locales), default_locale=catalog.default_locale
    )


def _prepare(
    session: Session, org: Org, catalog: Catalog, problems: Problems
) -> tuple[Any, list[tuple[str, Any]]]:
    from volmify_cli.services.course_spec import prepare_course_content

    context = _context(org, catalog)
    specs = []
    for slug, entry in catalog.products.items():
        if entry.doc.course is None:
            continue
        spec = prepare_course_content(
            body=entry.doc.course,
            context=context,
            problems=problems,
            filename=entry.file,
            path_prefix=f"{entry.path}.course",
        )
        specs.append((slug, spec))
    if specs:
        context.resolve(session, problems)
    return context, specs


@dataclass
class CoursePlan:
    """The course blocks' plan lines, and their writes: made once, while the import is
    planned, and written by `write` after the catalog's own rows exist."""

    changes: ChangeSet
    writes: Any = None  # course_writes.Writes; None when the catalog has no course block

    def write(self, session: Session) -> None:
        if self.writes is not None:
            self.writes.write(session)


def plan_courses(
    session: Session,
    *,
    org: Org,
    catalog: Catalog,
    product_ids: dict[Any, str],
    existing: set[str],
    prune: bool,
    problems: Problems,
) -> CoursePlan:
    """Plan the course blocks against what the org holds. `product_ids`: product slug -> id
    (hex; a new product's id is the one the import plans for it); `existing`: slugs of
    products already in the database. Problems are added to `problems`; the caller raises
    them before any write."""
    from volmify_cli.services.course_content import CourseTarget, apply_course_contents

    changes = ChangeSet()
    context, specs = _prepare(session, org, catalog, problems)
    if not specs or problems:
        return CoursePlan(changes)
    targets = [
        CourseTarget(uuid.UUID(hex=product_ids[slug]), slug, spec, new=slug not in existing)
        for slug, spec in specs
    ]
    writes = apply_course_contents(
        session, context=context, targets=targets, changes=changes, prune=prune, dry_run=True
    )
    return CoursePlan(changes, writes)
