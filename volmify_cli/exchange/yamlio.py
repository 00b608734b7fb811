"""The only PyYAML import: safe loading by walking libyaml's event stream, and dumping.

Walking the events (not `yaml.load`) is faster and lighter, and it sees what a loader hides:
anchors and aliases (refused: no alias bombs), tags (refused: `!!python/object` never runs
anything), quoting (so `NO`, `012345`, `1.10`, `12:30` stay the text written, and an unquoted
`19.99` can be told from a quoted one) and duplicate keys (refused, naming both lines).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

import yaml

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.marks import MarkedList, MarkedMap, Scalar

try:  # libyaml (C) when available: much faster, same results
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


def max_document_bytes() -> int:
    """The size limit, configurable with VOLMIFY_MAX_DOCUMENT_MB."""
    configured = os.environ.get("VOLMIFY_MAX_DOCUMENT_MB")
    return int(float(configured) * 1024 * 1024) if configured else MAX_DOCUMENT_BYTES


def load_yaml_file(path: Path, *, name: str | None = None) -> Any:
    """Load one YAML document from a file. Raises InvalidInputError (exit 3) naming the file,
    line and column of the first problem that stops reading."""
    filename = name or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInputError(
            [Problem(filename, None, None, "", f"cannot read: {exc.strerror}")]
        ) from None
    limit = max_document_bytes()
    if size > limit:
        raise InvalidInputError(
            [
                Problem(
                    filename, None, None, "", f"file is {size} bytes, over the {limit}-byte limit"
                )
            ],
            "raise the limit with VOLMIFY_MAX_DOCUMENT_MB if this file is expected",
        )
    with path.open("rb") as stream:
        return load_yaml(stream, filename=filename)


def load_yaml_text(text: str | bytes, *, filename: str = "<input>") -> Any:
    limit = max_document_bytes()
    if len(text) > limit:
        raise InvalidInputError(
            [Problem(filename, None, None, "", f"document is over the {limit}-byte limit")]
        )
    return load_yaml(text, filename=filename)


def load_yaml(source: IO[bytes] | str | bytes, *, filename: str) -> Any:
    """Build a marked tree (Scalar / MarkedMap / MarkedList; None for plain nulls)."""
    builder = _Builder(filename)
    try:
        for event in yaml.parse(source, Loader=SafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        reason = exc.problem or exc.context or "malformed YAML"
        raise InvalidInputError(
            [Problem(filename, line, column, "", f"not valid YAML: {reason}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        reason = f"not readable as UTF-8 text ({exc.reason}, at byte {exc.position})"
        raise InvalidInputError([Problem(filename, None, None, "", reason)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(
            [Problem(filename, None, None, "", f"not valid YAML: {exc}")]
        ) from None
    except _Refused as refused:
        raise InvalidInputError([refused.problem]) from None
    return builder.result()


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Builder:
    """Turns events into the marked tree, refusing what a safe document must not contain."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.stack: list[Any] = []  # open containers
        self.keys: list[Scalar | None] = []  # pending key per open mapping
        self.documents = 0
        self.root: Any = _MISSING

    def refuse(self, event: Any, message: str) -> _Refused:
        mark = event.start_mark
        return _Refused(Problem(self.filename, mark.line + 1, mark.column + 1, "", message))

    def feed(self, event: Any) -> None:
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            self.scalar(event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self.check_node(event)
            if len(self.stack) >= MAX_DEPTH:
                raise self.refuse(event, f"nested deeper than {MAX_DEPTH} levels")
            mark = event.start_mark
            if kind is yaml.MappingStartEvent:
                container: Any = MarkedMap(mark.line + 1, mark.column + 1)
            else:
                container = MarkedList(mark.line + 1, mark.column + 1)
            self.add(container, event)
            self.stack.append(container)
            self.keys.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop()
            self.keys.pop()
        elif kind is yaml.AliasEvent:
            raise self.refuse(event, "anchors and aliases (&, *) are not allowed")
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise self.refuse(event, "only one YAML document per file (found a second ---)")

    def check_node(self, event: Any) -> None:
        if event.anchor is not None:
            raise self.refuse(event, "anchors and aliases (&, *) are not allowed")
        if event.tag is not None and not event.implicit:
            raise self.refuse(event, f"tags are not allowed (found {event.tag})")

    def scalar(self, event: Any) -> None:
        if event.anchor is not None:
            raise self.refuse(event, "anchors and aliases (&, *) are not allowed")
        plain = event.implicit[0] and not event.style
        if event.tag is not None and not event.implicit[0] and not event.implicit[1]:
            raise self.refuse(event, f"tags are not allowed (found {event.tag})")
        mark = event.start_mark
        value: Any
        if plain and event.value in _NULLS:
            value = None
        else:
            value = Scalar(event.value, mark.line + 1, mark.column + 1, plain)
        self.add(value, event)

    def add(self, value: Any, event: Any) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if isinstance(parent, MarkedList):
            parent.append(value)
            return
        key = self.keys[-1]
        if key is None:  # this node is a key
            if not isinstance(value, Scalar):
                raise self.refuse(event, "keys must be plain text")
            if value in parent:
                first = parent.key_marks[value]
                raise self.refuse(
                    event, f"duplicate key {str(value)!r} (first written on line {first[0]})"
                )
            self.keys[-1] = value
        else:
            parent[key] = value
            parent.key_marks[key] = (key.line, key.column)
            self.keys[-1] = None

    def result(self) -> Any:
        return None if self.root is _MISSING else self.root


_MISSING: Any = object()


def dump_yaml(data: Any) -> str:
    """Plain YAML for `--format yaml`: block style, keys in the order given, Unicode kept."""
    return yaml.dump(
        data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
