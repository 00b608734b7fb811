"""Hermetic tests on SQLite and, when VOLMIFY_TEST_POSTGRES_URL is set, on PostgreSQL.

- Every test runs with VOLMIFY_HOME in a temporary directory and no other VOLMIFY_* variable
  (except VOLMIFY_TEST_*), so nothing touches a real config or database.
- `backend` parametrizes a test over the databases; `db_url` is a fresh, migrated database of
  that backend for this test alone (a copy of a migrated template: a file copy on SQLite,
  CREATE DATABASE … TEMPLATE on PostgreSQL); `session` is a rollback-per-test session on a
  shared migrated database, for fast service tests.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.runner import upgrade
from volmify_cli.models import load_all

# The machine is shared and noisy: Hypothesis's deadline and its "input generation is slow"
# check are timing assertions in disguise, so they are off; every property still runs its
# examples.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")

PG_URL = os.environ.get("VOLMIFY_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
_RUN = uuid.uuid4().hex[:8]
load_all()  # service tests flush through the ORM, which needs every referenced table mapped


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("VOLMIFY_TEST_REQUIRE_POSTGRES") and not PG_URL:
        raise pytest.UsageError(
            "VOLMIFY_TEST_REQUIRE_POSTGRES is set but VOLMIFY_TEST_POSTGRES_URL is not"
        )


_counter = itertools.count()


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("VOLMIFY_") and not name.startswith("VOLMIFY_TEST_"):
            monkeypatch.delenv(name)
    home = tmp_path / "volmify-home"
    monkeypatch.setenv("VOLMIFY_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    return home


def _pg_admin_url() -> str:
    assert PG_URL
    return PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)


def _pg_url_for(database: str) -> str:
    base, _, _ = _pg_admin_url().rpartition("/")
    return f"{base}/{database}"


class Databases:
    """Creates migrated databases for tests and removes them afterwards."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._templates: dict[str, str] = {}
        self._created_pg: list[str] = []
        self._admin: Engine | None = None

    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
        return self._admin

    def empty(self, backend: str) -> str:
        """A database with no schema at all."""
        name = f"volmify_t_{_RUN}_{next(_counter)}"
        if backend == "sqlite":
            # An empty file is a SQLite database without tables, as CREATE DATABASE makes one.
            path = self.workdir / (name + ".db")
            path.touch(mode=0o600)
            return f"sqlite:///{path}"
        with self.admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self._created_pg.append(name)
        return _pg_url_for(name)

    def template(self, backend: str) -> str:
        if backend not in self._templates:
            url = self.empty(backend)
            engine = make_engine(url, create=True)
            upgrade(engine)
            engine.dispose()
            self._templates[backend] = url
        return self._templates[backend]

    def migrated(self, backend: str) -> str:
        """A fresh database at the head revision (copied from a migrated template)."""
        template = self.template(backend)
        name = f"volmify_t_{_RUN}_{next(_counter)}"
        if backend == "sqlite":
            target = self.workdir / f"{name}.db"
            shutil.copyfile(template.removeprefix("sqlite:///"), target)
            return f"sqlite:///{target}"
        template_name = template.rpartition("/")[2]
        with self.admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
        self._created_pg.append(name)
        return _pg_url_for(name)

    def copy(self, url: str) -> str:
        """A new database holding what `url` holds (a world built once, copied per test)."""
        name = f"volmify_t_{_RUN}_{next(_counter)}"
        if url.startswith("sqlite"):
            target = self.workdir / f"{name}.db"
            shutil.copyfile(url.removeprefix("sqlite:///"), target)
            return f"sqlite:///{target}"
        source = url.rpartition("/")[2]
        with self.admin().connect() as connection:
            # a template must have no other session: close what the builders left open
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": source},
            )
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        self._created_pg.append(name)
        return _pg_url_for(name)

    def drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            return
        name = url.rpartition("/")[2]
        with self.admin().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self._created_pg:
            self._created_pg.remove(name)

    def close(self) -> None:
        for name in list(self._created_pg):
            self.drop(_pg_url_for(name))
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    factory = Databases(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, databases: Databases) -> Iterator[str]:
    url = databases.migrated(backend)
    yield url
    databases.drop(url)


@pytest.fixture
def empty_db_url(backend: str, databases: Databases) -> Iterator[str]:
    url = databases.empty(backend)
    yield url
    databases.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _shared_engines(databases: Databases) -> Iterator[dict[str, Engine]]:
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture
def session(
    backend: str, databases: Databases, _shared_engines: dict[str, Engine]
) -> Iterator[Session]:
    """A session whose work is rolled back after the test (services flush, never commit)."""
    if backend not in _shared_engines:
        _shared_engines[backend] = make_engine(databases.migrated(backend))
    connection = _shared_engines[backend].connect()
    transaction = connection.begin()
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session
    transaction.rollback()
    connection.close()


@pytest.fixture
def cli(db_url: str) -> Cli:
    """The real command line against this test's database (`--db` is passed for you)."""
    return Cli(db_url)


def _backend_of(nodeid: str) -> str | None:
    """The database a test ran on, from its parameter ids (`test_x[postgresql-sales]`): the
    ids reach the xdist controller, the items' callspecs do not."""
    if not nodeid.endswith("]"):
        return None
    ids = nodeid[nodeid.index("[") + 1 : -1].split("-")
    return next((name for name in ids if name in ("sqlite", "postgresql")), None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []):
        backend = _backend_of(report.nodeid)
        if backend:
            counts[backend] = counts.get(backend, 0) + 1
    if counts:
        summary = ", ".join(f"{n} on {b}" for b, n in sorted(counts.items()))
        terminalreporter.write_line(f"database tests passed: {summary}")
    if not PG_URL:
        terminalreporter.write_line(
            "PostgreSQL tests skipped: VOLMIFY_TEST_POSTGRES_URL is not set"
        )
