"""Catalog import/export benchmark (SPEC 7), on SQLite and PostgreSQL in one run.

    python bench/catalog.py [--products 10000] [--postgres URL] [--workdir DIR]

Generates the large catalog deterministically (10,000 products, 20,000 variants, 60,000 plans,
240,000 prices, about 19 MB), then per database measures:

- the floor: one pass over libyaml's event stream of the file plus the raw executemany (SQLite)
  or COPY (PostgreSQL) of the very rows the import writes (taken from its own plan: the org,
  the instructors' users and profiles, the catalog), into the same schema with its constraints:
  what parsing and writing cost with no program around them;
- `volmify catalog import` of the file into a fresh database, then again unchanged, then with
  one price changed (checked to be written as exactly one update);
- `volmify catalog export` (checked to give back the generated file byte for byte);
- the peak RSS of each command (its own process).

Budgets: import <= 5x floor, re-import < import, export <= 2x import, peak RSS < 1 GB; the
SQLite and PostgreSQL exports must be identical.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import verdict, volmify_argv
from bench.catalog_data import catalog_text

IMPORT_BUDGET, EXPORT_BUDGET, RSS_BUDGET_MB = 5.0, 2.0, 1024.0


def run(argv: list[str], stdout: Any = subprocess.DEVNULL) -> tuple[float, float, int]:
    """Wall time, peak RSS (MB) and exit code of one command in its own process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        assert process.stderr is not None
        raise SystemExit(f"{' '.join(argv[-4:])} failed ({code}): {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, code


def event_pass(path: Path) -> float:
    import yaml

    start = time.perf_counter()
    with path.open("rb") as stream:
        for _ in yaml.parse(stream, Loader=yaml.CSafeLoader):
            pass
    return time.perf_counter() - start


def planned_rows(url: str, path: Path) -> list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
    """The rows the import writes (table, columns, rows), from its own plan on an empty db."""
    from volmify_cli.db.engine import make_engine
    from volmify_cli.db.session import session_scope
    from volmify_cli.exchange.catalog_files import read_catalog
    from volmify_cli.ids import uuid7_hex as new_id
    from volmify_cli.models import load_all
    from volmify_cli.services.catalog import plan_catalog_import
    from volmify_cli.services.sync import tables as t

    load_all()
    files = read_catalog([path])
    engine = make_engine(url, create=True)
    result = []
    with session_scope(engine) as session:
        plan = plan_catalog_import(session, files, org="bench")
        stamp = plan.ctx.db.now_value if plan.ctx.db else None
        catalog = plan.ctx.catalog
        org = ("id", "slug", "name", "default_locale_key", "default_currency_code", "status")
        result.append(
            (
                "org",
                (*org, "created_at", "updated_at"),
                [
                    (
                        plan.ctx.org_id,
                        "bench",
                        plan.org_name,
                        catalog.default_locale,
                        "USD",
                        "active",
                        stamp,
                        stamp,
                    )
                ],
            )
        )
        users, profiles, extensions = [], [], []
        for person in plan.new_instructors:
            user_id = new_id()
            users.append((user_id, person.email, person.email.lower(), person.name, stamp, stamp))
            profiles.append(
                (
                    person.profile_id,
                    user_id,
                    "instructor",
                    person.slug,
                    person.name,
                    True,
                    stamp,
                    stamp,
                )
            )
            extensions.append((person.profile_id, person.title, stamp, stamp))
        stamps = ("created_at", "updated_at")
        result.append(('"user"', ("id", "email", "email_normalized", "name", *stamps), users))
        result.append(
            (
                "user_profile",
                ("id", "user_id", "type", "slug", "display_name", "is_active", *stamps),
                profiles,
            )
        )
        result.append(
            ("user_instructor_profile", ("profile_id", "professional_title", *stamps), extensions)
        )
        for table in t.ORDER:
            rows = plan.ctx.rows(table)
            if not rows.writes.inserts:
                continue
            head = ("id",) if table.has_id else ()
            extra = tuple(name for name, _ in table.extra)
            columns = (
                *head,
                *table.key,
                *table.data,
                *table.insert_only,
                *extra,
                "org_id",
                "created_at",
                "updated_at",
            )
            tail = (*(v for _, v in table.extra), plan.ctx.org_id, stamp, stamp)
            result.append((table.name, columns, [(*row, *tail) for row in rows.writes.inserts]))
        session.rollback()
    engine.dispose()
    return result


def raw_sqlite(
    db_path: Path, rows: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]
) -> float:
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for table, columns, values in rows:
        marks = ", ".join("?" for _ in columns)
        connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
        )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def raw_postgres(url: str, rows: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]) -> float:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for table, columns, values in rows:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
        connection.commit()
        return time.perf_counter() - start


class Databases:
    def __init__(self, workdir: Path, postgres: str | None) -> None:
        self.workdir = workdir
        self.postgres = postgres
        self.created: list[str] = []

    def fresh(self, backend: str) -> str:
        name = f"volmify_bench_{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            url = f"sqlite:///{self.workdir / (name + '.db')}"
        else:
            assert self.postgres
            import psycopg

            admin = self.postgres.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            url = (
                admin.rpartition("/")[0].replace("postgresql://", "postgresql+psycopg://")
                + "/"
                + name
            )
        run(volmify_argv("--db", url, "db", "upgrade"))
        return url

    def drop_all(self) -> None:
        if not self.created or not self.postgres:
            return
        import psycopg

        with psycopg.connect(
            self.postgres.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
        ) as c:
            for name in self.created:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_backend(
    backend: str, dbs: Databases, path: Path, changed: Path, events: float
) -> dict[str, Any]:
    rows = planned_rows(dbs.fresh(backend), path)
    raw_url = dbs.fresh(backend)
    if backend == "sqlite":
        raw = raw_sqlite(Path(raw_url.removeprefix("sqlite:///")), rows)
    else:
        raw = raw_postgres(raw_url, rows)
    url = dbs.fresh(backend)
    base = volmify_argv("--db", url, "catalog")
    first, first_rss, _ = run([*base, "import", str(path), "--format", "json"])
    again, again_rss, _ = run([*base, "import", str(path), "--format", "table"])
    with tempfile.TemporaryFile() as out:
        one, one_rss, _ = run([*base, "import", str(changed), "--format", "json"], stdout=out)
        out.seek(0)
        result = json.load(out)
    assert (result["created"], result["updated"], result["deleted"]) == (0, 1, 0), result
    exported = dbs.workdir / f"export-{backend}.yaml"
    export, export_rss, _ = run([*base, "export", "--org", "bench", "-o", str(exported), "--force"])
    assert exported.read_bytes() == changed.read_bytes(), f"{backend}: export differs from the file"
    floor = events + raw
    return {
        "backend": backend,
        "events": events,
        "raw": raw,
        "floor": floor,
        "import": first,
        "reimport": again,
        "one_price": one,
        "export": export,
        "rss": max(first_rss, again_rss, one_rss, export_rss),
        "rows": sum(len(r[2]) for r in rows),
    }


def line(label: str, seconds: float, ratio: str, budget: str, outcome: str) -> None:
    print(f"{label:<18}{seconds:7.2f} s  {ratio:<15} budget {budget:<8} {outcome}")


def report(r: dict[str, Any]) -> None:
    name = r["backend"]
    ratio, again, export_ratio = (
        r["import"] / r["floor"],
        r["reimport"] / r["import"],
        r["export"] / r["import"],
    )
    writer = "executemany" if name == "sqlite" else "COPY"
    print(f"\n== {name}: {r['rows']:,} rows written by the import")
    print(f"floor: event pass {r['events']:.2f} s + raw {writer} {r['raw']:.2f} s", end="")
    print(f" = {r['floor']:.2f} s")
    line("import", r["import"], f"{ratio:.2f}x floor", f"{IMPORT_BUDGET}x", verdict(ratio, 5.0))
    line("re-import (same)", r["reimport"], f"{again:.2f}x import", "< 1x", verdict(again, 0.999))
    line("one price changed", r["one_price"], "1 update", "", "")
    line("export", r["export"], f"{export_ratio:.2f}x import", "2.0x", verdict(export_ratio, 2.0))
    rss_ok = "ok" if r["rss"] < RSS_BUDGET_MB else "OVER BUDGET"
    print(f"{'peak RSS':<18}{r['rss']:7.0f} MB {'':<15} budget < {RSS_BUDGET_MB:.0f} MB {rss_ok}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("VOLMIFY_TEST_POSTGRES_URL"))
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
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
    events = min(event_pass(path) for _ in range(2))
    dbs = Databases(workdir, args.postgres)
    backends = ["sqlite", "postgresql"] if args.postgres else ["sqlite"]
    try:
        results = [bench_backend(b, dbs, path, changed, events) for b in backends]
    finally:
        dbs.drop_all()
    for result in results:
        report(result)
    if len(results) == 2:
        same = (workdir / "export-sqlite.yaml").read_bytes() == (
            workdir / "export-postgresql.yaml"
        ).read_bytes()
        print(f"\nSQLite and PostgreSQL exports byte-identical: {'yes' if same else 'NO'}")
    else:
        print("\nPostgreSQL not measured: pass --postgres URL or set VOLMIFY_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
