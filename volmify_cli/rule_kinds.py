"""The kinds of rule the rule book (`rulebook`) is written in: text of a length, whole numbers in
a range, percentages, amounts of money, unit prices. Each checks one value and says what is wrong
in the same words on the command line and in a file. The rules themselves, with their bounds and
the columns that store them, live in `rulebook` alone.

Start-up cheap: standard library and `rules` only.
"""

from __future__ import annotations

from volmify_cli.errors import RuleError
from volmify_cli.rules import check_line, check_prose, parse_whole_number


class TextRule:
    """Text of at most `max_length` characters: one line, or `prose` (tabs and line breaks
    allowed). Blank text is refused where a value is required (`required`)."""

    __slots__ = ("columns", "label", "max_length", "prose")

    def __init__(
        self, label: str, max_length: int, *, prose: bool = False, columns: tuple[str, ...] = ()
    ) -> None:
        self.label = label
        self.max_length = max_length
        self.prose = prose
        self.columns = columns  # "table.column" that store it (tests/test_rulebook.py)

    def check(self, value: str, *, required: bool = True) -> str:
        """The text, stripped. Raises RuleError."""
        (check_prose if self.prose else check_line)(value)
        text = value.strip()
        if required and not text:
            raise RuleError(f"{self.label} must not be empty")
        if len(text) > self.max_length:
            raise RuleError(
                f"{self.label} is {len(text):,} characters long (at most {self.max_length:,})"
            )
        return text

    def __repr__(self) -> str:
        return f"TextRule({self.label!r}, {self.max_length})"


class _Range:
    """A rule over a range [low, high] of integers: `high` is what its column can hold at most;
    `columns` are the columns the rule guards (the rule book's test reads them)."""

    __slots__ = ("columns", "high", "label", "low")

    def __init__(self, label: str, low: int, high: int, *, columns: tuple[str, ...] = ()) -> None:
        self.label = label
        self.low = low
        self.high = high
        self.columns = columns


class WholeRule(_Range):
    """A whole number within [low, high]; `high` is what its column can hold at most."""

    __slots__ = ()

    def check(self, value: int) -> int:
        """Raises RuleError."""
        if value < self.low:
            raise RuleError(f"{self.label} must be at least {self.low}, not {value}")
        if value > self.high:
            raise RuleError(f"{self.label} must be at most {self.high}, not {value}")
        return value

    def parse(self, text: str) -> int:
        """A number written with the digits 0-9. Raises RuleError."""
        try:
            value = parse_whole_number(text)
        except RuleError as exc:
            raise RuleError(f"{self.label} {exc.reason}", exc.hint) from None
        return self.check(value)

    def __repr__(self) -> str:
        return f"WholeRule({self.label!r}, {self.low}, {self.high})"


class PercentRule(_Range):
    """A percentage stored as basis points within [low, high]: on the command line `25`, `25%`
    or `12.5%` (at most two decimals of a percent, `money.parse_percent`), in a file a quoted
    `"12.5%"` or basis points as a bare integer (`1250`)."""

    __slots__ = ()

    def _bounded(self, bp: int, shown: str) -> int:
        from volmify_cli.money import format_percent

        if bp < self.low:
            least = "more than 0%" if self.low == 1 else f"at least {format_percent(self.low)}"
            raise RuleError(f"{self.label} {shown} must be {least}")
        if bp > self.high:
            raise RuleError(f"{self.label} {shown} is over {format_percent(self.high)}")
        return bp

    def check(self, bp: int) -> int:
        """Basis points. Raises RuleError."""
        return self._bounded(bp, f"{bp} (basis points)")

    def parse(self, text: str) -> int:
        """A percentage as text (`12.5` and `12.5%` alike) into basis points. Raises RuleError."""
        from volmify_cli.money import MoneyError, parse_percent

        try:
            bp = parse_percent(text, self.label)
        except MoneyError as exc:
            raise RuleError(exc.reason, exc.hint) from None
        return self._bounded(bp, repr(text))

    def read(self, value: str | int) -> int:
        """A file's value: a quoted percentage or basis points as an integer. Raises RuleError
        (a quoted number without `%` is ambiguous)."""
        if isinstance(value, int):
            return self.check(value)
        if not value.strip().endswith("%"):
            raise RuleError(
                f"{self.label} {value!r} is ambiguous",
                f'write a percentage as "{value.strip()}%" or basis points as a bare integer',
            )
        return self.parse(value)

    def __repr__(self) -> str:
        return f"PercentRule({self.label!r}, {self.low}, {self.high})"


class AmountRule(_Range):
    """An amount of money written in major units (`"4.50"`, `500`) and read exactly into minor
    units of its currency (`money.parse_amount`: the currency's ISO 4217 digits), within [low,
    high] minor units. Its messages name the currency: `offer amount in EUR: '9.999' has too
    many decimals for EUR (at most 2 decimals)`."""

    __slots__ = ()

    def parse(self, value: str | int, currency: str) -> int:
        """Minor units of `currency` (a known ISO 4217 code). Raises RuleError."""
        from volmify_cli.money import MoneyError, format_amount, parse_amount

        what = f"{self.label} in {currency}:"
        try:
            minor = parse_amount(value, currency)
        except MoneyError as exc:
            raise RuleError(f"{what} {exc.reason.removeprefix('amount ')}", exc.hint) from None
        if minor < self.low:
            least = (
                "more than 0" if self.low == 1 else f"at least {format_amount(self.low, currency)}"
            )
            raise RuleError(f"{what} {str(value)!r} must be {least}")
        if minor > self.high:
            raise RuleError(f"{what} {str(value)!r} is over {format_amount(self.high, currency)}")
        return minor

    def __repr__(self) -> str:
        return f"AmountRule({self.label!r}, {self.low}, {self.high})"


class UnitPriceRule:
    """A unit price of a usage-based plan written in major units (`"0.005"`, `2`), read exactly
    into 10**-12 major units (`money.parse_unit_amount`: at most 12 decimals, whatever the
    currency, as Stripe's `unit_amount_decimal`), never negative, at most what its column holds.
    The command line's `--usage-tier` and a catalog's `usage_tiers` alike."""

    __slots__ = ("columns", "high", "label")

    def __init__(self, label: str, high: int, *, columns: tuple[str, ...] = ()) -> None:
        self.label = label
        self.high = high
        self.columns = columns

    def parse(self, value: str | int) -> int:
        """10**-12 major units. Raises RuleError."""
        from volmify_cli.money import UNIT_PRICE_SCALE, MoneyError, parse_unit_amount

        try:
            amount = parse_unit_amount(value)
        except MoneyError as exc:
            reason = exc.reason.removeprefix("unit price ")
            raise RuleError(f"{self.label} {reason}", exc.hint) from None
        if amount > self.high:
            raise RuleError(
                f"{self.label} {str(value)!r} is too large"
                f" (at most {self.high // UNIT_PRICE_SCALE:,} a unit)"
            )
        return amount

    def __repr__(self) -> str:
        return f"UnitPriceRule({self.label!r})"
