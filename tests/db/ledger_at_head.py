"""A small ledger recorded at head through the command line, for the ledger's migration tests
(0026, 0028): they take it back to an earlier revision and upgrade it again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.revenue_reference import Sale, csv_text
from tests.support import Cli
from tests.world import build_world_at

# two orders: a partly refunded USD sale with tax and fee, and a EUR sale
TWO_ORDERS = [
    Sale("A1", "2026-01-05", "python-101", "", "basic", "us", "USD", 4900, tax=400, fee=150,
         refunded=1000),
    Sale("A2", "2026-01-12", "data-viz", "", "basic", "eu", "EUR", 2800, tax=447, fee=84),
]  # fmt: skip


def record(cli: Cli, tmp_path: Path, sales: Sequence[Sale]) -> Cli:
    """The test world with `sales` imported in org acme."""
    assert cli.db_url
    build_world_at(cli.db_url)
    (tmp_path / "sales.csv").write_text(csv_text(sales), encoding="utf-8")
    cli.json("sales", "import", str(tmp_path / "sales.csv"), "--org", "acme")
    return cli


def report(cli: Cli) -> Any:
    """`revenue report --org acme --by creator`."""
    return cli.json("revenue", "report", "--org", "acme", "--by", "creator")
