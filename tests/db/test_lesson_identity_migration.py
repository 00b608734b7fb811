"""Migration 0011 (SPEC 4.2, revision 2): on upgrade, a lesson placed in exactly one course
becomes that course's own lesson; one placed in several stays in the org's library, and the
courses go on placing it. Run on both databases."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import text

from tests.support import Cli, engine_at
from tests.world import build_world_at
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0010_price_child_of_plan"


def _outline(course: str, lessons: str) -> str:
    return f"""version: 1
kind: course_outline
course: {course}
title: {course}
modules:
  - title: Only
    sections:
      - title: Only
        lessons:
{lessons}"""


def test_upgrade_makes_a_lesson_placed_in_one_course_its_own_and_keeps_a_shared_one(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli.db_url
    build_world_at(cli.db_url)
    for course, lessons in (
        ("alpha", "          - {title: Solo, type: video}\n          - {title: Shared}\n"),
        ("beta", "          - {title: Beta only}\n"),
    ):
        path = tmp_path / f"{course}.yaml"
        path.write_text(_outline(course, lessons), encoding="utf-8")
        cli.ok("courses", "import", str(path), "--org", "acme")
    with engine_at(cli.db_url) as engine:
        downgrade(engine, BEFORE)
        sqlite = engine.dialect.name == "sqlite"
        with engine.begin() as connection:
            # As revision 1 allowed: course beta places alpha's lesson `shared` too.
            section, lesson = connection.execute(
                text(
                    "SELECT s.id, l.id FROM org_course_module_section s"
                    " JOIN org_course_module m ON m.org_id = s.org_id AND m.id = s.module_id"
                    " JOIN org_product p ON p.org_id = m.org_id AND p.id = m.course_id"
                    " JOIN org_lesson l ON l.org_id = s.org_id AND l.slug = 'shared'"
                    " WHERE p.slug = 'beta'"
                )
            ).one()
            new_id = uuid.uuid4()
            connection.execute(
                text(
                    "INSERT INTO org_course_module_section_lesson (created_at, updated_at,"
                    " org_id, id, section_id, lesson_id, sort_order, required_access_tier,"
                    " is_required) SELECT created_at, updated_at, org_id, :id, section_id,"
                    " :lesson, 1, 1, is_required FROM org_course_module_section_lesson"
                    " WHERE section_id = :section"
                ),
                {"id": new_id.hex if sqlite else new_id, "lesson": lesson, "section": section},
            )
        upgrade(engine)
        with engine.connect() as connection:
            owners = dict(
                connection.execute(
                    text(
                        "SELECT l.slug, p.slug FROM org_lesson l LEFT JOIN org_product p"
                        " ON p.org_id = l.org_id AND p.id = l.course_id"
                    )
                ).all()
            )
    assert owners == {"solo": "alpha", "shared": None, "beta-only": "beta"}
    alpha = cli.ok("courses", "export", "alpha", "--org", "acme").stdout
    assert "- slug: solo" in alpha and "- lesson: shared" in alpha
    beta = cli.ok("courses", "export", "beta", "--org", "acme").stdout
    assert "- slug: beta-only" in beta and "- lesson: shared" in beta
