"""`sales list` over a large ledger (SPEC 7: lists stream): in every format, the time to its
first byte, the whole run and its peak RSS.

    python bench/sales_list.py [--lines 300000] [--workdir DIR]

Builds the revenue benchmark's world (bench/_sales_world.py) in a new SQLite file, records
LINES generated sales lines with `sales import` (untimed), then runs `sales list --format F`
for json, ndjson, csv and table (80 columns), each in its own process, reading its stdout as it
comes. Streaming holds when the first byte arrives at once (well under a second, whatever LINES)
and the peak RSS stays flat (the budget: under 150 MB, against 1.67 GB measured before rows
streamed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._sales_world import build_world, write_sales
from bench._timing import volmify_argv, with_bytecode

RSS_BUDGET_MB = 150.0  # issue 22: "under 150 MB in every format"
FIRST_BYTE_BUDGET_S = 1.5  # start-up and the first batch of rows, not the ledger


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(seconds to the first byte, seconds in all, peak RSS in MB, bytes written)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    first = process.stdout.read(1)
    first_at = time.perf_counter() - start
    size = len(first)
    while block := process.stdout.read(1 << 20):
        size += len(block)
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return first_at, time.perf_counter() - start, usage.ru_maxrss / 1024, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--workdir", type=Path)
    options = parser.parse_args()
    with_bytecode()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="volmify-list-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "list.db"
    url = f"sqlite:///{database}"
    env = {**os.environ, "VOLMIFY_HOME": str(workdir / "home"), "COLUMNS": "80"}
    if not database.exists():
        subprocess.run(volmify_argv("--db", url, "db", "upgrade"), check=True, env=env,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        from volmify_cli.db.engine import make_engine

        engine = make_engine(url)
        build_world(engine)
        engine.dispose()
        sales = workdir / "sales.csv"
        write_sales(sales, options.lines)
        print(f"recording {options.lines:,} sales lines (untimed)...", flush=True)
        subprocess.run(
            volmify_argv("--db", url, "sales", "import", str(sales), "--org", "bench"),
            check=True, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    for fmt in ("json", "ndjson", "csv", "table"):
        argv = volmify_argv("--db", url, "sales", "list", "--org", "bench", "--format", fmt)
        first, total, rss, size = measure(argv, env)
        ok = first <= FIRST_BYTE_BUDGET_S and rss < RSS_BUDGET_MB
        print(
            f"sales list --format {fmt:7} first byte {first:5.2f} s, all {total:6.2f} s,"
            f" {size / 1e6:7.1f} MB out, peak RSS {rss:4.0f} MB"
            f" ({'ok' if ok else 'OVER BUDGET'}: first byte <= {FIRST_BYTE_BUDGET_S} s,"
            f" RSS < {RSS_BUDGET_MB:.0f} MB)",
            flush=True,
        )


if __name__ == "__main__":
    main()
