"""Reading input within limits, whatever the source: a regular file, a pipe, a device.

A size on disk says nothing about a pipe, `/dev/stdin` or `/dev/zero`, so the limits hold on what
is actually read, and memory stays bounded while reading: a YAML document goes to libyaml through
`BoundedStream`, which counts its bytes; a CSV file is read by `BoundedLines`, which never holds
more than one record's limit. Both know where a byte was, so an encoding error names the line
of the byte (a block decoder names the line where its block began).

The limits (SPEC 4, 7), each an environment variable; a malformed value is a usage error (exit 2):
- VOLMIFY_MAX_DOCUMENT_MB: bytes of one YAML document (default 50);
- VOLMIFY_MAX_DOCUMENT_VALUES: scalars, lists and mappings one YAML document holds at once
  (default 2,000,000, about 400 MB: a 50 MB document of one-character items would need GBs);
- VOLMIFY_MAX_CSV_LINE_MB: characters (in millions of 2**20) of one CSV record: a line, or the
  lines of one record with a quoted line break (default 1); Python's csv field limit follows.
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from volmify_cli.errors import ConfigError, InvalidInputError, Problem

MB = 1024 * 1024
DOCUMENT_MB = "VOLMIFY_MAX_DOCUMENT_MB"
DOCUMENT_VALUES = "VOLMIFY_MAX_DOCUMENT_VALUES"
CSV_LINE_MB = "VOLMIFY_MAX_CSV_LINE_MB"
MAX_DOCUMENT_BYTES = 50 * MB
MAX_DOCUMENT_VALUES = 2_000_000
MAX_CSV_LINE_CHARS = 1 * MB
STDIN = "-"
STDIN_NAME = "<stdin>"
_WINDOW = 64 * 1024  # bytes a BoundedStream keeps to place an error (libyaml reads 16 KB ahead)


def _env_megabytes(name: str, default: int) -> int:
    configured = os.environ.get(name, "").strip()
    if not configured:
        return default
    try:  # float() also reads other scripts' digits (fullwidth 50): ASCII only, as everywhere
        value = float(configured) if configured.isascii() else math.nan
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(
            f"{name}={configured!r} is not a size: it takes a positive number of megabytes"
            " (for example 50 or 0.5)"
        )
    return max(1, int(value * MB))


def max_document_bytes() -> int:
    """Bytes one YAML document may have (VOLMIFY_MAX_DOCUMENT_MB). Raises ConfigError."""
    return _env_megabytes(DOCUMENT_MB, MAX_DOCUMENT_BYTES)


def max_csv_line_chars() -> int:
    """Characters one CSV record may have (VOLMIFY_MAX_CSV_LINE_MB). Raises ConfigError."""
    return _env_megabytes(CSV_LINE_MB, MAX_CSV_LINE_CHARS)


def max_document_values() -> int:
    """Values one YAML document may hold at once (VOLMIFY_MAX_DOCUMENT_VALUES). Raises
    ConfigError."""
    configured = os.environ.get(DOCUMENT_VALUES, "").strip()
    if not configured:
        return MAX_DOCUMENT_VALUES
    digits = configured.replace("_", "")
    if not (digits.isascii() and digits.isdigit() and int(digits) > 0):
        raise ConfigError(
            f"{DOCUMENT_VALUES}={configured!r} is not a count: it takes a positive whole number"
            " (for example 2000000)"
        )
    return int(digits)


def _setting(name: str, limit: int) -> str:
    """A size limit as the user set it (`0.01`), or the default in megabytes."""
    return os.environ.get(name, "").strip() or f"{limit / MB:g}"


def document_hint(limit: int) -> str:
    setting = _setting(DOCUMENT_MB, limit)
    return f"raise the limit with {DOCUMENT_MB} (now {setting}) if this document is expected"


def input_name(path: Path) -> str:
    """How messages name a source: the path as given, `<stdin>` for `-`."""
    return STDIN_NAME if str(path) == STDIN else str(path)


@contextmanager
def opened(path: Path, name: str) -> Iterator[BinaryIO]:
    """A file, a pipe or a device open for binary reading (`-` is standard input, left open).
    Raises InvalidInputError (exit 3) naming the source and why it cannot be read: a
    directory, permission denied, no such file."""
    if str(path) == STDIN:
        yield sys.stdin.buffer
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise unreadable(name, exc) from None
    with stream:
        yield stream


def unreadable(name: str, exc: OSError) -> InvalidInputError:
    """A source that cannot be opened or read (also half-way: EIO): exit 3, not a traceback."""
    if isinstance(exc, IsADirectoryError):
        reason = "is a directory, not a file"
    else:
        reason = f"cannot read: {exc.strerror or exc}"
    return InvalidInputError([Problem(name, None, None, "", reason)])


class BoundedStream:
    """A binary stream for libyaml that refuses to read more than `limit` bytes, and keeps the
    last few blocks it read to tell the line and column of a byte position (libyaml's reader
    errors give only a byte offset)."""

    def __init__(self, raw: BinaryIO, *, limit: int, name: str) -> None:
        self._read = raw.read
        self.name = name  # libyaml names its marks after the stream's name
        self.limit = limit
        self.consumed = 0
        self._blocks: deque[bytes] = deque()
        self._kept = 0  # bytes in _blocks
        self._start = 0  # offset of _blocks[0]
        self._newlines = 0  # line breaks before _start
        self._head = b""  # the first two bytes: a UTF-16 byte order mark?

    def read(self, size: int = -1) -> bytes:
        wanted = self.limit + 1 - self.consumed
        if size >= 0:
            wanted = min(size, wanted)
        try:
            block = self._read(wanted)
        except OSError as exc:
            raise unreadable(self.name, exc) from None
        self.consumed += len(block)
        if self.consumed > self.limit:
            raise InvalidInputError(
                [
                    Problem(
                        self.name,
                        None,
                        None,
                        "",
                        f"the document is over the {self.limit}-byte limit; reading stopped",
                    )
                ],
                document_hint(self.limit),
            )
        if block:
            self._keep(block)
        return block

    def _keep(self, block: bytes) -> None:
        if len(self._head) < 2:
            self._head += block[: 2 - len(self._head)]
        blocks = self._blocks
        blocks.append(block)
        self._kept += len(block)
        while self._kept - len(blocks[0]) >= _WINDOW:
            old = blocks.popleft()
            self._kept -= len(old)
            self._start += len(old)
            self._newlines += old.count(b"\n")

    def byte_at(self, offset: int) -> int | None:
        """The byte at `offset`, if it is still kept."""
        index = offset - self._start
        if not 0 <= index < self._kept:
            return None
        for block in self._blocks:
            if index < len(block):
                return block[index]
            index -= len(block)
        return None  # pragma: no cover - index < _kept

    def leading_byte(self, offset: int) -> int:
        """The offset of the byte that began the UTF-8 sequence the byte at `offset` was read
        as a part of (libyaml reports a bad continuation byte, not the byte that led to it)."""
        start = offset
        while start > offset - 4:
            byte = self.byte_at(start - 1)
            if byte is None:
                break
            start -= 1
            if byte & 0xC0 != 0x80:  # not a continuation byte: it began the sequence
                return start
        return offset

    @property
    def encoding(self) -> str:
        """The encoding libyaml reads: UTF-16 after its byte order mark, else UTF-8."""
        return {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}.get(self._head, "utf-8")

    def where(self, offset: int) -> tuple[int | None, int | None]:
        """The 1-based line and column of the byte at `offset`, as far as the kept blocks
        tell: (None, None) when the byte was read too long ago, no column when its line began
        before the kept blocks."""
        encoding = self.encoding
        if not self._start <= offset <= self._start + self._kept:
            return None, None
        if encoding != "utf-8" and self._start > 0:  # line breaks were counted as UTF-8 bytes
            return None, None
        before = b"".join(self._blocks)[: offset - self._start]
        text = before.decode(encoding, "replace").removeprefix("\ufeff")
        line = self._newlines + text.count("\n") + 1
        begins = text.rfind("\n") + 1
        if begins == 0 and self._start > 0:
            return line, None
        return line, len(text) - begins + 1


class NotText(Exception):
    """Bytes that are not UTF-8, at `problem` (its line and column): reading stops there."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class BoundedLines:
    """The lines of a binary stream as text for the csv module, never holding more than `limit`
    characters of one record.

    UTF-8 with an optional BOM; lines end at LF, CRLF or CR and keep their line break (as a file
    opened with `newline=""` gives them). Bytes that are not UTF-8 are decoded to lone
    surrogates (`surrogateescape`) and found in the line that holds them, so the error names
    that line and the column of the byte (a strict decoder fails a whole block ahead, naming
    the line where its block began). `line` is the number of the last line returned. A record
    may span lines (a quoted line break): `pending` counts the characters since the consumer
    last set it to 0, which it does at each record, so a record is bounded, not only a line.
    Raises InvalidInputError (exit 3) for a line or record over the limit, and NotText for a
    byte that is not UTF-8."""

    def __init__(self, raw: BinaryIO, *, limit: int, name: str) -> None:
        self._text = io.TextIOWrapper(
            raw, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        self._readline = self._text.readline
        self.limit = limit
        self.name = name
        self.line = 0
        self.pending = 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        try:
            text = self._readline(self.limit + 1)  # at most limit + 1 characters
        except OSError as exc:
            raise unreadable(self.name, exc) from None
        if not text:
            raise StopIteration
        self.line += 1
        self.pending += len(text)
        if self.pending > self.limit:
            raise self._too_long("line" if len(text) > self.limit else "record")
        if not text.isascii():  # O(1): a str knows whether it is ASCII
            bad = _ESCAPED.search(text)
            if bad is not None:
                byte = ord(bad.group()) - 0xDC00
                raise NotText(Problem(self.name, self.line, bad.start() + 1, "", not_utf8(byte)))
        return text

    def release(self) -> None:
        """Leave the binary stream open (standard input stays usable; a file's own `with`
        closes it)."""
        self._text.detach()

    def _too_long(self, what: str) -> InvalidInputError:
        return InvalidInputError(
            [
                Problem(
                    self.name,
                    self.line,
                    None,
                    "",
                    f"{what} is over the {self.limit}-character limit; reading stopped",
                )
            ],
            f"raise the limit with {CSV_LINE_MB} (now {_setting(CSV_LINE_MB, self.limit)}) if"
            " such long lines are expected",
        )


# what surrogateescape makes of a byte that is not UTF-8
_ESCAPED = re.compile("[\udc80-\udcff]")


def not_utf8(byte: int) -> str:
    return f"not UTF-8 text (byte 0x{byte:02x})"
