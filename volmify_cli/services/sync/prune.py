"""`--prune`: the org's entities that the files no longer mention are deleted (their children go
with them through ON DELETE CASCADE, and the plan names them), unless history holds on to them:
a plan with member subscriptions, a course with enrollments, or anything sold is refused, by
name. Only entities the catalog manages are pruned; the others (made by commands) are kept and
listed, unless `--prune-unmanaged`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from volmify_cli.db.bulk import Bulk
from volmify_cli.errors import RuleError
from volmify_cli.inputs.catalog_kinds import EVERY, Kinds
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.cascade import cascade_counts, described
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.rows import Table

TOP_LEVEL: tuple[tuple[Table, str], ...] = (
    (t.BRAND, "brand"),
    (t.MARKET, "market"),
    (t.PRODUCT, "product"),
    (t.COLLECTION, "collection"),
    (t.DISCOUNT, "offer"),
    (t.PROMOTION, "promotion"),
)


def prune_top_level(
    ctx: Context, profile_slugs: dict[str, str], *, unmanaged: bool, kinds: Kinds = EVERY
) -> None:
    """Delete the leftovers the catalog manages (with `unmanaged`: every leftover); keep and
    list the others. Only of the `kinds` planned."""
    named: list[tuple[Table, str, dict[str, str]]] = [
        (table, kind, {}) for table, kind in TOP_LEVEL
    ]
    for table, kind, names in [*named, (t.AFFILIATION, "instructor", profile_slugs)]:
        if kind not in kinds:
            continue
        rows = ctx.rows(table)
        for gone in rows.leftovers():
            name = str(names.get(gone[0], gone[0]))
            if unmanaged or rows.managed(gone):
                rows.delete(gone)
                ctx.tally.delete(kind, name)
            else:
                ctx.tally.spare(kind, name)


def name_cascades(ctx: Context, db: Bulk) -> None:
    """Count what goes with each entity the prune deletes, for its line in the plan."""
    for table, kind in TOP_LEVEL:
        rows = ctx.rows(table)
        doomed = {rows.existing[key][0]: str(key[0]) for key in rows.writes.deletes}
        if not doomed:
            continue
        for row_id, counts in cascade_counts(db, table.name, ctx.org_id, doomed).items():
            if counts:
                ctx.tally.cascades[(kind, doomed[row_id])] = described(counts)


def refuse_blocked(ctx: Context, db: Bulk) -> None:
    """Raise RuleError naming every entity a prune would delete that history still uses."""
    names = _doomed(ctx)
    if not any(names.values()):
        return
    blockers: list[str] = []
    org = ctx.org_id
    checks: tuple[tuple[str, str, str, str, str], ...] = (
        ("plan", "plan_id", "org_member_subscription", "", "member subscription(s)"),
        ("product", "course_id", "org_member_course_enrollment", "", "enrollment(s)"),
        ("plan", "plan_id", "org_order_item", "", "sale(s)"),
        ("product", "product_id", "org_order_item", "", "sale(s)"),
        ("market", "market_id", "org_order", "", "order(s)"),
        ("coupon", "coupon_id", "org_order", " AND coupon_id IS NOT NULL", "redemption(s)"),
        (
            "brand",
            "brand_id",
            "org_order_item_allocation",
            " AND brand_id IS NOT NULL",
            "allocation(s)",
        ),
    )
    for kind, column, table, where, what in checks:
        doomed = names[kind]
        if not doomed:
            continue
        sql = (
            f"SELECT {db.id_sql(column)}, count(*) FROM {table}"
            f" WHERE org_id = ?{where} GROUP BY {column}"
        )
        for row_id, count in db.query(sql, (org,)):
            if row_id in doomed:
                noun = "course" if kind == "product" and "enrollment" in what else kind
                blockers.append(f"{noun} {doomed[row_id]} has {count} {what}")
    if blockers:
        shown = "; ".join(sorted(blockers)[:10])
        more = f" (and {len(blockers) - 10} more)" if len(blockers) > 10 else ""
        raise RuleError(
            f"refusing to prune: {shown}{more}",
            "keep them in the files, or archive them (status: archived) instead of deleting",
        )


def _doomed(ctx: Context) -> dict[str, dict[Any, str]]:
    """id -> natural key of everything the prune deletes, directly or by cascade."""

    def keys(table: Table) -> dict[Any, Any]:
        rows = ctx.rows(table)
        return {rows.existing[k][0]: k for k in rows.writes.deletes}

    products = {pid: k[0] for pid, k in keys(t.PRODUCT).items()}
    variants_rows, plans_rows = ctx.rows(t.VARIANT), ctx.rows(t.PLAN)
    product_slug = {v: k for k, v in ctx.id_map("product").items()}
    deleted_variants, deleted_plans = (
        set(variants_rows.writes.deletes),
        set(plans_rows.writes.deletes),
    )
    variants: dict[Any, str] = {}
    for key, (variant_id, _data) in variants_rows.existing.items():
        if key in deleted_variants or key[0] in products:
            variants[variant_id] = f"{product_slug.get(key[0], key[0])}/{key[1]}"
    plans: dict[Any, str] = {}
    for key, (plan_id, _data) in plans_rows.existing.items():
        if key in deleted_plans or key[0] in variants:
            plans[plan_id] = f"{variants.get(key[0]) or _variant_name(ctx, key[0])}/{key[1]}"
    offers = keys(t.DISCOUNT)
    coupons_rows = ctx.rows(t.COUPON)
    deleted_coupons = set(coupons_rows.writes.deletes)
    coupons = {
        coupon_id: key[0]
        for key, (coupon_id, data) in coupons_rows.existing.items()
        if key in deleted_coupons or data[0] in offers
    }
    return {
        "product": products,
        "variant": variants,
        "plan": plans,
        "market": {i: k[0] for i, k in keys(t.MARKET).items()},
        "brand": {i: k[0] for i, k in keys(t.BRAND).items()},
        "coupon": coupons,
    }


def _variant_name(ctx: Context, variant_id: str) -> str:
    for key, name in ctx.id_map("variant").items():
        if name == variant_id:
            return "/".join(key)
    return variant_id


def count_deletes(ctx: Context) -> Counter[str]:
    return Counter(kind for kind, _key in ctx.tally.deleted)
