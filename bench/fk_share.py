"""What the foreign keys cost a whole import on PostgreSQL: the same `volmify` command run into a
database at head and into a copy of it with every foreign key dropped, interleaved.

    python bench/fk_share.py --postgres URL [--what catalog|sales] [--products 10000]
                             [--lines 200000] [--rounds 2]

`catalog`: `catalog import` of the large generated catalog (bench/catalog_data.py) into a fresh
migrated database. `sales`: `sales import` of N generated lines (bench/_sales_world.py) into a
fresh copy of the bench world. Each round copies both templates anew (CREATE DATABASE ...
TEMPLATE, untimed) and times the two commands whole, alternating which goes first. Prints each
run, the best of each, and the difference: what PostgreSQL's row-by-row foreign-key checks take
of that import. A measurement for the team's decisions about SPEC 7, whose physical floors have no
foreign key (DOMAIN.md's tenancy rule needs them): no budget, and volmify never runs without them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._sales_world import build_world, write_sales
from bench._timing import volmify_argv, with_bytecode
from bench.catalog_data import catalog_text

TEMPLATES = ("volmify_bench_fk_with", "volmify_bench_fk_without")
RUN = "volmify_bench_fk_run"


def _admin(admin: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(admin, autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def _url(admin: str, name: str) -> str:
    return f"{admin.rsplit('/', 1)[0]}/{name}"


def _templates(admin: str, what: str) -> None:
    """Head (with the bench world for sales), and its copy without a foreign key."""
    from volmify_cli.db.engine import make_engine
    from volmify_cli.migrations.runner import upgrade

    with_fks, without = TEMPLATES
    for name in (*TEMPLATES, RUN):
        _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(admin, f'CREATE DATABASE "{with_fks}"')
    engine = make_engine(_url(admin, with_fks), create=True)
    upgrade(engine)
    if what == "sales":
        build_world(engine)
    engine.dispose()
    _admin(admin, f'CREATE DATABASE "{without}" TEMPLATE "{with_fks}"')
    with psycopg.connect(_url(admin, without), autocommit=True) as connection:
        drops = connection.execute(
            "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname)"
            " FROM pg_constraint WHERE contype = 'f'"
        ).fetchall()
        for (drop,) in drops:
            connection.execute(drop)
    print(f"{len(drops)} foreign keys dropped in the copy")


def _timed_import(admin: str, template: str, command: list[str]) -> float:
    _admin(admin, f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)')
    _admin(admin, f'CREATE DATABASE "{RUN}" TEMPLATE "{template}"')
    argv = volmify_argv("--db", _url(admin, RUN), *command, "--format", "json")
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "CI": "true"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default=os.environ.get("VOLMIFY_TEST_POSTGRES_URL"))
    parser.add_argument("--what", choices=("catalog", "sales"), default="catalog")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not args.postgres:
        parser.error("give --postgres URL (or set VOLMIFY_TEST_POSTGRES_URL)")
    admin = args.postgres.replace("postgresql+psycopg://", "postgresql://", 1)
    with_bytecode()
    with tempfile.TemporaryDirectory() as workdir:
        if args.what == "catalog":
            source = Path(workdir) / "catalog.yaml"
            source.write_text(catalog_text(args.products), encoding="utf-8")
            command = ["catalog", "import", str(source)]
        else:
            source = Path(workdir) / "sales.csv"
            write_sales(source, args.lines)
            command = ["sales", "import", str(source), "--org", "bench"]
        _templates(admin, args.what)
        times: dict[str, list[float]] = {name: [] for name in TEMPLATES}
        try:
            for round_ in range(args.rounds):
                order = TEMPLATES if round_ % 2 == 0 else TEMPLATES[::-1]
                for name in order:
                    times[name].append(_timed_import(admin, name, command))
                    print(f"{name.rsplit('_', 1)[1]:>7} foreign keys: {times[name][-1]:7.2f} s")
        finally:
            for name in (*TEMPLATES, RUN):
                _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    best_with, best_without = (min(times[name]) for name in TEMPLATES)
    print(
        f"{args.what} import, best of {args.rounds}: {best_with:.2f} s with the foreign keys,"
        f" {best_without:.2f} s without; the checks take {best_with - best_without:.2f} s"
        f" ({(best_with - best_without) / best_with:.0%})"
    )


if __name__ == "__main__":
    main()
