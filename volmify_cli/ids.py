"""Time-ordered UUIDv7 ids generated in Python (RFC 9562), so rows get their keys before any
round trip and bulk inserts need no RETURNING. Python 3.11 has no uuid7 in the standard library.

One clock for the whole process: every id, one at a time or in batches, as a UUID or as the 32
hex digits that bulk writes use, comes from `_reserve`, so ids stay strictly increasing and
unique whichever form was asked for.
"""

from __future__ import annotations

import os
import random
import struct
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

_lock = threading.Lock()
_last_ms = 0
_counter = 0
# Ids need to be unique and ordered, not secret: one urandom call per id would cost more than
# the insert of its row, so the random bits come from a generator seeded from os.urandom.
_random = random.Random(os.urandom(32))
_VERSION_VARIANT = (0x7 << 76) | (0b10 << 62)


def _reserve(count: int) -> int:
    """Reserve `count` consecutive clock values (48-bit Unix milliseconds, then a 12-bit counter
    that keeps ids of one millisecond increasing: method 1 of RFC 9562 section 6.2). The
    counter's overflow carries into the milliseconds; a clock that steps back is ignored."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            first = (ms << 12) | (_random.getrandbits(10))  # room to count up within the ms
        else:
            first = ((_last_ms << 12) | _counter) + 1
        last = first + count - 1
        _last_ms, _counter = last >> 12, last & 0xFFF
    return first


def _value(clock: int) -> int:
    return (
        ((clock >> 12) & 0xFFFFFFFFFFFF) << 80
        | (clock & 0xFFF) << 64
        | _VERSION_VARIANT
        | (_random.getrandbits(62))
    )


def hex_of(value: Any) -> Any:
    """A uuid as the 32 hex digits the bulk paths bind and SQLite stores; a value already in
    that form (or None) as it is. Duck-typed on `.hex`, not `isinstance`: it runs once per
    ledger row in a sales import."""
    return getattr(value, "hex", value)


def uuid7() -> uuid.UUID:
    return uuid.UUID(int=_value(_reserve(1)))


def uuid7_hex() -> str:
    """One UUIDv7 as 32 hex digits (the text SQLite stores for a UUID column and PostgreSQL
    reads), without building a `uuid.UUID`."""
    return f"{_value(_reserve(1)):032x}"


# Below this many ids a batch is made one id at a time: the bytes below cost more to set up.
_FEW = 32
# A random byte turned into the first byte of the low half: variant bits 10, then 6 random bits.
_VARIANT_BYTE = bytes((b & 0x3F) | 0x80 for b in range(256))


def uuid7_hex_batch(count: int) -> list[str]:
    """`count` UUIDv7 ids as 32 hex digits, for bulk inserts (a catalog's 350,000 creates, a
    sales import's millions of ledger rows).

    Made as bytes, not as an integer formatted per id (0.41 s -> 0.11 s for 350,000 ids): the
    high halves of one millisecond are consecutive integers, packed in one call; the low
    halves are random bytes whose first byte takes the variant bits by one `translate`; the
    two are interleaved by slices and the whole batch is turned into hex at once, then cut."""
    if count <= 0:
        return []
    first = _reserve(count)
    if count < _FEW:
        return [f"{_value(clock):032x}" for clock in range(first, first + count)]
    last = first + count - 1
    highs: list[bytes] = []
    clock = first
    while clock <= last:  # one run of consecutive high halves per millisecond
        counter = clock & 0xFFF
        run = min(last - clock + 1, 0x1000 - counter)
        high = (clock >> 12) << 16 | 0x7000 | counter  # 48-bit ms, version 7, 12-bit counter
        highs.append(struct.pack(f">{run}Q", *range(high, high + run)))
        clock += run
    high_halves = b"".join(highs)
    low_halves = bytearray(_random.randbytes(8 * count))
    low_halves[0::8] = low_halves[0::8].translate(_VARIANT_BYTE)
    whole = bytearray(16 * count)
    for byte in range(8):
        whole[byte::16] = high_halves[byte::8]
        whole[8 + byte :: 16] = low_halves[byte::8]
    text = whole.hex()
    return [text[at : at + 32] for at in range(0, 32 * count, 32)]


def uuid7_hex_stream(batch: int = 256) -> Iterator[str]:
    """UUIDv7 ids as 32 hex digits, one at a time, reserved `batch` at a time: for a diff that
    creates rows one by one (the catalog's 330,000), the clock and the lock once per batch
    instead of once per id. Ids stay unique, and increasing in the order this stream gives
    them (an id made elsewhere meanwhile may sort between them: it is a clock, not a queue)."""
    while True:
        yield from uuid7_hex_batch(batch)
