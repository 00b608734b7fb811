from __future__ import annotations

import time
import uuid

from volmify_cli.ids import hex_of, uuid7, uuid7_hex, uuid7_hex_batch, uuid7_hex_stream


def test_uuid7_has_version_and_variant_bits() -> None:
    value = uuid7()
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"


def test_uuid7_is_strictly_increasing_within_a_burst() -> None:
    ids = [uuid7() for _ in range(20000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_every_form_comes_from_one_clock() -> None:
    """One id generator: single UUIDs, single hex ids and batches interleaved in one burst are
    one strictly increasing sequence of version-7 ids (there were two clocks, so an import
    mixing both forms could produce ids out of order)."""
    ids: list[str] = []
    for _ in range(2000):
        ids.append(uuid7().hex)
        ids.append(uuid7_hex())
        ids.extend(uuid7_hex_batch(3))
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(hex=ids[-1])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_a_stream_gives_increasing_ids_reserved_in_batches() -> None:
    """Rows of a catalog import take their ids from a stream: increasing in the order taken,
    unique, and every id of a stream opened later sorts after what earlier streams reserved."""
    first = uuid7_hex_stream(batch=4)
    taken = [next(first) for _ in range(10)]
    assert taken == sorted(taken) and len(set(taken)) == 10
    later = uuid7_hex_stream(batch=4)
    assert next(later) > max(taken + [next(first) for _ in range(2)])
    assert all(uuid.UUID(hex=value).version == 7 for value in taken)


def test_a_large_batch_is_valid_increasing_and_carries_the_clock() -> None:
    """A batch of thousands (made as bytes, not id by id) spans several milliseconds' counters:
    every id is version 7 with the RFC variant, stamped with the time it was made, unique,
    random in its low 62 bits, and the whole run (with single ids and small batches around it)
    is one increasing sequence."""
    before_ms = time.time_ns() // 1_000_000
    ids = [uuid7_hex(), *uuid7_hex_batch(10_000), *uuid7_hex_batch(5), uuid7().hex]
    after_ms = time.time_ns() // 1_000_000
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    parsed = [uuid.UUID(hex=value) for value in ids]
    assert all(p.version == 7 and p.variant == uuid.RFC_4122 for p in parsed)
    # 10,000 ids overflow the 12-bit counter at least twice: the milliseconds run ahead by as
    # many, never behind the clock
    stamps = [int(value[:12], 16) for value in ids]
    assert before_ms <= stamps[0] and stamps[-1] <= after_ms + 10_000 // 4096 + 1
    assert len(set(stamps)) >= 3
    low_bits = {p.int & ((1 << 62) - 1) for p in parsed}
    assert len(low_bits) == len(ids)


def test_an_id_binds_as_the_same_hex_whichever_form_it_comes_in() -> None:
    """The bulk paths take ids from the ORM (uuid.UUID) and from batches (hex text) alike: both
    must bind as the 32 hex digits SQLite stores, or a lookup by one form misses rows written
    in the other. A missing id (a null recipient) stays missing."""
    value = uuid7()
    assert hex_of(value) == hex_of(value.hex) == value.hex
    assert len(hex_of(value)) == 32 and "-" not in hex_of(value)
    assert hex_of(None) is None
