"""lessons: a course's own beside the org's explicit library (SPEC 4.2, revision 2)

`org_lesson.course_id` names the course that owns a lesson (NULL: a lesson of the org's library),
with a cascading tenant FK to `org_product_course`: a course's own lessons go with the course.
Slugs are unique within their course (own lessons) or among the library's (two partial unique
indexes replace `UNIQUE (org_id, slug)`). `shareable` marks a library lesson that other orgs may
copy (a CHECK keeps it off own lessons); `origin_digest` is a copy's digest of its origin's content
when copied or last synced (`courses lessons diff`).

A placement's references to lessons become DEFERRABLE INITIALLY DEFERRED: deleting a course
deletes its own lessons on an earlier level of the cascade than the placements below its modules
and sections, and a deferred reference is checked at commit, after every cascade. With no
immediate NO ACTION reference left, the placement is a child of its section and its own
`org_id -> org` FK goes (models/base.py, "Roots and children").

Existing data: a lesson placed in exactly one course becomes that course's own lesson; one
placed in several (or in none) stays in the library. The downgrade refuses when two courses own
lessons with the same slug (the old schema cannot hold them).

SQLite rebuilds the tables from their stored CREATE TABLE text (`migrations/sqlite_tables.py`).

Revision ID: 0011_course_own_lessons
Revises: 0010_price_child_of_plan
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import (
    rebuild_table,
    replace_once,
    with_clauses,
    without_clauses,
)

revision = "0011_course_own_lessons"
down_revision = "0010_price_child_of_plan"
branch_labels = None
depends_on = None

LESSON = "org_lesson"
PLACEMENT = "org_course_module_section_lesson"
OLD_UNIQUE = "uq_org_lesson_org_id_slug"
COURSE_FK = "fk_org_lesson_org_id_course_id_org_product_course"
SHAREABLE_CHECK = "ck_org_lesson_shareable_library_only"
LIBRARY_INDEX = "uq_org_lesson_library_slug"
COURSE_INDEX = "uq_org_lesson_course_slug"
LIBRARY = "course_id IS NULL"
OWN = "course_id IS NOT NULL"
PLACEMENT_ORG_FK = "fk_org_course_module_section_lesson_org_id_org"
LESSON_FK = "fk_org_course_module_section_lesson_org_id_lesson_id_org_lesson"
PREREQUISITE_FK = "fk_org_course_module_section_lesson_org_id_prerequisit_a6afc97a"
DEFERRED = " DEFERRABLE INITIALLY DEFERRED"

UNIQUE_CLAUSE = f"CONSTRAINT {OLD_UNIQUE} UNIQUE (org_id, slug)"
COURSE_CLAUSE = (
    f"CONSTRAINT {COURSE_FK} FOREIGN KEY(org_id, course_id) REFERENCES org_product_course "
    "(org_id, product_id) ON DELETE CASCADE"
)
SHAREABLE_CLAUSE = f"CONSTRAINT {SHAREABLE_CHECK} CHECK ({LIBRARY} OR NOT shareable)"
PLACEMENT_ORG_CLAUSE = (
    f"CONSTRAINT {PLACEMENT_ORG_FK} FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE"
)
LESSON_CLAUSE = (
    f"CONSTRAINT {LESSON_FK} FOREIGN KEY(org_id, lesson_id) REFERENCES org_lesson (org_id, id)"
)
PREREQUISITE_CLAUSE = (
    f"CONSTRAINT {PREREQUISITE_FK} FOREIGN KEY(org_id, prerequisite_lesson_id) "
    "REFERENCES org_lesson (org_id, id)"
)

# The courses a lesson is placed in (one row per placement), for the data step.
_PLACED_IN = """
    FROM org_course_module_section_lesson p
    JOIN org_course_module_section s ON s.org_id = p.org_id AND s.id = p.section_id
    JOIN org_course_module m ON m.org_id = s.org_id AND m.id = s.module_id
    WHERE p.org_id = org_lesson.org_id AND p.lesson_id = org_lesson.id
"""
OWN_LESSONS = f"""
UPDATE org_lesson
SET course_id = (SELECT m.course_id {_PLACED_IN} LIMIT 1)
WHERE (SELECT count(DISTINCT m.course_id) {_PLACED_IN}) = 1
"""
CLASHES = """
SELECT org_id, slug FROM org_lesson GROUP BY org_id, slug HAVING count(*) > 1
"""


def _lesson_up(sql: str) -> str:
    return with_clauses(without_clauses(sql, UNIQUE_CLAUSE), COURSE_CLAUSE, SHAREABLE_CLAUSE)


def _lesson_down(sql: str) -> str:
    return with_clauses(without_clauses(sql, COURSE_CLAUSE, SHAREABLE_CLAUSE), UNIQUE_CLAUSE)


def _placement_up(sql: str) -> str:
    sql = without_clauses(sql, PLACEMENT_ORG_CLAUSE)
    sql = replace_once(sql, LESSON_CLAUSE, LESSON_CLAUSE + DEFERRED)
    return replace_once(sql, PREREQUISITE_CLAUSE, PREREQUISITE_CLAUSE + DEFERRED)


def _placement_down(sql: str) -> str:
    sql = replace_once(sql, LESSON_CLAUSE + DEFERRED, LESSON_CLAUSE)
    sql = replace_once(sql, PREREQUISITE_CLAUSE + DEFERRED, PREREQUISITE_CLAUSE)
    return with_clauses(sql, PLACEMENT_ORG_CLAUSE)


def _partial_indexes() -> None:
    for name, columns, where in (
        (LIBRARY_INDEX, ["org_id", "slug"], LIBRARY),
        (COURSE_INDEX, ["org_id", "course_id", "slug"], OWN),
    ):
        op.create_index(
            name,
            LESSON,
            columns,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(LESSON, sa.Column("course_id", sa.Uuid(), nullable=True))
    op.add_column(
        LESSON,
        sa.Column("shareable", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(LESSON, sa.Column("origin_digest", sa.String(length=64), nullable=True))
    op.execute(OWN_LESSONS)
    if sqlite:
        rebuild_table(LESSON, _lesson_up)
        rebuild_table(PLACEMENT, _placement_up)
    else:
        op.drop_constraint(OLD_UNIQUE, LESSON, type_="unique")
        op.create_foreign_key(
            COURSE_FK,
            LESSON,
            "org_product_course",
            ["org_id", "course_id"],
            ["org_id", "product_id"],
            ondelete="CASCADE",
        )
        op.create_check_constraint(SHAREABLE_CHECK, LESSON, f"{LIBRARY} OR NOT shareable")
        op.drop_constraint(PLACEMENT_ORG_FK, PLACEMENT, type_="foreignkey")
        for name, column in ((LESSON_FK, "lesson_id"), (PREREQUISITE_FK, "prerequisite_lesson_id")):
            op.drop_constraint(name, PLACEMENT, type_="foreignkey")
            op.create_foreign_key(
                name,
                PLACEMENT,
                LESSON,
                ["org_id", column],
                ["org_id", "id"],
                deferrable=True,
                initially="DEFERRED",
            )
    _partial_indexes()


def downgrade() -> None:
    clash = op.get_bind().exec_driver_sql(CLASHES).first()
    if clash is not None:
        raise RuntimeError(
            f"cannot downgrade: lesson slug {clash[1]!r} is used by more than one lesson of an "
            "organization (courses' own lessons); rename them first"
        )
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index(COURSE_INDEX, LESSON)
    op.drop_index(LIBRARY_INDEX, LESSON)
    if sqlite:
        rebuild_table(PLACEMENT, _placement_down)
        rebuild_table(LESSON, _lesson_down)
    else:
        for name, column in ((LESSON_FK, "lesson_id"), (PREREQUISITE_FK, "prerequisite_lesson_id")):
            op.drop_constraint(name, PLACEMENT, type_="foreignkey")
            op.create_foreign_key(name, PLACEMENT, LESSON, ["org_id", column], ["org_id", "id"])
        op.create_foreign_key(
            PLACEMENT_ORG_FK, PLACEMENT, "org", ["org_id"], ["id"], ondelete="CASCADE"
        )
        op.drop_constraint(SHAREABLE_CHECK, LESSON, type_="check")
        op.drop_constraint(COURSE_FK, LESSON, type_="foreignkey")
        op.create_unique_constraint(OLD_UNIQUE, LESSON, ["org_id", "slug"])
    op.drop_column(LESSON, "origin_digest")
    op.drop_column(LESSON, "shareable")
    op.drop_column(LESSON, "course_id")
