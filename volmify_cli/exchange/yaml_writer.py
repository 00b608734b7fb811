"""A small deterministic YAML emitter for exports (`catalog export`, `courses export`).

`yaml.dump` is slow on a large catalog and its quoting depends on the resolver; this writer emits
block style with keys in the order given, lists of scalars in flow style (`[en-US, ar-EG]`), and
quotes every string that a YAML 1.1 or 1.2 reader could take for anything but that string
(`NO`, `yes`, `1.10`, `012345`, `12:30`, `2026-03-01`, `~`, a leading indicator, `: `, ` #` …).
A string is written plain only when it starts with a letter and holds nothing but letters,
digits, spaces and a few harmless punctuation marks; everything else is double-quoted with
escapes, so the same data always gives the same bytes.

Values: dict (keys are strings), list, str, int, bool, None, datetime.date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

# Words YAML 1.1 reads as booleans or null (compared case-insensitively).
_RESERVED = frozenset(
    "y n yes no on off true false null ~".split()  # noqa: SIM905 - the list reads best as text
)
_SAFE_TAIL = frozenset(" _-./()+'&!@")  # no '?' or ':' (flow context)
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
}
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_plain_cache: dict[str, bool] = {}


def _is_plain(text: str) -> bool:
    cached = _plain_cache.get(text)
    if cached is not None:
        return cached
    plain = (
        bool(text)
        and text[0].isalpha()
        and text[-1] != " "
        and text.lower() not in _RESERVED
        and all(ch.isalnum() or ch in _SAFE_TAIL for ch in text)
        and "  " not in text
    )
    if len(_plain_cache) < 100_000:
        _plain_cache[text] = plain
    return plain


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    known = _ESCAPES.get(char)
    if known is not None:
        return known
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quote(text: str) -> str:
    """A double-quoted YAML scalar (escapes are the JSON-compatible subset plus \\x/\\u)."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def scalar(value: Any) -> str:
    if isinstance(value, str):
        return value if _is_plain(value) else quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to YAML")


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def dump(data: Mapping[str, Any]) -> str:
    """The document text for a mapping (ending with a newline)."""
    return "".join(dump_parts(data))


def dump_parts(data: Mapping[str, Any]) -> Iterator[str]:
    """The same text in parts: each top-level key, and each item of a top-level list on its
    own (a large catalog's 10,000 products), so a writer never holds the whole text, nor a
    list of its million lines."""
    for key, value in data.items():
        head = scalar(key) + ":"
        out: list[str] = []
        if isinstance(value, (list, tuple)) and value and not all(map(_is_scalar, value)):
            yield head + "\n"
            for item in value:
                _sequence_item(item, "  ", out)
                yield "".join(out)
                out.clear()
            continue
        _value(value, head, "", out)
        yield "".join(out)


def _mapping(
    data: Mapping[str, Any], indent: str, out: list[str], first: str | None = None
) -> None:
    """Write `data` at `indent`; `first` replaces the indent of the first key (a list item)."""
    lead = indent if first is None else first
    for key, value in data.items():
        head = lead + scalar(key) + ":"
        lead = indent
        _value(value, head, indent, out)


def _value(value: Any, head: str, indent: str, out: list[str]) -> None:
    if isinstance(value, Mapping):
        if not value:
            out.append(head + " {}\n")
            return
        out.append(head + "\n")
        _mapping(value, indent + "  ", out)
    elif isinstance(value, (list, tuple)):
        _sequence(value, head, indent, out)
    else:
        out.append(head + " " + scalar(value) + "\n")


def _sequence(items: Sequence[Any], head: str, indent: str, out: list[str]) -> None:
    if not items:
        out.append(head + " []\n")
        return
    if all(_is_scalar(item) for item in items):
        out.append(head + " [" + ", ".join(scalar(item) for item in items) + "]\n")
        return
    out.append(head + "\n")
    child = indent + "  "
    for item in items:
        _sequence_item(item, child, out)


def _sequence_item(item: Any, child: str, out: list[str]) -> None:
    """One `- ` item of a list whose items are written at `child`."""
    if isinstance(item, Mapping) and item:
        _mapping(item, child + "  ", out, first=child + "- ")
    elif isinstance(item, (list, tuple)):
        raise TypeError("lists of lists are not written by volmify exports")
    elif isinstance(item, Mapping):
        out.append(child + "- {}\n")
    else:
        out.append(child + "- " + scalar(item) + "\n")
