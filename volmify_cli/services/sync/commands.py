"""What a command that writes a part of the org the catalog's way needs beyond the sync: the
entity it writes with the sync's context reading only that entity's rows (`EntityRows`), a
column of its own (one the catalog's files have no key for, such as a product's thumbnail or a
brand's active flag), written by the same writer, and the write itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.models.orgs import Org
from volmify_cli.services.sync.apply import apply_writes
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.rows import Rows, Table
from volmify_cli.services.sync.seo import apply_seo, sweep_seo
from volmify_cli.services.sync.tables import spec


class EntityRows:
    """One entity of the org, a row of `table` addressed by its slug, as a command writes it
    the catalog's way: `row_id` is None when the org has no such entity yet."""

    table: ClassVar[Table]
    parent_column: ClassVar[str]  # how the tables below it name it (`brand_id`)
    ctx: Context

    def __init__(self, session: Session, org: Org, slug: str) -> None:
        self.session, self.org, self.slug = session, org, slug
        self.db = Bulk(session)
        self.row_id = id_by_slug(self.db, self.table.name, org.id.hex, slug)

    def context(
        self,
        children: Sequence[Table] = (),
        ids: dict[str, dict[Any, str]] | None = None,
        *,
        reads: Mapping[str, Scope | None] | None = None,
        prune: bool = True,
    ) -> Context:
        """The sync's context reading the entity's own row, its rows in `children` (tables
        keyed by its id) and `reads`; with `prune`, what the command leaves out of the
        entity's document is deleted."""
        scopes: dict[str, Scope | None] = {self.table.name: ("slug = ?", (self.slug,))}
        if self.row_id is not None:
            of_entity: Scope = (f"{self.parent_column} = ?", (self.row_id,))
            scopes |= {child.name: of_entity for child in children}
        scopes |= reads or {}
        return Context.for_command(
            self.org, self.db, scopes, prune=prune, ids=ids if ids is not None else {}
        )

    def write_tables(self, tables: Sequence[Table], *extra: Rows) -> None:
        """Run the planned writes of `tables` (parents first), then of `extra`."""
        write(self.session, self.db, [*(self.ctx.rows(table) for table in tables), *extra])
        apply_seo(self.db, self.org.id.hex, self.ctx.seo)

    def delete(self) -> None:
        """Delete the entity; what belongs to it goes with it (ON DELETE CASCADE)."""
        rows = self.ctx.rows(self.table)
        rows.delete((self.slug,))
        write(self.session, self.db, [rows])
        sweep_seo(self.db, self.org.id.hex)  # its translations' SEO rows, unreferenced now


def id_by_slug(db: Bulk, table: str, org_id: str, slug: str) -> str | None:
    """The id (hex) of the org's row `slug` of `table`; None when there is none."""
    found = db.query(
        f"SELECT {db.id_sql('id')} FROM {table} WHERE org_id = ? AND slug = ?", (org_id, slug)
    )
    return found[0][0] if found else None


def own_column(
    db: Bulk, table: str, column: str, org_id: str, slug: str, value: Any, *, key: str = "slug"
) -> Rows:
    """The write that sets `column` of the org's row `slug` of `table` (its natural key
    column: `key`) to `value`, only if it differs."""
    table_spec = spec(table, key=(key,), data=(column,))
    rows = Rows(db, table_spec, org_id, scope=(f"{key} = ?", (slug,)))
    rows.want((slug,), (value,))
    return rows


def write(session: Session, db: Bulk, tables: Sequence[Rows]) -> None:
    """Run the planned writes of `tables` (parents first) in the session's transaction."""
    apply_writes(db, tables, lambda _n: None)
    session.expire_all()  # ORM objects read before the bulk writes are stale now
