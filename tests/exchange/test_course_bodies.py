"""course_bodies: the `course:` blocks of many products for a catalog export, read in a fixed
number of statements and written exactly as `courses export` writes an outline's body."""

from __future__ import annotations

from sqlalchemy import event
from sqlmodel import Session

from tests.factories import make_org, make_product
from tests.services.course_helpers import outline
from volmify_cli.exchange.outline_export import course_bodies, export_outline
from volmify_cli.exchange.yamlio import dump_yaml
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.course_content import sync_course_content


def test_bodies_match_the_outline_export_and_cost_the_same_for_any_number(
    session: Session,
) -> None:
    org = make_org(session)
    products = [make_product(session, org, f"course-{i}", variant=None) for i in range(12)]
    for product in products:
        sync_course_content(
            session, org=org, product=product, body=outline("tiers.yaml"), changes=ChangeSet(),
            prune=False, filename="o.yaml",
        )  # fmt: skip
    statements: list[str] = []
    engine = session.connection().engine

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        two = course_bodies(session, org, [p.id for p in products[:2]])
        for_two = len(statements)
        bodies = course_bodies(session, org, [p.id for p in products])
        for_twelve = len(statements) - for_two
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert for_twelve == for_two
    assert set(two) == {products[0].id, products[1].id}
    for product in products:
        exported = export_outline(session, org="acme", slug=product.slug)
        assert exported.endswith(dump_yaml(bodies[product.id]))
    body = bodies[products[3].id]
    assert [m["slug"] for m in body["modules"]] == ["getting-started", "going-further", "mastery"]
    assert body["skills"] == [
        "python",
        {"skill": "programming-basics", "kind": "prerequisite", "weight": 3},
    ]
