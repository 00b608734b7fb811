"""Stripe's payments export read as sales lines: `sales import --from stripe FILE`.

The file is the CSV the Stripe Dashboard writes from Payments > Export (one row per payment,
failed attempts included: support.stripe.com/questions/exporting-a-report-of-all-transactions).
Each row becomes the SaleLine a sales CSV line would (SPEC 4.3), read by the same rules
(`inputs.sales.parse_fields`), so the importer checks it like any other sales line. Stripe's
documentation does not list this export's columns or its Status texts: the names read here are
those real exports carry (the current `Created date (UTC)`, `Refunded date (UTC)`, `Taxes On
Fee`, `KEY (metadata)`; older exports' `Created (UTC)` and `Tax`). What the mapping relies on,
and where Stripe documents it:

- Amounts are written in major units as decimals ("The CSV reports format monetary amounts in
  major currency units as a decimal number": docs.stripe.com/reports/api, "CSV and API monetary
  formats differ"), read exactly with the currency's ISO 4217 digits; no float touches them. A
  thousands separator (`"1,234.50"`) is dropped, and so are zero decimals beyond the ISO digits:
  Stripe keeps ISK a two-decimal currency whose amounts are whole krónur
  (support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds), so
  `ISK 1000.00` is 1000 and `ISK 1000.50` is an error.
- Currency codes are lower case (`usd`: "You must use all lowercase letters", docs.stripe.com/
  currencies) and are upper-cased. Stripe charges its zero-decimal currencies (ZERO_DECIMAL, the
  list at docs.stripe.com/currencies#zero-decimal) in whole units; ISO 4217 agrees except for
  MGA (two digits), so a fraction of an ariary is an error here.
- `id` (the charge or payment) is the order_id; `Created date (UTC)` (older exports:
  `Created (UTC)`) is sold_at: export in the UTC time zone, other zones rename the column;
  `Customer Email` is the customer.
- `Amount Refunded` is refunded, in the charge's currency (a refund returns what the customer
  paid, in the currency paid: docs.stripe.com/currencies/disputes-refunds). `Refunded date (UTC)`
  is refunded_at when the export has it and something was refunded; without it the refund is
  dated as SPEC 5 says (with the sale's date when both are recorded at once).
- `Fee` is the payment's balance transaction fee, which includes every part of it (fee_details
  of type stripe_fee, application_fee, payment_method_passthrough_fee and tax:
  docs.stripe.com/api/balance_transactions/object). `Taxes On Fee` is that tax part: the
  VAT/GST Stripe charges on its own fee (support.stripe.com/questions/tax-on-stripes-fees), a
  cost already inside `Fee`, not sales tax paid by the customer; it is not read (nor older
  exports' `Tax` next to `Fee`). The payments export has no column of sales tax, so `tax` is 0
  (SPEC 4.3's default) and the whole amount less the fee is net.
- A balance transaction is in the account's settlement currency, the charge converted by its
  `exchange_rate` (docs.stripe.com/api/balance_transactions/object): when `Converted Currency`
  is not the charge's currency, `Fee` is in the converted currency. It is converted back at the
  row's own rate, Fee x Amount / Converted Amount, rounded half-up to the charge currency's minor
  unit in integers, and counted in `fees_converted`.
- A row whose `Status` is not a completed payment (Paid/Succeeded, Refunded, Partially refunded)
  is skipped and counted under its status (`failed`, `canceled`, `blocked`, ...); `Captured`
  false is an authorisation only, skipped as `uncaptured`; `Mode` Test as `test_mode`.
- product, plan, market and variant come from the payment's metadata (docs.stripe.com/
  reports/metadata), in the columns the options name. The export writes a key as
  `KEY (metadata)`; `metadata[KEY]` names the same key, and either spelling of an option finds
  either header. Any other name is a column of the file as it is (`--product-from Description`).

A problem names the file, the line (the header is line 1) and the Stripe column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from volmify_cli.errors import Problem, VolmifyError
from volmify_cli.exchange.bounded import (
    BoundedLines,
    input_name,
)
from volmify_cli.exchange.sales_csv import csv_records
from volmify_cli.inputs.sales import COLUMNS, SaleLine, parse_fields
from volmify_cli.money import format_amount, is_currency, minor_units, parse_amount

# docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL = frozenset({
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
})  # fmt: skip
COMPLETED = frozenset({"paid", "succeeded", "refunded", "partially_refunded"})

# volmify column (or a role of its own) -> the Stripe headers that give it, newest first.
REQUIRED = {
    "order_id": ("id",),
    "sold_at": ("Created date (UTC)", "Created (UTC)"),
    "amount": ("Amount",),
    "currency": ("Currency",),
    "status": ("Status",),
}
OPTIONAL = {
    "refunded": ("Amount Refunded",),
    "refunded_at": ("Refunded date (UTC)",),
    "fee": ("Fee",),
    "customer": ("Customer Email",),
    "captured": ("Captured",),
    "mode": ("Mode",),
    "converted_amount": ("Converted Amount",),
    "converted_currency": ("Converted Currency",),
}
_HINTS = {
    "sold_at": "export the payments in the UTC time zone",
    "status": "the export lists failed payments too: Status tells them apart",
}
_NAMES = {role: names[0] for role, names in (REQUIRED | OPTIONAL).items()}
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_METADATA = re.compile(r"metadata\[(?P<bracket>.+)\]|(?P<suffix>.+) \(metadata\)")


@dataclass(frozen=True)
class MetadataColumns:
    """The columns that name each row's product, plan, market and variant (`--*-from`)."""

    product: str = "metadata[product]"
    plan: str = "metadata[plan]"
    market: str = "metadata[market]"
    variant: str = "metadata[variant]"


def spellings(name: str) -> tuple[str, ...]:
    """The headers a column option finds: both spellings of a metadata key, else the name."""
    name = name.strip()
    found = _METADATA.fullmatch(name)
    if found is None:
        return (name,)
    key = found.group("bracket") or found.group("suffix")
    return (f"metadata[{key}]", f"{key} (metadata)")


def plain_amount(text: str, digits: int | None) -> str:
    """An amount as the sales rules read it: no thousands separators, and no zero decimals
    beyond `digits` (None: the currency is unknown, leave them)."""
    text = text.strip()
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    whole, dot, fraction = text.partition(".")
    if dot and digits is not None and len(fraction) > digits and not fraction[digits:].strip("0"):
        kept = fraction[:digits]
        return f"{whole}.{kept}" if kept else whole
    return text


def converted_fee(fee: int, amount: int, converted: int) -> int:
    """A fee in the settlement currency, in the charge's currency at the row's own rate
    (amount / converted, all in minor units), rounded half-up."""
    return (2 * fee * amount + converted) // (2 * converted)


def status_key(text: str) -> str:
    """`Partially refunded` -> `partially_refunded`: how statuses are compared and counted."""
    return "_".join(text.strip().lower().replace("-", " ").split())


@dataclass(frozen=True)
class _Layout:
    width: int
    at: dict[str, int]  # role -> index of its column in a row
    names: dict[str, str]  # role -> its header as the file writes it (for problems)

    def get(self, fields: list[str], role: str) -> str:
        index = self.at.get(role)
        return fields[index].strip() if index is not None else ""


class StripePayments:
    """The rows of a payments export as sales lines, read lazily from `lines`. `skipped` (rows
    left out, by reason) and `fees_converted` are complete once `lines` is exhausted."""

    def __init__(
        self, path: Path, *, columns: MetadataColumns | None = None, name: str | None = None
    ) -> None:
        self.name = name or input_name(path)
        self.skipped: Counter[str] = Counter()
        self.fees_converted = 0
        self.lines: Iterator[SaleLine | Problem] = self._read(path, columns or MetadataColumns())

    def tally(self) -> dict[str, Any]:
        """What the import result gains: the skipped rows by reason, the converted fees."""
        return {
            "skipped": dict(sorted(self.skipped.items())),
            "fees_converted": self.fees_converted,
        }

    def _read(self, path: Path, columns: MetadataColumns) -> Iterator[SaleLine | Problem]:
        """Raises InvalidInputError when the file cannot be read or a record is over the line
        limit (as a sales CSV), and ConfigError for a malformed limit."""
        yield from csv_records(
            path, self.name, lambda reader, source: self._rows(reader, source, columns)
        )

    def _rows(
        self, reader: Any, source: BoundedLines, columns: MetadataColumns
    ) -> Iterator[SaleLine | Problem]:
        header = next(reader, None)
        if header is None:
            yield Problem(self.name, None, None, "", "the file is empty (a header row is required)")
            return
        source.pending = 0
        layout = _layout([name.strip() for name in header], columns)
        if isinstance(layout, list):
            for problem in layout:
                yield Problem(self.name, 1, None, problem.path, problem.message)
            return
        last = reader.line_num
        for fields in reader:
            source.pending = 0  # the next record starts: the limit counts its bytes alone
            line, last = last + 1, reader.line_num
            if len(fields) != layout.width:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line
                yield Problem(
                    self.name,
                    line,
                    None,
                    "",
                    f"expected {layout.width} fields, found {len(fields)}",
                )
                continue
            yield from self._row(fields, line, layout)

    def _row(self, fields: list[str], line: int, layout: _Layout) -> Iterator[SaleLine | Problem]:
        skip = _skip_reason(fields, layout)
        if isinstance(skip, Problem):
            yield self._at(line, layout, skip)
            return
        if skip is not None:
            self.skipped[skip] += 1
            return
        texts, converted = _sale_texts(fields, layout)
        if isinstance(texts, Problem):
            yield self._at(line, layout, texts)
            return
        parsed = parse_fields(texts, file=self.name, line=line)
        if isinstance(parsed, SaleLine):
            self.fees_converted += converted
            yield parsed
            return
        for problem in parsed:
            yield self._at(line, layout, problem)

    def _at(self, line: int, layout: _Layout, problem: Problem) -> Problem:
        """A problem named by the Stripe column it comes from (`amount` -> `Amount`)."""
        header = layout.names.get(problem.path) or _NAMES.get(problem.path, problem.path)
        message = problem.message
        if message.startswith(problem.path + " "):
            message = header + message[len(problem.path) :]
        return Problem(self.name, line, None, header, message)


def _layout(header: list[str], columns: MetadataColumns) -> _Layout | list[Problem]:
    """Where each column is, or the problems of the header (a missing or doubled column)."""
    where: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        where.setdefault(name.casefold(), []).append(index)
    wanted: list[tuple[str, tuple[str, ...], str | None]] = [
        (role, names, _HINTS.get(role)) for role, names in REQUIRED.items()
    ]
    wanted += [(role, names, None) for role, names in OPTIONAL.items()]
    for role in ("product", "plan", "market", "variant"):
        option = f"--{role}-from"
        wanted.append((role, spellings(getattr(columns, role)), f"the column {option} names"))
    at: dict[str, int] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for role, candidates, hint in wanted:
        # the first spelling the file has (a newer export's, when it has both)
        found = next(
            (where[name.casefold()] for name in candidates if name.casefold() in where), []
        )
        if len(found) > 1:
            problems.append(
                Problem("", 1, None, header[found[0]], f"column {header[found[0]]!r} appears twice")
            )
        elif found:
            at[role], names[role] = found[0], header[found[0]]
        elif role in REQUIRED or role in ("product", "plan", "market"):
            shown = " or ".join(repr(name) for name in candidates)
            message = f"missing column {shown}" + (f" ({hint})" if hint else "")
            problems.append(Problem("", 1, None, candidates[0], message))
    return problems or _Layout(len(header), at, names)


def _skip_reason(fields: list[str], layout: _Layout) -> str | Problem | None:
    """Why a row is not a sale (its status, `uncaptured`, `test_mode`), or None."""
    status = status_key(layout.get(fields, "status"))
    if not status:
        return Problem("", None, None, "status", "status is required")
    if status not in COMPLETED:
        return status
    captured = layout.get(fields, "captured").lower()
    if captured not in ("", "true", "false"):
        return Problem("", None, None, "captured", f"captured {captured!r} is not true or false")
    if captured == "false":
        return "uncaptured"
    if layout.get(fields, "mode").lower() == "test":
        return "test_mode"
    return None


def _sale_texts(fields: list[str], layout: _Layout) -> tuple[list[str] | Problem, int]:
    """The row as the texts of a sales line (COLUMNS order), and 1 when its fee was converted
    from the settlement currency; or the problem of that conversion."""
    values = {role: layout.get(fields, role) for role in layout.at}
    currency = values["currency"] = values["currency"].upper()
    digits = minor_units(currency) if is_currency(currency) else None
    settlement = values.get("converted_currency", "").upper()
    fee_settled = bool(values.get("fee")) and bool(settlement) and settlement != currency
    charged = ("amount", "refunded") if fee_settled else ("amount", "refunded", "fee")
    for role in charged:
        values[role] = plain_amount(values.get(role, ""), digits)
        if digits and currency in ZERO_DECIMAL and values[role].partition(".")[2].strip("0"):
            # ISO gives MGA two digits, Stripe none (where ISO gives none, the sales rules say)
            message = f"{role} {values[role]!r}: Stripe charges {currency} in whole units"
            return Problem("", None, None, role, message), 0
    converted = 0
    if fee_settled and digits is not None:
        fee = _fee_in_charge_currency(values, currency, settlement)
        if isinstance(fee, Problem):
            return fee, 0
        values["fee"], converted = fee, 1
    if not values.get("refunded", "").strip("0."):
        values["refunded_at"] = ""  # nothing refunded, no refund to date
    return [values.get(column, "") for column in COLUMNS], converted


def _fee_in_charge_currency(
    values: dict[str, str], currency: str, settlement: str
) -> str | Problem:
    """`Fee` (in the settlement currency) as text in the charge's currency."""
    if not is_currency(settlement):
        message = f"converted_currency {settlement!r} is not an ISO 4217 code"
        return Problem("", None, None, "converted_currency", message)
    settled = minor_units(settlement)
    try:
        amount = parse_amount(values["amount"], currency)
    except VolmifyError:
        return ""  # the amount's own problem is reported by the sales rules
    if not values.get("converted_amount"):
        message = f"converted_amount is needed to convert the fee from {settlement} to {currency}"
        return Problem("", None, None, "converted_amount", message)
    read: dict[str, int] = {}
    for role in ("fee", "converted_amount"):
        try:
            read[role] = parse_amount(plain_amount(values.get(role, ""), settled), settlement)
        except VolmifyError as exc:
            reason = exc.reason.replace("amount", role, 1)
            return Problem("", None, None, role, f"{reason} (in {settlement}, Converted Currency)")
    if read["converted_amount"] == 0:
        message = f"converted_amount is 0: the fee cannot be converted from {settlement}"
        return Problem("", None, None, "converted_amount", message)
    fee = converted_fee(read["fee"], amount, read["converted_amount"])
    return format_amount(fee, currency)
