"""Time-ordered UUIDv7 ids generated in Python (RFC 9562), so rows get their keys before any
round trip and bulk inserts need no RETURNING. Python 3.11 has no uuid7 in the standard library."""

from __future__ import annotations

import os
import random
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """A UUIDv7: 48-bit Unix milliseconds, then a 12-bit counter that keeps ids generated within
    one millisecond strictly increasing (method 1 of RFC 9562 section 6.2), then 62 random bits."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _counter = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF
        else:
            # Same millisecond (or the clock stepped back): keep the order with the counter.
            _counter += 1
            if _counter > 0xFFF:
                _last_ms, _counter = _last_ms + 1, 0
            ms = _last_ms
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76 | counter << 64
    value |= 0b10 << 62 | rand
    return uuid.UUID(int=value)


_fast_random = random.Random(os.urandom(32))


def uuid7_hex_batch(count: int) -> list[str]:
    """`count` UUIDv7 ids as 32 hex digits, for bulk inserts (the text SQLite stores for a UUID
    column and PostgreSQL reads). Same clock and counter as uuid7(), so ids stay ordered and
    unique within the process; the random bits come from a generator seeded from os.urandom,
    because one urandom call per id would cost more than the insert of the row."""
    global _last_ms, _counter
    if count <= 0:
        return []
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _counter = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF
            first = (_last_ms << 12) | _counter
        else:
            first = ((_last_ms << 12) | _counter) + 1
        last = first + count - 1  # the counter's overflow carries into the milliseconds
        _last_ms, _counter = last >> 12, last & 0xFFF
        rand = _fast_random.getrandbits
    version_variant = (0x7 << 76) | (0b10 << 62)
    return [
        f"{((clock >> 12) << 80) | ((clock & 0xFFF) << 64) | version_variant | rand(62):032x}"
        for clock in range(first, last + 1)
    ]
