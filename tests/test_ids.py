from __future__ import annotations

from volmify_cli.ids import uuid7


def test_uuid7_has_version_and_variant_bits() -> None:
    value = uuid7()
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"


def test_uuid7_is_strictly_increasing_within_a_burst() -> None:
    ids = [uuid7() for _ in range(20000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
