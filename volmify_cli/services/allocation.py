"""Revenue allocation (SPEC 5): how one sale line's net is split, at the moment it is recorded.

Every instructor and brand attributed to the product takes part in the line (a share of 0
included, so reports count the line for them); each gets floor(net * share / 10000), and the org
gets the remainder: its own share plus every leftover minor unit. A negative net (a refund whose
fee the processor kept) is borne by the org alone. The parts always sum exactly to the net.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from volmify_cli.enums import RecipientKind
from volmify_cli.money import BASIS_POINTS, split_net


@dataclass(frozen=True, slots=True)
class Recipient:
    """An instructor (profile id) or brand (brand id) with its share snapshot in basis points.
    Ids are 32-digit hex, the form the bulk writer stores."""

    kind: RecipientKind
    profile_id: str | None
    brand_id: str | None
    share_bp: int


@dataclass(frozen=True, slots=True)
class Allocation:
    kind: RecipientKind
    profile_id: str | None
    brand_id: str | None
    share_bp: int
    amount_minor: int


def org_share(recipients: Sequence[Recipient]) -> int:
    """The org's own share snapshot: what the recipients leave of 100%."""
    return max(0, BASIS_POINTS - sum(r.share_bp for r in recipients))


def allocate(net_minor: int, recipients: Sequence[Recipient]) -> list[Allocation]:
    """One allocation per recipient, then the org's. Sums exactly to `net_minor`."""
    parts, remainder = split_net(net_minor, [r.share_bp for r in recipients])
    allocations = [
        Allocation(r.kind, r.profile_id, r.brand_id, r.share_bp, part)
        for r, part in zip(recipients, parts, strict=True)
    ]
    allocations.append(Allocation(RecipientKind.ORG, None, None, org_share(recipients), remainder))
    return allocations
