"""The diff engine of the catalog import: one table of one organization, its rows as they are
(read in one query) against the rows the files want, giving the writes (inserts, updates of only
the rows that differ, deletes) and the plan lines (`+ create`, `~ update` with changed fields).

Rows are plain tuples keyed by their natural key within the org (parent ids plus a slug, a
locale, a market …), never ORM objects: a large catalog has hundreds of thousands of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.ids import uuid7_hex_stream
from volmify_cli.services.changes import Change, ChangeSet, create_change

Key = tuple[Any, ...]
Data = tuple[Any, ...]
Show = Callable[[str, Any], Any]  # (column, value) -> the value shown in the plan
_KIND = itemgetter(0)  # of a (kind, key) pair
MANAGED = "catalog_managed"
SHARED = frozenset(
    ("locale_key", "currency_code", "tax_behavior", "type", "status", "interval", "level")
)


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]  # natural key columns within the org (org_id is implied)
    data: tuple[str, ...]  # the columns the files decide
    has_id: bool = True
    flags: tuple[str, ...] = ()  # one-per-parent flags (partial unique): cleared before set
    bools: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # uuid columns among key and data
    extra: tuple[tuple[str, Any], ...] = ()  # constant columns written on insert only
    insert_only: tuple[str, ...] = ()  # set when the row is created, never compared (order)
    managed: bool = False  # a top-level entity with MANAGED: whether the catalog manages it


@dataclass
class Writes:
    """The writes of one table, in the order they must run."""

    inserts: list[Data] = field(default_factory=list)
    updates: list[tuple[Key, Data]] = field(default_factory=list)
    deletes: list[Key] = field(default_factory=list)
    early_deletes: list[Key] = field(default_factory=list)  # before any update (type changes)


class Rows:
    """The existing rows of one table of the org and the writes that make them what is wanted."""

    def __init__(
        self, db: Bulk | None, table: Table, org_id: str, *, scope: Scope | None = None
    ) -> None:
        """`scope` limits the rows read to a part of the org (a command writing one plan's
        prices reads that plan's rows, not the catalog's)."""
        self.table = table
        self.org_id = org_id
        self.existing: dict[Key, tuple[str, Data]] = {}  # key -> (id or "", data)
        self.writes = Writes()
        # The existing rows the files want, by id (a string the row already holds), or by key
        # for a table without ids. Never new rows: `leftovers` asks only about existing ones.
        # (The keys of a first import's 350,000 new rows held here took 30-40 MB, and a
        # re-import's new key tuples 20 MB.)
        self.wanted: set[Any] = set()
        self._children: dict[Key, list[Key]] | None = None
        self._new_ids = uuid7_hex_stream()
        # A catalog import adopts what it writes or finds in its files (MANAGED set on new rows
        # and on the existing unmanaged rows it wants: `adopt`); a command's rows stay as
        # they are, new ones unmanaged.
        self.adopting = False
        self.unmanaged: set[Key] = set()  # existing rows the catalog does not manage
        self.adopt: list[Key] = []
        if db is not None:
            self._load(db, scope)

    def _load(self, db: Bulk, scope: Scope | None) -> None:
        table = self.table
        columns = (("id",) if table.has_id else ()) + table.key + table.data
        if table.managed:
            columns += (MANAGED,)
        ids = (*table.ids, "id")
        times = [columns.index(c) for c in table.times]
        # Parent ids and short codes repeat across rows: one string object per distinct value
        # (a large catalog holds 240,000 prices pointing at a few markets and currencies).
        shared = [i for i, c in enumerate(columns) if c in table.ids or c in SHARED]
        pool: dict[Any, Any] = {}
        keep = pool.setdefault
        start = 1 if table.has_id else 0
        end = start + len(table.key)
        existing = self.existing
        unmanaged = self.unmanaged
        # Flags come back as 0/1 from SQLite: equal to False/True for the comparison, so they
        # are not converted here (the exporter converts what it writes).
        for row in db.select(table.name, columns, self.org_id, ids=ids, where=scope):
            values = list(row)
            for i in shared:
                values[i] = keep(values[i], values[i])
            for i in times:
                values[i] = Bulk.read_time(values[i])
            if table.managed and not values.pop():
                unmanaged.add(tuple(values[start:end]))
            existing[tuple(values[start:end])] = (
                values[0] if start else "",
                tuple(values[end:]),
            )

    def children_of(self, parent: Key) -> list[Key]:
        """Existing keys that start with `parent` (the rows of one parent)."""
        if self._children is None:
            self._children = defaultdict(list)
            size = len(parent)
            for key in self.existing:
                self._children[key[:size]].append(key)
        return self._children.get(parent, [])

    def id_of(self, key: Key) -> str | None:
        found = self.existing.get(key)
        return found[0] if found is not None else None

    def want(
        self, key: Key, data: Data, insert: Data = ()
    ) -> tuple[str, list[tuple[str, Any, Any]] | None]:
        """Make the row `key` hold `data` (`insert`: the table's insert-only columns, used only
        when the row is new). Returns its id and the changed columns as (column, old, new),
        None when the row is new."""
        found = self.existing.get(key)
        if found is None:
            row_id = next(self._new_ids) if self.table.has_id else ""
            head = (row_id,) if self.table.has_id else ()
            self.writes.inserts.append(head + key + data + insert)
            return row_id, None
        row_id, old = found
        self.wanted.add(row_id or key)
        if self.adopting and key in self.unmanaged:
            self.adopt.append(key)
        if old == data:
            return row_id, []
        self.writes.updates.append((key, data))
        names = self.table.data
        changed = [(names[i], old[i], new) for i, new in enumerate(data) if old[i] != new]
        return row_id, changed

    def keep(self, key: Key) -> None:
        """The existing row `key` is wanted as it is (not a leftover); nothing is written."""
        found = self.existing.get(key)
        if found is not None:
            self.wanted.add(found[0] or key)
            if self.adopting and key in self.unmanaged:
                self.adopt.append(key)

    def delete(self, key: Key, *, early: bool = False) -> None:
        (self.writes.early_deletes if early else self.writes.deletes).append(key)

    def managed(self, key: Key) -> bool:
        """Whether the existing row `key` is managed by the catalog (always, for a table
        without MANAGED)."""
        return key not in self.unmanaged

    def leftovers(self, parent: Key | None = None) -> list[Key]:
        """Existing rows (of `parent`, or of the whole org) that nothing wanted."""
        keys = self.children_of(parent) if parent is not None else list(self.existing)
        existing, wanted = self.existing, self.wanted
        return [k for k in keys if (existing[k][0] or k) not in wanted]


class Tally:
    """The plan, entity by entity: created, updated (changed fields) and deleted entities and
    how many were left unchanged, turned into a ChangeSet in a stable order."""

    def __init__(self, order: Sequence[str]) -> None:
        self.order = {kind: i for i, kind in enumerate(order)}
        self.created: list[tuple[str, str]] = []
        self.updated: dict[tuple[str, str], list[tuple[str, Any, Any]]] = {}
        self.deleted: list[tuple[str, str]] = []
        self.cascades: dict[tuple[str, str], tuple[tuple[str, int], ...]] = {}
        self.kept: list[tuple[str, str]] = []  # left by a prune: not managed by the catalog
        self.seen: Counter[str] = Counter()
        self.warnings: list[str] = []

    def saw(self, kind: str, count: int = 1) -> None:
        self.seen[kind] += count

    def create(self, kind: str, key: str) -> None:
        self.created.append((kind, key))

    def update(self, kind: str, key: str, fields: Sequence[tuple[str, Any, Any]]) -> None:
        if fields:
            self.updated.setdefault((kind, key), []).extend(fields)

    def delete(self, kind: str, key: str) -> None:
        self.deleted.append((kind, key))

    def spare(self, kind: str, key: str) -> None:
        """A prune leaves the entity: the catalog does not manage it."""
        self.kept.append((kind, key))

    def changes(self, extra: ChangeSet | None = None) -> ChangeSet:
        result = ChangeSet()
        made = result.changes
        created: Counter[str] = Counter()
        for kind, keys in self._by_kind(self.created):
            made.extend(map(create_change, repeat(kind, len(keys)), keys))
            created[kind] = len(keys)
        for kind, key in self._in_order(self.updated):
            made.append(Change("update", kind, key, tuple(self.updated[(kind, key)])))
        cascades = self.cascades
        for kind, key in self._in_order(self.deleted):
            made.append(Change("delete", kind, key, (), cascades.get((kind, key), ())))
        result.kept = list(self._in_order(self.kept))
        updated = Counter(map(_KIND, self.updated))
        for kind, count in self.seen.items():
            unchanged = count - created[kind] - updated[kind]
            if unchanged > 0:
                result.keep(kind, unchanged)
        if extra is not None:
            result.extend(extra)
        return result

    def _in_order(self, items: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """(kind, key) pairs by the kind's rank, then by key."""
        for kind, keys in self._by_kind(items):
            for key in keys:
                yield kind, key

    def _by_kind(self, items: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
        """Each kind by its rank, with its keys sorted. Grouped by kind and sorted per kind as
        plain strings: a first import's 350,000 were sorted by a Python key function (3x the
        time)."""
        keys: dict[str, list[str]] = defaultdict(list)
        for kind, key in items:
            keys[kind].append(key)
        rank, last = self.order, len(self.order)
        for kind in sorted(keys, key=lambda kind: (rank.get(kind, last), kind)):
            yield kind, sorted(keys[kind])
