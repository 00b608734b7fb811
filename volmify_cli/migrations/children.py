"""A table becoming a child of its org-owned parent, and back (volmify_cli/models/base.py, "Roots
and children"): its own `org_id -> org` FK goes, and its one NO ACTION tenant reference to a
table the org's cascade reaches sooner is deferred to commit (DEFERRABLE INITIALLY DEFERRED).

SQLite rebuilds the table from its stored CREATE TABLE text (`migrations/sqlite_tables.py`);
PostgreSQL drops and recreates the two constraints.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic import op

from volmify_cli.migrations.sqlite_tables import (
    rebuild_table,
    replace_once,
    with_clauses,
    without_clauses,
)

DEFERRED = " DEFERRABLE INITIALLY DEFERRED"


@dataclass(frozen=True)
class Reference:
    """A NO ACTION tenant reference `(org_id, column) -> table (org_id, id)`, named `name`."""

    name: str
    column: str
    table: str

    @property
    def clause(self) -> str:
        """As SQLAlchemy writes it into SQLite's CREATE TABLE."""
        return (
            f"CONSTRAINT {self.name} FOREIGN KEY(org_id, {self.column})"
            f" REFERENCES {self.table} (org_id, id)"
        )

    def create(self, owner: str, *, deferred: bool) -> None:
        op.create_foreign_key(
            self.name,
            owner,
            self.table,
            ["org_id", self.column],
            ["org_id", "id"],
            deferrable=True if deferred else None,
            initially="DEFERRED" if deferred else None,
        )


def _org_clause(org_fk: str) -> str:
    return f"CONSTRAINT {org_fk} FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE"


def become_child(table: str, org_fk: str, reference: Reference) -> None:
    if op.get_bind().dialect.name == "sqlite":

        def edit(sql: str) -> str:
            sql = without_clauses(sql, _org_clause(org_fk))
            return replace_once(sql, reference.clause, reference.clause + DEFERRED)

        rebuild_table(table, edit)
        return
    op.drop_constraint(org_fk, table, type_="foreignkey")
    op.drop_constraint(reference.name, table, type_="foreignkey")
    reference.create(table, deferred=True)


def become_root(table: str, org_fk: str, reference: Reference) -> None:
    if op.get_bind().dialect.name == "sqlite":

        def edit(sql: str) -> str:
            sql = replace_once(sql, reference.clause + DEFERRED, reference.clause)
            return with_clauses(sql, _org_clause(org_fk))

        rebuild_table(table, edit)
        return
    op.drop_constraint(reference.name, table, type_="foreignkey")
    reference.create(table, deferred=False)
    op.create_foreign_key(org_fk, table, "org", ["org_id"], ["id"], ondelete="CASCADE")
