"""`volmify sales import --from stripe` through the real command line, on both databases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support import Cli
from tests.world import build_world_at

FIXTURE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "stripe" / "payments.csv"
HEADER = (
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Status,"
    "Customer Email,metadata[product],metadata[plan],metadata[market]"
)


@pytest.fixture
def world(cli: Cli, db_url: str) -> Cli:
    build_world_at(db_url)
    return cli


@pytest.fixture
def payments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURE, "payments.csv")
    return "payments.csv"


def test_a_payments_export_records_its_sales_and_counts_what_it_skipped(
    world: Cli, payments: str
) -> None:
    result = world.ok(
        "sales", "import", "--from", "stripe", payments, "--org", "acme", "--format", "json"
    )
    imported = json.loads(result.stdout)
    assert (imported["lines"], imported["created"], imported["unchanged"]) == (5, 5, 0)
    assert imported["skipped"] == {"failed": 2, "uncaptured": 1}
    assert imported["fees_converted"] == 3
    assert "Skipped 3 Stripe payments that are not sales: failed 2, uncaptured 1" in result.stderr
    listed = world.json("sales", "list", "--org", "acme", "--sort", "oldest")
    assert [(s["order_id"], s["currency"], s["amount"], s["net"], s["status"]) for s in listed] == [
        ("ch_vm_0001", "USD", "49.00", "47.28", "paid"),
        ("ch_vm_0002", "EUR", "45.00", "43.42", "paid"),  # the fee converted: 1.58 EUR
        ("ch_vm_0003", "JPY", "6500", "-233", "refunded"),  # a full refund: Stripe kept its fee
        ("ch_vm_0004", "KWD", "15.250", "9.715", "partially_refunded"),
        ("ch_vm_0005", "USD", "1200.00", "1164.90", "paid"),
    ]  # fmt: skip
    shown = world.json("sales", "show", "ch_vm_0003", "--org", "acme")
    assert [entry["at"][:10] for entry in shown["entries"]] == ["2026-03-05", "2026-03-12"]
    again = world.json("sales", "import", "--from", "stripe", payments, "--org", "acme")
    assert (again["created"], again["unchanged"], again["skipped"]) == (
        0, 5, {"failed": 2, "uncaptured": 1},
    )  # fmt: skip


def test_the_table_says_what_was_skipped(world: Cli, payments: str) -> None:
    result = world.ok(
        "sales", "import", "--from", "stripe", payments, "--org", "acme", "--dry-run",
        "--format", "table",
    )  # fmt: skip
    assert "Skipped" in result.stdout and "failed 2, uncaptured 1" in result.stdout
    assert "Dry run: nothing was written." in result.stderr
    assert world.json("sales", "list", "--org", "acme") == []


def test_rows_that_cannot_be_mapped_are_exit_3_and_nothing_is_written(
    world: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.csv").write_text(
        f"{HEADER}\n"
        "ch_1,2026-03-02 10:15:00,49.00,0.00,usd,true,1.72,Paid,,python-101,basic,us\n"
        "ch_2,2026-03-02 11:00:00,6500.5,0,jpy,true,0,Paid,,python-101,basic,jp\n"
        "ch_3,2026-03-02 12:00:00,49.00,0,usd,true,1.72,Paid,,,basic,us\n"
        "ch_4,2026-03-02 13:00:00,49.00,0,usd,true,1.72,Paid,,python-101,basic,mars\n"
        "ch_5,2026-03-02 14:00:00,49.00,0,zzz,true,1.72,Paid,,python-101,basic,us\n"
        "ch_6,2026-03-02 15:00:00,49.00,0,usd,false,0,Failed,,,,\n",
        encoding="utf-8",
    )
    result = world.fails(3, "sales", "import", "--from", "stripe", "bad.csv", "--org", "acme")
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "bad.csv:3: Amount: Amount '6500.5' has too many decimals for JPY (no decimals)",
        "bad.csv:4: metadata[product]: metadata[product] is required",
        "bad.csv:5: market: market 'mars' not found in org acme",  # the importer's own rules
        "bad.csv:6: Currency: Currency 'ZZZ' is not an ISO 4217 code",
        "Error: 4 problems found; nothing was written",
    ]
    assert world.json("sales", "list", "--org", "acme") == []


def test_a_missing_metadata_column_names_the_option(world: Cli, payments: str) -> None:
    result = world.fails(
        3, "sales", "import", "--from", "stripe", payments, "--org", "acme",
        "--market-from", "metadata[region]",
    )  # fmt: skip
    assert result.stderr.splitlines()[0] == (
        "payments.csv:1: metadata[region]: missing column 'metadata[region]' or"
        " 'region (metadata)' (the column --market-from names)"
    )


def test_the_column_options_choose_other_columns(
    world: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("other.csv").write_text(
        "id,Created date (UTC),Amount,Currency,Status,sku (metadata),tier (metadata),"
        "shop (metadata),edition (metadata)\n"
        "ch_1,2026-03-02,120.00,usd,Succeeded,data-viz,basic,us,team\n",
        encoding="utf-8",
    )
    imported = world.json(
        "sales", "import", "--from", "stripe", "other.csv", "--org", "acme",
        "--product-from", "metadata[sku]", "--plan-from", "tier (metadata)",
        "--market-from", "metadata[shop]", "--variant-from", "edition (metadata)",
    )  # fmt: skip
    assert (imported["created"], imported["skipped"]) == (1, {})
    (sale,) = world.json("sales", "list", "--org", "acme")
    assert (sale["product"], sale["variant"], sale["plan"], sale["market"]) == (
        "data-viz", "team", "basic", "us",
    )  # fmt: skip


def test_the_options_are_usage_errors_out_of_place(world: Cli, payments: str) -> None:
    unknown = world.fails(2, "sales", "import", "--from", "paypal", payments, "--org", "acme")
    assert "'paypal' is not one of: stripe" in unknown.stderr
    alone = world.fails(
        2, "sales", "import", payments, "--org", "acme", "--plan-from", "metadata[x]"
    )
    assert "--plan-from" in alone.stderr and "--from stripe" in alone.stderr


def test_an_unreadable_export_is_exit_3(world: Cli, payments: str) -> None:
    missing = world.fails(3, "sales", "import", "--from", "stripe", "nope.csv", "--org", "acme")
    assert "nope.csv: cannot read" in missing.stderr
