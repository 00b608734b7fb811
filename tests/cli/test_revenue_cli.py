"""`volmify revenue report | statement` through the real command line, on one recorded ledger
per backend (the imports run through the CLI too), checked against the reference."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, Databases
from tests.revenue_reference import BETA, PART_1, PART_2, csv_text, expected_report, standard_ledger
from tests.support import Cli, modules_imported_by
from tests.world import build_world_at, committed, set_instructor_share

GOLDEN = Path(__file__).parent.parent / "golden"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def recorded(
    backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cli]:
    """A world with Q1 sales recorded through `sales import`: part 1, then python-101's shares
    change (jane 40% -> 50%, john 20% -> 10%), then part 2; beta's sale comes as YAML."""
    folder = tmp_path_factory.mktemp("recorded")
    url = databases.migrated(backend)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(folder / "home"))
        build_world_at(url)
        cli = Cli(url)
        (folder / "part1.csv").write_text(csv_text(PART_1), encoding="utf-8")
        (folder / "part2.csv").write_text(csv_text(PART_2), encoding="utf-8")
        (folder / "beta.csv").write_text(csv_text(BETA), encoding="utf-8")
        cli.json("sales", "import", str(folder / "part1.csv"), "--org", "acme")
        cli.json("sales", "import", str(folder / "beta.csv"), "--org", "beta")
        with committed(url) as session:
            set_instructor_share(session, "acme", "python-101", "jane-doe", 5000)
            set_instructor_share(session, "acme", "python-101", "john-roe", 1000)
        cli.json("sales", "import", str(folder / "part2.csv"), "--org", "acme")
    yield cli
    databases.drop(url)


VIEWS = [
    ("creator", [], {}),
    ("creator", ["--period", "2026-Q1"], {"start": "2026-01-01", "end": "2026-03-31"}),
    (
        "product",
        ["--from", "2026-01-01", "--to", "2026-03-31"],
        {"start": "2026-01-01", "end": "2026-03-31"},
    ),
    ("market", ["--period", "2026-H1"], {"start": "2026-01-01", "end": "2026-06-30"}),
    ("month", ["--period", "2026-03"], {"start": "2026-03-01", "end": "2026-03-31"}),
    ("brand", ["--period", "2026-02-01..2026-03-31"], {"start": "2026-02-01", "end": "2026-03-31"}),
    (
        "creator",
        ["--creator", "jane-doe", "--period", "2026"],
        {"creator": "jane-doe", "start": "2026-01-01", "end": "2026-12-31"},
    ),
    ("product", ["--creator", "john-roe"], {"creator": "john-roe"}),
    ("month", ["--currency", "kwd"], {"currency": "KWD"}),
]


@pytest.mark.parametrize(("by", "options", "reference"), VIEWS)
def test_report_json_matches_the_reference(
    recorded: Cli, by: str, options: list[str], reference: dict[str, str]
) -> None:
    report = recorded.json("revenue", "report", "--org", "acme", "--by", by, *options)
    assert report == expected_report(standard_ledger(), by=by, **reference)


def test_reports_read_through_the_driver_without_sqlalchemy(recorded: Cli) -> None:
    """SPEC 7: a report is held to 1.5x of a bare script running its SQL; importing SQLAlchemy
    and building its engine cost a third of that, so the revenue commands read through the
    driver. A fresh interpreter runs each command, and its output is still the reference's."""
    assert recorded.db_url
    heavy = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "volmify_cli.models", "rich")
    report, loaded = modules_imported_by(
        ["--db", recorded.db_url, "revenue", "report", "--org", "acme", "--by", "month",
         "--creator", "jane-doe", "--period", "2026-Q1", "--format", "json"],
        heavy,
    )  # fmt: skip
    assert loaded == []
    assert json.loads(report) == expected_report(
        standard_ledger(), by="month", creator="jane-doe", start="2026-01-01", end="2026-03-31"
    )
    statement, loaded = modules_imported_by(
        ["--db", recorded.db_url, "revenue", "statement", "jane-doe", "--org", "acme",
         "--period", "2026-Q1", "--format", "markdown"],
        heavy,
    )  # fmt: skip
    assert loaded == []
    assert statement == (GOLDEN / "statement_jane_doe_2026_q1.md").read_text(encoding="utf-8")


def test_a_url_with_options_reads_the_same_report(recorded: Cli) -> None:
    """PostgreSQL hands the URL's options to libpq; a SQLite URL with options is opened by the
    engine (the driver path declines it) and read through the engine's driver connection."""
    assert recorded.db_url
    option = "timeout=3" if recorded.db_url.startswith("sqlite") else "connect_timeout=3"
    with_options = Cli(f"{recorded.db_url}?{option}")
    report = with_options.json("revenue", "report", "--org", "acme", "--by", "product")
    assert report == expected_report(standard_ledger(), by="product")


def test_report_without_by_is_the_creator_view_and_all_orgs_has_no_org(recorded: Cli) -> None:
    assert recorded.json("revenue", "report", "--org", "acme")["by"] == "creator"
    everywhere = recorded.json("revenue", "report", "--all-orgs", "--creator", "jane-doe")
    assert everywhere == expected_report(standard_ledger(), org=None, creator="jane-doe")
    assert everywhere["org"] is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--period", "2026", "--from", "2026-01-01"],
            "--period cannot be combined with --from/--to",
        ),
        (["--period", "2026-Q7"], "period '2026-Q7' is not a date"),
        (["--all-orgs"], "--all-orgs reports one creator's earnings across organizations"),
        (["--by", "weekday"], "unknown view 'weekday'"),
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--currency", "XYZ"], "unknown currency 'XYZ'"),
    ],
)
def test_usage_errors_are_exit_2(recorded: Cli, options: list[str], message: str) -> None:
    result = recorded.fails(2, "revenue", "report", "--org", "acme", *options)
    assert result.stderr.startswith(f"Error: {message}")
    assert result.stdout == ""


def test_csv_parses_and_carries_the_json_values(recorded: Cli) -> None:
    report = recorded.json("revenue", "report", "--org", "acme", "--period", "2026-Q1")
    result = recorded.ok(
        "revenue", "report", "--org", "acme", "--period", "2026-Q1", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(report["rows"])
    for parsed, row in zip(rows, report["rows"], strict=True):
        assert parsed == {key: str(value) for key, value in row.items()}


def test_table_view_formats_money_in_the_display_locale_with_a_chart(recorded: Cli) -> None:
    result = recorded.ok(
        "revenue", "report", "--org", "acme", "--period", "2026-Q1", "--format", "table",
        "--locale", "de-DE", "--chart",
    )  # fmt: skip
    out = result.stdout
    # jane's USD 41.04 and KWD 13.146 in German notation; KWD keeps its three decimals
    assert "41,04\xa0$" in out and "13,146\xa0KWD" in out
    assert "Amount by creator · KWD" in out and "█" in out


def test_output_file_is_refused_when_it_exists_unless_forced(recorded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    first = recorded.run("revenue", "report", "--org", "acme", "-o", str(target))
    assert first.exit_code == 0 and first.stdout == ""
    assert next(csv.reader(io.StringIO(target.read_text())))[0] == "key"  # csv from the suffix
    target.write_text("keep me")
    refused = recorded.fails(1, "revenue", "report", "--org", "acme", "-o", str(target))
    assert "already exists" in refused.stderr and target.read_text() == "keep me"
    recorded.ok(
        "revenue", "report", "--org", "acme", "-o", str(target), "--force", "--format", "json"
    )
    assert target.read_text().startswith("{")


def test_markdown_and_html_reports(recorded: Cli) -> None:
    markdown = recorded.ok(
        "revenue", "report", "--org", "acme", "--by", "month", "--format", "markdown"
    ).stdout
    assert "| 2026-03 | March 2026 | KWD | 1 | KWD15.250 | KWD14.793 | KWD14.793 |" in markdown
    html = recorded.ok("revenue", "report", "--org", "acme", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert_self_contained(html)


def assert_self_contained(html: str) -> None:
    """Nothing is fetched: no scripts, stylesheets, images or frames from anywhere."""
    lowered = html.lower()
    for marker in ("<script", "<link", "<img", "<iframe", "src=", "@import", "url("):
        assert marker not in lowered
    assert lowered.count("http") == lowered.count('xmlns="http://www.w3.org/2000/svg"')


def test_statement_markdown_matches_the_golden_file(recorded: Cli) -> None:
    result = recorded.ok("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1")
    assert result.stdout == (GOLDEN / "statement_jane_doe_2026_q1.md").read_text(encoding="utf-8")


def test_statement_html_is_self_contained_and_written_to_a_file(
    recorded: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "jane.html"
    recorded.ok(
        "revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1",
        "--locale", "de-DE", "-o", str(target),
    )  # fmt: skip
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="de-DE" dir="ltr">' in html
    assert_self_contained(html)
    # per product: python-101 in four currencies, with both share snapshots of the quarter
    assert html.count("<td>Python 101 <small>(python-101)</small></td>") == 4
    assert "<td>40%, 50%</td>" in html and "27,70\xa0€" in html
    again = recorded.fails(
        1, "revenue", "statement", "jane-doe", "--org", "acme", "-o", str(target)
    )
    assert "pass --force" in again.stderr


def test_statement_of_an_unknown_creator_is_exit_1(recorded: Cli) -> None:
    result = recorded.fails(1, "revenue", "statement", "nobody", "--org", "acme")
    assert result.stderr.startswith("Error: no instructor or brand 'nobody' in org acme")


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed")
def test_statement_html_renders_in_a_headless_browser(recorded: Cli, tmp_path: Path) -> None:
    page = tmp_path / "statement.html"
    recorded.ok("revenue", "statement", "jane-doe", "--org", "acme", "-o", str(page))
    shot = tmp_path / "out.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--screenshot={shot}", "--window-size=1024,1400", page.as_uri()],
        check=True, capture_output=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    keep = os.environ.get("VOLMIFY_TEST_KEEP_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
