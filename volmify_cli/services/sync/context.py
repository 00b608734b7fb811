"""What every per-entity sync shares: the checked catalog, the org, the rows of every table, the
ids of entities by natural key (files and database together), and the plan being tallied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.inputs.catalog_kinds import EVERY, Kinds
from volmify_cli.inputs.catalog_model import Catalog
from volmify_cli.inputs.documents import Problems
from volmify_cli.metadata import read as read_metadata
from volmify_cli.services.sync.rows import Rows, Table, Tally
from volmify_cli.services.sync.seo import SeoPlan
from volmify_cli.services.sync.tables import ORDER

UTC = dt.UTC
ENTITY_ORDER = (
    "org",
    "brand",
    "market",
    "instructor",
    "product",
    "attribution",
    "variant",
    "plan",
    "price",
    "collection",
    "offer",
    "coupon",
    "promotion",
)
Changed = Sequence[tuple[str, Any, Any]]


@dataclass
class Context:
    catalog: Catalog
    org_id: str
    org_slug: str
    prune: bool
    db: Bulk | None  # None for a new organization: nothing to read
    tally: Tally = field(default_factory=lambda: Tally(ENTITY_ORDER))
    tables: dict[str, Rows] = field(default_factory=dict)
    # natural key -> id, for the files' entities and the org's existing ones
    ids: dict[str, dict[Any, str]] = field(default_factory=dict)
    db_default_variants: dict[str, str] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    # product slug -> what it counts in the plan ("plan=6 price=24 ..."), for its fingerprint
    product_counts: dict[str, str] = field(default_factory=dict)
    # product slug -> the instructors its attribution names ("a b"), for its fingerprint
    product_instructors: dict[str, str] = field(default_factory=dict)
    # Drop each product's document (and its prices) once its rows are planned: a large
    # catalog's documents are most of its memory, and nothing after needs them (a product with
    # a course block keeps its own: its course is planned later).
    release_documents: bool = False
    released_defaults: dict[str, str] = field(default_factory=dict)  # their default variants
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(UTC))  # of this run
    prune_unmanaged: bool = False  # the prune deletes what the catalog does not manage too
    kinds: Kinds = EVERY  # the kinds of entities planned (--include / --exclude)
    seo: SeoPlan = field(default_factory=SeoPlan)  # written after the tables (sync/seo.py)

    def __post_init__(self) -> None:
        for table in ORDER:
            if table.name not in self.tables:
                self.tables[table.name] = Rows(self.db, table, self.org_id)

    @classmethod
    def for_command(
        cls,
        org: Any,
        db: Bulk,
        reads: Mapping[str, Scope | None],
        *,
        prune: bool,
        ids: dict[str, dict[Any, str]],
    ) -> Context:
        """The context of a command that writes a part of the org the catalog's way: only the
        tables in `reads` are read (each whole, or within its scope); the others stay empty,
        and the command leaves them alone. The texts' default locale is the org's."""
        tables = {
            table.name: Rows(
                db if table.name in reads else None, table, org.id.hex, scope=reads.get(table.name)
            )
            for table in ORDER
        }
        catalog = Catalog(files=[], locales=[org.default_locale_key])
        return cls(catalog, org.id.hex, org.slug, prune, db, tables=tables, ids=ids)

    def default_variant(self, product: str) -> str:
        released = self.released_defaults.get(product)
        if released is not None:
            return released
        entry = self.catalog.products.get(product)
        if entry is not None and entry.doc.variants:
            variants = entry.doc.variants
            chosen = [v for v in variants if v.default] or variants[:1]
            return str(chosen[0].slug)
        return self.db_default_variants.get(product, "")

    @property
    def default_locale(self) -> str:
        return self.catalog.default_locale

    def spared_ids(self, table: Table) -> set[str]:
        """Ids of the existing rows of a top-level `table` that the files no longer name but a
        prune keeps: the catalog does not manage them."""
        if self.prune_unmanaged:
            return set()
        rows = self.rows(table)
        return {rows.existing[key][0] for key in rows.leftovers() if not rows.managed(key)}

    def rows(self, table: Table) -> Rows:
        return self.tables[table.name]

    def id_map(self, kind: str) -> dict[Any, str]:
        return self.ids.setdefault(kind, {})

    def report(
        self,
        kind: str,
        key: str,
        changed: Changed | None,
        names: Mapping[str, str] | None = None,
        show: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        """Record the changed columns of an existing entity's row as plan fields."""
        if not changed:
            return
        names = names or {}
        show = show or {}
        fields = []
        for column, old, new in _metadata_keys(changed):
            shown = show.get(column)
            fields.append(
                (
                    names.get(column, column),
                    shown(old) if shown else old,
                    shown(new) if shown else new,
                )
            )
        self.tally.update(kind, key, fields)


def _metadata_keys(changed: Changed) -> list[tuple[str, Any, Any]]:
    """A change of the metadata as one field per key that changed (`metadata.color`)."""
    fields: list[tuple[str, Any, Any]] = []
    for column, old, new in changed:
        if column != "metadata_json":
            fields.append((column, old, new))
            continue
        before, after = read_metadata(old), read_metadata(new)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                fields.append((f"metadata.{key}", before.get(key), after.get(key)))
    return fields
