"""The split of a sale line's net (SPEC 5), as properties that must hold for every input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.enums import RecipientKind
from volmify_cli.services.allocation import Recipient, allocate


@st.composite
def recipients(draw: st.DrawFn) -> list[Recipient]:
    """Instructors and brands whose shares total at most 100% (zero shares included)."""
    count = draw(st.integers(min_value=0, max_value=6))
    left = 10_000
    found = []
    for index in range(count):
        share = draw(st.integers(min_value=0, max_value=left))
        left -= share
        kind = draw(st.sampled_from([RecipientKind.INSTRUCTOR, RecipientKind.BRAND]))
        ident = f"{index:032x}"
        found.append(
            Recipient(kind, ident if kind == RecipientKind.INSTRUCTOR else None,
                      ident if kind == RecipientKind.BRAND else None, share)
        )  # fmt: skip
    return found


NETS = st.integers(min_value=-(10**12), max_value=10**15)


@given(net=NETS, people=recipients())
def test_allocations_always_sum_exactly_to_the_net(net: int, people: list[Recipient]) -> None:
    assert sum(a.amount_minor for a in allocate(net, people)) == net


@given(net=NETS, people=recipients())
def test_every_attributed_recipient_takes_part_and_the_org_comes_last(
    net: int, people: list[Recipient]
) -> None:
    parts = allocate(net, people)
    assert [(p.kind, p.profile_id, p.brand_id, p.share_bp) for p in parts[:-1]] == [
        (r.kind, r.profile_id, r.brand_id, r.share_bp) for r in people
    ]
    assert parts[-1].kind == RecipientKind.ORG
    assert parts[-1].share_bp == 10_000 - sum(r.share_bp for r in people)


@given(net=st.integers(min_value=1, max_value=10**15), people=recipients())
def test_a_positive_net_gives_each_recipient_the_floor_of_its_share(
    net: int, people: list[Recipient]
) -> None:
    parts = allocate(net, people)
    for part, person in zip(parts, people, strict=False):
        # floor(net * share / 10000), computed here without integer floor division
        exact = net * person.share_bp / 10_000
        assert part.amount_minor <= exact < part.amount_minor + 1
    org = parts[-1].amount_minor
    # the org keeps at least its own share, and less than that plus one unit per recipient
    assert org * 10_000 >= net * parts[-1].share_bp
    assert org < net * parts[-1].share_bp / 10_000 + len(people) + 1


@given(net=st.integers(min_value=-(10**12), max_value=0), people=recipients())
def test_a_zero_or_negative_net_is_borne_by_the_org_alone(
    net: int, people: list[Recipient]
) -> None:
    parts = allocate(net, people)
    assert all(p.amount_minor == 0 for p in parts[:-1])
    assert parts[-1].amount_minor == net


def test_a_hand_computed_split() -> None:
    # net 14.57 EUR at 40% / 20% / 10%: 5.828 -> 5.82, 2.914 -> 2.91, 1.457 -> 1.45; org 4.39
    people = [
        Recipient(RecipientKind.INSTRUCTOR, "a" * 32, None, 4000),
        Recipient(RecipientKind.INSTRUCTOR, "b" * 32, None, 2000),
        Recipient(RecipientKind.BRAND, None, "c" * 32, 1000),
    ]
    assert [p.amount_minor for p in allocate(1457, people)] == [582, 291, 145, 439]
