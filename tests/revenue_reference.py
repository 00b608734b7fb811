"""The test data set for sales and revenue, and an independent reference of the SPEC 5 rules.

The reference re-states the rules in the plainest Python (net = amount - tax - fee - (refunded -
the tax the refund returned, in proportion, rounded half-up with `decimal`); floor of net * share /
10000 for each attributed recipient, the org keeps the rest and bears a negative net; reports
group the resulting allocations), without importing anything from volmify, so tests compare the code under
test against it rather than against itself. A few hand-computed numbers in the tests anchor the
reference too.
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

    @property
    def tax_refunded(self) -> int:
        """SPEC 5, revision 2: a refund returns its proportional part of the tax."""
        if not self.amount:
            return 0
        exact = Decimal(self.tax) * Decimal(self.refunded) / Decimal(self.amount)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def net(self) -> int:
        return self.amount - self.tax - self.fee - (self.refunded - self.tax_refunded)

    @property
    def moment(self) -> dt.datetime:
        value = dt.datetime.fromisoformat(self.sold_at.replace("Z", "+00:00"))
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def decimal_text(minor: int, currency: str) -> str:
    digits = DIGITS[currency]
    if digits == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{str(frac).rjust(digits, '0')}"


def csv_text(sales: Iterable[Sale], *, bom: bool = False) -> str:
    lines = [HEADER]
    for s in sales:
        money = [decimal_text(v, s.currency) if v else "" for v in (s.tax, s.fee, s.refunded)]
        lines.append(
            ",".join(
                [s.order_id, s.sold_at, s.product, s.variant, s.plan, s.market, s.currency,
                 decimal_text(s.amount, s.currency), *money,
                 str(s.quantity) if s.quantity != 1 else "", s.customer, s.coupon]
            )
        )  # fmt: skip
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
MONTHS = {"01": "January", "02": "February", "03": "March", "04": "April"}


@dataclass(frozen=True)
class Part:
    kind: str
    key: str
    share: int
    amount: int


def split(sale: Sale, recipients: Sequence[Recipient]) -> list[Part]:
    net = sale.net
    parts = [
        Part(kind, key, bp, net * bp // 10000 if net > 0 else 0) for kind, key, bp in recipients
    ]
    org_share = max(0, 10000 - sum(bp for _, _, bp in recipients))
    parts.append(Part("org", f"org:{sale.org}", org_share, net - sum(p.amount for p in parts)))
    return parts


def ledger(recorded: Iterable[tuple[Sale, dict[str, list[Recipient]]]]) -> list[tuple[Sale, Part]]:
    """Every (sale, allocation) of the sales, each split by the attribution it was recorded with."""
    return [(sale, part) for sale, shares in recorded for part in split(sale, shares[sale.product])]


def standard_ledger() -> list[tuple[Sale, Part]]:
    return ledger(
        [(s, ATTRIBUTION_1) for s in PART_1 + BETA] + [(s, ATTRIBUTION_2) for s in PART_2]
    )


def in_period(sale: Sale, start: str | None, end: str | None) -> bool:
    day = sale.moment.date().isoformat()
    return (start is None or day >= start) and (end is None or day <= end)


def _money(row: dict[str, Any], currency: str) -> dict[str, Any]:
    for field in ("gross", "net", "amount"):
        row[field] = decimal_text(row[f"{field}_minor"], currency)
    return row


def expected_report(
    entries: Sequence[tuple[Sale, Part]],
    *,
    by: str = "creator",
    org: str | None = "acme",
    start: str | None = None,
    end: str | None = None,
    creator: str | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """The report SPEC 5 describes, computed from the reference ledger."""
    chosen = [
        (sale, part)
        for sale, part in entries
        if (org is None or sale.org == org)
        and in_period(sale, start, end)
        and (currency is None or sale.currency == currency)
        and (creator is None or (part.kind == "instructor" and part.key == creator))
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
        row["sales"] += 1
        row["gross_minor"] += sale.amount
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
        total["sales"] += 1
        total["gross_minor"] += sale.amount
        total["net_minor"] += sale.net
        total["amount_minor"] += part.amount if creator is not None else sale.net
    return {
        "org": org,
        "from": start,
        "to": end,
        "by": by,
        "rows": result_rows,
        "totals": [_money({"currency": c, **t}, c) for c, t in sorted(totals.items())],
    }


def _view_key(sale: Sale, by: str) -> str | None:
    if by == "product":
        return sale.product
    if by == "market":
        return sale.market
    if by == "month":
        return sale.moment.strftime("%Y-%m")
    return PRIMARY_BRAND[sale.product]


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
    entries: Sequence[tuple[Sale, Part]],
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
