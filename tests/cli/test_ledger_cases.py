"""The cases finance reported against revision 1 (issue 17), replayed on the demo through the
real command line, and closed periods as finance uses them: `revenue close`, `revenue reopen
--yes`, `revenue closes`, and a closed month's statement printing the same bytes after late
refunds and payouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.support import Cli

SALES = Path(__file__).parents[2] / "fixtures" / "acme" / "sales.csv"


@pytest.fixture
def demo(cli: Cli) -> Cli:
    cli.ok("demo")
    return cli


def _line(order_id: str) -> list[str]:
    for line in SALES.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{order_id},"):
            return line.split(",")
    raise AssertionError(f"{order_id} is not in the demo's sales")


def _file(tmp_path: Path, line: list[str], refunded_at: str = "") -> str:
    header = SALES.read_text(encoding="utf-8").splitlines()[0] + ",refunded_at"
    path = tmp_path / "again.csv"
    path.write_text(f"{header}\n{','.join([*line, refunded_at])}\n", "utf-8")
    return str(path)


def _creators(cli: Cli, period: str, currency: str) -> dict[tuple[str, str], int]:
    report = cli.json("revenue", "report", "--org", "acme", "--by", "creator", "--period",
                      period, "--currency", currency, "--format", "json")  # fmt: skip
    return {(r["kind"], r["key"]): r["amount_minor"] for r in report["rows"]}


def _split(net: int, shown: dict[str, Any]) -> dict[str, int]:
    """SPEC 5's split of `net` by the shares the sale shows: floor per creator, org the rest."""
    parts = {
        a["key"]: (net * a["share_bp"] // 10000 if net > 0 else 0)
        for a in shown["allocations"]
        if a["kind"] != "org"
    }
    return parts | {"org:acme": net - sum(parts.values())}


def test_a_refund_returns_its_tax_so_creators_are_paid_on_the_true_net(demo: Cli) -> None:
    full = demo.json("sales", "show", "AC-0027", "--org", "acme", "--format", "json")
    # 35.00 paid, tax 5.59, fee 1.31, fully refunded: the org's loss is the fee alone
    assert (full["tax_refunded"], full["net"]) == ("5.59", "-1.31")
    assert {a["key"]: a["amount_minor"] for a in full["allocations"]} == _split(-131, full)
    partial = demo.json("sales", "show", "AC-0004", "--org", "acme", "--format", "json")
    # 17.50 of 35.00 refunded returns 2.80 of the tax: 35.00 - 5.59 - 1.31 - (17.50 - 2.80)
    assert (partial["tax_refunded"], partial["net"]) == ("2.80", "13.40")
    assert {a["key"]: a["amount_minor"] for a in partial["allocations"]} == _split(1340, partial)


def test_a_refund_recorded_later_never_rewrites_the_month_of_the_sale(
    demo: Cli, tmp_path: Path
) -> None:
    january = _creators(demo, "2026-01", "EUR")
    line = _line("AC-0006")
    line[10] = "45.00"  # refunded in full, re-imported with --update as revision 1 required
    made = demo.json("sales", "import", _file(tmp_path, line), "--org", "acme", "--update",
                     "--format", "json")  # fmt: skip
    assert (made["refunded"], made["replaced"]) == (["AC-0006"], [])
    assert _creators(demo, "2026-01", "EUR") == january
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    shown = demo.json("sales", "show", "AC-0006", "--org", "acme", "--format", "json")
    refund = [e for e in shown["entries"] if e["kind"] == "refund"]
    assert [e["at"][:7] for e in refund] == [today]
    assert shown["net"] == "-1.60"


def test_a_closed_months_statement_prints_the_same_bytes_after_late_refunds_and_payouts(
    demo: Cli, tmp_path: Path
) -> None:
    statement = ("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-01",
                 "--format", "markdown")  # fmt: skip
    before = demo.ok(*statement).stdout
    closed = demo.json("revenue", "close", "2026-01", "--org", "acme", "--format", "json")
    assert (closed["closed_through"], closed["changed"]) == ("2026-01-31", True)
    line = _line("AC-0006")
    line[10] = "45.00"  # refunded on January 20th, reported after the close
    refund = demo.run("sales", "import", _file(tmp_path, line, "2026-01-20"), "--org", "acme")
    assert refund.exit_code == 0
    assert "closed through 2026-01-31" in refund.stderr and "AC-0006" in refund.stderr
    paid = demo.run("payouts", "record", "instructor:jane-doe", "--org", "acme", "--amount",
                    "10.00", "--currency", "EUR", "--at", "2026-01-31")  # fmt: skip
    assert paid.exit_code == 0 and "2026-02-01" in paid.stderr
    assert demo.ok(*statement).stdout == before
    february = demo.ok("revenue", "statement", "jane-doe", "--org", "acme", "--period",
                       "2026-02", "--format", "markdown").stdout  # fmt: skip
    assert "| 2026-02-01 (for 2026-01-31) |" in february  # the payout
    assert "| 2026-02-01 (for 2026-01-20) | AC-0006 | python-101 | refund |" in february


def test_reopen_asks_first_and_the_history_names_who_and_when(demo: Cli) -> None:
    demo.json("revenue", "close", "2026-Q1", "--org", "acme", "--format", "json")
    again = demo.json("revenue", "close", "2026-02", "--org", "acme", "--format", "json")
    assert (again["changed"], again["closed_through"]) == (False, "2026-03-31")
    refused = demo.fails(2, "revenue", "reopen", "2026-03", "--org", "acme")
    assert "pass --yes" in refused.stderr
    reopened = demo.json("revenue", "reopen", "2026-03", "--org", "acme", "--yes",
                         "--format", "json")  # fmt: skip
    assert reopened["closed_through"] == "2026-02-28"
    history = demo.json("revenue", "closes", "--org", "acme", "--format", "json")
    assert [(h["action"], h["period"], h["closed_through"]) for h in history] == [
        ("close", "2026-Q1", "2026-03-31"),
        ("reopen", "2026-03", "2026-02-28"),
    ]
    assert all(h["recorded_by"] and h["recorded_at"] for h in history)
