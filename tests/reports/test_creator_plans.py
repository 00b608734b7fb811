"""One creator's figures are read from its splits (`revenue_queries.creator_splits`): on SQLite,
every query of a creator's statement and of a creator's report by product starts from the
split table and reaches the entries by their key. Left to itself, SQLite's planner starts from
the period's entries (their index on entry_at) and reads every split of each: a year's
statement on a 200,000-line ledger took 9 s, and takes 0.7 s from the splits (same bytes).
A plan is what this test can hold without timing anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from tests.reports.test_ledger_reference import scenario
from volmify_cli.db import direct
from volmify_cli.db.direct import reader_of
from volmify_cli.reports.periods import parse_period
from volmify_cli.reports.revenue import revenue_report
from volmify_cli.services.statement_batch import write_statements
from volmify_cli.services.statements import creator_statement

__all__ = ["scenario"]


@pytest.mark.parametrize("creator", ["jane-doe", "brand:acme-academy"])
def test_a_creators_queries_start_from_its_splits(
    scenario: tuple[Session, Any, Any], monkeypatch: pytest.MonkeyPatch, creator: str
) -> None:
    session = scenario[0]
    reader = reader_of(session)
    if reader.dialect != "sqlite":
        pytest.skip("PostgreSQL plans the join from its statistics")
    seen: list[tuple[str, list[Any]]] = []
    rows = direct.DirectReader.rows

    def recording(self: direct.DirectReader, sql: str, params: Any = ()) -> Any:
        seen.append((sql, list(params)))
        return rows(self, sql, params)

    monkeypatch.setattr(direct.DirectReader, "rows", recording)
    period = parse_period("2026-Q1")
    statement = creator_statement(reader, org_slug="acme", creator=creator, period=period)
    report = revenue_report(reader, org_slug="acme", by="product", creator=creator, period=period)
    assert statement["products"] and report["rows"]  # figures to read, not an empty ledger
    of_creator = [(sql, p) for sql, p in seen if "a.recipient_kind = ?" in sql]
    assert len(of_creator) >= 4  # products, shares, earnings by kind, adjustments, report
    for sql, params in of_creator:
        plan = [row[3] for row in rows(reader, f"EXPLAIN QUERY PLAN {sql}", params)]
        first = next(step for step in plan if step.startswith(("SEARCH", "SCAN")))
        assert first.startswith(("SEARCH a ", "SCAN a")), (sql, plan)
        entries = next(step for step in plan if step.startswith(("SEARCH e ", "SCAN e")))
        assert "(org_id=? AND id=?)" in entries, (sql, plan)


def test_statements_for_everyone_read_the_splits_once_per_section(
    scenario: tuple[Session, Any, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`statement --all` reads each section of the ledger once for every creator
    (`statement_sections.Sections`), not once per creator: the number of queries over the
    splits does not grow with the creators."""
    reader = reader_of(scenario[0])
    seen: list[str] = []
    rows = direct.DirectReader.rows

    def recording(self: direct.DirectReader, sql: str, params: Any = ()) -> Any:
        seen.append(sql)
        return rows(self, sql, params)

    monkeypatch.setattr(direct.DirectReader, "rows", recording)
    written = write_statements(
        reader, org_slug="acme", period=parse_period("2026-Q1"), directory=tmp_path,
        output_format="json", render=lambda data: json.dumps(data, default=str),
    )  # fmt: skip
    assert len(written) >= 4
    over_splits = [sql for sql in seen if "org_order_item_allocation" in sql]
    # products, shares, earnings by kind (which also says who gets one), adjustments, balances
    assert len(over_splits) <= 8, over_splits
