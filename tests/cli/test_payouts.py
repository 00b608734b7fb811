"""`volmify payouts record|list` and `volmify revenue balance` (SPEC 5): on the recorded Q1
ledger of each backend, balances equal what the reference ledger earned minus the payouts, to
the minor unit, up to any day; payouts over what is owed or in a currency never earned in are
recorded with a warning; a payout names an instructor or a brand and is the org's alone."""

from __future__ import annotations

from tests.cli.test_revenue_cli import backend, recorded
from tests.revenue_reference import Payout, expected_balances, standard_ledger
from tests.support import Cli
from volmify_cli.db.direct import connect
from volmify_cli.reports.periods import parse_period
from volmify_cli.services.statements import creator_statement

__all__ = ["backend", "recorded"]  # the module-scoped recorded ledger, one per backend

ACME = ("--org", "acme")
PAYOUTS = [
    Payout("instructor", "jane-doe", "USD", 3000, "2026-01-31"),
    Payout("instructor", "jane-doe", "EUR", 1000, "2026-02-28"),
    Payout("brand", "acme-academy", "KWD", 1525, "2026-02-28"),
    Payout("instructor", "kim-lee", "USD", 1, "2026-03-31"),
]


def test_balances_are_earnings_minus_payouts_to_the_minor_unit(recorded: Cli) -> None:
    assert recorded.json("revenue", "balance", *ACME)["rows"] == expected_balances(
        standard_ledger(), []
    )
    for payout in PAYOUTS:
        digits = {"USD": 2, "EUR": 2, "KWD": 3}[payout.currency]
        amount = f"{payout.amount / 10**digits:.{digits}f}"  # the text a person types
        creator = f"{payout.kind}:{payout.key}" if payout.key == "jane-doe" else payout.key
        made = recorded.json("payouts", "record", creator, "--amount", amount, "--currency",
                             payout.currency, "--at", payout.paid_on, *ACME)  # fmt: skip
        assert made["amount_minor"] == payout.amount
    for at in (None, "2026-01-31", "2026-02-27", "2026-02-28", "2026-03-31"):
        shown = recorded.json("revenue", "balance", *ACME, *(("--at", at) if at else ()))
        assert shown["rows"] == expected_balances(standard_ledger(), PAYOUTS, at=at), at
    jane = recorded.json("revenue", "balance", "--creator", "instructor:jane-doe", *ACME)
    assert {row["key"] for row in jane["rows"]} == {"jane-doe"}
    assert all(row["kind"] == "instructor" for row in jane["rows"])
    # a statement's balance opens with what was owed before its period and closes with after
    reader = connect(recorded.db_url or "")
    assert reader is not None
    try:
        february = creator_statement(
            reader, org_slug="acme", creator="jane-doe", period=parse_period("2026-02")
        )
    finally:
        reader.close()
    owed = {
        at: {(r["currency"]): r["owed_minor"] for r in expected_balances(
            standard_ledger(), PAYOUTS, at=at) if r["key"] == "jane-doe" and r["kind"] == "instructor"}
        for at in ("2026-01-31", "2026-02-28")
    }  # fmt: skip
    for row in february["balances"]:
        assert row["opening_minor"] == owed["2026-01-31"].get(row["currency"], 0), row
        assert row["closing_minor"] == owed["2026-02-28"][row["currency"]], row
        assert (
            row["closing_minor"] == row["opening_minor"] + row["earned_minor"] - row["paid_minor"]
        )
    assert {r["currency"]: r["paid_minor"] for r in february["balances"]}["EUR"] == 1000
    listed = recorded.json("payouts", "list", "--creator", "instructor:jane-doe", *ACME)
    assert [(p["currency"], p["amount_minor"]) for p in listed] == [("USD", 3000), ("EUR", 1000)]
    assert recorded.json("payouts", "list", "--period", "2026-02", *ACME)[0]["amount"] == "10.00"


def test_a_payout_over_what_is_owed_or_in_a_new_currency_is_recorded_with_a_warning(
    recorded: Cli,
) -> None:
    """In org beta (jane-doe earned EUR 9.53 there): recorded, warned, and acme's balances
    never see it."""
    acme = recorded.json("revenue", "balance", "--creator", "instructor:jane-doe", *ACME)
    beta = ("--org", "beta")
    over = recorded.run("payouts", "record", "jane-doe", "--amount", "10.00", "--currency", "EUR",
                        "--format", "json", *beta)  # fmt: skip
    assert over.exit_code == 0, over.stderr
    assert "more than the 9.53 EUR instructor jane-doe is owed" in over.stderr
    never = recorded.run("payouts", "record", "jane-doe", "--amount", "5", "--currency", "GBP",
                         *beta)  # fmt: skip
    assert "has never earned in GBP in org beta" in never.stderr
    rows = recorded.json("revenue", "balance", *beta)["rows"]
    assert [(r["currency"], r["owed"]) for r in rows] == [("EUR", "-0.47"), ("GBP", "-5.00")]
    assert recorded.json("revenue", "balance", "--creator", "instructor:jane-doe", *ACME) == acme


def test_bad_payouts_are_refused_and_nothing_is_recorded(recorded: Cli) -> None:
    before = recorded.json("payouts", "list", *ACME)
    assert (
        "both an instructor and a brand"
        in recorded.fails(
            2, "payouts", "record", "jane-doe", "--amount", "1", "--currency", "USD", *ACME
        ).stderr
    )
    assert (
        "positive amount"
        in recorded.fails(
            1, "payouts", "record", "kim-lee", "--amount", "0", "--currency", "USD", *ACME
        ).stderr
    )
    assert (
        "unknown currency"
        in recorded.fails(
            2, "payouts", "record", "kim-lee", "--amount", "1", "--currency", "XYZ", *ACME
        ).stderr
    )
    recorded.fails(1, "payouts", "record", "kim-lee", "--amount", "1.001", "--currency", "USD",
                   *ACME)  # fmt: skip
    recorded.fails(1, "payouts", "record", "nobody", "--amount", "1", "--currency", "USD", *ACME)
    # a brand of another org is not a creator here
    recorded.fails(1, "payouts", "record", "brand:beta-brand", "--amount", "1", "--currency",
                   "EUR", *ACME)  # fmt: skip
    assert recorded.json("payouts", "list", *ACME) == before
