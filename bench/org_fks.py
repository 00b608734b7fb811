"""A/B of the catalog's write phase on PostgreSQL: the foreign keys' share of it.

    python bench/org_fks.py [--postgres URL] [--products 10000] [--rounds 4]

Creates two scratch databases, one at 0007_sales (every org-owned table with its own
`org_id -> org.id` FK) and one at head (child tables without it, 0008_child_org_fks), and COPYs
the catalog bench's row shapes into each (products, brand attributions, 2 variants per product,
3 one-time plans per variant with their extension rows, 4 market prices per plan) in one
transaction per round, alternating which database goes first. Prints the best time per table and
in all: the difference is what the dropped FKs cost. A whole `catalog import` on a shared machine
is too noisy to show a difference of this size; the interleaved best-of-N here is not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from volmify_cli.db.engine import make_engine
from volmify_cli.ids import uuid7
from volmify_cli.migrations.runner import upgrade

NOW = dt.datetime.now(dt.UTC)
PRICE = "org_product_variant_payment_plan_market_price"


def _database(admin: str, name: str, revision: str) -> str:
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), create=True)
    upgrade(engine, revision)
    engine.dispose()
    return url


def _copy(
    connection: psycopg.Connection[Any], table: str, columns: str, rows: Iterable[tuple[Any, ...]]
) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - start


def _round(url: str, products: int) -> dict[str, float]:
    org, markets, brands = uuid7(), [uuid7() for _ in range(4)], [uuid7() for _ in range(20)]
    product_ids = [uuid7() for _ in range(products)]
    variants = [(uuid7(), product_ids[i // 2]) for i in range(2 * products)]
    plans = [(uuid7(), variants[i // 3][0]) for i in range(6 * products)]
    prices = [(uuid7(), plans[i // 4][0], markets[i % 4]) for i in range(24 * products)]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DELETE FROM {PRICE}")  # a market's prices refuse its delete
        connection.execute("DELETE FROM org")
        connection.execute("VACUUM")
    times: dict[str, float] = {}
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO org (id, slug, name, default_locale_key, default_currency_code, status,"
            " created_at, updated_at)"
            " VALUES (%s, 'a', 'a', 'en-US', 'USD', 'active', now(), now())",
            (org,),
        )
        for i, brand in enumerate(brands):
            connection.execute(
                "INSERT INTO org_brand (org_id, id, slug, is_active, created_at, updated_at)"
                " VALUES (%s, %s, %s, true, now(), now())",
                (org, brand, f"b{i}"),
            )
        for i, market in enumerate(markets):
            connection.execute(
                "INSERT INTO org_market (org_id, id, slug, type, currency_code, is_default, status,"
                " created_at, updated_at) VALUES (%s, %s, %s, 'custom', 'USD', false, 'active',"
                " now(), now())",
                (org, market, f"m{i}"),
            )
        connection.commit()
        times["org_product"] = _copy(
            connection,
            "org_product",
            "org_id, id, slug, type, status, created_at, updated_at",
            ((org, p, f"p{i}", "course", "draft", NOW, NOW) for i, p in enumerate(product_ids)),
        )
        times["org_product_brand_attribution"] = _copy(
            connection,
            "org_product_brand_attribution",
            "org_id, product_id, brand_id, is_primary, share_bp, sort_order, created_at,"
            " updated_at",
            ((org, p, brands[i % 20], True, 0, 0, NOW, NOW) for i, p in enumerate(product_ids)),
        )
        times["org_product_variant"] = _copy(
            connection,
            "org_product_variant",
            "org_id, id, product_id, slug, is_default, sort_order, status, created_at, updated_at",
            (
                (org, v, p, f"v{i}", i % 2 == 0, 0, "active", NOW, NOW)
                for i, (v, p) in enumerate(variants)
            ),
        )
        times["org_product_variant_payment_plan"] = _copy(
            connection,
            "org_product_variant_payment_plan",
            "org_id, id, variant_id, slug, type, access_tier, is_default, is_featured,"
            " sort_order, status, created_at, updated_at",
            (
                (org, plan, v, f"pl{i}", "one_time", 1, i % 3 == 0, False, 0, "active", NOW, NOW)
                for i, (plan, v) in enumerate(plans)
            ),
        )
        times["org_product_variant_payment_plan_one_time"] = _copy(
            connection,
            "org_product_variant_payment_plan_one_time",
            "org_id, plan_id, plan_type, created_at, updated_at",
            ((org, plan, "one_time", NOW, NOW) for plan, _ in plans),
        )
        times[PRICE] = _copy(
            connection,
            PRICE,
            "org_id, id, plan_id, market_id, currency_code, amount_minor, tax_behavior,"
            " created_at, updated_at",
            ((org, p, plan, m, "USD", 100, "inclusive", NOW, NOW) for p, plan, m in prices),
        )
        start = time.perf_counter()
        connection.commit()
        times["commit"] = time.perf_counter() - start
    return times


def _alternating(items: list[tuple[str, str]], rounds: int) -> Iterator[tuple[str, str]]:
    for n in range(rounds):
        yield from items if n % 2 == 0 else reversed(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("VOLMIFY_TEST_POSTGRES_URL"))
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if not args.postgres:
        parser.error("--postgres URL (or VOLMIFY_TEST_POSTGRES_URL) is required")
    suffix = uuid.uuid4().hex[:8]
    names = {"0007_sales": f"volmify_fkab_0007_{suffix}", "head": f"volmify_fkab_head_{suffix}"}
    urls = [(rev, _database(args.postgres, name, rev)) for rev, name in names.items()]
    best: dict[str, dict[str, float]] = {rev: {} for rev in names}
    totals: dict[str, list[float]] = {rev: [] for rev in names}
    try:
        for rev, url in _alternating(urls, args.rounds):
            times = _round(url, args.products)
            totals[rev].append(sum(times.values()))
            for table, seconds in times.items():
                best[rev][table] = min(seconds, best[rev].get(table, seconds))
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            for name in names.values():
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{'table':<48} {'0007_sales':>10} {'head':>10}")
    for table in best["head"]:
        print(f"{table:<48} {best['0007_sales'][table]:>9.2f}s {best['head'][table]:>9.2f}s")
    before, after = min(totals["0007_sales"]), min(totals["head"])
    print(f"{'all (best round)':<48} {before:>9.2f}s {after:>9.2f}s")
    for rev in names:
        print(f"  {rev} rounds: " + " ".join(f"{t:.2f}" for t in totals[rev]))


if __name__ == "__main__":
    main()
