"""Tables read as a person reads (issue 22): timestamps in the display locale and the local time
zone, durations readable (`2 h 49 min`, not `10140`), counts grouped (`74,995`); JSON keeps the
raw values. Tables at 60, 80 and 200 columns."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from tests.support import Cli
from volmify_cli.cli import cells


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoneInfo]:
    """The machine's local zone is Asia/Tokyo (UTC+9, no summer time) for the test."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield ZoneInfo("Asia/Tokyo")
    monkeypatch.undo()
    time.tzset()


def _spoken(seconds: int) -> str:
    """How a duration reads: its two largest units of h, min, s."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((hours, "h"), (minutes, "min"), (secs, "s")) if n]
    return " ".join(parts[:2]) or "0 s"


@pytest.mark.parametrize("width", [60, 80, 200])
def test_sales_list_shows_when_in_the_display_locale_and_the_local_zone(
    demo: Cli, width: int, tokyo: ZoneInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    sales = demo.json("sales", "list", "--org", "acme", "--limit", "5")
    monkeypatch.setenv("COLUMNS", str(width))
    table = demo.ok(
        "--locale", "de-DE", "sales", "list", "--org", "acme", "--limit", "5", "--format", "table"
    ).stdout
    for sale in sales:
        assert sale["sold_at"].endswith("Z")  # JSON stays ISO 8601 in UTC
        local = dt.datetime.fromisoformat(sale["sold_at"]).astimezone(tokyo)
        assert f"{local:%d.%m.%Y, %H:%M:%S} JST" in table
        assert sale["sold_at"][:10] not in table
    assert max(len(line) for line in table.splitlines()) <= width


@pytest.mark.parametrize("width", [60, 80, 200])
def test_time_spent_reads_in_hours_and_minutes(
    demo: Cli, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrollments = demo.json("enrollments", "list", "--org", "acme")
    report = demo.json("progress", "report", "--org", "acme")
    monkeypatch.setenv("COLUMNS", str(width))
    table = demo.ok("enrollments", "list", "--org", "acme", "--format", "table").stdout
    totals = demo.ok("progress", "report", "--org", "acme", "--format", "table").stdout
    spent = [row["seconds_spent"] for row in enrollments if row["seconds_spent"] >= 3600]
    assert spent, "the demo has an enrollment of an hour or more"
    for seconds in spent:
        assert isinstance(seconds, int)
        assert _spoken(seconds) in table
        assert str(seconds) not in table
    for row in report["rows"]:
        assert _spoken(row["seconds_spent"]) in totals


def test_counts_are_grouped_in_the_display_locale() -> None:
    cells.use_display_locale(lambda: "de-DE")
    try:
        assert cells.human("sales", 74995) == "74.995"
        assert cells.human("year", 2026) is None  # a year is a name, not a quantity
        assert cells.human("access_tier", 1200) is None
        assert cells.human("lines", 1000000) == "1.000.000"  # a count of lines is a count
        assert cells.human("seconds_spent", 10140) == "2 h 49 min"
        assert cells.human("duration_minutes", 90) == "1 h 30 min"
        assert cells.human("active", True) is None
    finally:
        cells.use_display_locale(None)
    assert cells.human("sales", 74995) == "74,995"


@pytest.mark.parametrize("width", [60, 200])
def test_a_list_table_names_what_it_lists_and_the_org(
    demo: Cli, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for noun in ("sales", "enrollments", "products", "markets"):
        table = demo.ok(noun, "list", "--org", "acme", "--format", "table").stdout
        assert table.splitlines()[0].strip() == f"{noun} list · org acme"
    machine = demo.ok("sales", "list", "--org", "acme", "--limit", "1").stdout
    assert "org acme" not in machine  # JSON carries data only
