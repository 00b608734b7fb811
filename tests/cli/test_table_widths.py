"""Tables never cut keys or amounts (issue 22): on a terminal of 60, 80 or 200 columns every
order id, key and amount of the demo's sales list and revenue report is shown whole (free text
may wrap; rows too wide become records), and no cell ends in an ellipsis."""

from __future__ import annotations

import pytest

from tests.support import Cli


@pytest.mark.parametrize("width", [60, 80, 200])
def test_sales_and_revenue_tables_show_every_key_and_amount_whole(
    demo: Cli, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sales = demo.json("sales", "list", "--org", "acme", "--limit", "20")
    creators = demo.json("revenue", "report", "--org", "acme")
    monkeypatch.setenv("COLUMNS", str(width))
    table = demo.ok("sales", "list", "--org", "acme", "--limit", "20", "--format", "table")
    report = demo.ok("revenue", "report", "--org", "acme", "--format", "table")
    for text in (table.stdout, report.stdout):
        assert "…" not in text
        assert max(len(line) for line in text.splitlines()) <= width
    digits = table.stdout.replace(",", ""), report.stdout.replace(",", "")  # 1,234.00
    for sale in sales:
        assert sale["order_id"] in table.stdout
        assert f"{sale['variant']}/{sale['plan']}" in table.stdout
        assert sale["amount"] in digits[0] and sale["net"].lstrip("-") in digits[0]
    for row in creators["rows"]:
        assert row["key"] in report.stdout
        assert row["amount"].lstrip("-") in digits[1] and row["gross"].lstrip("-") in digits[1]
