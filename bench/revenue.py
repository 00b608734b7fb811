"""SPEC 7 budgets of the sales ledger, on SQLite and (with --postgres) PostgreSQL.

1. `volmify sales import` of N (default 1,000,000) generated CSV lines (orders, items and their
   allocations) within 3x of the floor: Python's csv reader over the same file plus the raw
   executemany (SQLite) / COPY (PostgreSQL) of the same rows (the rows volmify wrote, read back
   untimed and inserted into a copy of the database taken before the import). Peak RSS < 1 GB.
2. `volmify revenue report` in every view within 1.5x of the hand-written SQL aggregate run by
   a bare script (python + the driver) on the same database.

Usage: python bench/revenue.py [--lines N] [--runs N] [--postgres URL] [--workdir DIR]
                              [--keep] [--reports-only]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _sales_world import build_world, write_sales
from _timing import interleaved, peak_rss_mb_children, python, verdict, volmify_argv

TABLES = ("org_order", "org_order_item", "org_ledger_entry", "org_order_item_allocation")
IMPORT_BUDGET, REPORT_BUDGET, RSS_BUDGET_MB = 3.0, 1.5, 1024

JOINS = " ".join(
    [
        "FROM org_order_item_allocation a",
        "JOIN org_order_item i ON i.org_id = a.org_id AND i.id = a.item_id",
    ]
)
ITEMS = "FROM org_order_item i JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id"
ORG = "(SELECT id FROM org WHERE slug = 'bench')"


def report_sql(backend: str) -> dict[str, tuple[list[str], str]]:
    """Each measured view: volmify's arguments and the hand-written aggregate it computes."""
    month = (
        "to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM')"
        if backend == "postgresql"
        else "substr(o.ordered_at, 1, 7)"
    )
    zone = "+00" if backend == "postgresql" else ""
    q1 = (
        f"o.ordered_at >= '2025-01-01 00:00:00.000000{zone}'"
        f" AND o.ordered_at < '2025-04-01 00:00:00.000000{zone}'"
    )
    sums = "count(*), sum(i.line_amount_minor), sum(i.net_minor)"
    return {
        "creator": (
            ["--by", "creator"],
            f"SELECT a.recipient_kind, a.profile_id, a.brand_id, a.currency_code, {sums},"
            f" sum(a.amount_minor) {JOINS} WHERE a.org_id = {ORG}"
            " GROUP BY a.recipient_kind, a.profile_id, a.brand_id, a.currency_code",
        ),
        "creator 2025-Q1": (
            ["--by", "creator", "--period", "2025-Q1"],
            f"SELECT a.recipient_kind, a.profile_id, a.brand_id, a.currency_code, {sums},"
            f" sum(a.amount_minor) {JOINS} JOIN org_order o ON o.org_id = i.org_id"
            f" AND o.id = i.order_id WHERE a.org_id = {ORG} AND {q1}"
            " GROUP BY a.recipient_kind, a.profile_id, a.brand_id, a.currency_code",
        ),
        "product": (
            ["--by", "product"],
            f"SELECT i.product_id, o.currency_code, {sums} {ITEMS} WHERE i.org_id = {ORG}"
            " GROUP BY i.product_id, o.currency_code",
        ),
        "market": (
            ["--by", "market"],
            f"SELECT o.market_id, o.currency_code, {sums} {ITEMS} WHERE i.org_id = {ORG}"
            " GROUP BY o.market_id, o.currency_code",
        ),
        "month": (
            ["--by", "month"],
            f"SELECT {month}, o.currency_code, {sums} {ITEMS} WHERE i.org_id = {ORG}"
            f" GROUP BY {month}, o.currency_code",
        ),
        "brand": (
            ["--by", "brand"],
            f"SELECT b.brand_id, o.currency_code, {sums} {ITEMS} LEFT JOIN"
            " org_product_brand_attribution b ON b.org_id = i.org_id"
            f" AND b.product_id = i.product_id AND b.is_primary WHERE i.org_id = {ORG}"
            " GROUP BY b.brand_id, o.currency_code",
        ),
        "month --creator": (
            ["--by", "month", "--creator", "teacher-7"],
            f"SELECT {month}, a.currency_code, {sums}, sum(a.amount_minor) {JOINS}"
            " JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id"
            f" WHERE a.org_id = {ORG} AND a.recipient_kind = 'instructor' AND a.profile_id ="
            " (SELECT id FROM user_profile WHERE slug = 'teacher-7')"
            f" GROUP BY {month}, a.currency_code",
        ),
    }


BARE = """
import json, sys
backend, url, sql = sys.argv[1:4]
if backend == "sqlite":
    import sqlite3
    connection = sqlite3.connect(url)
else:
    import psycopg
    connection = psycopg.connect(url)
rows = connection.execute(sql).fetchall()
print(json.dumps([[str(v) for v in row] for row in rows]))
"""


class Backend:
    """Two databases of one backend: `a` (volmify imports into it) and `b` (a copy taken before
    the import, for the floor)."""

    def __init__(self, name: str, workdir: Path, admin_url: str | None) -> None:
        self.name = name
        self.workdir = workdir
        self.admin_url = admin_url
        if name == "sqlite":
            self.a = f"sqlite:///{workdir / 'bench-a.db'}"
            self.b = f"sqlite:///{workdir / 'bench-b.db'}"
        else:
            assert admin_url
            base = admin_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
            self.a = f"{base}/volmify_bench_revenue_a"
            self.b = f"{base}/volmify_bench_revenue_b"

    def dbapi(self, url: str) -> Any:
        if self.name == "sqlite":
            connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            return connection
        import psycopg

        return psycopg.connect(url)

    def _admin(self, sql: str) -> None:
        import psycopg

        assert self.admin_url
        with psycopg.connect(self.admin_url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(sql)

    def prepare(self) -> None:
        """Migrate `a`, build the world in it, and copy it to `b`."""
        from volmify_cli.db.engine import make_engine
        from volmify_cli.migrations.runner import upgrade

        if self.name == "postgresql":
            for db in ("volmify_bench_revenue_a", "volmify_bench_revenue_b"):
                self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            self._admin('CREATE DATABASE "volmify_bench_revenue_a"')
        else:
            for url in (self.a, self.b):
                for suffix in ("", "-wal", "-shm"):
                    Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        engine = make_engine(self.a, create=True)
        upgrade(engine)
        build_world(engine)
        engine.dispose()
        if self.name == "sqlite":
            shutil.copyfile(self.a.removeprefix("sqlite:///"), self.b.removeprefix("sqlite:///"))
        else:
            self._admin(
                'CREATE DATABASE "volmify_bench_revenue_b" TEMPLATE "volmify_bench_revenue_a"'
            )

    def drop(self) -> None:
        if self.name == "postgresql":
            for db in ("volmify_bench_revenue_a", "volmify_bench_revenue_b"):
                self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    def rows(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        """The rows volmify wrote into `a`, in chunks (read untimed for the floor)."""
        connection = self.dbapi(self.a)
        cursor = (
            connection.cursor(name="floor") if self.name == "postgresql" else connection.cursor()
        )
        cursor.execute(f"SELECT * FROM {table}")
        while chunk := cursor.fetchmany(50_000):
            yield chunk
        connection.close()

    def columns(self, table: str) -> list[str]:
        connection = self.dbapi(self.a)
        cursor = connection.execute(f"SELECT * FROM {table} LIMIT 0")
        names = [d[0] for d in cursor.description]
        connection.close()
        return names

    def floor_write(self) -> float:
        """Time the raw executemany / COPY of volmify's rows into `b`, in one transaction."""
        connection = self.dbapi(self.b)
        elapsed = 0.0
        cursor = connection.cursor()
        if self.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            names = self.columns(table)
            joined = ", ".join(names)
            for chunk in self.rows(table):
                start = time.perf_counter()
                if self.name == "sqlite":
                    marks = ", ".join("?" * len(names))
                    cursor.executemany(f"INSERT INTO {table} ({joined}) VALUES ({marks})", chunk)
                else:
                    with cursor.copy(f"COPY {table} ({joined}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                elapsed += time.perf_counter() - start
        start = time.perf_counter()
        if self.name == "sqlite":
            cursor.execute("COMMIT")
        else:
            connection.commit()
        elapsed += time.perf_counter() - start
        connection.close()
        return elapsed


def csv_pass(path: Path) -> float:
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _row in csv.reader(stream):
            pass
    return time.perf_counter() - start


def timed_run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def line(label: str, floor: float, ours: float, budget: float, floor_name: str) -> None:
    ratio = ours / floor
    print(
        f"{label}: floor ({floor_name}) {floor:.2f} s, volmify {ours:.2f} s, "
        f"ratio {ratio:.2f}x (budget {budget}x) {verdict(ratio, budget)}",
        flush=True,
    )


def measure(
    backend: Backend, sales: Path, runs: int, env: dict[str, str], *, reports_only: bool, keep: bool
) -> None:
    print(f"== {backend.name}", flush=True)
    if not reports_only:
        measure_import(backend, sales, env)
    measure_reports(backend, runs, env)
    if not keep:
        backend.drop()


def measure_import(backend: Backend, sales: Path, env: dict[str, str]) -> None:
    backend.prepare()
    reading = csv_pass(sales)
    ours = timed_run(
        volmify_argv("--db", backend.a, "sales", "import", str(sales), "--org", "bench",
                     "--format", "json"),
        env,
    )  # fmt: skip
    rss = peak_rss_mb_children()
    writing = backend.floor_write()
    raw = "COPY" if backend.name == "postgresql" else "executemany"
    line(f"sales import ({backend.name})", reading + writing, ours, IMPORT_BUDGET,
         f"csv reader {reading:.2f} s + raw {raw} {writing:.2f} s")  # fmt: skip
    print(f"peak RSS of the import: {rss:.0f} MB (budget {RSS_BUDGET_MB} MB) "
          f"{'ok' if rss < RSS_BUDGET_MB else 'OVER BUDGET'}", flush=True)  # fmt: skip
    if backend.name == "postgresql":
        # the floor's copy gets the same statistics volmify's import leaves behind
        connection = backend.dbapi(backend.b)
        for table in TABLES:
            connection.execute(f"ANALYZE {table}")
        connection.commit()
        connection.close()


def measure_reports(backend: Backend, runs: int, env: dict[str, str]) -> None:
    bare_url = backend.a.removeprefix("sqlite:///")
    for view, (options, sql) in report_sql(backend.name).items():
        times = interleaved(
            {
                "bare": [python(), "-c", BARE, backend.name, bare_url, sql],
                "volmify": volmify_argv("--db", backend.a, "revenue", "report", "--org", "bench",
                                        *options, "--format", "json"),
            },
            runs,
            env,
            warmup=1,
        )  # fmt: skip
        line(f"revenue report {view} ({backend.name})", times["bare"], times["volmify"],
             REPORT_BUDGET, "hand-written SQL aggregate")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("VOLMIFY_TEST_POSTGRES_URL"))
    parser.add_argument("--workdir", default=None, help="Keep the generated files here.")
    parser.add_argument("--keep", action="store_true", help="Keep the databases afterwards.")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="Measure one backend.")
    parser.add_argument(
        "--reports-only", action="store_true", help="Measure reports on kept databases."
    )
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="volmify-bench-revenue-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["VOLMIFY_HOME"] = str(workdir / "home")
    sales = workdir / f"sales-{args.lines}.csv"
    if not sales.exists():
        start = time.perf_counter()
        write_sales(sales, args.lines)
        print(f"generated {args.lines} sales lines ({sales.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip
    backends = [Backend("sqlite", workdir, None)]
    if args.postgres:
        backends.append(Backend("postgresql", workdir, args.postgres))
    for backend in backends:
        if args.only and backend.name != args.only:
            continue
        measure(backend, sales, args.runs, env, reports_only=args.reports_only, keep=args.keep)
    if args.workdir is None and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
