"""The test data set for sales and revenue, and an independent reference of the SPEC 5 rules.

The reference re-states the rules in the plainest Python (net = amount - tax - fee - (refunded -
the tax the refund returned, in proportion, rounded half-up with `decimal`); floor of net * share /
10000 for each attributed recipient, the org keeps the rest and bears a negative net; reports
group the resulting allocations), without importing anything from volmify, so tests compare the code under
test against it rather than against itself. A few hand-computed numbers in the tests anchor the
reference too.

The ledger is a `Book` of dated entries (SPEC 5, revision 2): a sale at `sold_at`; its refund at
`refunded_at` (or with the sale); a later refund takes each recipient from what it holds to the
split of the net after it; an update reverses what the order holds and records it again, both at
the moment of the update; an entry dated on a closed day is dated the first open day. Reports
group the entries dated in their period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DIGITS = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
HEADER = (
    "order_id,sold_at,product,variant,plan,market,currency,amount,tax,fee,refunded,quantity,"
    "customer,coupon"
)


@dataclass(frozen=True)
class Sale:
    order_id: str
    sold_at: str
    product: str
    variant: str
    plan: str
    market: str
    currency: str
    amount: int  # minor units
    tax: int = 0
    fee: int = 0
    refunded: int = 0
    quantity: int = 1
    customer: str = ""
    coupon: str = ""
    org: str = "acme"
    refunded_at: str = ""
    tax_refunded_given: int | None = None  # the line's `tax_refunded` column

    @property
    def tax_refunded(self) -> int:
        """SPEC 5, revision 2: a refund returns its proportional part of the tax."""
        if self.tax_refunded_given is not None:
            return self.tax_refunded_given
        if not self.amount:
            return 0
        exact = Decimal(self.tax) * Decimal(self.refunded) / Decimal(self.amount)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def net(self) -> int:
        return self.amount - self.tax - self.fee - (self.refunded - self.tax_refunded)

    @property
    def sold_net(self) -> int:
        return self.amount - self.tax - self.fee

    @property
    def moment(self) -> dt.datetime:
        return moment_of(self.sold_at)


def moment_of(text: str) -> dt.datetime:
    """An ISO date or date-time as an aware UTC moment (a date is its midnight, UTC)."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def decimal_text(minor: int, currency: str) -> str:
    digits = DIGITS[currency]
    if digits == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{str(frac).rjust(digits, '0')}"


def csv_text(sales: Iterable[Sale], *, bom: bool = False) -> str:
    """The sales as a CSV file; the revision-2 columns appear when a sale uses them."""
    sales = list(sales)
    newer = any(s.refunded_at or s.tax_refunded_given is not None for s in sales)
    lines = [HEADER + (",refunded_at,tax_refunded" if newer else "")]
    for s in sales:
        money = [decimal_text(v, s.currency) if v else "" for v in (s.tax, s.fee, s.refunded)]
        fields = [s.order_id, s.sold_at, s.product, s.variant, s.plan, s.market, s.currency,
                  decimal_text(s.amount, s.currency), *money,
                  str(s.quantity) if s.quantity != 1 else "", s.customer, s.coupon]  # fmt: skip
        if newer:
            given = s.tax_refunded_given
            fields += [s.refunded_at, "" if given is None else decimal_text(given, s.currency)]
        lines.append(",".join(fields))
    return ("\ufeff" if bom else "") + "\n".join(lines) + "\n"


# -- the data set: acme sells in USD, EUR, JPY and KWD; python-101's shares change on Feb 15 ----

PART_1 = [
    Sale("S1", "2026-01-05", "python-101", "", "basic", "us", "USD", 4900, tax=400, fee=150),
    Sale("S2", "2026-01-10T09:30:00Z", "python-101", "standard", "premium", "eu", "EUR", 1799,
         tax=287, fee=55),
    Sale("S3", "2026-01-20", "python-101", "", "basic", "jp", "JPY", 6500, fee=200),
    Sale("S4", "2026-01-25", "python-101", "", "basic", "kw", "KWD", 15250, tax=750, fee=125),
    Sale("S5", "2026-02-03", "data-viz", "", "basic", "us", "USD", 3000, fee=90, refunded=3000),
    Sale("S6", "2026-02-05", "data-viz", "team", "basic", "us", "USD", 12000, tax=2000, fee=350,
         refunded=1000, quantity=3),
    Sale("S7", "2026-02-10", "mentoring", "", "hour", "jp", "JPY", 12000, fee=360),
    Sale("S8", "2026-02-12", "data-viz", "", "basic", "kw", "KWD", 9000, tax=450, fee=1),
    Sale("S9", "2026-02-14", "python-101", "", "basic", "eu", "EUR", 4500, tax=718, fee=131,
         customer="Buyer@Example.org", coupon="spring10"),
]  # fmt: skip
PART_2 = [
    Sale("S10", "2026-02-20", "python-101", "", "basic", "us", "USD", 4900, fee=172),
    Sale("S11", "2026-03-01T23:30:00-02:00", "python-101", "", "basic", "jp", "JPY", 6500,
         fee=195, refunded=1000),
    Sale("S12", "2026-03-15", "python-101", "", "basic", "kw", "KWD", 15250, fee=457),
    Sale("S13", "2026-03-31T23:59:59Z", "python-101", "standard", "premium", "eu", "EUR", 1799,
         tax=287, fee=55),
    Sale("S14", "2026-04-01T00:00:00Z", "python-101", "", "basic", "us", "USD", 4900),
]  # fmt: skip
BETA = [
    Sale("B1", "2026-02-02", "rust-intro", "", "basic", "de", "EUR", 3900, tax=623, fee=100,
         org="beta"),
]  # fmt: skip

Recipient = tuple[str, str, int]  # kind, key, share_bp
ATTRIBUTION_1: dict[str, list[Recipient]] = {
    "python-101": [
        ("instructor", "jane-doe", 4000),
        ("instructor", "john-roe", 2000),
        ("brand", "acme-academy", 1000),
    ],
    "data-viz": [("instructor", "kim-lee", 5000), ("brand", "jane-doe", 0)],
    "mentoring": [],
    "rust-intro": [("instructor", "jane-doe", 3000)],
}
ATTRIBUTION_2 = {
    **ATTRIBUTION_1,
    "python-101": [
        ("instructor", "jane-doe", 5000),
        ("instructor", "john-roe", 1000),
        ("brand", "acme-academy", 1000),
    ],
}
PRIMARY_BRAND = {"python-101": "acme-academy", "data-viz": "jane-doe", "mentoring": None}
LABELS = {
    ("instructor", "jane-doe"): "Jane Doe",
    ("instructor", "john-roe"): "John Roe",
    ("instructor", "kim-lee"): "Kim Lee",
    ("brand", "acme-academy"): "Acme Academy",
    ("brand", "jane-doe"): "Jane Doe Originals",
    ("org", "org:acme"): "Acme Learning",
    ("org", "org:beta"): "Beta School",
    ("product", "python-101"): "Python 101",
    ("product", "data-viz"): "Data Viz",
    ("product", "mentoring"): "Mentoring",
    ("brand", None): "(no brand)",
}
MONTHS = {
    f"{number:02d}": name
    for number, name in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"],
        start=1,
    )
}  # fmt: skip


@dataclass(frozen=True)
class Part:
    kind: str
    key: str
    share: int
    amount: int


def split(sale: Sale, recipients: Sequence[Recipient], net: int | None = None) -> list[Part]:
    """The split of `net` (default: the sale's net after its refund) by `recipients`."""
    net = sale.net if net is None else net
    parts = [
        Part(kind, key, bp, net * bp // 10000 if net > 0 else 0) for kind, key, bp in recipients
    ]
    org_share = max(0, 10000 - sum(bp for _, _, bp in recipients))
    parts.append(Part("org", f"org:{sale.org}", org_share, net - sum(p.amount for p in parts)))
    return parts


@dataclass(frozen=True)
class Entry:
    """One dated event of a sales line, with the line's figures it adds."""

    kind: str  # sale | refund | reversal | correction
    sale: Sale  # the line as it was when the entry was recorded
    moment: dt.datetime
    count: int
    gross: int
    net: int

    @property
    def org(self) -> str:
        return self.sale.org

    @property
    def currency(self) -> str:
        return self.sale.currency

    @property
    def product(self) -> str:
        return self.sale.product


class Book:
    """The reference ledger: entries as SPEC 5 (revision 2) records them."""

    def __init__(self) -> None:
        self.entries: list[tuple[Entry, Part]] = []
        self.current: dict[str, tuple[Sale, list[Recipient]]] = {}
        self.closed_through: dt.date | None = None

    def _dated(self, moment: dt.datetime) -> dt.datetime:
        if self.closed_through is None:
            return moment
        opens = dt.datetime.combine(
            self.closed_through + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
        )
        return max(moment, opens)

    def held(self, order_id: str) -> dict[tuple[str, str], int]:
        sums: dict[tuple[str, str], int] = {}
        for entry, part in self.entries:
            if entry.sale.order_id == order_id:
                sums[(part.kind, part.key)] = sums.get((part.kind, part.key), 0) + part.amount
        return sums

    def _add(self, entry: Entry, parts: list[Part]) -> None:
        self.entries += [(entry, part) for part in parts]

    def _move_to(self, sale: Sale, recipients: list[Recipient], kind: str, moment: dt.datetime,
                 figures: tuple[int, int, int], net_after: int) -> None:  # fmt: skip
        """An entry that takes each recipient from what it holds to the split of `net_after`."""
        held = self.held(sale.order_id)
        parts = [
            Part(p.kind, p.key, p.share, p.amount - held.get((p.kind, p.key), 0))
            for p in split(sale, recipients, net_after)
        ]
        self._add(Entry(kind, sale, self._dated(moment), *figures), parts)

    def record(self, sale: Sale, recipients: list[Recipient]) -> None:
        """A new line: its sale, and its refund when it has one."""
        self.current[sale.order_id] = (sale, recipients)
        self._move_to(sale, recipients, "sale", sale.moment, (1, sale.amount, sale.sold_net),
                      sale.sold_net)  # fmt: skip
        if sale.refunded:
            at = moment_of(sale.refunded_at) if sale.refunded_at else sale.moment
            self._move_to(sale, recipients, "refund", at, (0, 0, sale.net - sale.sold_net),
                          sale.net)  # fmt: skip

    def refund(self, sale: Sale, recorded_at: dt.datetime) -> None:
        """A recorded line whose refund grew: the refund alone, dated `refunded_at` or when it
        was recorded."""
        before, recipients = self.current[sale.order_id]
        self.current[sale.order_id] = (sale, recipients)
        at = moment_of(sale.refunded_at) if sale.refunded_at else recorded_at
        self._move_to(sale, recipients, "refund", at, (0, 0, sale.net - before.net), sale.net)

    def update(self, sale: Sale, recorded_at: dt.datetime, current: list[Recipient]) -> None:
        """`--update`: a reversal of all the order holds and a correction at its new net, both
        at `recorded_at`; the first recording's shares when the product is unchanged."""
        before, recipients = self.current[sale.order_id]
        totals = [0, 0, 0]
        for entry in {
            id(e): e for e, _ in self.entries if e.sale.order_id == sale.order_id
        }.values():
            totals = [totals[0] + entry.count, totals[1] + entry.gross, totals[2] + entry.net]
        self._move_to(before, recipients, "reversal", recorded_at,
                      (-totals[0], -totals[1], -totals[2]), 0)  # fmt: skip
        shares = recipients if before.product == sale.product else current
        self.current[sale.order_id] = (sale, shares)
        self._move_to(sale, shares, "correction", recorded_at, (1, sale.amount, sale.net),
                      sale.net)  # fmt: skip


def ledger(recorded: Iterable[tuple[Sale, dict[str, list[Recipient]]]]) -> list[tuple[Entry, Part]]:
    """Every (entry, allocation) of the sales, each split by the attribution it was recorded
    with."""
    book = Book()
    for sale, shares in recorded:
        book.record(sale, shares[sale.product])
    return book.entries


def standard_ledger() -> list[tuple[Entry, Part]]:
    return ledger(
        [(s, ATTRIBUTION_1) for s in PART_1 + BETA] + [(s, ATTRIBUTION_2) for s in PART_2]
    )


def in_period(dated: Sale | Entry, start: str | None, end: str | None) -> bool:
    day = dated.moment.date().isoformat()
    return (start is None or day >= start) and (end is None or day <= end)


def _money(row: dict[str, Any], currency: str) -> dict[str, Any]:
    for field in ("gross", "net", "amount"):
        row[field] = decimal_text(row[f"{field}_minor"], currency)
    return row


def expected_report(
    entries: Sequence[tuple[Entry, Part]],
    *,
    by: str = "creator",
    org: str | None = "acme",
    start: str | None = None,
    end: str | None = None,
    creator: str | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """The report SPEC 5 describes, computed from the reference ledger. `creator` is an
    instructor's slug, or `brand:SLUG` (`instructor:SLUG` too)."""
    kind, _, key = creator.rpartition(":") if creator is not None else ("", "", "")
    chosen = [
        (sale, part)
        for sale, part in entries
        if (org is None or sale.org == org)
        and in_period(sale, start, end)
        and (currency is None or sale.currency == currency)
        and (creator is None or (part.kind == (kind or "instructor") and part.key == key))
    ]
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for sale, part in chosen:
        if by == "creator":
            group: tuple[Any, ...] = (part.kind, part.key)
        elif creator is None and part.kind != "org":
            continue  # other views count each line once: through its org allocation
        else:
            group = (_view_key(sale, by),)
        row = rows.setdefault(
            (*group, sale.currency),
            {"sales": 0, "gross_minor": 0, "net_minor": 0, "amount_minor": 0},
        )
        row["sales"] += sale.count
        row["gross_minor"] += sale.gross
        row["net_minor"] += sale.net
        row["amount_minor"] += part.amount if by == "creator" or creator is not None else sale.net
    result_rows = []
    for group_key, sums in rows.items():
        *group, cur = group_key
        if by == "creator":
            kind, key = group
            row = {"key": key, "label": LABELS[(kind, key)], "kind": kind}
        else:
            (key,) = group
            row = {"key": key, "label": _view_label(by, key)}
        row["currency"] = cur
        row |= {k: sums[k] for k in ("sales", "gross_minor", "net_minor", "amount_minor")}
        result_rows.append(_money(row, cur))
    result_rows.sort(
        key=lambda r: (r["currency"], -r["amount_minor"], r["key"] or "", r.get("kind", ""))
    )
    totals: dict[str, dict[str, Any]] = {}
    for sale, part in chosen:
        if creator is None and part.kind != "org":
            continue
        total = totals.setdefault(
            sale.currency, {"sales": 0, "gross_minor": 0, "net_minor": 0, "amount_minor": 0}
        )
        total["sales"] += sale.count
        total["gross_minor"] += sale.gross
        total["net_minor"] += sale.net
        total["amount_minor"] += part.amount if creator is not None else sale.net
    return {
        "org": org,
        "from": start,
        "to": end,
        "by": by,
        "timezone": "UTC",
        "rows": result_rows,
        "totals": [_money({"currency": c, **t}, c) for c, t in sorted(totals.items())],
    }


def _view_key(entry: Entry, by: str) -> str | None:
    if by == "product":
        return entry.sale.product
    if by == "market":
        return entry.sale.market
    if by == "month":
        return entry.moment.strftime("%Y-%m")
    return PRIMARY_BRAND[entry.sale.product]


def _view_label(by: str, key: str | None) -> str:
    if by == "market":
        return str(key).upper()
    if by == "month":
        assert key is not None
        return f"{MONTHS[key[5:7]]} {key[:4]}"
    if by == "brand":
        return LABELS[("brand", key)]
    return LABELS[("product", key)]


# -- payouts and balances --------------------------------------------------------------------------


@dataclass(frozen=True)
class Payout:
    kind: str  # instructor | brand
    key: str
    currency: str
    amount: int  # minor units
    paid_on: str  # YYYY-MM-DD


def expected_balances(
    entries: Sequence[tuple[Entry, Part]],
    payouts: Sequence[Payout],
    *,
    org: str = "acme",
    at: str | None = None,
) -> list[dict[str, Any]]:
    """Per creator and currency: earned (its allocations of sales up to `at`), paid (payouts up
    to `at`) and owed = earned - paid, in the order `revenue balance` shows them."""
    sums: dict[tuple[str, str, str], list[int]] = {}
    for sale, part in entries:
        if sale.org == org and part.kind != "org" and in_period(sale, None, at):
            sums.setdefault((part.kind, part.key, sale.currency), [0, 0])[0] += part.amount
    for payout in payouts:
        if at is None or payout.paid_on <= at:
            key = (payout.kind, payout.key, payout.currency)
            sums.setdefault(key, [0, 0])[1] += payout.amount
    rows = []
    for (kind, key, currency), (earned, paid) in sums.items():
        row = {"key": key, "label": LABELS[(kind, key)], "kind": kind, "currency": currency}
        for name, value in (("earned", earned), ("paid", paid), ("owed", earned - paid)):
            row[f"{name}_minor"] = value
            row[name] = decimal_text(value, currency)
        rows.append(row)
    rows.sort(key=lambda r: (r["currency"], -r["owed_minor"], r["key"], r["kind"]))
    return rows
