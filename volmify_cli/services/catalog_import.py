"""Catalog import (SPEC 4.1): plan first, write after.

`plan_import` reads what the organization holds (one query per table), resolves the files'
references against it, checks everything, and computes the plan (a ChangeSet) and the writes,
without writing anything. `apply_import` then writes, in the caller's transaction: global rows
(locales, the org, instructor profiles) through the ORM, the catalog in bulk, then the course
blocks through the course-outline code.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.errors import Problem
from volmify_cli.ids import uuid7_hex
from volmify_cli.inputs.catalog_checks import build_catalog
from volmify_cli.inputs.catalog_kinds import EVERY, Kinds
from volmify_cli.inputs.catalog_model import Catalog, CatalogFile, Known, named_instructors
from volmify_cli.inputs.documents import Problems
from volmify_cli.models.orgs import Org
from volmify_cli.services.catalog_contacts import ContactPlan, plan_contacts
from volmify_cli.services.catalog_courses import CoursePlan, plan_courses
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.sync import fingerprints
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.apply import apply_writes
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.instructors import (
    NewInstructor,
    create_instructors,
    find_profiles,
    sync_instructors,
)
from volmify_cli.services.sync.offers import sync_collections, sync_offers, sync_promotions
from volmify_cli.services.sync.products import sync_products
from volmify_cli.services.sync.prune import (
    TOP_LEVEL,
    name_cascades,
    prune_top_level,
    refuse_blocked,
)
from volmify_cli.services.sync.rows import Rows
from volmify_cli.services.sync.seo import apply_seo
from volmify_cli.services.sync.structure import sync_brands, sync_locales, sync_markets


@dataclass
class ImportPlan:
    org: str
    warnings: list[str]
    ctx: Context
    org_row: Org | None
    org_name: str | None
    new_instructors: list[NewInstructor]
    courses: CoursePlan  # the course blocks' lines (in `changes`) and writes
    files: list[CatalogFile]
    _changes: ChangeSet | None = None
    contacts: ContactPlan = field(default_factory=ContactPlan)  # `contact:` keys (issue 21)

    @property
    def changes(self) -> ChangeSet:
        """The plan's lines, made when first asked for: an import that only writes makes them
        after the writes, whose rows are released as they go (a first import of a large
        catalog holds 350,000 of each, never both at once)."""
        if self._changes is None:
            self._changes = self.ctx.tally.changes().joined(self.courses.changes)
        return self._changes

    @property
    def has_changes(self) -> bool:
        """Whether the plan changes anything (from the tally: the lines are not made)."""
        tally = self.ctx.tally
        made = tally.created or tally.updated or tally.deleted
        return bool(made) or self.courses.changes.has_changes

    @property
    def row_writes(self) -> int:
        """How many rows the catalog's tables will write (a progress bar's total)."""
        return sum(
            len(w.inserts) + len(w.updates) + len(w.deletes) + len(w.early_deletes)
            for w in (rows.writes for rows in self.ctx.tables.values())
        )

    @property
    def deletes(self) -> int:
        """How many entities the plan deletes (from the tally: the lines are not made)."""
        return len(self.ctx.tally.deleted) + self.courses.changes.count("delete")


def file_org(files: list[CatalogFile]) -> str | None:
    for file in files:
        if file.doc.org is not None:
            return file.doc.org.slug  # with its marks, for a message naming the line
    return None


def plan_import(
    session: Session,
    files: list[CatalogFile],
    *,
    org: str,
    prune: bool = False,
    prune_unmanaged: bool = False,
    kinds: Kinds = EVERY,
    last_use: bool = False,
) -> ImportPlan:
    """Plan the import of `files` into `org`. Raises InvalidInputError (every problem, nothing
    written), RuleError (a prune that history forbids). `prune` deletes what the files no
    longer name among the entities the catalog manages; `prune_unmanaged` the others too.
    With `last_use`, the products' documents are dropped as they are planned (the files
    cannot be planned again). `kinds`: the kinds of entities planned (the others are left
    out of the files: neither written nor pruned)."""
    files = kinds.limit(files)
    org_row = session.exec(select(Org).where(Org.slug == org)).first()
    db = Bulk(session)
    org_id = org_row.id.hex if org_row is not None else uuid7_hex()
    fingerprints.verify(session, org, files)
    scopes = _scopes(files, org_id)
    tables = {
        tbl.name: Rows(db if org_row is not None else None, tbl, org_id, scope=scopes.get(tbl.name))
        for tbl in t.ORDER
    }
    for rows in tables.values():
        rows.adopting = True  # the catalog manages what it writes or finds in its files
    ids, known, defaults = _index(tables, org, prune)
    referenced = _referenced_instructors(files)
    profiles = find_profiles(session, referenced)
    known.instructors = {s for s, p in profiles.items() if p.type == "instructor"}
    if prune:  # what the prune keeps: what the catalog does not manage, the kinds not planned
        if not prune_unmanaged:
            known.kept = {
                (kind, str(key[0]))
                for table, kind in TOP_LEVEL
                for key in tables[table.name].unmanaged
            }
            unmanaged = tables[t.AFFILIATION.name].unmanaged
            known.kept |= {("instructor", s) for s, p in profiles.items() if (p.id,) in unmanaged}
        known.kept |= {(kind, slug) for kind, slug in _every(known) if kind not in kinds}
    catalog, warnings = build_catalog(files, known)
    problems = _conflicts(catalog, tables, profiles)
    ctx = Context(
        catalog, org_id, org, prune, db, tables=tables, ids=ids, db_default_variants=defaults
    )
    ctx.problems = problems
    ctx.prune_unmanaged = prune_unmanaged
    ctx.kinds = kinds
    ctx.release_documents = last_use
    if last_use:
        for file in files:  # the catalog holds every product now
            file.doc.products.clear()
    ctx.id_map("profile")
    sync_locales(ctx)
    sync_brands(ctx)
    sync_markets(ctx)
    new_instructors = sync_instructors(ctx, profiles)
    sync_products(ctx)
    sync_collections(ctx)
    sync_offers(ctx)
    sync_promotions(ctx)
    ctx.problems.raise_if_any()
    if prune:
        prune_top_level(
            ctx, {p.id: s for s, p in profiles.items()}, unmanaged=prune_unmanaged, kinds=kinds
        )
        if org_row is not None:
            refuse_blocked(ctx, db)
            name_cascades(ctx, db)
    org_name = _org_changes(ctx, catalog, org_row)
    contacts = plan_contacts(session, ctx, org_row, profiles)
    courses = plan_courses(
        session,
        org=org_row or _new_org(ctx, org, org_name),
        catalog=catalog,
        product_ids=ctx.id_map("product"),
        existing=known.products,
        prune=prune,
        problems=ctx.problems,
    )
    ctx.problems.raise_if_any()
    return ImportPlan(
        org,
        warnings + ctx.tally.warnings,
        ctx,
        org_row,
        org_name,
        new_instructors,
        courses,
        files,
        contacts=contacts,
    )


def _every(known: Known) -> list[tuple[str, str]]:
    """(kind, slug) of every entity the org holds, by the kinds a prune knows."""
    return [
        *(("brand", slug) for slug in known.brands),
        *(("market", slug) for slug in known.markets),
        *(("instructor", slug) for slug in known.instructors),
        *(("product", slug) for slug in known.products),
        *(("collection", slug) for slug in known.collections),
        *(("offer", slug) for slug in known.offers),
    ]


def _scopes(files: list[CatalogFile], org_id: str) -> dict[str, Scope]:
    """With products skipped as unchanged, the tables below a product are read only for the
    products the files changed (unless they are many)."""
    if not any(file.unchanged for file in files):
        return {}
    read = [str(p.slug) for file in files for p in file.doc.products]
    return fingerprints.read_scopes(org_id, read) if len(read) <= fingerprints.SCOPED_READS else {}


def _referenced_instructors(files: list[CatalogFile]) -> set[str]:
    slugs: set[str] = set()
    for file in files:
        slugs.update(str(i.slug) for i in file.doc.instructors)
        for product in file.doc.products:
            slugs.update(named_instructors(product))
        for skipped in file.unchanged:
            slugs.update(skipped.instructors)
    return slugs


def _index(
    tables: dict[str, Rows], org: str, prune: bool
) -> tuple[dict[str, dict[Any, str]], Known, dict[str, str]]:
    """Ids by natural key of what the org holds, and the same as `Known` for the checks."""
    known = Known(org=org, prune=prune)
    ids: dict[str, dict[Any, str]] = {}

    def slugs(table: Any, kind: str) -> dict[Any, str]:
        found = {key[0]: row_id or "" for key, (row_id, _d) in tables[table.name].existing.items()}
        ids[kind] = dict(found)
        return found

    known.brands = set(slugs(t.BRAND, "brand"))
    markets = slugs(t.MARKET, "market")
    known.markets = {k[0]: d[1] for k, (_i, d) in tables[t.MARKET.name].existing.items()}
    market_slug = {market_id: slug for slug, market_id in markets.items()}
    known.market_countries = {
        country: market_slug[market_id]
        for market_id, country in tables[t.MARKET_COUNTRY.name].existing
    }
    del markets
    products = slugs(t.PRODUCT, "product")
    known.products = set(products)
    known.collections = set(slugs(t.COLLECTION, "collection"))
    known.offers = set(slugs(t.DISCOUNT, "offer"))
    product_slug = {v: k for k, v in products.items()}
    variant_key: dict[str, tuple[str, str]] = {}
    defaults: dict[str, str] = {}
    ids["variant"] = {}
    for (product_id, slug), (variant_id, data) in tables[t.VARIANT.name].existing.items():
        key = (product_slug[product_id], slug)
        variant_key[variant_id or ""] = key
        ids["variant"][key] = variant_id or ""
        if data[0]:
            defaults[key[0]] = slug
    known.variants = set(ids["variant"])
    known.default_variants = defaults
    ids["plan"] = {}
    for (variant_id, slug), (plan_id, _data) in tables[t.PLAN.name].existing.items():
        ids["plan"][(*variant_key[variant_id], slug)] = plan_id or ""
    known.plans = set(ids["plan"])
    return ids, known, defaults


def _conflicts(catalog: Catalog, tables: dict[str, Rows], profiles: dict[str, Any]) -> Problems:
    """What the files ask that the database cannot do: change a product's type, use a
    non-instructor profile as an instructor."""
    problems = Problems()
    existing = tables[t.PRODUCT.name].existing
    for slug, entry in catalog.products.items():
        found = existing.get((slug,))
        if found is not None and found[1][0] != entry.doc.type.value:
            problems.add(
                entry.doc,
                f"{entry.path}.type",
                f"product {slug!r} is a {found[1][0]} product; a product's type cannot change"
                " (use a new slug)",
                filename=entry.file,
            )
    for slug, profile in profiles.items():
        if profile.type != "instructor":
            listed = catalog.instructors.get(slug)
            problems.items.append(
                Problem(
                    listed.file if listed else catalog.files[0],
                    *(listed.doc.mark if listed else (None, None)),
                    listed.path if listed else "instructors",
                    f"profile {slug!r} is a {profile.type} profile, not an instructor",
                )
            )
    return problems


def _org_changes(ctx: Context, catalog: Catalog, org_row: Org | None) -> str | None:
    """The org itself: created when missing; its name (when the file gives one) and default
    locale follow the files."""
    slug = ctx.org_slug
    ctx.tally.saw("org")
    name = str(catalog.org.name) if catalog.org is not None and catalog.org.name else None
    if org_row is None:
        ctx.tally.create("org", slug)
        return name or slug
    fields = []
    if name is not None and name != org_row.name:
        fields.append(("name", org_row.name, name))
    if org_row.default_locale_key != catalog.default_locale:
        fields.append(("default locale", org_row.default_locale_key, catalog.default_locale))
    ctx.tally.update("org", slug, fields)
    return name


def _default_currency(catalog: Catalog) -> str:
    markets = [e.doc for e in catalog.markets.values()]
    chosen = [m for m in markets if m.default] or markets
    if chosen:
        return str(chosen[0].currency)
    from volmify_cli.reference.countries import COUNTRIES

    region = catalog.default_locale.rsplit("-", 1)[-1]
    for code, _alpha3, _name, currency, _locale in COUNTRIES:
        if code == region and currency:
            return currency
    return "USD"


def apply_import(
    session: Session,
    plan: ImportPlan,
    *,
    advance: Callable[[int], None] = lambda _n: None,
) -> None:
    """Write the plan in the session's transaction. Its lines (`plan.changes`, the course
    blocks' included) are made when asked for, after the writes: the command makes them while
    the transaction commits (cli/catalog_plan_output)."""
    from volmify_cli.services.locales import ensure_locales

    ctx, catalog = plan.ctx, plan.ctx.catalog
    ensure_locales(session, keys=catalog.locales)
    org_row = plan.org_row
    if org_row is None:
        org_row = _new_org(ctx, plan.org, plan.org_name)
        session.add(org_row)
    else:
        if plan.org_name is not None:
            org_row.name = plan.org_name
        org_row.default_locale_key = catalog.default_locale
        session.add(org_row)
    session.flush()
    create_instructors(session, plan.new_instructors)
    db = ctx.db or Bulk(session)
    apply_writes(db, [ctx.rows(table) for table in t.ORDER], advance)
    apply_seo(db, ctx.org_id, ctx.seo)
    plan.courses.write(session)
    plan.contacts.write(session, plan.org)
    if plan.has_changes or any(file.digests for file in plan.files):
        fingerprints.write(
            db,
            ctx.org_id,
            plan.files,
            catalog,
            ctx.id_map("product"),
            ctx.product_counts,
            ctx.product_instructors,
            prune=ctx.prune,
        )


def _new_org(ctx: Context, slug: str, name: str | None) -> Org:
    return Org(
        id=uuid.UUID(hex=ctx.org_id),
        slug=slug,
        name=name or slug,
        default_locale_key=ctx.catalog.default_locale,
        default_currency_code=_default_currency(ctx.catalog),
    )
