"""`revenue report --rates FILE --in CODE` (issue 18): each row keeps its per-currency figures
and adds them converted at the ECB rate of each entry's day (the last rate on or before it,
through the euro), summed exactly and rounded once; the output names the file and the dates
whose rates were used; an entry with no rate is an error naming the currency and the date.
Expected values are computed here from the rates file with the csv module and Fractions."""

from __future__ import annotations

import csv
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from tests.support import Cli
from tests.world import build_world_at

RATES = Path(__file__).parents[2] / "fixtures" / "rates" / "eurofxref-hist.csv"
HEADER = "order_id,sold_at,product,plan,market,currency,amount,tax,fee"
# (order, day, market, currency, amount, fee): a Saturday uses Friday's rate
SALES = [
    ("C1", "2026-01-05", "us", "USD", "49.00", "1.50"),
    ("C2", "2026-01-10", "us", "USD", "20.00", "0.80"),  # Saturday
    ("C3", "2026-02-02", "jp", "JPY", "6500", "200"),
    ("C4", "2026-02-03", "eu", "EUR", "17.99", "0.55"),
]
DIGITS = {"USD": 2, "JPY": 0, "EUR": 2}


def _rates() -> dict[dt.date, dict[str, Fraction]]:
    with RATES.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = [cell.strip() for cell in rows[0]]
    table = {}
    for row in rows[1:]:
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        table[dt.date.fromisoformat(cells["Date"])] = {
            code: Fraction(value) for code, value in cells.items()
            if code and code != "Date" and value and value != "N/A"
        }  # fmt: skip
    return table


def _in_eur(minor: int, currency: str, day: dt.date) -> Fraction:
    if currency == "EUR":
        return Fraction(minor)
    table = _rates()
    used = max(d for d in table if d <= day)
    return Fraction(minor, 10 ** DIGITS[currency]) / table[used][currency] * 100


def _rounded(value: Fraction) -> int:
    """Half away from zero, once."""
    magnitude = (2 * abs(value.numerator) + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


@pytest.fixture
def sold(cli: Cli, db_url: str, tmp_path: Path) -> Cli:
    build_world_at(db_url)
    lines = [f"{o},{d},python-101,basic,{m},{c},{a},0,{f}" for o, d, m, c, a, f in SALES]
    path = tmp_path / "sales.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    cli.json("sales", "import", str(path), "--org", "acme")
    return cli


def _minor(text: str, currency: str) -> int:
    return int(Fraction(text) * 10 ** DIGITS[currency])


def test_every_row_and_the_totals_are_converted_once_at_each_days_rate(sold: Cli) -> None:
    report = sold.json("revenue", "report", "--org", "acme", "--rates", str(RATES), "--in",
                       "EUR", "--format", "json")  # fmt: skip
    nets = [
        (_minor(a, c) - _minor(f, c), c, dt.date.fromisoformat(d)) for _, d, _, c, a, f in SALES
    ]
    exact = sum(_in_eur(net, currency, day) for net, currency, day in nets)
    total = report["converted_totals"][0]
    assert (total["currency"], total["sales"]) == ("EUR", 4)
    assert total["net_minor"] == total["amount_minor"] == _rounded(exact)
    org_usd = next(r for r in report["rows"] if r["key"] == "org:acme" and r["currency"] == "USD")
    usd = [(net, c, d) for net, c, d in nets if c == "USD"]
    assert org_usd["converted_net_minor"] == _rounded(sum(_in_eur(*line) for line in usd))
    assert org_usd["net_minor"] == sum(net for net, *_ in usd)  # the USD figures stay
    assert report["conversion"] == {
        "currency": "EUR",
        "rates": str(RATES),
        "first_rate_date": "2026-01-05",
        "last_rate_date": "2026-02-02",  # the EUR sale of the 3rd needs no rate
    }


def test_a_currency_without_a_rate_is_an_error_naming_it_and_the_day(
    sold: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "kwd.csv"
    path.write_text(f"{HEADER}\nK1,2026-03-15,python-101,basic,kw,KWD,15.250,0,0\n", "utf-8")
    sold.json("sales", "import", str(path), "--org", "acme")
    failed = sold.fails(1, "revenue", "report", "--org", "acme", "--rates", str(RATES), "--in",
                        "EUR")  # fmt: skip
    assert "KWD" in failed.stderr and "2026-03-15" in failed.stderr
    converted = sold.json("revenue", "report", "--org", "acme", "--currency", "USD", "--rates",
                          str(RATES), "--in", "JPY", "--format", "json")  # fmt: skip
    assert converted["converted_totals"][0]["currency"] == "JPY"


def test_rates_and_in_go_together_and_a_creators_share_by_product_converts_too(
    sold: Cli,
) -> None:
    assert "go together" in sold.fails(2, "revenue", "report", "--org", "acme", "--rates",
                                       str(RATES)).stderr  # fmt: skip
    convert = ("--currency", "USD", "--rates", str(RATES), "--in", "EUR", "--format", "json")
    by_product = sold.json("revenue", "report", "--org", "acme", "--by", "product",
                           "--creator", "jane-doe", *convert)  # fmt: skip
    by_creator = sold.json("revenue", "report", "--org", "acme", *convert)
    jane = next(
        r for r in by_creator["rows"] if (r["kind"], r["key"]) == ("instructor", "jane-doe")
    )
    (python,) = by_product["rows"]  # jane earns from python-101 alone, on the same days
    assert python["converted_amount_minor"] == jane["converted_amount_minor"]


def test_balances_convert_earnings_at_their_days_and_payouts_at_theirs(sold: Cli) -> None:
    sold.json("payouts", "record", "instructor:jane-doe", "--org", "acme", "--amount", "5.00",
              "--currency", "USD", "--at", "2026-02-02")  # fmt: skip
    shown = sold.json("revenue", "balance", "--org", "acme", "--creator", "instructor:jane-doe",
                      "--rates", str(RATES), "--in", "EUR", "--format", "json")  # fmt: skip
    usd = next(row for row in shown["rows"] if row["currency"] == "USD")
    # jane's 40% of each USD line, on its day; the payout at the rate of February 2nd
    shares = [
        ((_minor(a, c) - _minor(f, c)) * 4000 // 10000, c, dt.date.fromisoformat(d))
        for _, d, _, c, a, f in SALES
        if c == "USD"
    ]
    earned = _rounded(sum(_in_eur(*share) for share in shares))
    paid = _rounded(_in_eur(500, "USD", dt.date(2026, 2, 2)))
    assert (usd["earned_minor"], usd["paid_minor"]) == (sum(s[0] for s in shares), 500)
    assert (usd["converted_earned_minor"], usd["converted_paid_minor"]) == (earned, paid)
    assert usd["converted_owed_minor"] == earned - paid
    assert shown["conversion"]["currency"] == "EUR"


def test_a_statement_converts_its_balance_and_names_the_rates(sold: Cli, tmp_path: Path) -> None:
    convert = ("--rates", str(RATES), "--in", "EUR")
    data = sold.json("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1",
                     "--format", "json", *convert)  # fmt: skip
    usd = next(row for row in data["balances"] if row["currency"] == "USD")
    shares = [
        ((_minor(a, c) - _minor(f, c)) * 4000 // 10000, c, dt.date.fromisoformat(d))
        for _, d, _, c, a, f in SALES
        if c == "USD"
    ]
    earned = _rounded(sum(_in_eur(*share) for share in shares))
    assert (usd["converted_opening_minor"], usd["converted_earned_minor"]) == (0, earned)
    assert usd["converted_closing_minor"] == earned
    assert data["conversion"]["rates"] == str(RATES)
    text = sold.ok("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1",
                   "--format", "markdown", *convert).stdout  # fmt: skip
    assert "## In EUR" in text and str(RATES) in text
    pdf = tmp_path / "jane.pdf"
    sold.ok("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1",
            "-o", str(pdf), *convert)  # fmt: skip
    from pypdf import PdfReader

    shown = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "In EUR" in shown and "eurofxref-hist.csv" in shown


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/New_York"])
def test_a_conversion_takes_the_rate_of_the_orgs_day_not_the_utc_day(
    cli: Cli, db_url: str, tmp_path: Path, zone: str
) -> None:
    """Tokyo's January 6th begins at 15:00 UTC on the 5th; New York's January 5th ends at 05:00
    UTC on the 6th: a sale between them is converted at the rate of the org's day, which differs
    from the UTC day's (1.1737 against 1.1731 USD to the euro)."""
    build_world_at(db_url)
    cli.json("orgs", "update", "acme", "--timezone", zone)
    sold_at, local_day = {
        "Asia/Tokyo": ("2026-01-05T20:00:00Z", dt.date(2026, 1, 6)),
        "America/New_York": ("2026-01-06T03:00:00Z", dt.date(2026, 1, 5)),
    }[zone]
    path = tmp_path / "sales.csv"
    path.write_text(f"{HEADER}\nZ1,{sold_at},python-101,basic,us,USD,49.00,0,1.50\n")
    cli.json("sales", "import", str(path), "--org", "acme")
    net = 4900 - 150
    utc_day = dt.date.fromisoformat(sold_at[:10])
    assert _rounded(_in_eur(net, "USD", local_day)) != _rounded(_in_eur(net, "USD", utc_day))
    convert = ("--rates", str(RATES), "--in", "EUR", "--format", "json")
    report = cli.json("revenue", "report", "--org", "acme", *convert)
    assert report["converted_totals"][0]["net_minor"] == _rounded(_in_eur(net, "USD", local_day))
    balance = cli.json("revenue", "balance", "--org", "acme", "--creator",
                       "instructor:jane-doe", *convert)  # fmt: skip
    (usd,) = balance["rows"]
    share = net * 4000 // 10000
    assert usd["converted_earned_minor"] == _rounded(_in_eur(share, "USD", local_day))
