"""The only PyYAML import: safe loading by walking libyaml's event stream, and dumping.

Walking the events (not `yaml.load`) is faster and lighter, and it sees what a loader hides:
anchors and aliases (refused: no alias bombs), tags (refused: `!!python/object` never runs
anything), quoting (so `NO`, `012345`, `1.10`, `12:30` stay the text written, and an unquoted
`19.99` can be told from a quoted one) and duplicate keys (refused, naming both lines).
"""

from __future__ import annotations

import io
import os
import stat
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.bounded import (
    DOCUMENT_VALUES,
    STDIN,
    BoundedStream,
    document_hint,
    input_name,
    max_document_bytes,
    max_document_values,
    not_utf8,
    opened,
)
from volmify_cli.inputs.marks import MarkedList, MarkedMap, Scalar

try:  # libyaml (C) when available: much faster, same results
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

MAX_DEPTH = 64
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


# A hook replaces each item of a top-level list as soon as it is read (`products: [...]` of a
# large catalog): the item's subtree is validated and dropped at once instead of being kept
# whole until the end. It gets the item, its index and its span (libyaml's start and end marks:
# `.index` counts characters, `.line` and `.column` from 0) and returns what stands in its place.
ItemHooks = dict[str, Callable[[Any, int, "Span"], Any]]
Span = tuple[Any, Any]
# A skimmer is given the index and span of each item of a hooked list *instead of* its tree: the
# walk only counts the item's events, and the skimmer decides from the text (a digest of a
# product the last import read) whether to read the item at all (`load_span`).
Skimmer = Callable[[int, Span], Any]


def load_yaml_file(path: Path, *, name: str | None = None, hooks: ItemHooks | None = None) -> Any:
    """Load one YAML document from a file, a pipe or a device (`-`: standard input), within the
    limits of `bounded` counted on what is read. Raises InvalidInputError (exit 3) naming the
    file, line and column of the first problem that stops reading, and ConfigError (exit 2)
    for a malformed limit."""
    filename = name or input_name(path)
    limit = max_document_bytes()
    with opened(path, filename) as raw:
        size = _regular_size(raw)
        if size is not None and size > limit:  # refused before parsing
            raise _too_large(filename, f"file is {size} bytes, over the {limit}-byte limit", limit)
        return load_yaml(
            BoundedStream(raw, limit=limit, name=filename), filename=filename, hooks=hooks
        )


def load_yaml_text(text: str | bytes, *, filename: str = "<input>") -> Any:
    data = text.encode("utf-8") if isinstance(text, str) else text
    limit = max_document_bytes()
    if len(data) > limit:
        raise _too_large(filename, f"document is over the {limit}-byte limit", limit)
    return load_yaml(BoundedStream(io.BytesIO(data), limit=limit, name=filename), filename=filename)


def _regular_size(raw: Any) -> int | None:
    try:
        status = os.fstat(raw.fileno())
    except (AttributeError, OSError, ValueError):  # an in-memory stream
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _too_large(filename: str, reason: str, limit: int) -> InvalidInputError:
    return InvalidInputError([Problem(filename, None, None, "", reason)], document_hint(limit))


def read_text(path: Path, filename: str) -> str | None:
    """A regular file's whole text, when it is UTF-8 (no byte order mark) within the bytes
    limit; None otherwise: then the streaming reader reads it and words what is wrong."""
    limit = max_document_bytes()
    if _regular_file_size(path) is None:  # a pipe or a device is read once, as it streams
        return None
    with opened(path, filename) as raw:
        size = _regular_size(raw)
        if size is None or size > limit:
            return None
        data = raw.read(limit + 1)
    if len(data) > limit or data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def mark_at(index: int, line: int = 0, column: int = 0) -> Any:
    """A place in a text, as libyaml marks it (line and column from 0), for a span found in the
    text itself."""
    return yaml.Mark("", index, line, column, "", 0)


def load_yaml_str(
    text: str,
    *,
    filename: str,
    hooks: ItemHooks | None = None,
    skim: Skimmer | None = None,
    first_line: int = 1,
) -> Any:
    """`load_yaml` of text already read (`read_text`); the marks' `.index` are offsets into
    `text`, the nodes' lines count from `first_line`. Raises ReadAgain for text that is not
    valid YAML: the streaming reader (`load_yaml`) words that problem with its line."""
    loader = SafeLoader(text)
    try:
        return _walk(
            loader, filename, hooks, max_document_values(), skim=skim, first_line=first_line
        )
    except yaml.YAMLError:
        raise ReadAgain from None
    finally:
        loader.dispose()


class ReadAgain(Exception):
    """The text is not valid YAML: read the file with `load_yaml_file` for the message."""


def load_span(text: str, span: Span, *, filename: str) -> Any:
    """The tree of one item of a list, read alone out of the text that holds it, with the
    lines and columns it has in that text."""
    start, end = span
    piece = " " * start.column + text[start.index : end.index]
    loader = SafeLoader(piece)
    try:
        return _walk(loader, filename, None, max_document_values(), first_line=start.line + 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + start.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        reason = exc.problem or exc.context or "malformed YAML"
        raise InvalidInputError(
            [Problem(filename, line, column, "", f"not valid YAML: {reason}")]
        ) from None
    finally:
        loader.dispose()


def load_yaml(source: BoundedStream, *, filename: str, hooks: ItemHooks | None = None) -> Any:
    """Build a marked tree (Scalar / MarkedMap / MarkedList; None for plain nulls)."""
    loader = SafeLoader(source)
    try:
        return _walk(loader, filename, hooks, max_document_values())
    except MemoryError as exc:
        # The tree read so far is held by the walk's frame in the traceback: drop it here, or
        # everything after (closing the command, printing the one error line) runs out too.
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        del exc
        raise MemoryError from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        reason = exc.problem or exc.context or "malformed YAML"
        raise InvalidInputError(
            [Problem(filename, line, column, "", f"not valid YAML: {reason}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise InvalidInputError([_reader_problem(source, exc, filename)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(
            [Problem(filename, None, None, "", f"not valid YAML: {exc}")]
        ) from None
    except UnicodeDecodeError as exc:  # pragma: no cover - PyYAML's Python reader decodes
        reason = f"not UTF-8 text ({exc.reason}, at byte {exc.start})"
        raise InvalidInputError([Problem(filename, None, None, "", reason)]) from None
    finally:
        loader.dispose()


def _reader_problem(source: BoundedStream, exc: Any, filename: str) -> Problem:
    """libyaml's reader stops at bytes that are not UTF-8 (or UTF-16, after its byte order
    mark) and at control characters, giving only a byte offset: name the line and column of
    the byte."""
    offset, encoding = exc.position, source.encoding
    if exc.reason == "invalid trailing UTF-8 octet":  # the offset is past the leading byte
        offset = source.leading_byte(offset)
    line, column = source.where(offset)
    if "control characters" in exc.reason and exc.character >= 0:
        reason = f"not valid YAML: control characters are not allowed (found U+{exc.character:04X})"
    elif encoding != "utf-8":
        reason = f"not {encoding.upper()} text ({exc.reason})"
    else:
        byte = source.byte_at(offset)
        reason = not_utf8(byte) if byte is not None else f"not UTF-8 text ({exc.reason})"
    return Problem(filename, line, column, "", reason)


def _refuse(
    filename: str, event: Any, message: str, hint: str | None = None, *, first_line: int = 1
) -> InvalidInputError:
    """The problem at an event, on its line of the file (a piece of a file read alone starts at
    `first_line`)."""
    mark = event.start_mark
    line = mark.line + first_line
    return InvalidInputError([Problem(filename, line, mark.column + 1, "", message)], hint)


def _walk(
    loader: Any,
    filename: str,
    hooks: ItemHooks | None = None,
    max_values: int = 2_000_000,
    *,
    skim: Skimmer | None = None,
    first_line: int = 1,
) -> Any:
    """Turn libyaml's events into the marked tree, refusing what a safe document must not
    contain. One tight loop with local names: this runs once per event (millions for a large
    catalog), so method calls and attribute look-ups are kept out of it.

    The tree holds at most `max_values` nodes at once (the bytes limit alone does not bound
    memory: 50 MB of `[1,1,1,…]` would be 25 million nodes, GBs); an item that a hook replaces
    no longer counts."""
    get_event = loader.get_event
    refuse = partial(_refuse, first_line=first_line)
    scalar_event, map_start, seq_start = (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
    )
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    alias_event, doc_start, stream_end = (
        yaml.AliasEvent,
        yaml.DocumentStartEvent,
        yaml.StreamEndEvent,
    )
    new_str, new_map, new_list = str.__new__, dict.__new__, list.__new__
    nulls = _NULLS
    stack: list[Any] = []  # (container, pending key, key of the child) of enclosing levels
    parent: Any = None  # the open container
    in_map = False
    key: Any = None  # pending key of the open mapping
    root: Any = _MISSING
    documents = 0
    values = 0  # nodes held
    item_values = 0  # nodes held when the last item of a top-level list began, itself included
    item_start: Any = None  # the start mark of that item
    while True:
        event = get_event()
        kind = event.__class__
        if kind is scalar_event:
            if event.anchor is not None:
                raise refuse(filename, event, "anchors and aliases (&, *) are not allowed")
            implicit = event.implicit
            if event.tag is not None and not implicit[0] and not implicit[1]:
                raise refuse(filename, event, f"tags are not allowed (found {event.tag})")
            value = event.value
            plain = implicit[0] and not event.style
            node: Any
            if plain and value in nulls:
                node = None
            else:
                mark = event.start_mark
                node = new_str(Scalar, value)
                node.line = mark.line + first_line
                node.column = mark.column + 1
                node.plain = plain
        elif kind is map_start or kind is seq_start:
            if event.anchor is not None:
                raise refuse(filename, event, "anchors and aliases (&, *) are not allowed")
            if event.tag is not None and not event.implicit:
                raise refuse(filename, event, f"tags are not allowed (found {event.tag})")
            if len(stack) >= MAX_DEPTH:
                raise refuse(filename, event, f"nested deeper than {MAX_DEPTH} levels")
            mark = event.start_mark
            if (
                skim is not None
                and len(stack) == 2
                and kind is map_start
                and hooks is not None
                and stack[1][2] in hooks
                and parent.__class__ is MarkedList
            ):
                parent.append(skim(len(parent), (mark, _skip_item(get_event))))
                continue
            if kind is map_start:
                node = new_map(MarkedMap)
                node._marks = None
            else:
                node = new_list(MarkedList)
            node.line = mark.line + first_line
            node.column = mark.column + 1
        elif kind is map_end or kind is seq_end:
            parent, key, _name = stack.pop()
            in_map = parent.__class__ is MarkedMap
            if hooks is not None and kind is map_end and len(stack) == 2:
                # an item of a top-level list is complete: stack[1] holds the list's key
                hook = hooks.get(stack[1][2])
                if hook is not None and parent.__class__ is MarkedList:
                    parent[-1] = hook(parent[-1], len(parent) - 1, (item_start, event.end_mark))
                    values = item_values
            continue
        elif kind is alias_event:
            raise refuse(filename, event, "anchors and aliases (&, *) are not allowed")
        elif kind is doc_start:
            documents += 1
            if documents > 1:
                raise refuse(
                    filename, event, "only one YAML document per file (found a second ---)"
                )
            continue
        elif kind is stream_end:
            return None if root is _MISSING else root
        else:
            continue
        # attach the node to its parent
        values += 1
        if values > max_values:
            raise refuse(
                filename,
                event,
                f"the document holds more than {max_values} values (scalars, lists and"
                " mappings) at once; reading stopped",
                f"split the document, or raise the limit with {DOCUMENT_VALUES} (each value"
                " held takes about 200 bytes of memory)",
            )
        name = None
        if in_map:
            if key is None:
                if node.__class__ is not Scalar:
                    raise refuse(filename, event, "keys must be plain text")
                if node in parent:
                    first = next(k for k in parent if k == node)
                    raise refuse(
                        filename,
                        event,
                        f"duplicate key {str(node)!r} (first written on line {first.line})",
                    )
                key = node
            else:
                parent[key] = node
                name, key = key, None
        elif parent is not None:
            parent.append(node)
        else:
            root = node
        if kind is not scalar_event:
            stack.append((parent, key, name))
            if len(stack) == 3:
                item_values = values
                item_start = event.start_mark
            parent, key = node, None
            in_map = kind is map_start


_MISSING: Any = object()


def _skip_item(get_event: Callable[[], Any]) -> Any:
    """Read the events of one mapping whose start was just read, building nothing; its end
    mark. (An item the skimmer then reads is refused by `load_span` for what the walk
    refuses.)"""
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    depth = 1
    while True:
        kind = (event := get_event()).__class__
        if kind is map_start or kind is seq_start:
            depth += 1
        elif kind is map_end or kind is seq_end:
            depth -= 1
            if not depth:
                return event.end_mark


def dump_yaml(data: Any) -> str:
    """Plain YAML for `--format yaml`: block style, keys in the order given, Unicode kept."""
    return yaml.dump(
        data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )


def peek(path: Path, *, key: str, field: str, before: str) -> str | None:
    """`field` of the top-level mapping `key` (`org: {slug: …}`), read only as far as needed:
    None when the top-level key `before` comes first, or the file is not such a document (the
    full read then says what is wrong). For a regular file only: a pipe is read once."""
    if _regular_file_size(path) is None:  # opening a pipe would take what it holds
        return None
    try:
        with open(path, "rb") as raw:
            if not stat.S_ISREG(os.fstat(raw.fileno()).st_mode):
                return None
            return _peek(SafeLoader(raw), key, field, before)
    except (OSError, yaml.YAMLError):
        return None


def _regular_file_size(path: Path) -> int | None:
    """The size of a regular file (symbolic links followed), without opening it; None for
    anything else (`-`, a pipe, a device, a missing file)."""
    if str(path) == STDIN:
        return None
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _peek(loader: Any, key: str, field: str, before: str) -> str | None:
    try:
        depth, pending, path = 0, True, [None, None]  # path: top-level key, key below it
        while True:
            event = loader.get_event()
            kind = event.__class__
            if kind is yaml.StreamEndEvent:
                return None
            if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                depth += 1
                pending = kind is yaml.MappingStartEvent
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                depth -= 1
                pending = True
                if depth == 1 and path[0] == key:
                    return None
            elif kind is yaml.ScalarEvent and depth in (1, 2):
                if pending:  # a key
                    path[depth - 1] = event.value
                    if depth == 1 and event.value == before:
                        return None
                elif depth == 2 and path[0] == key and path[1] == field:
                    return str(event.value)
                pending = not pending
    finally:
        loader.dispose()
