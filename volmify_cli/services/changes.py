"""The plan of an import: what would be created, updated (field by field) or deleted.

Catalog imports, course outline imports and learning imports all report through a ChangeSet, so
`--dry-run`, `catalog diff` and the final `N created, N updated, N unchanged` line read the same
everywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _string  # json.dumps's, with ensure_ascii=False
from operator import attrgetter
from typing import Any, Literal

Action = Literal["create", "update", "delete"]
SYMBOLS: dict[str, str] = {"create": "+", "update": "~", "delete": "-"}


@dataclass(frozen=True, slots=True)  # slots: 72 bytes a change, not 112 (350,000 of them)
class Change:
    action: Action
    entity: str  # e.g. "plan"
    key: str  # natural key, e.g. "python-101/standard/basic"
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, old, new) for updates
    # for a delete: what goes with the entity (ON DELETE CASCADE), as (noun, count)
    cascade: tuple[tuple[str, int], ...] = ()

    def line(self) -> str:
        text = f"{SYMBOLS[self.action]} {self.entity} {self.key}"
        if self.cascade:
            text += " (with " + ", ".join(_counted(n, noun) for noun, n in self.cascade) + ")"
        if self.fields:
            text += (
                " ("
                + ", ".join(
                    f"{name}: {_show(old)} -> {_show(new)}" for name, old, new in self.fields
                )
                + ")"
            )
        return text

    def json(self) -> str:
        """This change as one line of JSON, exactly as `json.dumps(self.as_dict(),
        ensure_ascii=False)` writes it (a date, such as a window's end, as ISO text)."""
        return _json_line(self)

    def as_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"action": self.action, "entity": self.entity, "key": self.key}
        if self.fields:
            record["fields"] = {name: {"old": old, "new": new} for name, old, new in self.fields}
        if self.cascade:
            record["with"] = dict(self.cascade)
        return record


# The slots' own setters: `create_change` fills a new Change through them, as the frozen dataclass's
# __init__ does through object.__setattr__ one name at a time, at half its cost (a first import
# of the large catalog makes 350,000 creates: 0.43 s -> 0.24 s on the bench machine).
_SET_ACTION, _SET_ENTITY, _SET_KEY, _SET_FIELDS, _SET_CASCADE = (
    getattr(Change, name).__set__ for name in ("action", "entity", "key", "fields", "cascade")
)


def create_change(entity: str, key: str) -> Change:
    """`Change("create", entity, key)`, equal to it in every way, built faster."""
    change = object.__new__(Change)
    _SET_ACTION(change, "create")
    _SET_ENTITY(change, entity)
    _SET_KEY(change, key)
    _SET_FIELDS(change, ())
    _SET_CASCADE(change, ())
    return change


# `json.dumps(change.as_dict(), ensure_ascii=False)` of a change without fields, written by
# hand: the same text (the same string encoder, the same separators) at a fifth of the cost,
# for the 100,000s of `create` lines of a first import. The line up to its key is made once
# per action and entity.
_PLAIN_HEAD = '{"action": "%s", "entity": %s, "key": '
_PLAIN_HEADS: dict[tuple[str, str], str] = {}


def _json_line(change: Change) -> str:
    """`change.json()` (`write_json` maps it over a first import's 350,000 changes)."""
    entity = change.entity
    if change.fields or change.cascade or change.key.__class__ is not str:
        return _dumped(change)
    head = _PLAIN_HEADS.get((change.action, entity))
    if head is None:
        if entity.__class__ is not str:  # a marked name (a str subclass): not kept as a key
            return _dumped(change)
        head = _PLAIN_HEADS[change.action, entity] = _PLAIN_HEAD % (change.action, _string(entity))
    return head + _string(change.key) + "}"


def _dumped(change: Change) -> str:
    import json

    return json.dumps(change.as_dict(), ensure_ascii=False, default=_plain)


JSON_BATCH = 1000
_ACTION = attrgetter("action")


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value)
    return str(value)


@dataclass
class ChangeSet:
    changes: list[Change] = field(default_factory=list)
    unchanged: Counter[str] = field(default_factory=Counter)
    # what a prune leaves because the catalog does not manage it, as (entity, key)
    kept: list[tuple[str, str]] = field(default_factory=list)

    def create(self, entity: str, key: str) -> None:
        self.changes.append(Change("create", entity, key))

    def update(self, entity: str, key: str, fields: list[tuple[str, Any, Any]]) -> None:
        """Record an update, or an unchanged entity when `fields` is empty."""
        if fields:
            self.changes.append(Change("update", entity, key, tuple(fields)))
        else:
            self.unchanged[entity] += 1

    def keep(self, entity: str, count: int = 1) -> None:
        self.unchanged[entity] += count

    def delete(self, entity: str, key: str) -> None:
        self.changes.append(Change("delete", entity, key))

    def extend(self, other: ChangeSet) -> None:
        self.changes.extend(other.changes)
        self.unchanged.update(other.unchanged)
        self.kept.extend(other.kept)

    def joined(self, other: ChangeSet) -> ChangeSet:
        """This set followed by `other`, both left as they are (the catalog's plan joined to
        its course blocks')."""
        result = ChangeSet(list(self.changes), Counter(self.unchanged), list(self.kept))
        result.extend(other)
        return result

    def count(self, action: Action) -> int:
        return self.counts()[action]

    def counts(self) -> Counter[str]:
        """Changes by action, in one pass over them (in C: a first import has 350,000)."""
        return Counter(map(_ACTION, self.changes))

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def summary(self) -> str:
        counts = self.counts()
        text = (
            f"{counts['create']} created, {counts['update']} updated, "
            f"{sum(self.unchanged.values())} unchanged"
        )
        deleted = counts["delete"]
        text += f", {deleted} deleted" if deleted else ""
        return text + (f", {len(self.kept)} kept (not managed by the catalog)" if self.kept else "")

    def kept_lines(self) -> list[str]:
        """What a prune keeps, one line each: `= market ch`."""
        return [f"= {entity} {key}" for entity, key in self.kept]

    def lines(self, limit: int | None = None) -> list[str]:
        """Each change as a line (the first `limit` of them)."""
        shown = self.changes if limit is None else self.changes[:limit]
        return [change.line() for change in shown]

    def by_kind(self) -> list[str]:
        """Per entity kind, what changes: `product: 3 created, 1 deleted`."""
        kinds: dict[str, Counter[str]] = {}
        for change in self.changes:
            kinds.setdefault(change.entity, Counter())[change.action] += 1
        words = {"create": "created", "update": "updated", "delete": "deleted"}
        return [
            f"{kind}: " + ", ".join(f"{n} {words[a]}" for a, n in sorted(counts.items()))
            for kind, counts in sorted(kinds.items())
        ]

    def write_json(self, stream: Any, head: dict[str, Any] | None = None) -> None:
        """The `as_dict()` document written change by change: a first import of a large
        catalog has hundreds of thousands of changes, too many to build as one string."""
        import json

        record = {**(head or {}), **self.as_dict(changes=False)}
        text = json.dumps(record, ensure_ascii=False, indent=2)
        stream.write(text[:-2] + ',\n  "changes": [')
        changes = self.changes
        for start in range(0, len(changes), JSON_BATCH):  # one write per batch, not per change
            lines = map(_json_line, changes[start : start + JSON_BATCH])
            stream.write(("\n    " if start == 0 else ",\n    ") + ",\n    ".join(lines))
        stream.write("\n  ]\n}\n" if changes else "]\n}\n")

    def as_dict(self, *, changes: bool = True) -> dict[str, Any]:
        counts = self.counts()
        return {
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": sum(self.unchanged.values()),
            "deleted": counts["delete"],
            **({"kept_unmanaged": self._kept_dicts()} if self.kept else {}),
            **({"changes": [change.as_dict() for change in self.changes]} if changes else {}),
        }

    def _kept_dicts(self) -> list[dict[str, str]]:
        return [{"entity": entity, "key": key} for entity, key in self.kept]


def _plain(value: Any) -> Any:
    """Dates (a plan's window) as ISO text in JSON."""
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if isoformat is not None else str(value)


def diff_fields(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The (field, old, new) triples where `new` differs from `old` (keys of `new` only)."""
    return [(name, old.get(name), value) for name, value in new.items() if old.get(name) != value]
