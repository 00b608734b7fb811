"""ECB euro foreign exchange reference rates (issue 18): the CSV files the European Central Bank
publishes, read exactly, and the amounts of one report row converted through the euro.

The layout relied on (the ECB's page, below, and its files as https://csvbase.com/blog/5 shows):
https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html
- `eurofxref.csv` holds the current rates (one date row), `eurofxref-hist.csv` all since 1999
  (one row per TARGET business day, newest first: none on weekends, 1 January, Good Friday,
  Easter Monday, 1 May, 25 and 26 December).
- A header, `Date` and one column per currency (ISO 4217 code); every line ends with a comma (an
  empty last field). The daily file writes a space after each comma (`Date, USD, JPY, ..., ZAR, `),
  the history none (`Date,USD,JPY,BGN,CYP,...,ZAR,`): fields are read stripped.
- Dates: `2026-03-06` in the history, `06 March 2026` in the daily file (either is read in both).
- A rate is units of the currency per 1 EUR, decimal text with a dot (`1.0823`); `N/A` where the
  ECB published none that day: before a series began, after it stopped (the kuna since Croatia
  adopted the euro in 2023, the rouble since 1 March 2022, the lev since 2026).
- The history keeps columns of codes ISO 4217 has withdrawn (WITHDRAWN): they are skipped, as no
  amount can be in them (money.py knows current codes only).

Decisions: rows may come in any order (a date twice is an error). A day's rate is the one on the
row of the latest date on or before it; N/A there means no rate, never an older one, so a stopped
currency never converts at a years-old rate. After the file's last date that row serves only if
no business day lies between (a weekend after a Friday's file). A report row is summed exactly and
rounded once, half away from zero: money.py's half-up helpers compute floor(x + 1/2) on amounts
never negative; away from zero makes a refund's conversion the exact opposite of its sale's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from volmify_cli.errors import InvalidInputError, NotFoundError, Problem
from volmify_cli.exchange import bounded
from volmify_cli.money import is_currency, minor_units

EUR = "EUR"
MAX_PROBLEMS = 100  # as for documents: one run reports many problems, not a whole file of them
# Withdrawn ISO 4217 codes with columns in eurofxref-hist.csv (euro adoptions, redenominations)
WITHDRAWN = frozenset({"BGN", "CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL"})
_FIXED_CLOSING_DAYS = frozenset({(1, 1), (5, 1), (12, 25), (12, 26)})  # (month, day), TARGET
_CODE = re.compile(r"[A-Z]{3}")
_RATE = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # digits 0-9 only: Decimal() reads other scripts'
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LONG_DATE = re.compile(r"([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4})")
_MONTHS = "january february march april may june july august september october november december"
_MONTH = {name: number for number, name in enumerate(_MONTHS.split(), start=1)}
_LAYOUT = "the ECB layout: Date, USD, JPY, ..."
_Table = dict[date, dict[str, Decimal | None]]  # per date, each currency's rate; None for N/A


class RateNotFoundError(NotFoundError):
    """The rates file has no rate of `currency` for `day`. Exit code 1."""

    def __init__(self, currency: str, day: date, file: str, why: str, hint: str | None) -> None:
        super().__init__(f"no {currency} rate for {day.isoformat()} in {file}: {why}", hint)
        self.currency = currency
        self.day = day


@dataclass(frozen=True, slots=True)
class RatesSource:
    """What a converted output says it used: the file, and the first and last dates of the
    rates its conversions used (None before any conversion used a rate)."""

    file: str
    first: date | None
    last: date | None

    def __str__(self) -> str:
        return f"{self.file}, {self.first}..{self.last}" if self.first else self.file


class Rates:
    """The rates of one file: per date, each currency's units per 1 EUR, or None for N/A."""

    def __init__(self, file: str, table: _Table, currencies: Iterable[str]) -> None:
        self.file = file
        self.currencies = frozenset(currencies)
        self._table = table
        self._days = sorted(table)
        self._used: set[date] = set()

    @property
    def source(self) -> RatesSource:
        return RatesSource(self.file, min(self._used, default=None), max(self._used, default=None))

    def rate(self, currency: str, day: date) -> tuple[Fraction, date]:
        """The rate of `currency` per 1 EUR on `day` (the last on or before it; EUR is 1) and its
        date. Raises RateNotFoundError naming both when the file has no such column, no row on or
        before the day, N/A on that row, or ends before the day with a business day between."""
        if currency == EUR:
            return Fraction(1), day
        if currency not in self.currencies:
            hint = "the ECB publishes rates for about 30 currencies; report the others unconverted"
            raise RateNotFoundError(currency, day, self.file, f"it has no {currency} column", hint)
        index = bisect_right(self._days, day) - 1
        if index < 0:
            raise RateNotFoundError(currency, day, self.file, f"it begins on {self._days[0]}", None)
        used = self._days[index]
        if index == len(self._days) - 1 and _business_day_between(used, day):
            why = f"it ends on {used}, and the ECB publishes on every business day"
            raise RateNotFoundError(currency, day, self.file, why, "use a newer rates file")
        value = self._table[used][currency]
        if value is None:
            earlier = (d for d in reversed(self._days[:index]) if self._table[d][currency])
            last = next(earlier, None)
            note = f"its last rate is of {last}; an older rate is not used" if last else None
            raise RateNotFoundError(currency, day, self.file, f"N/A on {used}", note)
        self._used.add(used)
        return Fraction(value), used

    def factor(self, source: str, target: str, day: date) -> Fraction:
        """Units of `target` per unit of `source` on `day`, through the euro: rate(target) /
        rate(source); 1 for the same currency (no rate needed). Raises RateNotFoundError."""
        if source == target:
            return Fraction(1)
        return self.rate(target, day)[0] / self.rate(source, day)[0]


def _business_day_between(last: date, day: date) -> bool:
    """Whether a weekday other than a fixed-date TARGET closing day lies in (last, day]."""
    between = (last + timedelta(n) for n in range(1, min((day - last).days, 7) + 1))
    return any(d.weekday() < 5 and (d.month, d.day) not in _FIXED_CLOSING_DAYS for d in between)


def round_half_away_from_zero(value: Fraction) -> int:
    """The nearest integer; a half rounds away from zero (116.5 -> 117, -116.5 -> -117)."""
    magnitude = (2 * abs(value.numerator) + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


def converted(amounts: Iterable[tuple[int, str, date]], target: str, rates: Rates) -> Fraction:
    """The exact sum of `(amount_minor, currency, day)` amounts in `target` minor units, not
    rounded. Raises RateNotFoundError, and MoneyError for a currency ISO 4217 does not know."""
    target_scale = 10 ** minor_units(target)
    sums: defaultdict[tuple[str, date], int] = defaultdict(int)
    for amount_minor, currency, day in amounts:  # one rate per currency and day: small terms
        sums[currency, day] += amount_minor
    total = Fraction(0)
    for (currency, day), amount_minor in sums.items():
        factor = rates.factor(currency, target, day)
        total += Fraction(amount_minor * target_scale, 10 ** minor_units(currency)) * factor
    return total


def convert(amounts: Iterable[tuple[int, str, date]], target: str, rates: Rates) -> int:
    """The amounts of one report row in `target` minor units: summed exactly, rounded once half
    away from zero. Raises RateNotFoundError and MoneyError."""
    return round_half_away_from_zero(converted(amounts, target, rates))


def read_rates(path: Path, *, name: str | None = None) -> Rates:
    """Read an ECB rates file (`-` is standard input). Raises InvalidInputError (exit 3) naming
    FILE:LINE:COLUMN of each problem, or why the file cannot be read; ConfigError (limits)."""
    file = name or bounded.input_name(path)
    with bounded.opened(path, file) as raw:
        source = bounded.BoundedLines(raw, limit=bounded.max_csv_line_chars(), name=file)
        try:
            return parse_rates(_each_line_bounded(source), file)
        except bounded.NotText as error:
            raise InvalidInputError([error.problem]) from None
        finally:
            source.release()


def _each_line_bounded(source: bounded.BoundedLines) -> Iterator[str]:
    for line in source:
        source.pending = 0  # no record spans lines: the limit counts each line alone
        yield line


def parse_rates(lines: Iterable[str], file: str) -> Rates:
    """Read the lines of an ECB rates file (a list, an open text file). Raises InvalidInputError
    naming FILE:LINE:COLUMN of each problem, up to 100."""
    numbered = enumerate(lines, start=1)
    first = next(numbered, None)
    if first is None:
        raise InvalidInputError([Problem(file, None, None, "", f"the file is empty ({_LAYOUT})")])
    reader = _Reader(file, _cells(first[1].removeprefix("\ufeff")))
    problems: list[Problem] = []
    for number, line in numbered:
        cells = _cells(line)
        if len(cells) == 1 and not cells[0][1]:
            continue  # a blank line
        problems += reader.row(cells, number)
        if len(problems) >= MAX_PROBLEMS:
            raise InvalidInputError(problems[:MAX_PROBLEMS], f"stopped after {MAX_PROBLEMS}")
    if problems:
        raise InvalidInputError(problems)
    if not reader.table:
        raise InvalidInputError([Problem(file, None, None, "", "the file has no date rows")])
    return Rates(file, reader.table, (code for _index, code in reader.currencies))


def _cells(line: str) -> list[tuple[int, str]]:
    """The stripped fields of a line, each with the 1-based column where its text begins; the
    empty field after the ECB's trailing comma is dropped."""
    cells: list[tuple[int, str]] = []
    start = 0
    for raw in line.rstrip("\r\n").split(","):
        text = raw.strip()
        cells.append((start + len(raw) - len(raw.lstrip()) + 1, text))
        start += len(raw) + 1
    if len(cells) > 1 and not cells[-1][1]:
        cells.pop()
    return cells


def _column_problem(name: str, seen: set[str]) -> str | None:
    if name in seen:
        return f"column {name!r} appears twice"
    if name == EUR:
        return "EUR is the base of the rates (each rate is per 1 EUR): it has no column"
    if name == "Date" or name in WITHDRAWN or (_CODE.fullmatch(name) and is_currency(name)):
        return None
    return f"column {name!r} is not an ISO 4217 currency code"


class _Reader:
    """The columns of a header, then the date rows read so far and the line of each date."""

    def __init__(self, file: str, header: list[tuple[int, str]]) -> None:
        """Raises InvalidInputError for a header without Date or with a column not a currency's."""
        self.file, self.width = file, len(header)
        self.table: _Table = {}
        self.line_of: dict[date, int] = {}
        problems: list[Problem] = []
        seen: set[str] = set()
        self.currencies: list[tuple[int, str]] = []  # (field index, code) of the columns kept
        for index, (column, name) in enumerate(header):
            if message := _column_problem(name, seen):
                problems.append(Problem(file, 1, column, name, message))
            elif name != "Date" and name not in WITHDRAWN:
                self.currencies.append((index, name))
            seen.add(name)
        if "Date" not in seen:
            problems.append(Problem(file, 1, None, "Date", f"missing column 'Date' ({_LAYOUT})"))
        if problems:
            raise InvalidInputError(problems)
        self.date_index = next(index for index, (_, name) in enumerate(header) if name == "Date")

    def row(self, cells: list[tuple[int, str]], number: int) -> list[Problem]:
        """Read one date row; returns its problems."""
        if len(cells) != self.width:
            message = f"expected {self.width} fields as in the header, found {len(cells)}"
            return [Problem(self.file, number, None, "", message)]
        problems: list[Problem] = []
        column, text = cells[self.date_index]
        day = _parse_day(text)
        if day is None:
            message = f"{text!r} is not a date like 2026-03-06 or 06 March 2026"
            problems.append(Problem(self.file, number, column, "Date", message))
        elif day in self.line_of:
            message = f"date {day} appears twice (also on line {self.line_of[day]})"
            problems.append(Problem(self.file, number, column, "Date", message))
        rates: dict[str, Decimal | None] = {}
        for index, code in self.currencies:
            column, text = cells[index]
            try:
                rates[code] = _parse_rate(text)
            except ValueError as exc:
                problems.append(Problem(self.file, number, column, code, f"rate {exc}"))
        if day is not None and day not in self.line_of:
            self.line_of[day] = number
            self.table[day] = rates
        return problems


def _parse_day(text: str) -> date | None:
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif (match := _LONG_DATE.fullmatch(text)) and match[2].lower() in _MONTH:
        year, month, day = int(match[3]), _MONTH[match[2].lower()], int(match[1])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_rate(text: str) -> Decimal | None:
    """A rate as written, None for N/A. Raises ValueError saying what is wrong."""
    if text == "N/A":
        return None
    if not _RATE.fullmatch(text.removeprefix("-")):
        raise ValueError(f"{text!r} is not a decimal number like 1.0823, or N/A for no rate")
    rate = Decimal(text)
    if rate <= 0:
        raise ValueError(f"{text!r} must be greater than zero")
    return rate


class RatesConverter:
    """A report's converter (`reports/conversion.Converter`): amounts into `currency` with the
    rates of one file, remembering the dates it used."""

    def __init__(self, rates: Rates, currency: str) -> None:
        self.rates = rates
        self.currency = currency

    def convert(self, amounts: Iterable[tuple[int, str, date]]) -> int:
        return convert(amounts, self.currency, self.rates)

    def described(self) -> dict[str, object]:
        used = self.rates.source
        return {"currency": self.currency, "rates": used.file, "first_rate_date": used.first,
                "last_rate_date": used.last}  # fmt: skip
