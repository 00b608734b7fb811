"""SEO metadata (issue 21): the `seo:` of a product, brand or collection, one `seo_metadata` row
per translation that has any, referred to by the translation's `seo_metadata_id`.

An SEO row has no natural key of its own (it is its translation's), so it is planned beside
the catalog's tables rather than among them: `sync_seo` compares what a document says with the
rows the org's translations refer to, tallies the changes as fields of the entity
(`seo.title[en-US]`), and keeps the writes; `apply_seo` runs them after the catalog's writes
(a new translation row exists by then): new SEO rows, changed ones, then the translations'
references. An SEO row nothing refers to any more (cleared, its translation or entity deleted,
ON DELETE CASCADE included) is deleted by `sweep_seo`, which every write path runs last: the
translations' foreign key is NO ACTION, so an SEO row can never go while referred to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from volmify_cli.db.bulk import Bulk
from volmify_cli.ids import uuid7_hex
from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.seo_checks import check_seo_locales
from volmify_cli.inputs.seo_schema import SEO_FIELDS, SeoDoc

if TYPE_CHECKING:
    from volmify_cli.services.sync.context import Context

TABLE = "seo_metadata"
COLUMNS = ("title", "description", "canonical_url", "robots", "image_url")  # SEO_FIELDS order
Values = tuple[str | None, ...]


@dataclass(frozen=True)
class Owner:
    """A translation table whose rows refer to SEO metadata."""

    table: str
    parent: str  # its parent's id column


PRODUCT = Owner("org_product_translation", "product_id")
BRAND = Owner("org_brand_translation", "brand_id")
COLLECTION = Owner("org_product_collection_translation", "collection_id")
OWNERS = (PRODUCT, BRAND, COLLECTION)


@dataclass
class SeoPlan:
    """The org's stored SEO by owner and the writes that make it what the documents say."""

    # owner table -> parent id -> locale -> (SEO row id, values)
    stored: dict[str, dict[str, dict[str, tuple[str, Values]]]] = field(default_factory=dict)
    inserts: list[tuple[str, Values]] = field(default_factory=list)
    updates: list[tuple[str, Values]] = field(default_factory=list)
    links: list[tuple[Owner, str, str, str | None]] = field(default_factory=list)

    def of(self, db: Bulk | None, org_id: str, owner: Owner) -> dict[str, dict[str, Any]]:
        """The stored SEO of `owner`'s rows, read once (an org's SEO rows are few: only the
        translations that have any are read)."""
        found = self.stored.get(owner.table)
        if found is None:
            found = self.stored[owner.table] = read_seo(db, org_id, owner) if db else {}
        return found


def read_seo(
    db: Bulk, org_id: str, owner: Owner, parent_id: str | None = None
) -> dict[str, dict[str, tuple[str, Values]]]:
    """parent id -> locale -> (SEO row id, values) of the org's `owner` rows (of one parent)."""
    names = ", ".join(f"s.{c}" for c in COLUMNS)
    sql = (
        f"SELECT {db.id_sql('t.' + owner.parent)}, t.locale_key, {db.id_sql('s.id')}, {names}"
        f" FROM {owner.table} t JOIN {TABLE} s ON s.org_id = t.org_id AND s.id = t.seo_metadata_id"
        " WHERE t.org_id = ?"
    )
    params: tuple[Any, ...] = (org_id,)
    if parent_id is not None:
        sql += f" AND t.{owner.parent} = ?"
        params += (parent_id,)
    found: dict[str, dict[str, tuple[str, Values]]] = {}
    for parent, locale, seo_id, *values in db.query(sql, params):
        found.setdefault(parent, {})[locale] = (seo_id, tuple(values))
    return found


def stored_seo(db: Bulk, org_id: str, owner: Owner, parent_id: str) -> dict[str, SeoDoc] | None:
    """The `seo:` of one entity as stored (a command reads it into the entity's document)."""
    from volmify_cli.inputs.seo_schema import seo_document

    found = read_seo(db, org_id, owner, parent_id).get(parent_id, {})
    docs = {
        locale: seo_document(dict(zip(SEO_FIELDS, values, strict=True)))
        for locale, (_id, values) in sorted(found.items())
    }
    return docs or None


def sync_seo(
    ctx: Context,
    owner: Owner,
    parent_id: str,
    entry: Entry[Any],
    primary: Any,
    *,
    kind: str,
    key: str,
    new: bool,
) -> None:
    """Plan the SEO of one entity's translations as its document's `seo:` says (none given
    is none kept). `primary`: the entity's primary TEXT (its title or name), whose locales
    are its translations; an SEO locale outside them is a problem of the document."""
    seo: Mapping[Any, SeoDoc] | None = entry.doc.seo
    plan: SeoPlan = ctx.seo
    stored = plan.of(ctx.db, ctx.org_id, owner).get(parent_id, {}) if not new else {}
    check_seo_locales(
        ctx.problems, entry.file or None, entry.path, seo, primary, ctx.default_locale,
        kind=kind, key=key,
    )  # fmt: skip
    wanted: dict[str, SeoDoc] = {str(locale): doc for locale, doc in (seo or {}).items()}
    fields: list[tuple[str, Any, Any]] = []
    for locale in sorted(set(stored) | set(wanted)):
        old = stored.get(locale)
        given = wanted.get(locale)
        values = given.values() if given is not None else None
        before: Values = old[1] if old is not None else (None,) * len(COLUMNS)
        after: Values = values if values is not None else (None,) * len(COLUMNS)
        if old is not None and values is not None:
            if old[1] != values:
                plan.updates.append((old[0], values))
        elif values is not None:
            seo_id = uuid7_hex()
            plan.inserts.append((seo_id, values))
            plan.links.append((owner, parent_id, locale, seo_id))
        elif old is not None:
            plan.links.append((owner, parent_id, locale, None))  # the row goes by the sweep
        fields += [
            (f"seo.{name}[{locale}]", b, a)
            for name, b, a in zip(SEO_FIELDS, before, after, strict=True)
            if b != a
        ]
    if not new:
        ctx.tally.update(kind, key, fields)


def apply_seo(db: Bulk, org_id: str, plan: SeoPlan) -> None:
    """Write the planned SEO rows and references (after the catalog's rows), then sweep."""
    now = db.now_value
    if plan.inserts:
        columns = ("id", *COLUMNS, "org_id", "created_at", "updated_at")
        db.insert(
            TABLE,
            columns,
            [(seo_id, *values, org_id, now, now) for seo_id, values in plan.inserts],
            org=org_id,
        )
    sets = ", ".join(f"{c} = ?" for c in COLUMNS)
    db.execute_many(
        f"UPDATE {TABLE} SET {sets}, updated_at = ? WHERE org_id = ? AND id = ?",
        [(*values, now, org_id, seo_id) for seo_id, values in plan.updates],
    )
    for owner in OWNERS:
        db.execute_many(
            f"UPDATE {owner.table} SET seo_metadata_id = ?, updated_at = ?"
            f" WHERE org_id = ? AND {owner.parent} = ? AND locale_key = ?",
            [
                (seo_id, now, org_id, parent_id, locale)
                for table, parent_id, locale, seo_id in plan.links
                if table == owner
            ],
        )
    plan.inserts, plan.updates, plan.links = [], [], []
    sweep_seo(db, org_id)


def sweep_seo(db: Bulk, org_id: str) -> None:
    """Delete the org's SEO rows that no translation refers to (cleared, or their translation
    deleted, by a command, a prune or ON DELETE CASCADE). Found first, deleted only if any: a
    write would discard the org's catalog fingerprints (`db/fingerprints.py`), and an import
    that changed nothing must keep them."""
    referred = " UNION ALL ".join(
        f"SELECT seo_metadata_id FROM {o.table} WHERE org_id = ? AND seo_metadata_id IS NOT NULL"
        for o in OWNERS
    )
    orphans = db.query(
        f"SELECT {db.id_sql('id')} FROM {TABLE} WHERE org_id = ? AND id NOT IN ({referred})",
        (org_id,) * (1 + len(OWNERS)),
    )
    db.execute_many(
        f"DELETE FROM {TABLE} WHERE org_id = ? AND id = ?",
        [(org_id, seo_id) for (seo_id,) in orphans],
    )
