"""SPEC 7 start-up budgets.

1. `volmify --help` within 1.3x of `python -c "import typer"`.
2. `volmify orgs list --format json` on a small database within 1.5x of a bare script that
   imports typer and sqlalchemy, opens the same database and runs the same query.

Usage: python bench/startup.py [--runs N] [--postgres URL]

With --postgres (or VOLMIFY_TEST_POSTGRES_URL) the URL is used only to create and drop a
throwaway database of the benchmark's own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, python, verdict, volmify_argv, with_bytecode

BARE_QUERY = """
import sys, json, typer, sqlalchemy
engine = sqlalchemy.create_engine(sys.argv[1])
with engine.connect() as c:
    c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    rows = c.execute(sqlalchemy.text(
        "SELECT o.slug, o.name, o.default_locale_key, o.default_currency_code, o.status, "
        "o.created_at FROM org o ORDER BY o.slug")).all()
print(json.dumps([list(map(str, r)) for r in rows]))
"""


def prepare(url: str, env: dict[str, str]) -> None:
    subprocess.run(
        volmify_argv("--db", url, "db", "upgrade"),
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for i in range(5):
        subprocess.run(
            volmify_argv("--db", url, "orgs", "create", f"bench-{i}", "--name", f"Bench {i}"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", default=os.environ.get("VOLMIFY_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with_bytecode()
    env = dict(os.environ)
    env["VOLMIFY_HOME"] = tempfile.mkdtemp(prefix="volmify-bench-")

    help_times = interleaved(
        {
            "import typer": [python(), "-c", "import typer"],
            "volmify --help": volmify_argv("--help"),
        },
        args.runs,
        env,
    )
    base, ours = help_times["import typer"], help_times["volmify --help"]
    print(
        f"--help: floor (import typer) {base * 1000:.0f} ms, volmify --help {ours * 1000:.0f} ms, "
        f"ratio {ours / base:.2f}x (budget 1.3x) {verdict(ours / base, 1.3)}"
    )

    urls = {"sqlite": f"sqlite:///{env['VOLMIFY_HOME']}/bench.db"}
    if args.postgres:
        urls["postgresql"] = scratch_database(args.postgres)
    try:
        measure_data_command(urls, args.runs, env)
    finally:
        if args.postgres:
            drop_database(args.postgres, urls["postgresql"])


def _admin(url: str):  # type: ignore[no-untyped-def]
    import sqlalchemy

    return sqlalchemy.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )


def scratch_database(admin_url: str) -> str:
    """The PostgreSQL URL is only used to create a throwaway database of the benchmark's own."""
    import sqlalchemy

    name = f"volmify_bench_startup_{os.getpid()}"
    engine = _admin(admin_url)
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rpartition("/")[0] + "/" + name


def drop_database(admin_url: str, url: str) -> None:
    import sqlalchemy

    engine = _admin(admin_url)
    with engine.connect() as connection:
        connection.execute(
            sqlalchemy.text(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
        )
    engine.dispose()


def measure_data_command(urls: dict[str, str], runs: int, env: dict[str, str]) -> None:
    for backend, url in urls.items():
        prepare(url, env)
        bare_url = url.replace("postgresql://", "postgresql+psycopg://")
        times = interleaved(
            {
                "bare": [python(), "-c", BARE_QUERY, bare_url],
                "volmify": volmify_argv("--db", url, "orgs", "list", "--format", "json"),
            },
            runs,
            env,
        )
        base, ours = times["bare"], times["volmify"]
        print(
            f"orgs list ({backend}): floor (typer+sqlalchemy+query) {base * 1000:.0f} ms, "
            f"volmify {ours * 1000:.0f} ms, ratio {ours / base:.2f}x (budget 1.5x) "
            f"{verdict(ours / base, 1.5)}"
        )


if __name__ == "__main__":
    main()
