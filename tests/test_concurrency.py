"""Imports running at the same time (issue 9): one import per organization at a time.

Every import of an org (catalog, courses, learning records, sales) takes the org's import lock:
PostgreSQL's advisory lock, waited for up to --lock-timeout; SQLite's write lock, waited for up to
the busy timeout. The races are made deterministic: the test holds the lock while it starts two
real `volmify` processes, lets both reach the lock, then lets them go at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.test_demo import expected_net_by_currency
from tests.support import Cli
from volmify_cli.db.locks import import_lock_key

FIXTURES = Path(__file__).parent.parent / "fixtures" / "acme"
CATALOG = FIXTURES / "catalog"
OUTLINE = FIXTURES / "outlines" / "css-for-engineers.yaml"
LEARNING = FIXTURES / "learning.yaml"
SALES = FIXTURES / "sales.csv"

LIBRARY = FIXTURES / "lessons.yaml"

IMPORTS = {
    "catalog": ("catalog", "import", str(CATALOG)),
    "lessons": ("courses", "import", str(LIBRARY)),
    "courses": ("courses", "import", str(OUTLINE)),
    "learning": ("learning", "import", str(LEARNING)),
    "sales": ("sales", "import", str(SALES), "--org", "acme"),
}


@contextmanager
def holding_the_import_lock(backend: str, url: str, org: str) -> Iterator[None]:
    """Play another import of `org` that is still running."""
    if backend == "postgresql":
        engine = create_engine(url)
        try:
            with engine.connect() as other, other.begin():
                key = {"key": import_lock_key(org)}
                other.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), key)
                yield
        finally:
            engine.dispose()
    else:
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()


def start(url: str, *args: str) -> subprocess.Popen[str]:
    """A real `volmify` process; on SQLite it waits a minute for the write lock."""
    env = {**os.environ, "VOLMIFY_SQLITE_BUSY_TIMEOUT_MS": "60000"}
    argv = [sys.executable, "-m", "volmify_cli", "--db", url, *args, "--format", "json"]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=300)
    return process.returncode, stdout, stderr


def _import_demo(cli: Cli, until: str) -> None:
    """The demo org's imports, in order, up to (not including) `until`."""
    for name, argv in IMPORTS.items():
        if name == until:
            return
        cli.ok(*argv)


@pytest.mark.parametrize("command", list(IMPORTS))
def test_an_import_waits_for_the_orgs_running_import_then_fails_clearly(
    cli: Cli, backend: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = cli.db_url or ""
    _import_demo(cli, until=command)
    before = cli.json("catalog", "diff", str(CATALOG), "--org", "acme")
    monkeypatch.setenv("VOLMIFY_SQLITE_BUSY_TIMEOUT_MS", "300")
    with holding_the_import_lock(backend, url, "acme"):
        started = time.monotonic()
        result = cli.fails(1, *IMPORTS[command], "--lock-timeout", "0.6")
        waited = time.monotonic() - started
    if backend == "postgresql":
        assert "another import of org acme is running" in result.stderr
        assert "--lock-timeout" in result.stderr
        assert waited >= 0.6
    else:
        assert "database is locked" in result.stderr
    assert result.stderr.count("\n") <= 2  # one clear line (and its hint), no traceback
    assert cli.json("catalog", "diff", str(CATALOG), "--org", "acme") == before
    cli.ok(*IMPORTS[command])  # free again: the import goes through


@pytest.mark.parametrize("command", list(IMPORTS))
def test_a_dry_run_does_not_wait_for_the_lock(cli: Cli, backend: str, command: str) -> None:
    if backend == "sqlite" and command == "sales":
        pytest.skip("a sales dry run writes in a savepoint it rolls back: SQLite's write lock")
    url = cli.db_url or ""
    _import_demo(cli, until=command)
    with holding_the_import_lock(backend, url, "acme"):
        cli.ok(*IMPORTS[command], "--dry-run", "--lock-timeout", "0")


def test_another_orgs_import_is_not_held_up(cli: Cli, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has one write lock for the whole file")
    url = cli.db_url or ""
    with holding_the_import_lock(backend, url, "acme"):
        globex = Path(__file__).parent.parent / "fixtures" / "globex" / "catalog.yaml"
        cli.ok("catalog", "import", str(globex), "--lock-timeout", "0")


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the demo catalog with one text changed."""
    folder = tmp_path / name
    folder.mkdir()
    changed = 0
    for source in sorted(CATALOG.glob("*.yaml")):
        body = source.read_text(encoding="utf-8")
        changed += body.count(old)
        (folder / source.name).write_text(body.replace(old, new), encoding="utf-8")
    assert changed, f"{old!r} is not in the demo catalog"
    return folder


def _matches(cli: Cli, files: Path) -> bool:
    return cli.run("catalog", "diff", str(files), "--detailed-exitcode").exit_code == 0


def test_two_catalog_imports_of_one_org_at_once_end_in_the_state_of_one(
    cli: Cli, backend: str, tmp_path: Path
) -> None:
    url = cli.db_url or ""
    first = _variant(tmp_path, "first", 'us: "49.00"', 'us: "48.00"')
    second = _variant(tmp_path, "second", 'us: "49.00"', 'us: "47.00"')
    with holding_the_import_lock(backend, url, "acme"):
        racers = [start(url, "catalog", "import", str(files)) for files in (first, second)]
        time.sleep(2.0)  # both processes start up and queue on the lock
    outcomes = [finish(process) for process in racers]
    for code, _stdout, stderr in outcomes:
        assert code == 0, stderr
        assert "Traceback" not in stderr
    created = [json.loads(stdout)["created"] for _code, stdout, _stderr in outcomes]
    assert sorted(created) == [0, sorted(created)[1]] and sorted(created)[1] > 0, created
    # exactly one file describes the database: the import that ran last, whole
    assert [_matches(cli, first), _matches(cli, second)].count(True) == 1
    products = cli.json("products", "list", "--org", "acme")
    slugs = [row["slug"] for row in products]
    assert len(slugs) == len(set(slugs)) and slugs


def _sales_slice(tmp_path: Path, name: str, start_line: int, end_line: int) -> Path:
    lines = SALES.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / f"{name}.csv"
    path.write_text(lines[0] + "".join(lines[start_line:end_line]), encoding="utf-8")
    return path


def test_two_sales_imports_of_overlapping_files_never_double_count(
    cli: Cli, backend: str, tmp_path: Path
) -> None:
    url = cli.db_url or ""
    _import_demo(cli, until="sales")
    rows = SALES.read_text(encoding="utf-8").count("\n") - 1
    early = _sales_slice(tmp_path, "early", 1, 2 * rows // 3 + 1)
    late = _sales_slice(tmp_path, "late", rows // 3 + 1, rows + 1)
    with holding_the_import_lock(backend, url, "acme"):
        racers = [start(url, "sales", "import", str(p), "--org", "acme") for p in (early, late)]
        time.sleep(2.0)
    outcomes = [finish(process) for process in racers]
    for code, _stdout, stderr in outcomes:
        assert code == 0, stderr
    reads = [json.loads(stdout) for _code, stdout, _stderr in outcomes]
    # the overlap (a third of the file) is recorded by whichever ran first, once
    assert sum(read["created"] for read in reads) == rows
    assert sum(read["unchanged"] for read in reads) == (2 * rows // 3) - (rows // 3)
    sales = cli.json("sales", "list", "--org", "acme")
    order_ids = [sale["order_id"] for sale in sales]
    assert len(order_ids) == rows == len(set(order_ids))
    report = cli.json("revenue", "report", "--org", "acme")
    totals = {row["currency"]: row["net_minor"] for row in report["totals"]}
    assert totals == expected_net_by_currency("acme")  # summed from the CSV, not by volmify


def _one_product_fewer(tmp_path: Path) -> Path:
    """The demo catalog without its compute-credits product: --prune deletes it."""
    folder = tmp_path / "fewer"
    folder.mkdir()
    for source in sorted(CATALOG.glob("*.yaml")):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    products = folder / "20-products.yaml"
    body = products.read_text(encoding="utf-8")
    start = body.index("  - slug: compute-credits")
    end = body.find("\n  - slug: ", start + 1)
    products.write_text(body[:start] + (body[end + 1 :] if end != -1 else ""), encoding="utf-8")
    return folder


def _answer_with(monkeypatch: pytest.MonkeyPatch, answer: Callable[[], str]) -> list[str]:
    """A terminal whose typed answer is `answer()`, called while the question is open."""
    import questionary

    from volmify_cli.cli.context import AppContext
    from volmify_cli.cli.prompts import Prompter

    asked: list[str] = []

    class Question:
        def __init__(self, message: str, *_args: object, **_kwargs: object) -> None:
            asked.append(message)

        def ask(self) -> str:
            return answer()

    monkeypatch.setattr(questionary, "text", Question)
    monkeypatch.setattr(AppContext, "prompter", lambda self: Prompter(enabled=True))
    return asked


def _lock_is_free(backend: str, url: str) -> bool:
    if backend == "postgresql":
        engine = create_engine(url)
        try:
            with engine.connect() as other, other.begin():
                key = {"key": import_lock_key("acme")}
                query = text("SELECT pg_try_advisory_xact_lock(hashtext(:key))")
                return bool(other.execute(query, key).scalar())
        finally:
            engine.dispose()
    other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_prune_asks_before_it_takes_the_lock(
    cli: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = cli.db_url or ""
    cli.ok("catalog", "import", str(CATALOG))
    free_while_asking: list[bool] = []

    def answer() -> str:
        free_while_asking.append(_lock_is_free(backend, url))
        return "acme"

    asked = _answer_with(monkeypatch, answer)
    result = cli.json("catalog", "import", str(_one_product_fewer(tmp_path)), "--prune")
    assert asked == ["The import deletes 1 entity of org acme. Type 'acme' to confirm:"]
    assert free_while_asking == [True]  # another import could have run meanwhile
    deleted = [(c["entity"], c["key"]) for c in result["changes"] if c["action"] == "delete"]
    assert deleted == [("product", "compute-credits")]


def test_a_prune_confirmed_for_other_deletions_than_it_would_make_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = cli.db_url or ""
    cli.ok("catalog", "import", str(CATALOG))

    def someone_adds_a_product_meanwhile() -> str:
        subprocess.run(
            [sys.executable, "-m", "volmify_cli", "--db", url, "products", "create", "late",
             "--type", "digital", "--title", "Late", "--org", "acme"],
            check=True, capture_output=True,
        )  # fmt: skip
        return "acme"

    _answer_with(monkeypatch, someone_adds_a_product_meanwhile)
    # --prune-unmanaged: the product a command adds is the prune's too (--prune keeps it)
    fewer = str(_one_product_fewer(tmp_path))
    result = cli.fails(1, "catalog", "import", fewer, "--prune-unmanaged")
    assert "changed while the question was open" in result.stderr
    assert "would now delete 2 entities" in result.stderr
    slugs = {row["slug"] for row in cli.json("products", "list", "--org", "acme")}
    assert {"compute-credits", "late"} <= slugs  # nothing was written
