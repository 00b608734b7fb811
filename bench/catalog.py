"""Catalog import/export benchmark (SPEC 7, revision 2), on SQLite and PostgreSQL in one run.

    python bench/catalog.py [--products 10000] [--postgres URL] [--workdir DIR]

Generates the large catalog deterministically (10,000 products, 20,000 variants, 60,000 plans,
240,000 prices, 20,000 attributions, about 21 MB), then per database measures:

- the physical floor (SPEC 7): one pass over libyaml's event stream of the file (best of two)
  plus the raw executemany (SQLite, one transaction, WAL + synchronous=NORMAL as volmify opens
  it, the closing checkpoint included) or COPY (PostgreSQL, one transaction) of the catalog's
  rows into minimal tables the bench creates itself before the timer: an integer primary key,
  the parent's integer id, the row's own columns and one unique index on the natural key; no
  foreign keys, no other index, no CHECK (best of two). The rows are built from the
  generator's data (bench/catalog_data.py), never from volmify's code: products, their titles
  per locale, variants, plans, market prices, brand and instructor attributions, and the few
  markets, brands and instructors;
- `volmify catalog import` of the file into a fresh database (twice, each into a new one),
  then again unchanged (twice), then with one price changed and back (each checked to be
  written as exactly one update);
- `volmify catalog export` (twice; checked to give back the file byte for byte);
- the peak RSS of each volmify command (its own process).

Each command is timed as the floor is, best of two: the faster run counts (the machine is
shared; one slow run says nothing about the code), with the larger peak RSS of the two.

Budgets (SPEC 7 revision 2), on each database: import <= 4x floor, unchanged re-import <= 0.3x
import, one price changed <= 0.3x import and exactly one update, export <= 2x import, peak RSS
< 400 MB per command; the SQLite and PostgreSQL exports must be identical.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import volmify_argv, with_bytecode
from bench.catalog_data import MARKETS, catalog, catalog_text

IMPORT_BUDGET = 4.0  # x the floor
REIMPORT_BUDGET = 0.3  # x the first import, unchanged file
ONE_PRICE_BUDGET = 0.3  # x the first import, one price changed (and exactly one update)
EXPORT_BUDGET = 2.0  # x the first import
RSS_BUDGET_MB = 400.0  # per command

# The minimal tables of the floor: (name, columns as (name, kind), natural key). Kinds: "id" the
# integer primary key, "ref" a parent's integer id, "int", "bool", "text". One unique index per
# table, on the natural key; nothing else.
MINIMAL: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    (
        "market",
        (
            ("id", "id"),
            ("slug", "text"),
            ("name", "text"),
            ("type", "text"),
            ("currency", "text"),
            ("countries", "text"),
            ("is_default", "bool"),
        ),
        ("slug",),
    ),
    ("brand", (("id", "id"), ("slug", "text"), ("name", "text")), ("slug",)),
    (
        "instructor",
        (("id", "id"), ("slug", "text"), ("name", "text"), ("email", "text"), ("share_bp", "int")),
        ("slug",),
    ),
    (
        "product",
        (
            ("id", "id"),
            ("slug", "text"),
            ("type", "text"),
            ("status", "text"),
            ("description", "text"),
            ("sku", "text"),
            ("weight_grams", "int"),
            ("file", "text"),
            ("size_bytes", "int"),
            ("duration_minutes", "int"),
        ),
        ("slug",),
    ),
    (
        "product_title",
        (("id", "id"), ("product_id", "ref"), ("locale", "text"), ("title", "text")),
        ("product_id", "locale"),
    ),
    (
        "product_brand",
        (
            ("id", "id"),
            ("product_id", "ref"),
            ("brand_id", "ref"),
            ("share_bp", "int"),
            ("is_primary", "bool"),
        ),
        ("product_id", "brand_id"),
    ),
    (
        "product_instructor",
        (("id", "id"), ("product_id", "ref"), ("instructor_id", "ref"), ("share_bp", "int")),
        ("product_id", "instructor_id"),
    ),
    (
        "variant",
        (
            ("id", "id"),
            ("product_id", "ref"),
            ("slug", "text"),
            ("name", "text"),
            ("is_default", "bool"),
            ("sort_order", "int"),
        ),
        ("product_id", "slug"),
    ),
    (
        "plan",
        (
            ("id", "id"),
            ("variant_id", "ref"),
            ("slug", "text"),
            ("type", "text"),
            ("tier", "int"),
            ("is_default", "bool"),
            ("is_featured", "bool"),
            ("interval", "text"),
            ("trial_days", "int"),
            ("sort_order", "int"),
        ),
        ("variant_id", "slug"),
    ),
    (
        "price",
        (
            ("id", "id"),
            ("plan_id", "ref"),
            ("market_id", "ref"),
            ("currency", "text"),
            ("amount_minor", "int"),
            ("compare_at_minor", "int"),
        ),
        ("plan_id", "market_id"),
    ),
)
TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY", "ref": "INTEGER", "int": "INTEGER", "bool": "INTEGER",
               "text": "TEXT"},
    "postgresql": {"id": "bigint PRIMARY KEY", "ref": "bigint", "int": "bigint",
                   "bool": "boolean", "text": "text"},
}  # fmt: skip

Rows = dict[str, list[tuple[Any, ...]]]


def run(argv: list[str], stdout: Any = subprocess.DEVNULL) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one command in its own process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        assert process.stderr is not None
        raise SystemExit(f"{' '.join(argv[-4:])} failed ({code}): {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def event_pass(path: Path) -> float:
    import yaml

    start = time.perf_counter()
    with path.open("rb") as stream:
        for _ in yaml.parse(stream, Loader=yaml.CSafeLoader):
            pass
    return time.perf_counter() - start


def _minor(amount: str) -> int:
    """A decimal amount with its currency's minor digits ("12.345" KWD, "1200" JPY) in minor
    units."""
    return int(amount.replace(".", ""))


def _share_bp(share: str) -> int:
    return round(float(share.rstrip("%")) * 100)


def minimal_rows(products: int) -> Rows:
    """The catalog's rows for the minimal tables, with integer ids, built from the generator's
    data (not from volmify's reader or planner)."""
    data = catalog(products)
    rows: Rows = {name: [] for name, _columns, _key in MINIMAL}
    default_locale = data["locales"][0]
    market_ids, currencies, brand_ids, instructor_ids = {}, {}, {}, {}
    for market in data["markets"]:
        market_ids[market["slug"]] = len(rows["market"]) + 1
        currencies[market["slug"]] = market["currency"]
        rows["market"].append((
            market_ids[market["slug"]], market["slug"], market["name"], market["type"],
            market["currency"], ",".join(market["countries"]), market.get("default", False),
        ))  # fmt: skip
    for brand in data["brands"]:
        brand_ids[brand["slug"]] = len(rows["brand"]) + 1
        rows["brand"].append((brand_ids[brand["slug"]], brand["slug"], brand["name"]))
    for person in data["instructors"]:
        instructor_ids[person["slug"]] = len(rows["instructor"]) + 1
        rows["instructor"].append((
            instructor_ids[person["slug"]], person["slug"], person["name"], person["email"],
            _share_bp(person["share"]),
        ))  # fmt: skip
    for product in data["products"]:
        product_id = len(rows["product"]) + 1
        physical = product.get("physical", {})
        digital = product.get("digital", {})
        rows["product"].append((
            product_id, product["slug"], product["type"], product["status"],
            product["description"], physical.get("sku"), physical.get("weight_grams"),
            digital.get("file"), digital.get("size_bytes"),
            product.get("service", {}).get("duration_minutes"),
        ))  # fmt: skip
        titles = product["title"]
        if isinstance(titles, str):
            titles = {default_locale: titles}
        for locale, title in titles.items():
            rows["product_title"].append(
                (len(rows["product_title"]) + 1, product_id, locale, title)
            )
        for entry in product["attribution"]:
            share = _share_bp(entry["share"])
            if "brand" in entry:
                brand_id = brand_ids[entry["brand"]]
                primary = entry["brand"] == product["brands"][0]
                link = (len(rows["product_brand"]) + 1, product_id, brand_id, share, primary)
                rows["product_brand"].append(link)
            else:
                instructor_id = instructor_ids[entry["instructor"]]
                credit = (len(rows["product_instructor"]) + 1, product_id, instructor_id, share)
                rows["product_instructor"].append(credit)
        for v_order, variant in enumerate(product["variants"]):
            variant_id = len(rows["variant"]) + 1
            rows["variant"].append((
                variant_id, product_id, variant["slug"], variant.get("name"),
                variant.get("default", False), v_order,
            ))  # fmt: skip
            for p_order, plan in enumerate(variant["plans"]):
                plan_id = len(rows["plan"]) + 1
                rows["plan"].append((
                    plan_id, variant_id, plan["slug"], plan["type"], plan["tier"],
                    plan.get("default", False), plan.get("featured", False),
                    plan.get("interval"), plan.get("trial_days"), p_order,
                ))  # fmt: skip
                for market, price in plan["prices"].items():
                    amount, compare = (
                        (price["amount"], price["compare_at"])
                        if isinstance(price, dict)
                        else (price, None)
                    )
                    rows["price"].append((
                        len(rows["price"]) + 1, plan_id, market_ids[market], currencies[market],
                        _minor(amount), None if compare is None else _minor(compare),
                    ))  # fmt: skip
    assert {m[0] for m in MARKETS} == set(market_ids)
    return rows


def create_minimal(execute: Callable[[str], Any], backend: str) -> None:
    """The minimal tables and their one unique index each (before the timer: the schema exists
    before an import)."""
    for name, columns, key in MINIMAL:
        spec = ", ".join(f"{column} {TYPES[backend][kind]}" for column, kind in columns)
        execute(f"CREATE TABLE {name} ({spec})")
        execute(f"CREATE UNIQUE INDEX {name}_natural ON {name} ({', '.join(key)})")


def floor_sqlite(path: str, rows: Rows) -> float:
    """executemany into the minimal tables in one transaction, WAL and synchronous=NORMAL as
    volmify opens SQLite; the time includes the commit and the close (the WAL checkpoint that
    volmify's process also pays when it exits)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    create_minimal(connection.execute, "sqlite")
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for name, columns, _key in MINIMAL:
        names = ", ".join(column for column, _kind in columns)
        marks = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", rows[name])
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - start


def floor_postgres(url: str, rows: Rows) -> float:
    """COPY into the minimal tables in one transaction, the commit included."""
    import psycopg

    with psycopg.connect(url) as connection:
        create_minimal(connection.execute, "postgresql")
        connection.commit()
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for name, columns, _key in MINIMAL:
                names = ", ".join(column for column, _kind in columns)
                with cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
                    for row in rows[name]:
                        copy.write_row(row)
        connection.commit()
        return time.perf_counter() - start


class Databases:
    def __init__(self, workdir: Path, postgres: str | None) -> None:
        self.workdir = workdir
        self.postgres = (
            postgres.replace("postgresql+psycopg://", "postgresql://") if postgres else None
        )
        self.created: list[str] = []

    def empty(self, backend: str) -> str:
        """A new empty database: a SQLite file's path, or a PostgreSQL URL (psycopg's form)."""
        name = f"volmify_bench_{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            return str(self.workdir / (name + ".db"))
        assert self.postgres
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.postgres.rpartition("/")[0] + "/" + name

    def fresh(self, backend: str) -> str:
        """A new database with volmify's schema (`db upgrade`), as volmify's URL."""
        where = self.empty(backend)
        if backend == "sqlite":
            url = f"sqlite:///{where}"
        else:
            url = where.replace("postgresql://", "postgresql+psycopg://")
        run(volmify_argv("--db", url, "db", "upgrade"))
        return url

    def drop_all(self) -> None:
        if not self.created or not self.postgres:
            return
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def floor_write(backend: str, dbs: Databases, rows: Rows) -> float:
    """The floor's write, best of two, each into new minimal tables of a new database."""
    write = floor_sqlite if backend == "sqlite" else floor_postgres
    return min(write(dbs.empty(backend), rows) for _ in range(2))


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The fastest run's time (as the floor's, best of two) with the largest peak RSS seen."""
    return min(seconds for seconds, _rss in runs), max(rss for _seconds, rss in runs)


def one_update(argv: list[str]) -> tuple[tuple[float, float], tuple[int, int, int]]:
    """Time an import that changes one price, and what it wrote."""
    with tempfile.TemporaryFile() as out:
        measured = run(argv, stdout=out)
        out.seek(0)
        result = json.load(out)
    return measured, (result["created"], result["updated"], result["deleted"])


def bench_backend(
    backend: str, dbs: Databases, path: Path, changed: Path, events: float, rows: Rows
) -> dict[str, Any]:
    """Every command is timed twice, as the floor is, and the faster run counts: the first
    import into two new databases, the unchanged re-import twice, one price changed and back,
    the export twice."""
    write = floor_write(backend, dbs, rows)
    firsts = []
    for _ in range(2):
        url = dbs.fresh(backend)
        base = volmify_argv("--db", url, "catalog")
        firsts.append(run([*base, "import", str(path), "--format", "json"]))
    again = [run([*base, "import", str(path), "--format", "table"]) for _ in range(2)]
    there, counts = one_update([*base, "import", str(changed), "--format", "json"])
    back, counts_back = one_update([*base, "import", str(path), "--format", "json"])
    assert counts == counts_back, f"{backend}: {counts} one way, {counts_back} back"
    exported = dbs.workdir / f"export-{backend}.yaml"
    exports = [
        run([*base, "export", "--org", "bench", "-o", str(exported), "--force"]) for _ in range(2)
    ]
    assert exported.read_bytes() == path.read_bytes(), f"{backend}: export differs from the file"
    return {
        "backend": backend,
        "events": events,
        "write": write,
        "floor": events + write,
        "import": best(firsts),
        "reimport": best(again),
        "one_price": best([there, back]),
        "one_price_counts": counts,
        "export": best(exports),
    }


def row(label: str, measured: tuple[float, float], ratio: float, budget: str, ok: bool) -> None:
    seconds, rss = measured
    rss_ok = "ok" if rss < RSS_BUDGET_MB else "OVER BUDGET"
    outcome = "ok" if ok else "OVER BUDGET"
    print(
        f"{label:<19}{seconds:7.2f} s {ratio:6.2f}x {budget:<20} {outcome:<12}"
        f" peak RSS {rss:4.0f} MB (< {RSS_BUDGET_MB:.0f}) {rss_ok}"
    )


def report(r: dict[str, Any], rows: Rows) -> None:
    name = r["backend"]
    seconds = r["import"][0]
    writer = "executemany" if name == "sqlite" else "COPY"
    total = sum(len(v) for v in rows.values())
    print(f"\n== {name}")
    print(
        f"floor: libyaml event pass {r['events']:.2f} s + raw {writer} of {total:,} rows into"
        f" {len(MINIMAL)} minimal tables {r['write']:.2f} s = {r['floor']:.2f} s"
    )
    print("  (" + ", ".join(f"{table} {len(values):,}" for table, values in rows.items()) + ")")
    ratio = seconds / r["floor"]
    row("import", r["import"], ratio, f"floor (<= {IMPORT_BUDGET:g}x)", ratio <= IMPORT_BUDGET)
    again = r["reimport"][0] / seconds
    budget = f"import (<= {REIMPORT_BUDGET:g}x)"
    row("re-import (same)", r["reimport"], again, budget, again <= REIMPORT_BUDGET)
    one = r["one_price"][0] / seconds
    exact = r["one_price_counts"] == (0, 1, 0)
    budget = f"import (<= {ONE_PRICE_BUDGET:g}x)"
    row("one price changed", r["one_price"], one, budget, one <= ONE_PRICE_BUDGET and exact)
    created, updated, deleted = r["one_price_counts"]
    print(
        f"{'':<19}written as {created} creates, {updated} updates, {deleted} deletes"
        f" (budget: exactly 1 update) {'ok' if exact else 'NOT ONE UPDATE'}"
    )
    export = r["export"][0] / seconds
    budget = f"import (<= {EXPORT_BUDGET:g}x)"
    row("export", r["export"], export, budget, export <= EXPORT_BUDGET)
    print(f"{'':<19}the export gives back the file byte for byte: yes")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("VOLMIFY_TEST_POSTGRES_URL"))
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with_bytecode()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="volmify-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["VOLMIFY_HOME"] = str(workdir / "home")
    text = catalog_text(args.products)
    path = workdir / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    match = re.search(r'us: "(\d+)\.(\d\d)"', text)  # one price of the first product
    assert match is not None
    price = f'us: "{int(match.group(1)) + 1}.{match.group(2)}"'
    changed = workdir / "catalog-changed.yaml"
    changed.write_text(text[: match.start()] + price + text[match.end() :], encoding="utf-8")
    print(f"catalog: {args.products:,} products, {path.stat().st_size / 1e6:.1f} MB ({workdir})")
    rows = minimal_rows(args.products)
    events = min(event_pass(path) for _ in range(2))
    dbs = Databases(workdir, args.postgres)
    backends = ["sqlite", "postgresql"] if args.postgres else ["sqlite"]
    try:
        results = [bench_backend(b, dbs, path, changed, events, rows) for b in backends]
    finally:
        dbs.drop_all()
    for result in results:
        report(result, rows)
    if len(results) == 2:
        same = (workdir / "export-sqlite.yaml").read_bytes() == (
            workdir / "export-postgresql.yaml"
        ).read_bytes()
        print(f"\nSQLite and PostgreSQL exports byte-identical: {'yes' if same else 'NO'}")
    else:
        print("\nPostgreSQL not measured: pass --postgres URL or set VOLMIFY_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
