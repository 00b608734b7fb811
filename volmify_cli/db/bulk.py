"""The one bulk reader and writer: set-based reads and bulk writes on the session's own
connection, inside its transaction (the write session already holds BEGIN IMMEDIATE on SQLite).

One ORM object per row costs about 58x a raw executemany (SPEC 7), so large imports (the catalog,
sales) read and write plain tuples here: DBAPI `executemany` on SQLite; `COPY` for inserts and
pipelined `executemany` for updates and deletes on PostgreSQL.

Ids travel as 32 hex digits on both databases: what SQLAlchemy's Uuid stores on SQLite, and what
PostgreSQL's uuid input accepts; reads ask PostgreSQL for the same text (`id_sql`), so rows are
compared and keyed without building a `uuid.UUID` per value. Timestamps are aware UTC datetimes;
on SQLite they are written as the text UTCDateTime stores (microseconds, so text order is time
order).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, Uuid, text
from sqlmodel import Session

from volmify_cli.db import fingerprints
from volmify_cli.db.stored import read_time, sqlite_timestamp
from volmify_cli.db.types import UTCDateTime
from volmify_cli.ids import hex_of

UTC = dt.UTC
Scope = tuple[str, Sequence[Any]]  # an SQL condition with `?` marks, and its values
Row = Mapping[str, Any]  # column -> value, as the models hold it (uuid.UUID, aware datetimes)
CHUNK = 500  # ids per `IN (...)`: far below SQLite's bound-variable limit
READ_BATCH = 5000  # rows per fetch of a server-side cursor
TIMES_HELD = 50_000  # instants whose SQLite text `time_value` keeps (about 10 MB)


def table_of(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _defaults(table: Table, given: Sequence[str], now: dt.datetime) -> dict[str, Any]:
    """The values of the columns a row leaves out that have a default in Python (the model's
    `default=`, `default_factory=`; created_at and updated_at are `now`). Columns with a
    server default, or none, are left to the database."""
    filled: dict[str, Any] = {}
    for column in table.columns:
        if column.name in given:
            continue
        if column.name in ("created_at", "updated_at"):
            filled[column.name] = now
            continue
        default = column.default
        if default is None or not hasattr(default, "arg"):
            continue
        arg = default.arg
        filled[column.name] = arg(None) if callable(arg) else arg
    return filled


def _noting(rows: Iterable[Sequence[Any]], index: int) -> tuple[set[Any], Iterator[Any]]:
    """The rows as they stream, and the set their org ids are added to on the way."""
    orgs: set[Any] = set()
    add = orgs.add

    def passing() -> Iterator[Any]:
        for row in rows:
            add(row[index])
            yield row

    return orgs, passing()


_ORG_MARK = re.compile(r"\borg_id\s*=\s*\?")


def _orgs_in(sql: str, rows: Sequence[Sequence[Any]]) -> set[Any] | None:
    """The orgs of a statement's rows: the values of its `org_id = ?` mark; None when it has
    none (then it may write any org's rows)."""
    found = _ORG_MARK.search(sql)
    if found is None:
        return None
    index = sql.count("?", 0, found.start())
    return {row[index] for row in rows}


class Bulk:
    """The session's connection seen as a set-based reader and bulk writer."""

    def __init__(self, session: Session) -> None:
        session.flush()  # pending ORM rows go first: bulk rows may reference them
        self.session = session
        self.connection = session.connection()
        self.sqlite = self.connection.dialect.name == "sqlite"
        self.raw: Any = self.connection.connection.driver_connection
        self.mark = "?" if self.sqlite else "%s"
        self.now = dt.datetime.now(UTC)
        # The writer's own time, which every row it writes carries (created_at, updated_at), as
        # the driver takes it, made once: on PostgreSQL ISO text, not a datetime the driver
        # formats again for each row (two per row: 1 s of the large catalog's 4 s COPY of its
        # 240,000 prices); on SQLite the text it stores. `time_value(now)` gives it back.
        self.now_value = sqlite_timestamp(self.now) if self.sqlite else self.now.isoformat()
        self._stored_times: dict[dt.datetime, str] = {}  # see time_value

    # -- values --------------------------------------------------------------------------------

    def id_sql(self, column: str) -> str:
        """The SQL that reads a uuid column as 32 hex digits."""
        return column if self.sqlite else f"replace({column}::text, '-', '')"

    def time_value(self, value: dt.datetime | None) -> Any:
        """An aware datetime as this database's driver takes it. Raises ValueError for a naive
        one (volmify stores timezone-aware UTC only)."""
        if value is None:
            return None
        if value is self.now:
            return self.now_value
        if self.sqlite:
            # An instant is often written twice (a sale's order, then its entry): its text is
            # looked up the second time, not made again (each costs 1-4 us; 7% of a sales
            # import made them). Keyed by the instant, so any zone of it gives the same UTC text.
            text = self._stored_times.get(value)
            if text is None:
                if len(self._stored_times) >= TIMES_HELD:
                    self._stored_times.clear()
                text = self._stored_times[value] = sqlite_timestamp(value)
            return text
        if value.tzinfo is None:
            sqlite_timestamp(value)  # the one place that words the refusal
        return value

    def written_now(self, value: Any) -> bool:
        """Whether a timestamp as read back (a row's `created_at`) is this writer's own time:
        the row was written by this run."""
        return bool(value == (self.now_value if self.sqlite else self.now))

    def date_value(self, value: dt.date | None) -> Any:
        """A calendar date as this database's driver takes it (SQLite: the YYYY-MM-DD text
        SQLAlchemy's Date stores)."""
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    read_time = staticmethod(read_time)  # a timestamp as read back, as aware UTC

    @contextmanager
    def page_cache(self, mebibytes: int) -> Iterator[None]:
        """SQLite's page cache of this connection at `mebibytes` for a large load, then back to
        what it was (the connection returns to the pool). The ledger's time indexes and running
        totals are written at random places: with the default 2 MB, a 200,000-line sales import
        re-read their pages from the OS 10% of its time (30.7 s -> 27.5 s with 32 MB)."""
        if not self.sqlite:
            yield
            return
        (before,) = self.raw.execute("PRAGMA cache_size").fetchone()
        self.raw.execute(f"PRAGMA cache_size = {-1024 * mebibytes}")
        try:
            yield
        finally:
            self.raw.execute(f"PRAGMA cache_size = {int(before)}")

    # -- reads ---------------------------------------------------------------------------------

    def select(
        self,
        table: str,
        columns: Sequence[str],
        org_id: str,
        *,
        ids: Sequence[str] = (),
        where: Scope | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of one table of the org (and of `where`, a condition with `?` marks and its
        values), as they come; columns named in `ids` are read as hex text. On PostgreSQL
        through a server-side cursor, a batch at a time: the driver never holds a large
        table's whole result next to the rows made of it."""
        wanted = ", ".join(self.id_sql(c) if c in ids else c for c in columns)
        sql = f"SELECT {wanted} FROM {table} WHERE org_id = ?"
        params: tuple[Any, ...] = (org_id,)
        if where is not None:
            sql += f" AND ({where[0]})"
            params += tuple(where[1])
        if self.sqlite:
            cursor = self.raw.cursor()
            try:
                yield from cursor.execute(sql, params)
            finally:
                cursor.close()
            return
        with self.raw.cursor(name=f"volmify_{table}") as cursor:
            cursor.itersize = READ_BATCH
            if where is not None:
                # A scope names its rows through subqueries over the org's parents: joined by
                # hashing, linear in the org's rows whatever the statistics say. On tables a
                # bulk load just filled (no statistics yet) the planner chose nested loops,
                # quadratic in them: 10 s to read one product's rows of a 300-product org.
                self.raw.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(sql.replace("?", self.mark), params)
            if where is not None:
                self.raw.execute("RESET enable_nestloop")  # the cursor keeps its plan
            yield from cursor

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query written with `?` marks (turned into the driver's own)."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql.replace("?", self.mark), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    # -- writes --------------------------------------------------------------------------------

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        org: Any | None = None,
    ) -> None:
        """Rows are streamed to the driver (not copied into a list first). `org`: every row is
        of this org (the org whose fingerprints the rows outdate), so they are not looked at on
        the way."""
        names = ", ".join(columns)
        statement = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
        orgs: set[Any] | None = None
        if "org_id" in columns and fingerprints.written_table(statement) is not None:
            if org is not None:
                orgs = {org}
            else:
                orgs, rows = _noting(rows, columns.index("org_id"))
        cursor = self.raw.cursor()
        try:
            if self.sqlite:
                cursor.executemany(statement, rows)
            else:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        finally:
            cursor.close()
        # after the rows (they stream); in the same transaction, which is all that counts
        fingerprints.forget_for(self.connection, statement, orgs)

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement written with `?` marks, run for each row (updates, deletes)."""
        if not rows:
            return
        fingerprints.forget_for(self.connection, sql, _orgs_in(sql, rows))
        cursor = self.raw.cursor()
        try:
            cursor.executemany(sql.replace("?", self.mark), rows)
        finally:
            cursor.close()

    # -- rows as the models hold them (course bodies, learning records) ----------------------------

    def _stored(self, table: Table, columns: Sequence[str]) -> Callable[[Row], tuple[Any, ...]]:
        """A row's values in `columns` order, as this driver takes them."""
        kinds = [table.c[name].type for name in columns]
        convert: list[Callable[[Any], Any] | None] = [
            hex_of if isinstance(kind, Uuid) else self.time_value if isinstance(kind, UTCDateTime)
            else None
            for kind in kinds
        ]  # fmt: skip
        pairs = list(zip(columns, convert, strict=True))

        def stored(row: Row) -> tuple[Any, ...]:
            return tuple(
                row[name] if change is None else change(row[name]) for name, change in pairs
            )

        return stored

    def _name(self, column: str) -> str:
        """A table or column name as SQL (quoted where it is a reserved word, as `user` is)."""
        return self.connection.dialect.identifier_preparer.quote(column)

    def insert_rows(self, model: type[Any], rows: Sequence[Row]) -> None:
        """Insert rows, each carrying its own key; the columns a row leaves out get the model's
        default, created_at and updated_at this writer's time. Rows with the same columns go
        in one executemany (SQLite) or COPY (PostgreSQL)."""
        table = table_of(model)
        shapes: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            shapes.setdefault(tuple(sorted(row)), []).append(row)
        for names, same in shapes.items():
            filled = _defaults(table, names, self.now)
            columns = (*names, *filled)
            stored = self._stored(table, columns)
            self.insert(
                self._name(table.name),
                [self._name(c) for c in columns],
                (stored({**filled, **row}) for row in same),
            )

    def update_rows(self, model: type[Any], keys: Sequence[str], rows: Sequence[Row]) -> None:
        """Update rows by their key columns: each row holds the key values and the columns to
        set (updated_at is set here). Rows setting the same columns go in one executemany."""
        table = table_of(model)
        shapes: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            columns = tuple(name for name in row if name not in keys)
            if columns:
                shapes.setdefault(columns, []).append(row)
        where = " AND ".join(f"{self._name(name)} = ?" for name in keys)
        for columns, same in shapes.items():
            sets = ", ".join(f"{self._name(name)} = ?" for name in (*columns, "updated_at"))
            stored = self._stored(table, (*columns, *keys))
            size = len(columns)
            params = [
                (*values[:size], self.now_value, *values[size:]) for values in map(stored, same)
            ]
            self.execute_many(f"UPDATE {self._name(table.name)} SET {sets} WHERE {where}", params)

    def delete_by_ids(self, model: type[Any], org_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> None:
        table = table_of(model)
        for part in chunks([hex_of(i) for i in ids]):
            marks = ", ".join("?" for _ in part)
            self.execute_many(
                f"DELETE FROM {self._name(table.name)} WHERE org_id = ? AND id IN ({marks})",
                [(org_id.hex, *part)],
            )

    def delete_by_keys(
        self, model: type[Any], columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> None:
        """Delete rows by a composite key (e.g. (org_id, course_id, skill_id))."""
        table = table_of(model)
        where = " AND ".join(f"{self._name(name)} = ?" for name in columns)
        stored = self._stored(table, columns)
        rows = [stored(dict(zip(columns, key, strict=True))) for key in keys]
        self.execute_many(f"DELETE FROM {self._name(table.name)} WHERE {where}", rows)

    def analyze_sqlite(self, *tables: str) -> None:
        """SQLite's statistics of `tables` after a large load. Without them its planner drives
        a list of orders from the items and sorts every order before the first row (2 s on
        300,000 orders); with them it walks the ordered index and prints the first row at once.
        Without those of the entries and splits, `sales show` read every split of the org to
        find one order's (0.9 s of a 200,000-line ledger; 0.04 s with them). ANALYZE of the
        four ledger tables takes a fraction of a second there (0.1 s for the two ledger ones)."""
        if self.sqlite:
            for table in tables:
                self.session.execute(text(f"ANALYZE {self._name(table)}"))

    def analyze(self, *tables: str) -> None:
        """Refresh the planner's statistics after a large load (PostgreSQL plans the report
        queries about 2x slower on fresh, statistics-less tables)."""
        if not self.sqlite:
            for table in tables:
                self.session.execute(text(f"ANALYZE {self._name(table)}"))

    def analyze_stale(self, *tables: str) -> list[str]:
        """PostgreSQL: ANALYZE those of `tables` whose statistics are missing, or stale by
        autovacuum's own rule (more than 50 rows + 10% changed since), before a large load
        whose foreign-key checks read them; returns the tables analyzed.

        A foreign-key check is a query planned once per connection. On a table that was never
        analyzed (a catalog imported moments ago, before autovacuum came by) every index that
        starts with `org_id` costs the same, and the planner may look the parent up through
        `(org_id, variant_id, slug)` filtering on `id`: each check then walks all the org's
        rows. A sales import of 100,000 lines spent 6.8 s of its 30 s on the items' checks, 2.4 s
        once the catalog had statistics. ANALYZE also re-plans the checks already cached."""
        if self.sqlite or not tables:
            return []
        stale = [
            name
            for (name,) in self.query(
                "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
                " WHERE s.schemaname = current_schema() AND s.relname = ANY(?)"
                " AND (coalesce(s.last_analyze, s.last_autoanalyze) IS NULL"
                " OR s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0))",
                [list(tables)],
            )
        ]
        stale.sort()
        self.analyze(*stale)
        return stale
