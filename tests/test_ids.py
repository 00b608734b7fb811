from __future__ import annotations

import uuid

from volmify_cli.ids import uuid7, uuid7_hex, uuid7_hex_batch, uuid7_hex_stream


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
