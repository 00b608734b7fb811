"""The arithmetic of terminal bar charts (drawn by `output.bar_chart`, which re-exports these)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar of a terminal chart: its label, the value that sets its length, and the text
    shown after it (a formatted amount)."""

    label: str
    value: int
    text: str


BAR_WIDTH = 40


def bar_lengths(values: Sequence[int], width: int = BAR_WIDTH) -> list[int]:
    """Bar lengths in cells, proportional to the largest magnitude (negative values get a bar of
    their size too; the text says the sign). A non-zero value always shows at least one cell."""
    largest = max((abs(v) for v in values), default=0)
    if largest == 0:
        return [0 for _ in values]
    return [max(1, abs(v) * width // largest) if v else 0 for v in values]
