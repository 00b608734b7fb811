"""The taxonomy's cycle rule (services/skill_writes.cycle_through), for every small forest:
giving a skill a new parent makes a cycle exactly when that parent is the skill itself or one
of its descendants, and the chain named runs parent by parent back to the skill."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.services.skill_writes import cycle_through

SLUGS = [f"s{n}" for n in range(8)]


@st.composite
def forest_and_edge(draw: st.DrawFn) -> tuple[dict[str, str | None], str, str]:
    """A forest (each skill's parent comes earlier in SLUGS: no cycle) and a new edge."""
    parents: dict[str, str | None] = {}
    for index, slug in enumerate(SLUGS):
        parents[slug] = draw(st.sampled_from([None, *SLUGS[:index]]))
    return parents, draw(st.sampled_from(SLUGS)), draw(st.sampled_from(SLUGS))


def descendants(parents: dict[str, str | None], slug: str) -> set[str]:
    found = {slug}
    changed = True
    while changed:
        more = {child for child, parent in parents.items() if parent in found} - found
        changed = bool(more)
        found |= more
    return found


@given(forest_and_edge())
def test_a_cycle_is_found_exactly_when_the_parent_descends_from_the_skill(
    case: tuple[dict[str, str | None], str, str],
) -> None:
    parents, slug, new_parent = case
    below = descendants(parents, slug)  # before the change: the skill and what is under it
    changed = {**parents, slug: new_parent}
    chain = cycle_through(changed, slug)
    assert (chain is not None) == (new_parent in below)
    if chain is not None:
        assert chain[0] == chain[-1] == slug and chain[1] == new_parent
        assert all(changed[a] == b for a, b in pairwise(chain))


def test_a_loop_above_the_skill_is_not_its_cycle() -> None:
    # x -> y -> x is someone else's loop (never written); z under it makes none of its own
    assert cycle_through({"x": "y", "y": "x", "z": "x"}, "z") is None
