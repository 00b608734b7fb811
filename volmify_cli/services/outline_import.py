"""`courses import`: a `kind: course_outline` file into one course product (SPEC 4.2).

The file is read with the safe loader and checked against the schema, then against the database
(the product is a course or does not exist yet; locales are the org's; reused lessons exist in
the org's library). Every problem is reported with FILE:LINE:COLUMN and nothing is written
(exit 3). A new course is created as a draft course product; its content is synced by the same
code as a catalog product's `course:` block.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, table_of
from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.ids import uuid7
from volmify_cli.inputs.documents import Checked, Problems
from volmify_cli.inputs.outline_schema import CourseOutlineDoc
from volmify_cli.inputs.salvage import caused_later
from volmify_cli.models.products import OrgProduct, OrgProductTranslation
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.course_content import (
    CourseSyncContext,
    apply_course_content,
    prepare_course_content,
)
from volmify_cli.services.course_spec import prepare_texts
from volmify_cli.services.course_texts import TranslationWriter, diff_texts, load_translations
from volmify_cli.services.lookup import get_org


def import_outline(
    session: Session,
    *,
    org: str,
    doc: CourseOutlineDoc,
    filename: str,
    prune: bool = False,
    dry_run: bool = False,
    salvaged: Checked[CourseOutlineDoc] | None = None,
) -> ChangeSet:
    """Create or update the course `doc.course` from the outline and return the plan. Raises
    NotFoundError (org), InvalidInputError (every problem in the file; nothing written) and
    ConflictError (a prune that would delete learners' progress).

    `salvaged`: `doc` is an outline with schema problems read with stand-ins; its problems and
    those the database finds (except what a stand-in may cause) are raised, nothing is
    planned."""
    the_org = get_org(session, org)
    problems = Problems(filename)
    slug = str(doc.course)
    product = (
        session.connection()
        .execute(
            select(table_of(OrgProduct)).where(
                table_of(OrgProduct).c.org_id == the_org.id, table_of(OrgProduct).c.slug == slug
            )
        )
        .first()
    )
    if product is not None and product.type != "course":
        problems.add(
            doc.course,
            "course",
            f"product {slug!r} is a {product.type} product, not a course",
        )
    if product is None and doc.title is None:
        problems.add(
            doc.course,
            "course",
            f"course {slug!r} does not exist in org {the_org.slug} yet: add a title to create it",
        )
    context = CourseSyncContext.for_org(session, the_org)
    texts = prepare_texts(doc, context=context, problems=problems, filename=filename)
    spec = prepare_course_content(body=doc, context=context, problems=problems, filename=filename)
    context.resolve(session, problems)
    if salvaged is not None:
        _raise_with_the_schema_problems(salvaged, problems.items)
    problems.raise_if_any()

    changes = ChangeSet()
    writer = TranslationWriter(
        OrgProductTranslation, "product_id", the_org.id, context.default_locale
    )
    if product is None:
        product_id = uuid7()
        changes.create("product", slug)
        writer.queue(product_id, {}, texts)
        if not dry_run:
            Bulk(session).insert_rows(
                OrgProduct,
                [
                    {
                        "org_id": the_org.id,
                        "id": product_id,
                        "slug": slug,
                        "type": "course",
                        "status": "draft",
                    }
                ],
            )
    else:
        product_id = product.id
        existing = load_translations(
            session,
            OrgProductTranslation,
            org_id=the_org.id,
            parent_field="product_id",
            parent_ids=[product_id],
            fields=("title", "description"),
        ).get(product_id, {})
        if texts:
            changes.update("product", slug, diff_texts(existing, texts, context.default_locale))
            writer.queue(product_id, existing, texts)
    apply_course_content(
        session,
        context=context,
        product_id=product_id if (product is not None or not dry_run) else None,
        course_key=slug,
        spec=spec,
        changes=changes,
        prune=prune,
        dry_run=dry_run,
    )
    if not dry_run:
        writer.flush_unsets(session)
        writer.flush(session)
    return changes


def _raise_with_the_schema_problems(
    salvaged: Checked[CourseOutlineDoc], found: list[Problem]
) -> None:
    places, opaque = salvaged.patched, salvaged.opaque
    more = [p for p in found if not caused_later(p.path, places, opaque)]
    every = sorted([*salvaged.problems, *more], key=lambda p: (p.line or 0, p.column or 0))
    raise InvalidInputError(every)
