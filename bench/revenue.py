"""SPEC 7 budgets of the sales ledger (revision 2: floors are physical), on SQLite and (with
--postgres) PostgreSQL.

Both floors are measured into MINIMAL tables the bench creates itself in a scratch database of
its own (a SQLite file beside volmify's, or a PostgreSQL database it creates and drops), never
into volmify's schema:

    orders(id, external_id, sold_at, market_id, currency, amount, tax, fee, refunded,
           tax_refunded, customer_email, coupon)
    items(id, order_id, product_id, plan_id, quantity, amount, net)
    allocations(id, order_id, item_id, recipient_kind, recipient_id, share_bp, currency, amount)

integer ids (the integer primary key, as bench/catalog.py), the rows' own columns, one unique index
on the natural key (orders.external_id) and nothing else: no foreign keys, no other index, no
CHECK. Their rows are derived from the CSV lines themselves, never from volmify's code: one
order, one item and three allocations (an instructor, a brand and the org) per line, with
integer arithmetic standing in for volmify's rules (see `minimal_rows`).

1. `volmify sales import` of N (default 1,000,000) generated CSV lines into a fresh database
   (migrated, the bench world built, untimed) within 5x of the import floor: one pass of Python's
   csv reader over the same file plus the raw executemany (SQLite: one transaction, WAL and
   synchronous=NORMAL as volmify opens it, the commit and the closing checkpoint included) or
   COPY (PostgreSQL: one transaction, the commit included) of those rows into the minimal
   tables, in batches of 10,000 lines (deriving the rows is not timed). Peak RSS of the
   import < 400 MB.
2. `volmify revenue report` in every measured view within 0.25x of the report floor: a bare
   script (python + the driver, in its own process as volmify is) running the hand-written SQL
   aggregate of the same figures (sales lines, gross, net, and the amount per recipient) over
   the minimal tables, loaded by the import floor (untimed for this; ANALYZEd on PostgreSQL, as
   volmify's import leaves its tables). Reports must read aggregates kept up to date, not the
   ledger (SPEC 7 revision 2, issue 18). Before timing, the floor's figures are checked against
   volmify's: the same lines, gross and net per currency in every view but the one creator's.

Floor and volmify are timed interleaved in the same run (`--runs` times each, the median
counts): the import alternates floor and volmify, each into new tables, and the reports use
bench/_timing.interleaved. Every ratio is printed; an over-budget line says OVER BUDGET (the
script still exits 0).

Usage: python bench/revenue.py [--lines N] [--runs N] [--postgres URL] [--workdir DIR]
                              [--keep] [--only sqlite|postgresql] [--reports-only]

--keep keeps the databases (volmify's and the floor's; PostgreSQL names derive from --workdir),
so that --reports-only with the same --workdir measures the reports again without importing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _sales_world import BRANDS, INSTRUCTORS, build_world, write_sales
from _timing import interleaved, python, verdict, volmify_argv, with_bytecode

IMPORT_BUDGET, REPORT_BUDGET, RSS_BUDGET_MB = 5.0, 0.25, 400
BATCH_LINES = 10_000  # lines per executemany / COPY of each table

# The minimal tables: (name, columns as (name, kind)). Kinds: "id" the integer primary key, "ref"
# another row's integer id, "int", "text", "time" (the sale's instant). The only other index is
# the unique one on NATURAL_KEY.
MINIMAL = (
    ("orders", (
        ("id", "id"), ("external_id", "text"), ("sold_at", "time"), ("market_id", "ref"),
        ("currency", "text"), ("amount", "int"), ("tax", "int"), ("fee", "int"),
        ("refunded", "int"), ("tax_refunded", "int"), ("customer_email", "text"),
        ("coupon", "text"),
    )),
    ("items", (
        ("id", "id"), ("order_id", "ref"), ("product_id", "ref"), ("plan_id", "ref"),
        ("quantity", "int"), ("amount", "int"), ("net", "int"),
    )),
    ("allocations", (
        ("id", "id"), ("order_id", "ref"), ("item_id", "ref"), ("recipient_kind", "text"),
        ("recipient_id", "ref"), ("share_bp", "int"), ("currency", "text"), ("amount", "int"),
    )),
)  # fmt: skip
NATURAL_KEY = ("orders", "external_id")
TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY", "ref": "INTEGER", "int": "INTEGER", "text": "TEXT",
               "time": "TEXT"},  # the CSV's ISO 8601 UTC text: it sorts, and substr gives months
    "postgresql": {"id": "bigint PRIMARY KEY", "ref": "bigint", "int": "bigint", "text": "text",
                   "time": "timestamptz"},
}  # fmt: skip
Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]

# The floor's stand-in for volmify's `--creator teacher-7`: instructor 8 (see minimal_rows) takes
# part in about as many lines (2%; teacher-7 about 2.7%).
FLOOR_CREATOR = 8
MONTH = {
    "sqlite": "substr(o.sold_at, 1, 7)",
    "postgresql": "to_char(o.sold_at AT TIME ZONE 'UTC', 'YYYY-MM')",
}
Q1 = {
    "sqlite": "o.sold_at >= '2025-01-01' AND o.sold_at < '2025-04-01'",
    "postgresql": "o.sold_at >= '2025-01-01 00:00:00+00' AND o.sold_at < '2025-04-01 00:00:00+00'",
}
SPLITS = "FROM allocations a JOIN items i ON i.id = a.item_id"
ITEMS = "FROM items i JOIN orders o ON o.id = i.order_id"
SUMS = "count(*), sum(i.amount), sum(i.net)"


def report_sql(backend: str) -> dict[str, tuple[list[str], str]]:
    """Each measured view: volmify's arguments, and the hand-written aggregate over the minimal
    tables that computes the same figures (volmify_cli/reports/revenue.py): per key and
    currency, the sales lines, their gross and net, and for recipients the amount received."""
    month, q1 = MONTH[backend], Q1[backend]
    recipient = "a.recipient_kind, a.recipient_id, a.currency"
    return {
        "creator": (
            ["--by", "creator"],
            f"SELECT {recipient}, {SUMS}, sum(a.amount) {SPLITS} GROUP BY {recipient}",
        ),
        "creator 2025-Q1": (
            ["--by", "creator", "--period", "2025-Q1"],
            f"SELECT {recipient}, {SUMS}, sum(a.amount) {SPLITS}"
            f" JOIN orders o ON o.id = a.order_id WHERE {q1} GROUP BY {recipient}",
        ),
        "product": (
            ["--by", "product"],
            f"SELECT i.product_id, o.currency, {SUMS} {ITEMS} GROUP BY 1, 2",
        ),
        "market": (
            ["--by", "market"],
            f"SELECT o.market_id, o.currency, {SUMS} {ITEMS} GROUP BY 1, 2",
        ),
        "month": (
            ["--by", "month"],
            f"SELECT {month}, o.currency, {SUMS} {ITEMS} GROUP BY 1, 2",
        ),
        "brand": (  # every line has one brand allocation: its product's (primary) brand
            ["--by", "brand"],
            f"SELECT a.recipient_id, a.currency, {SUMS} {SPLITS}"
            " WHERE a.recipient_kind = 'brand' GROUP BY 1, 2",
        ),
        "month --creator": (
            ["--by", "month", "--creator", "teacher-7"],
            f"SELECT {month}, a.currency, {SUMS}, sum(a.amount) {SPLITS}"
            " JOIN orders o ON o.id = a.order_id WHERE a.recipient_kind = 'instructor'"
            f" AND a.recipient_id = {FLOOR_CREATOR} GROUP BY 1, 2",
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
print(json.dumps([[v if isinstance(v, (int, str)) or v is None else int(v) for v in row]
                  for row in rows]))
"""


def _minor(amount: str) -> int:
    """A decimal amount written with its currency's minor digits ("12.345" KWD, "1200" JPY, as
    bench/_sales_world.py writes them) in minor units; empty is 0."""
    return int(amount.replace(".", "")) if amount else 0


def minimal_rows(path: Path) -> Iterator[Batch]:
    """The rows of the minimal tables, derived from the CSV lines themselves, in batches of
    BATCH_LINES lines: (orders, items, allocations).

    This is the floor of *writing* those rows: the figures come from cheap integer arithmetic
    standing in for volmify's rules (the SPEC 5 net with the refund's half-up share of the tax,
    which volmify's reports must equal; but the recipients and shares are a function of the
    product id, not the catalog's attribution: instructor id % 50 + 1 at 20-30%, brand id % 10
    + 1 at 0-10%, the org the remainder; recipients get nothing of a net <= 0). Products,
    plans and markets get integer ids in order of appearance, as a dictionary lookup of their
    slugs. Not timed: the floor is the csv reader plus the writes.
    """
    products: dict[str, int] = {}
    plans: dict[tuple[int, str], int] = {}
    markets: dict[str, int] = {}
    orders: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    splits: list[tuple[Any, ...]] = []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        for n, line in enumerate(reader, start=1):
            external, sold_at, product, _variant, plan, market, currency = line[:7]
            amount, tax, fee, refunded = map(_minor, line[7:11])
            quantity, customer, coupon = line[11:14]
            product_id = products.setdefault(product, len(products) + 1)
            tax_refunded = (2 * tax * refunded + amount) // (2 * amount) if refunded else 0
            net = amount - tax - fee - (refunded - tax_refunded)
            orders.append((
                n, external, sold_at, markets.setdefault(market, len(markets) + 1), currency,
                amount, tax, fee, refunded, tax_refunded, customer or None, coupon or None,
            ))  # fmt: skip
            items.append((
                n, n, product_id, plans.setdefault((product_id, plan), len(plans) + 1),
                int(quantity or 1), amount, net,
            ))  # fmt: skip
            instructor_bp = 2000 + 500 * (product_id % 3)
            brand_bp = 500 * (product_id % 3)
            instructor = net * instructor_bp // 10_000 if net > 0 else 0
            brand = net * brand_bp // 10_000 if net > 0 else 0
            first = 3 * n - 2
            splits += [
                (first, n, n, "instructor", product_id % INSTRUCTORS + 1, instructor_bp,
                 currency, instructor),
                (first + 1, n, n, "brand", product_id % BRANDS + 1, brand_bp, currency, brand),
                (first + 2, n, n, "org", None, 10_000 - instructor_bp - brand_bp, currency,
                 net - instructor - brand),
            ]  # fmt: skip
            if n % BATCH_LINES == 0:
                yield orders, items, splits
                orders, items, splits = [], [], []
    if orders:
        yield orders, items, splits


def create_minimal(execute: Callable[[str], Any], backend: str) -> None:
    """The minimal tables and their one unique index (before the timer: the schema exists
    before an import)."""
    for name, columns in MINIMAL:
        spec = ", ".join(f"{column} {TYPES[backend][kind]}" for column, kind in columns)
        execute(f"CREATE TABLE {name} ({spec})")
    table, column = NATURAL_KEY
    execute(f"CREATE UNIQUE INDEX {table}_natural ON {table} ({column})")


def csv_pass(path: Path) -> float:
    """The import floor's reading: one pass of Python's csv reader over the file."""
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _row in csv.reader(stream):
            pass
    return time.perf_counter() - start


def floor_sqlite(path: Path, sales: Path) -> float:
    """executemany of the minimal rows into new minimal tables in one transaction, WAL and
    synchronous=NORMAL as volmify opens SQLite; the commit and the close (the WAL checkpoint
    volmify's process also pays when it exits) included. Only the writes are timed."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    create_minimal(connection.execute, "sqlite")
    inserts = [
        f"INSERT INTO {name} ({', '.join(c for c, _ in columns)})"
        f" VALUES ({', '.join('?' for _ in columns)})"
        for name, columns in MINIMAL
    ]
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    elapsed = time.perf_counter() - start
    for batch in minimal_rows(sales):
        start = time.perf_counter()
        for insert, rows in zip(inserts, batch, strict=True):
            connection.executemany(insert, rows)
        elapsed += time.perf_counter() - start
    start = time.perf_counter()
    connection.execute("COMMIT")
    connection.close()
    return elapsed + time.perf_counter() - start


def floor_postgres(url: str, sales: Path) -> float:
    """COPY of the minimal rows into new minimal tables in one transaction, the commit included.
    Only the writes are timed; the tables are ANALYZEd afterwards, untimed, as volmify's import
    leaves its own for the reports."""
    import psycopg

    copies = [
        f"COPY {name} ({', '.join(c for c, _ in columns)}) FROM STDIN" for name, columns in MINIMAL
    ]
    with psycopg.connect(url) as connection:
        create_minimal(connection.execute, "postgresql")
        connection.commit()
        elapsed = 0.0
        with connection.cursor() as cursor:
            for batch in minimal_rows(sales):
                start = time.perf_counter()
                for statement, rows in zip(copies, batch, strict=True):
                    with cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
                elapsed += time.perf_counter() - start
        start = time.perf_counter()
        connection.commit()
        elapsed += time.perf_counter() - start
        connection.autocommit = True
        for name, _columns in MINIMAL:
            connection.execute(f"ANALYZE {name}")
    return elapsed


class Backend:
    """One backend's databases: `world` (migrated, the bench world built, untimed), `volmify`
    (a fresh copy of `world` for each import) and `floor` (the minimal tables, new each time)."""

    def __init__(self, name: str, workdir: Path, admin_url: str | None) -> None:
        self.name = name
        self.workdir = workdir
        self.admin = (
            admin_url.replace("postgresql+psycopg://", "postgresql://") if admin_url else ""
        )
        # PostgreSQL names of this workdir's own (so --reports-only finds them, and two
        # workdirs never drop each other's)
        tag = hashlib.sha1(str(workdir.resolve()).encode()).hexdigest()[:8]
        self.names = {
            role: f"volmify_bench_revenue_{tag}_{role}" for role in ("world", "a", "floor")
        }

    def path(self, role: str) -> Path:
        return self.workdir / f"revenue-{role}.db"

    def url(self, role: str) -> str:
        """volmify's URL of a database (psycopg's form for PostgreSQL: volmify takes either)."""
        if self.name == "sqlite":
            return f"sqlite:///{self.path(role)}"
        return f"{self.admin.rsplit('/', 1)[0]}/{self.names[role]}"

    def bare(self, role: str) -> str:
        """What the bare script and the floor's driver open: the file, or the URL."""
        return str(self.path(role)) if self.name == "sqlite" else self.url(role)

    def _admin(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def exists(self, role: str) -> bool:
        if self.name == "sqlite":
            return self.path(role).exists()
        name = self.names[role]
        return bool(self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def drop(self, *roles: str) -> None:
        for role in roles:
            if self.name == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path(role)}{suffix}").unlink(missing_ok=True)
            else:
                self._admin(f'DROP DATABASE IF EXISTS "{self.names[role]}" WITH (FORCE)')

    def prepare_world(self) -> None:
        """Migrate `world` and build the bench world in it (untimed, once)."""
        from volmify_cli.db.engine import make_engine
        from volmify_cli.migrations.runner import upgrade

        self.drop("world")
        if self.name == "postgresql":
            self._admin(f'CREATE DATABASE "{self.names["world"]}"')
        engine = make_engine(self.url("world"), create=True)
        upgrade(engine)
        build_world(engine)
        engine.dispose()

    def fresh_volmify(self) -> str:
        """A new copy of `world` for one import; its URL."""
        self.drop("a")
        if self.name == "sqlite":
            shutil.copyfile(self.path("world"), self.path("a"))
        else:
            self._admin(f'CREATE DATABASE "{self.names["a"]}" TEMPLATE "{self.names["world"]}"')
        return self.url("a")

    def floor_import(self, sales: Path) -> float:
        """The import floor's writing into new minimal tables of a new `floor` database."""
        if self.name == "sqlite":
            return floor_sqlite(self.path("floor"), sales)
        self.drop("floor")
        self._admin(f'CREATE DATABASE "{self.names["floor"]}"')
        return floor_postgres(self.url("floor"), sales)


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one command in its own process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()  # a failing import says why on stderr, briefly
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{errors.decode()}")
    return elapsed, usage.ru_maxrss / 1024


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
    if reports_only:
        if not backend.exists("a"):
            raise SystemExit(
                f"{backend.name}: no kept database in this --workdir; run once with --keep"
            )
        if not backend.exists("floor"):  # the minimal ledger tables, loaded untimed
            backend.floor_import(sales)
    else:
        measure_import(backend, sales, runs, env)
    measure_reports(backend, runs, env)
    if not keep:
        backend.drop("world", "a", "floor")


def measure_import(backend: Backend, sales: Path, runs: int, env: dict[str, str]) -> None:
    """`runs` times, interleaved: the floor (csv pass, then the writes into new minimal tables),
    then volmify's import into a fresh copy of the world. The medians count."""
    backend.prepare_world()
    readings, writings, imports, peaks = [], [], [], []
    for _ in range(runs):
        readings.append(csv_pass(sales))
        writings.append(backend.floor_import(sales))
        argv = volmify_argv("--db", backend.fresh_volmify(), "sales", "import", str(sales),
                            "--org", "bench", "--format", "json")  # fmt: skip
        seconds, rss = run_measured(argv, env)
        imports.append(seconds)
        peaks.append(rss)
    reading, writing = statistics.median(readings), statistics.median(writings)
    raw = "COPY" if backend.name == "postgresql" else "executemany"
    with sales.open(encoding="utf-8") as stream:
        lines = sum(1 for _ in stream) - 1
    print(
        f"floor rows: orders {lines:,}, items {lines:,}, allocations {3 * lines:,}, into"
        " minimal tables (integer ids, unique external_id, nothing else)",
        flush=True,
    )
    line(f"sales import ({backend.name})", reading + writing, statistics.median(imports),
         IMPORT_BUDGET, f"csv reader {reading:.2f} s + raw {raw} {writing:.2f} s")  # fmt: skip
    rss = max(peaks)
    print(f"peak RSS of the import: {rss:.0f} MB (budget {RSS_BUDGET_MB} MB) "
          f"{'ok' if rss < RSS_BUDGET_MB else 'OVER BUDGET'}", flush=True)  # fmt: skip


def _output(argv: list[str], env: dict[str, str]) -> Any:
    result = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def same_figures(view: str, floor_rows: list[list[Any]], report: dict[str, Any]) -> bool:
    """The floor's lines, gross and net per currency equal volmify's totals (the creator
    views' totals are the org's rows, which take part in every line)."""
    totals: dict[str, list[int]] = {}
    creators = view.startswith("creator")
    for row in floor_rows:
        if creators and row[0] != "org":
            continue
        currency, *sums = row[2:6] if creators else row[1:5]
        acc = totals.setdefault(currency, [0, 0, 0])
        for index, value in enumerate(sums):
            acc[index] += int(value)
    theirs = {
        t["currency"]: [t["sales"], t["gross_minor"], t["net_minor"]] for t in report["totals"]
    }
    return totals == theirs


def measure_reports(backend: Backend, runs: int, env: dict[str, str]) -> None:
    checked = []
    for view, (options, sql) in report_sql(backend.name).items():
        bare = [python(), "-c", BARE, backend.name, backend.bare("floor"), sql]
        ours = volmify_argv("--db", backend.url("a"), "revenue", "report", "--org", "bench",
                            *options, "--format", "json")  # fmt: skip
        if "--creator" not in options:  # the floor's creator only stands in for teacher-7
            checked.append((view, same_figures(view, _output(bare, env), _output(ours, env))))
        times = interleaved({"floor": bare, "volmify": ours}, runs, env, warmup=1)
        line(f"revenue report {view} ({backend.name})", times["floor"], times["volmify"],
             REPORT_BUDGET, "hand-written SQL aggregate, minimal tables")  # fmt: skip
    differ = [view for view, same in checked if not same]
    print(
        f"floor figures = volmify's (lines, gross, net per currency) in {len(checked)} views: "
        + (f"NO, they differ in {', '.join(differ)}" if differ else "yes"),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
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
    with_bytecode()
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
