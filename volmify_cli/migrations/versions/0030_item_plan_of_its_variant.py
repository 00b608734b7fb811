"""order items: the variant is named with its product, the plan with its variant

`org_order_item` referenced its org, its product, its variant and its plan one by one: four
foreign keys beside its order's, and nothing stopped an item from naming a plan of another
variant, or a variant of another product. It now references its variant as `(org_id,
product_id, variant_id) -> org_product_variant (org_id, product_id, id)` and its plan as
`(org_id, variant_id, plan_id) -> org_product_variant_payment_plan (org_id, variant_id, id)`
(NO ACTION, as before: a product, variant or plan that was sold stays), over a unique constraint
added to each parent. The database now refuses an inconsistent item, and an item is checked by
three references where it was five: its own `org_id -> org` goes, as a child's does (0008), since
its order's reference carries the tenant and deleting the org reaches it through its order; both
new references point at tables the org's cascade deletes on the item's level or later
(volmify_cli/models/base.py, "Roots and children"). On PostgreSQL a check costs about 5 us a row;
a sales line writes one item.

SQLite cannot change a constraint: the three tables are rebuilt from their stored CREATE TABLE
text with the clauses changed (`migrations/sqlite_tables.py`); the runner checks every foreign
key afterwards, so an existing item that named a plan of another variant stops the upgrade.

Revision ID: 0030_item_plan_of_its_variant
Revises: 0029_day_totals_in_months
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, with_clauses, without_clauses

revision = "0030_item_plan_of_its_variant"
down_revision = "0029_day_totals_in_months"
branch_labels = None
depends_on = None

ITEM = "org_order_item"
VARIANT = "org_product_variant"
PLAN = "org_product_variant_payment_plan"


class Unique(NamedTuple):
    table: str
    name: str
    columns: tuple[str, ...]


class Reference(NamedTuple):
    """One of the item's references, named as the naming convention names it (shortened to
    PostgreSQL's 63 characters)."""

    name: str
    columns: tuple[str, ...]
    parent: str
    remote: tuple[str, ...]
    ondelete: str | None = None

    def clause(self) -> str:
        """As SQLAlchemy writes it in SQLite's stored CREATE TABLE text."""
        cascade = f" ON DELETE {self.ondelete}" if self.ondelete else ""
        return (
            f"CONSTRAINT {self.name} FOREIGN KEY({', '.join(self.columns)})"
            f" REFERENCES {self.parent} ({', '.join(self.remote)}){cascade}"
        )


UNIQUES = (
    Unique(VARIANT, "uq_org_product_variant_org_id_product_id_id", ("org_id", "product_id", "id")),
    Unique(
        PLAN, "uq_org_product_variant_payment_plan_org_id_variant_id_id",
        ("org_id", "variant_id", "id"),
    ),
)  # fmt: skip
OLD = (
    Reference("fk_org_order_item_org_id_org", ("org_id",), "org", ("id",), "CASCADE"),
    Reference(
        "fk_org_order_item_org_id_product_id_org_product", ("org_id", "product_id"),
        "org_product", ("org_id", "id"),
    ),
    Reference(
        "fk_org_order_item_org_id_variant_id_org_product_variant", ("org_id", "variant_id"),
        VARIANT, ("org_id", "id"),
    ),
    Reference(
        "fk_org_order_item_org_id_plan_id_org_product_variant_p_3b1c2529", ("org_id", "plan_id"),
        PLAN, ("org_id", "id"),
    ),
)  # fmt: skip
NEW = (
    Reference(
        "fk_org_order_item_org_id_product_id_variant_id_org_pro_edb7edd8",
        ("org_id", "product_id", "variant_id"), VARIANT, ("org_id", "product_id", "id"),
    ),
    Reference(
        "fk_org_order_item_org_id_variant_id_plan_id_org_produc_b97d71c8",
        ("org_id", "variant_id", "plan_id"), PLAN, ("org_id", "variant_id", "id"),
    ),
)  # fmt: skip


def _with_all(sql: str, *, clauses: Sequence[str]) -> str:
    return with_clauses(sql, *clauses)


def _without_all(sql: str, *, clauses: Sequence[str]) -> str:
    return without_clauses(sql, *clauses)


def _sqlite(old: tuple[Reference, ...], new: tuple[Reference, ...], adding: bool) -> None:
    """The item's references swapped; the parents' unique constraints added before (or dropped
    after)."""
    uniques = {u.table: [f"CONSTRAINT {u.name} UNIQUE ({', '.join(u.columns)})"] for u in UNIQUES}
    if adding:
        for table, clauses in uniques.items():
            rebuild_table(table, partial(_with_all, clauses=clauses))
    dropped, added = [r.clause() for r in old], [r.clause() for r in new]
    rebuild_table(ITEM, lambda sql: with_clauses(without_clauses(sql, *dropped), *added))
    if not adding:
        for table, clauses in uniques.items():
            rebuild_table(table, partial(_without_all, clauses=clauses))


def _postgresql(old: tuple[Reference, ...], new: tuple[Reference, ...]) -> None:
    for reference in old:
        op.drop_constraint(reference.name, ITEM, type_="foreignkey")
    for reference in new:
        op.create_foreign_key(
            reference.name, ITEM, reference.parent, list(reference.columns),
            list(reference.remote), ondelete=reference.ondelete,
        )  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(OLD, NEW, adding=True)
        return
    for unique in UNIQUES:
        op.create_unique_constraint(unique.name, unique.table, list(unique.columns))
    _postgresql(OLD, NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(NEW, OLD, adding=False)
        return
    _postgresql(NEW, OLD)
    for unique in UNIQUES:
        op.drop_constraint(unique.name, unique.table, type_="unique")
