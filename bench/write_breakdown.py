"""Where an import's database time goes: one volmify command run in this process, with every
bulk write (`Bulk.insert`, `Bulk.execute_many`) timed per table and statement.

    python bench/write_breakdown.py --db URL -- catalog import FILE --format json
    python bench/write_breakdown.py --db URL -- sales import FILE --org ORG --format json

Prints to stderr (stdout is the command's own output), slowest first, each table's or
statement's rows, seconds and microseconds per row, then the database's share of the whole
command. The files come from the other benchmarks (`--workdir` of bench/catalog.py or
bench/revenue.py keeps them); the database must be migrated and hold what the command needs (a
fresh one for a catalog, the revenue benchmark's world for sales). A measurement to read beside
a profile (py-spy), not a budget: the writes are what the physical floors of SPEC 7 compare
with.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import with_bytecode


def _label(sql: str) -> str:
    """An INSERT's table, or a statement's first words."""
    words = sql.split()
    if words[:2] == ["INSERT", "INTO"]:
        return f"upsert/insert {words[2]}"
    return " ".join(words[:4])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="volmify's database URL")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then volmify's arguments")
    args = parser.parse_args()
    command = [a for a in args.command if a != "--"]
    if not command:
        parser.error("give volmify's arguments after --")
    with_bytecode()
    started = time.perf_counter()
    from volmify_cli.db import bulk

    spent: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    insert, execute_many = bulk.Bulk.insert, bulk.Bulk.execute_many

    def timed_insert(
        self: bulk.Bulk, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
        *, org: Any | None = None,
    ) -> None:  # fmt: skip
        rows = list(rows)  # built before the clock starts: the driver's time alone
        start = time.perf_counter()
        insert(self, table, columns, rows, org=org)
        spent[f"insert {table}"][0] += len(rows)
        spent[f"insert {table}"][1] += time.perf_counter() - start

    def timed_execute_many(self: bulk.Bulk, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        start = time.perf_counter()
        execute_many(self, sql, rows)
        spent[_label(sql)][0] += len(rows)
        spent[_label(sql)][1] += time.perf_counter() - start

    bulk.Bulk.insert = timed_insert  # type: ignore[method-assign]
    bulk.Bulk.execute_many = timed_execute_many  # type: ignore[method-assign]
    # The app, not the process's entry point (`cli/app.main`): that one may end the process
    # at once after a large import, before this breakdown is printed.
    from volmify_cli.cli.app import app as volmify

    sys.argv = ["volmify", "--db", args.db, *command]
    try:
        volmify()
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            print(f"volmify exited {exit_.code}", file=sys.stderr)
    whole = time.perf_counter() - started
    total = sum(seconds for _, seconds in spent.values())
    lines = [f"{'writes':58} {'rows':>9} {'s':>7} {'us/row':>7}"]
    for name, (rows, seconds) in sorted(spent.items(), key=lambda item: -item[1][1]):
        per_row = seconds / rows * 1e6 if rows else 0.0
        lines.append(f"{name[:58]:58} {int(rows):9,} {seconds:7.2f} {per_row:7.1f}")
    lines.append(f"database writes {total:.2f} s of {whole:.2f} s ({total / whole:.0%}) in all")
    print("\n".join(lines), file=sys.stderr)  # stdout is the command's own output


if __name__ == "__main__":
    main()
