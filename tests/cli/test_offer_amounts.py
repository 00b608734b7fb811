"""Issue 20: a fixed-amount offer has one amount per currency.

On tests/data/catalog/acme.yaml (python-101/standard/basic costs 49.00 USD in us, 45.00 EUR in
eu, 6500 JPY in jp and 15.250 KWD in kw; its automatic offer ten-off takes 10.00 USD off in us),
a coupon's offer with amounts in several currencies:

- takes the amount of the market's currency off, read in that currency's minor units (JPY has
  no decimals, KWD three), and does not apply in a market whose currency it has no amount in;
  the coupon's note names the amounts it has;
- is the same offer, with the same quotes, whether `offers create --amount 5.00:USD ...` or a
  catalog's `amounts:` made it, and a bad amount gets the same words from both (exit 1 from an
  option, exit 3 with FILE:LINE:COLUMN and the currency's path from a file);
- is changed currency by currency (`offers update --amount`, `--remove-amount`; a catalog import
  plans `amount[EUR]: '4.50' -> '5.00'`), exported as `amounts:` (one currency: the short
  form), and export -> import changes nothing.

Expected amounts are worked out here from the written decimals, with the ISO 4217 digits.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.support import Cli

ACME_FILE = Path(__file__).resolve().parent.parent / "data" / "catalog" / "acme.yaml"
BASE = ACME_FILE.read_text(encoding="utf-8")
ORG = ("--org", "acme")
PLAN = "python-101/standard/basic"
AT = "2026-06-01"  # after the spring sale: only ten-off (us) and the coupon's offer apply
DIGITS = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
MARKETS = {"us": ("USD", "49.00"), "eu": ("EUR", "45.00"), "jp": ("JPY", "6500"),
           "kw": ("KWD", "15.250")}  # fmt: skip
TEN_OFF_US = 1000  # ten-off: 10.00 USD, automatic, in us

# The coupon's offer: no EUR amount (it does not apply in eu).
AMOUNTS = {"USD": "5.00", "JPY": "500", "KWD": "1.250"}


def minor(text: str, currency: str) -> int:
    return int(Decimal(text) * 10 ** DIGITS[currency])


def with_offer(offer_yaml: str) -> str:
    """acme.yaml with one more offer (written in YAML, indented as a list item)."""
    assert BASE.count("offers:\n") == 1
    return BASE.replace("offers:\n", "offers:\n" + offer_yaml, 1)


def yaml_offer(slug: str, amounts: dict[str, str], coupon: str) -> str:
    written = ", ".join(f'{code}: "{text}"' for code, text in amounts.items())
    return (
        f"  - slug: {slug}\n    type: fixed_amount\n    amounts: {{{written}}}\n"
        f"    plans: [{PLAN}]\n    coupons: [{coupon}]\n"
    )


def create_by_cli(cli: Cli, slug: str, amounts: dict[str, str], coupon: str) -> None:
    options = [arg for code, text in amounts.items() for arg in ("--amount", f"{text}:{code}")]
    cli.ok("offers", "create", slug, "--type", "fixed-amount", *options, "--plan", PLAN,
           "--coupon", coupon, *ORG)  # fmt: skip


def create_by_yaml(cli: Cli, tmp_path: Path, slug: str, amounts: dict[str, str]) -> None:
    path = tmp_path / "offer.yaml"
    path.write_text(with_offer(yaml_offer(slug, amounts, slug.upper())), encoding="utf-8")
    cli.ok("catalog", "import", str(path))


@pytest.fixture
def acme(cli: Cli) -> Cli:
    cli.ok("catalog", "import", str(ACME_FILE))
    return cli


def quote(cli: Cli, market: str, coupon: str) -> Any:
    return cli.json("plans", "price", PLAN, "--market", market, "--coupon", coupon, "--at", AT,
                    *ORG)  # fmt: skip


def discounts(record: Any) -> dict[str, int]:
    return {a["offer"]: a["discount_minor"] for a in record["applicable"]}


@pytest.mark.parametrize("source", ["cli", "yaml"])
def test_each_market_gets_the_amount_of_its_currency(
    acme: Cli, tmp_path: Path, source: str
) -> None:
    if source == "cli":
        create_by_cli(acme, "multi", AMOUNTS, "MULTI")
    else:
        create_by_yaml(acme, tmp_path, "multi", AMOUNTS)
    for market, (currency, price) in MARKETS.items():
        record = quote(acme, market, "multi")
        assert (record["currency"], record["list_price_minor"]) == (
            currency,
            minor(price, currency),
        )
        listed = minor(price, currency)
        if currency in AMOUNTS:
            off = min(minor(AMOUNTS[currency], currency), listed)
            assert discounts(record)["multi"] == off, market
            assert record["coupon_note"] is None
        else:
            assert "multi" not in discounts(record)
            assert record["coupon_note"] == (
                "offer 'multi' takes 500 JPY, 1.250 KWD or 5.00 USD off, which does not apply"
                f" to a price in {currency}"
            )
        best = max([0, *discounts(record).values()])
        assert (record["discount_minor"], record["final_price_minor"]) == (best, listed - best)
    # the figures themselves: 4900 - 1000 (ten-off beats 5.00), 4500, 6500 - 500, 15250 - 1250
    finals = {m: quote(acme, m, "multi")["final_price_minor"] for m in MARKETS}
    assert finals == {"us": 4900 - TEN_OFF_US, "eu": 4500, "jp": 6000, "kw": 14000}


def test_the_command_and_the_file_make_the_same_offer(acme: Cli, tmp_path: Path) -> None:
    create_by_cli(acme, "by-cli", AMOUNTS, "BY-CLI")
    create_by_yaml(acme, tmp_path, "by-yaml", AMOUNTS)
    made = {slug: acme.json("offers", "show", slug, *ORG) for slug in ("by-cli", "by-yaml")}
    for record in made.values():
        del record["slug"], record["coupons"]
    assert made["by-cli"] == made["by-yaml"]
    assert made["by-cli"]["amounts"] == [
        {"currency": "JPY", "amount_minor": 500, "amount": "500"},
        {"currency": "KWD", "amount_minor": 1250, "amount": "1.250"},
        {"currency": "USD", "amount_minor": 500, "amount": "5.00"},
    ]
    # several currencies: no single amount to name
    assert (made["by-cli"]["amount_minor"], made["by-cli"]["currency"]) == (None, None)
    for market in MARKETS:
        by_cli, by_yaml = quote(acme, market, "by-cli"), quote(acme, market, "by-yaml")
        assert discounts(by_cli).get("by-cli") == discounts(by_yaml).get("by-yaml")
        assert by_cli["final_price_minor"] == by_yaml["final_price_minor"]


# A bad amount in one currency, among good ones: the rule book's words, naming the currency.
BAD_AMOUNTS = [
    ("EUR", "9.999", "offer amount in EUR: '9.999' has too many decimals for EUR (at most 2"
                     " decimals)"),
    ("JPY", "5.5", "offer amount in JPY: '5.5' has too many decimals for JPY (no decimals)"),
    ("KWD", "1.2345", "offer amount in KWD: '1.2345' has too many decimals for KWD (at most 3"
                      " decimals)"),
    ("USD", "0", "offer amount in USD: '0' must be more than 0"),
    ("USD", "0.00", "offer amount in USD: '0.00' must be more than 0"),
    ("EUR", "4,50", "offer amount in EUR: '4,50' is not a decimal number like \"49.00\""),
]  # fmt: skip


@pytest.mark.parametrize(("currency", "text", "message"), BAD_AMOUNTS)
def test_a_bad_amount_gets_the_same_words_from_an_option_and_from_a_file(
    acme: Cli, tmp_path: Path, currency: str, text: str, message: str
) -> None:
    before = acme.json("offers", "list", *ORG)
    amounts = {"GBP": "3.00", currency: text}
    written = ", ".join(f'{code}: "{value}"' for code, value in amounts.items())
    path = tmp_path / "bad.yaml"
    path.write_text(
        with_offer(f"  - slug: bad\n    type: fixed_amount\n    amounts: {{{written}}}\n"),
        encoding="utf-8",
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "slug: bad" in t) + 2
    column = lines[line - 1].index(f'{currency}: "{text}"') + len(currency) + 3
    result = acme.fails(3, "catalog", "import", str(path))
    assert result.stderr.splitlines() == [
        f"{path}:{line}:{column}: offers[0].amounts.{currency}: {message}",
        "Error: 1 problem found; nothing was written",
    ]
    options = [a for code, value in amounts.items() for a in ("--amount", f"{value}:{code}")]
    refused = acme.fails(1, "offers", "create", "bad", "--type", "fixed-amount", *options, *ORG)
    assert refused.stderr == f"Error: {message}\n"
    assert acme.json("offers", "list", *ORG) == before


def test_the_short_form_reads_alike(acme: Cli, tmp_path: Path) -> None:
    """`amount` + `currency` (file) and `--amount A --currency C` (option): one amount, the
    same words for a bad one, at the path `amount`."""
    path = tmp_path / "short.yaml"
    path.write_text(
        with_offer('  - slug: bad\n    type: fixed_amount\n    amount: "5.5"\n    currency: JPY\n'),
        encoding="utf-8",
    )
    message = "offer amount in JPY: '5.5' has too many decimals for JPY (no decimals)"
    problem = acme.fails(3, "catalog", "import", str(path)).stderr.splitlines()[0]
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+: offers\[0\]\.amount: {re.escape(message)}",
                        problem), problem  # fmt: skip
    refused = acme.fails(1, "offers", "create", "bad", "--type", "fixed-amount", "--amount", "5.5",
                         "--currency", "jpy", *ORG)  # fmt: skip
    assert refused.stderr == f"Error: {message}\n"
    made = acme.json("offers", "create", "yen", "--type", "fixed-amount", "--amount", "500",
                     "--currency", "JPY", *ORG)  # fmt: skip
    assert (made["amount_minor"], made["amount"], made["currency"]) == (500, "500", "JPY")
    assert made["amounts"] == [{"currency": "JPY", "amount_minor": 500, "amount": "500"}]


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        (
            '    amount: "5.00"\n    currency: USD\n    amounts: {EUR: "4.50"}\n',
            "a fixed_amount offer takes amount and currency (one currency) or amounts (currency ->"
            " amount), not both",
        ),
        ('    amount: "5.00"\n', "a fixed_amount offer needs amount and currency, or amounts"),
        ("    amounts: {}\n", "amounts must name at least one currency"),
        ('    amounts: {usd: "5.00"}\n', "currency 'usd' is not an ISO 4217 code like EUR"),
        ('    amounts: {XYZ: "5.00"}\n', "unknown currency 'XYZ'"),
    ],
)
def test_a_file_gives_one_form_of_known_currencies(
    acme: Cli, tmp_path: Path, offer: str, message: str
) -> None:
    path = tmp_path / "forms.yaml"
    path.write_text(with_offer(f"  - slug: bad\n    type: fixed_amount\n{offer}"), encoding="utf-8")
    result = acme.fails(3, "catalog", "import", str(path))
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--amount", "5.00"], 2, "--amount 5.00 names no currency"),
        (["--amount", "5.00:USD", "--amount", "6:usd"], 2, "two amounts in USD"),
        (["--amount", "5.00:USD", "--currency", "EUR"], 2, "--currency goes with an --amount"),
        (["--amount", "5.00:XYZ"], 1, "unknown currency 'XYZ'"),
        ([], 2, "a fixed-amount offer needs --amount AMOUNT:CURRENCY"),
    ],
)
def test_the_options_name_each_amounts_currency(
    acme: Cli, args: list[str], code: int, words: str
) -> None:
    result = acme.fails(code, "offers", "create", "bad", "--type", "fixed-amount", *args, *ORG)
    assert words in result.stderr


def test_update_adds_replaces_and_removes_amounts_currency_by_currency(acme: Cli) -> None:
    create_by_cli(acme, "multi", AMOUNTS, "MULTI")
    assert "multi" not in discounts(quote(acme, "eu", "multi"))
    added = acme.json("offers", "update", "multi", "--amount", "4.50:EUR", *ORG)
    assert [(a["currency"], a["amount_minor"]) for a in added["amounts"]] == [
        ("EUR", 450), ("JPY", 500), ("KWD", 1250), ("USD", 500),
    ]  # fmt: skip
    assert discounts(quote(acme, "eu", "multi"))["multi"] == 450
    replaced = acme.json("offers", "update", "multi", "--amount", "4:eur", "--remove-amount",
                         "jpy", *ORG)  # fmt: skip
    assert {a["currency"]: a["amount"] for a in replaced["amounts"]} == {
        "EUR": "4.00", "KWD": "1.250", "USD": "5.00",
    }  # fmt: skip
    assert discounts(quote(acme, "eu", "multi"))["multi"] == 400
    gone = quote(acme, "jp", "multi")
    assert "multi" not in discounts(gone) and gone["final_price_minor"] == 6500
    assert gone["coupon_note"] == (
        "offer 'multi' takes 4.00 EUR, 1.250 KWD or 5.00 USD off, which does not apply to a"
        " price in JPY"
    )
    missing = acme.fails(1, "offers", "update", "multi", "--remove-amount", "JPY", *ORG)
    assert missing.stderr == "Error: offer 'multi' has no amount in JPY (it has EUR, KWD, USD)\n"
    last = acme.fails(1, "offers", "update", "multi", "--remove-amount", "EUR", "--remove-amount",
                      "KWD", "--remove-amount", "USD", *ORG)  # fmt: skip
    assert "a fixed-amount offer keeps at least one" in last.stderr
    both = acme.fails(2, "offers", "update", "multi", "--amount", "1:EUR", "--remove-amount",
                      "EUR", *ORG)  # fmt: skip
    assert "--amount and --remove-amount both name EUR" in both.stderr
    percentage = acme.fails(2, "offers", "update", "spring-sale", "--amount", "1:USD", *ORG)
    assert "offer 'spring-sale' is a percentage offer: it has no amounts" in percentage.stderr
    assert len(acme.json("offers", "show", "multi", *ORG)["amounts"]) == 3  # refusals wrote nothing


def test_an_import_plans_each_currency_and_export_import_changes_nothing(
    acme: Cli, tmp_path: Path
) -> None:
    four = {"USD": "5.00", "EUR": "4.50", "JPY": "500", "KWD": "1.250"}
    create_by_yaml(acme, tmp_path, "multi", four)
    exported = acme.ok("catalog", "export", *ORG).stdout
    # several currencies: `amounts`, by code; one currency (ten-off): the short form as before
    assert (
        '  - slug: multi\n    type: fixed_amount\n    amounts:\n      EUR: "4.50"\n'
        '      JPY: "500"\n      KWD: "1.250"\n      USD: "5.00"\n'
    ) in exported
    assert (
        '  - slug: ten-off\n    type: fixed_amount\n    amount: "10.00"\n    currency: USD\n'
        in (exported)
    )
    path = tmp_path / "exported.yaml"
    path.write_text(exported, encoding="utf-8")
    again = acme.json("catalog", "import", str(path))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert acme.ok("catalog", "export", *ORG).stdout == exported
    changed = exported.replace('      EUR: "4.50"\n', '      EUR: "5.00"\n').replace(
        '      JPY: "500"\n', ""
    )
    path.write_text(changed.replace('      KWD: "1.250"\n', '      KWD: "1.250"\n      GBP: "4"\n'))
    plan = acme.json("catalog", "diff", str(path))
    assert plan["changes"] == [
        {
            "action": "update",
            "entity": "offer",
            "key": "multi",
            "fields": {
                "amount[EUR]": {"old": "4.50", "new": "5.00"},
                "amount[GBP]": {"old": None, "new": "4.00"},
                "amount[JPY]": {"old": "500", "new": None},
            },
        }
    ]
    acme.ok("catalog", "import", str(path))
    shown = acme.json("offers", "show", "multi", *ORG)["amounts"]
    assert {a["currency"]: a["amount_minor"] for a in shown} == {
        "EUR": 500, "GBP": 400, "KWD": 1250, "USD": 500,
    }  # fmt: skip


def test_a_sales_import_warns_of_a_coupon_without_the_lines_currency(
    acme: Cli, tmp_path: Path
) -> None:
    """A recorded sale is kept as written: the coupon counts, the line says why it could not
    have applied (the rules of `plans price`)."""
    create_by_cli(acme, "multi", AMOUNTS, "MULTI")
    path = tmp_path / "sales.csv"
    path.write_text(
        "order_id,sold_at,product,variant,plan,market,currency,amount,coupon\n"
        "S-JP,2026-06-01,python-101,standard,basic,jp,JPY,6000,MULTI\n"
        "S-EU,2026-06-01,python-101,standard,basic,eu,EUR,45.00,MULTI\n",
        encoding="utf-8",
    )
    record = acme.json("sales", "import", str(path), *ORG)
    assert record["line_warnings"] == [
        {
            "order_id": "S-EU",
            "line": 3,
            "reason": "coupon MULTI cannot apply: offer 'multi' takes 500 JPY, 1.250 KWD or"
            " 5.00 USD off, which does not apply to a price in EUR",
        }
    ]
