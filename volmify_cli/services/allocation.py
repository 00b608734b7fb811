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
from volmify_cli.money import BASIS_POINTS

# A part of a split, ready for the ledger: kind, profile id, brand id, share_bp, amount_minor.
Part = tuple[str, str | None, str | None, int, int]


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


@dataclass(frozen=True, slots=True)
class Shares:
    """A product's recipients prepared once for the many lines split by them."""

    recipients: tuple[tuple[str, str | None, str | None, int], ...]
    org_share_bp: int

    @classmethod
    def of(cls, recipients: Sequence[Recipient]) -> Shares:
        return cls(
            tuple((r.kind.value, r.profile_id, r.brand_id, r.share_bp) for r in recipients),
            org_share(recipients),
        )

    def split(self, net_minor: int) -> list[Part]:
        """One part per recipient, then the org's; the amounts sum exactly to `net_minor`."""
        if net_minor > 0:
            parts = [
                (kind, profile, brand, bp, net_minor * bp // BASIS_POINTS)
                for kind, profile, brand, bp in self.recipients
            ]
            remainder = net_minor - sum(part[4] for part in parts)
        else:  # recipients are not charged for refunds and fees
            parts = [(kind, profile, brand, bp, 0) for kind, profile, brand, bp in self.recipients]
            remainder = net_minor
        parts.append((RecipientKind.ORG.value, None, None, self.org_share_bp, remainder))
        return parts


def org_share(recipients: Sequence[Recipient]) -> int:
    """The org's own share snapshot: what the recipients leave of 100%."""
    return max(0, BASIS_POINTS - sum(r.share_bp for r in recipients))


def allocate(net_minor: int, recipients: Sequence[Recipient]) -> list[Allocation]:
    """One allocation per recipient, then the org's. Sums exactly to `net_minor`."""
    return [
        Allocation(RecipientKind(kind), profile, brand, bp, amount)
        for kind, profile, brand, bp, amount in Shares.of(recipients).split(net_minor)
    ]
