"""`volmify revenue statement --all --period P -o DIR` (issue 18) through the real command line,
on the recorded Q1 ledger of each backend with one payout to kim-lee on March 20th: one file
per creator (instructor or brand) who earned or was paid in the period, each the bytes of
`revenue statement SLUG` (`brand:SLUG` for the brand jane-doe, whose file is jane-doe.brand.EXT);
nothing is written over an existing file without --force; the summary matches every file; and a
closed period's statements (markdown, html, pdf, json) keep their bytes after a late refund and
a late payout."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_revenue_cli import backend, recorded
from tests.conftest import Databases
from tests.revenue_reference import PART_1, csv_text
from tests.support import Cli, modules_imported_by

__all__ = ["backend", "recorded"]  # the module-scoped recorded ledger, one per backend

ACME = ("--org", "acme")
EXTENSIONS = {"markdown": "md", "html": "html", "pdf": "pdf", "json": "json"}


@pytest.fixture(scope="module")
def paid(recorded: Cli) -> Cli:
    """kim-lee sold data-viz in February only, and is paid USD 10.00 on March 20th."""
    recorded.ok("payouts", "record", "kim-lee", "--amount", "10.00", "--currency", "USD",
                "--at", "2026-03-20", *ACME)  # fmt: skip
    return recorded


@pytest.fixture
def scratch(paid: Cli, databases: Databases) -> Iterator[Cli]:
    """A copy of the paid ledger for a test that records more."""
    assert paid.db_url
    url = databases.copy(paid.db_url)
    yield Cli(url)
    databases.drop(url)


def batch(cli: Cli, period: str, folder: Path, *options: str) -> list[dict[str, Any]]:
    result = cli.ok("revenue", "statement", "--all", "--period", period, "-o", str(folder),
                    *ACME, *options)  # fmt: skip
    summary: list[dict[str, Any]] = json.loads(result.stdout)  # not a terminal: JSON
    return summary


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def creators(summary: list[dict[str, Any]]) -> list[str]:
    """The summary's creators as `revenue statement` names them."""
    return [
        row["slug"] if row["kind"] == "instructor" else f"brand:{row['slug']}" for row in summary
    ]


# Q1: three instructors, and two brands (python-101's acme-academy; data-viz's jane-doe at 0%)
Q1 = ["jane-doe", "john-roe", "kim-lee", "brand:acme-academy", "brand:jane-doe"]
FILE_STEMS = {  # each creator's file in a directory of statements, before its extension
    "jane-doe": "jane-doe",
    "john-roe": "john-roe",
    "kim-lee": "kim-lee",
    "brand:acme-academy": "acme-academy",
    "brand:jane-doe": "jane-doe.brand",  # an instructor has the slug: jane-doe.md is hers
}


def test_one_statement_per_creator_who_earned_or_was_paid(paid: Cli, tmp_path: Path) -> None:
    march = batch(paid, "2026-03", tmp_path / "march", "--format", "json")
    # jane, john and the brand acme-academy earned from python-101 in March; kim sold nothing
    # then but was paid; the brand jane-doe took part in February's data-viz sales only
    assert creators(march) == ["jane-doe", "john-roe", "kim-lee", "brand:acme-academy"]
    assert sorted(files_in(tmp_path / "march")) == [
        "acme-academy.json",
        "jane-doe.json",
        "john-roe.json",
        "kim-lee.json",
    ]
    academy = json.loads((tmp_path / "march" / "acme-academy.json").read_text(encoding="utf-8"))
    assert academy["creator"] == {"slug": "acme-academy", "name": "Acme Academy"}
    assert [(p["key"], p["shares"]) for p in academy["products"]] == [
        ("python-101", ["10%"]) for _ in academy["products"]
    ]
    kim = json.loads((tmp_path / "march" / "kim-lee.json").read_text(encoding="utf-8"))
    assert (kim["products"], kim["adjustments"]) == ([], [])
    assert [(p["date"], p["amount"]) for p in kim["payouts"]] == [("2026-03-20", "10.00")]
    # April: S14 is python-101's (jane, john); kim neither earned nor was paid
    april = batch(paid, "2026-04", tmp_path / "april", "--format", "json")
    assert creators(april) == ["jane-doe", "john-roe", "brand:acme-academy"]
    assert sorted(files_in(tmp_path / "april")) == [
        "acme-academy.json",
        "jane-doe.json",
        "john-roe.json",
    ]
    # the quarter: the brand that shares jane's slug gets a file of its own beside hers
    quarter = batch(paid, "2026-Q1", tmp_path / "q1", "--format", "json")
    assert creators(quarter) == Q1
    assert sorted(files_in(tmp_path / "q1")) == sorted(
        f"{stem}.json" for stem in FILE_STEMS.values()
    )
    label = json.loads((tmp_path / "q1" / "jane-doe.brand.json").read_text(encoding="utf-8"))
    assert label["creator"] == {"slug": "jane-doe", "name": "Jane Doe Originals"}
    assert {row["earned_minor"] for row in label["balances"]} == {0}  # data-viz's 0%
    # beta: only jane, from rust-intro in February
    beta = paid.ok("revenue", "statement", "--all", "--period", "2026-Q1", "-o",
                   str(tmp_path / "beta"), "--org", "beta")  # fmt: skip
    assert [row["slug"] for row in json.loads(beta.stdout)] == ["jane-doe"]
    assert sorted(files_in(tmp_path / "beta")) == ["jane-doe.md"]


def test_the_summary_matches_every_file(paid: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "q1"  # created, parents too
    summary = batch(paid, "2026-Q1", folder, "--format", "json")
    assert len(summary) == len(list(folder.iterdir())) == 5
    for row in summary:
        assert Path(row["file"]) == folder / f"{FILE_STEMS[creators([row])[0]]}.json"
        written = json.loads(Path(row["file"]).read_text(encoding="utf-8"))
        assert (written["creator"]["slug"], written["creator"]["name"]) == (
            row["slug"],
            row["name"],
        )
        assert row["balances"] == [
            {key: b[key] for key in ("currency", "closing_minor", "closing")}
            for b in written["balances"]
        ]
    kim = next(row for row in summary if row["slug"] == "kim-lee")
    usd = next(b for b in kim["balances"] if b["currency"] == "USD")
    data_viz = paid.json("revenue", "balance", "--creator", "kim-lee", "--at", "2026-03-31", *ACME)
    assert usd["closing_minor"] == next(
        r["owed_minor"] for r in data_viz["rows"] if r["currency"] == "USD"
    )
    table = paid.ok("--format", "table", "revenue", "statement", "--all", "--period", "2026-Q1",
                    "-o", str(tmp_path / "shown"), *ACME).stdout  # fmt: skip
    assert "kim-lee" in table and "Kim Lee" in table and "kim-lee.md" in table
    assert "jane-doe.brand.md" in table and "brand" in table
    assert "$" in table and "KWD" in table


@pytest.mark.parametrize("output_format", ["markdown", "html", "pdf", "json"])
def test_each_file_is_the_single_statements_bytes(
    paid: Cli, tmp_path: Path, output_format: str
) -> None:
    folder = tmp_path / "all"
    batch(paid, "2026-Q1", folder, "--format", output_format, "--locale", "de-DE")
    for creator, stem in FILE_STEMS.items():
        single = tmp_path / f"{stem}.{EXTENSIONS[output_format]}"
        paid.ok("revenue", "statement", creator, "--period", "2026-Q1", "-o", str(single),
                "--format", output_format, "--locale", "de-DE", *ACME)  # fmt: skip
        assert (folder / single.name).read_bytes() == single.read_bytes(), creator


def test_existing_files_are_refused_before_anything_is_written(paid: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "q1"
    batch(paid, "2026-Q1", folder)
    (folder / "john-roe.md").unlink()
    (folder / "jane-doe.md").write_text("keep me", encoding="utf-8")
    before = files_in(folder)
    refused = paid.fails(1, "revenue", "statement", "--all", "--period", "2026-Q1",
                         "-o", str(folder), *ACME)  # fmt: skip
    assert refused.stderr.startswith(
        f"Error: 4 files already exist in {folder}: jane-doe.md, kim-lee.md, acme-academy.md,"
        " jane-doe.brand.md; nothing was written"
    )
    assert "pass --force" in refused.stderr and refused.stdout == ""
    assert files_in(folder) == before  # john-roe.md was not written either
    forced = batch(paid, "2026-Q1", folder, "--force")
    assert creators(forced) == Q1
    assert (
        (folder / "jane-doe.md")
        .read_text(encoding="utf-8")
        .startswith("# Revenue statement: Jane Doe")
    )


def test_a_directory_in_the_way_is_refused_even_with_force(paid: Cli, tmp_path: Path) -> None:
    (tmp_path / "jane-doe.md").mkdir()
    refused = paid.fails(1, "revenue", "statement", "--all", "--period", "2026-Q1",
                         "-o", str(tmp_path), "--force", *ACME)  # fmt: skip
    assert "jane-doe.md is a directory" in refused.stderr
    assert sorted(os.listdir(tmp_path)) == ["jane-doe.md"]
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    refused = paid.fails(1, "revenue", "statement", "--all", "--period", "2026-Q1",
                         "-o", str(not_a_folder), *ACME)  # fmt: skip
    assert f"{not_a_folder} is not a directory" in refused.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["jane-doe", "--all", "-o", "out"], "CREATOR (jane-doe) and --all cannot be combined"),
        (["--all"], "--all needs -o DIR"),
        (["--all", "-o", "-"], "--all needs -o DIR"),
        ([], "missing CREATOR"),
        (["--all", "-o", "out", "--format", "docx"], "unknown format 'docx'"),
    ],
)
def test_usage_errors_are_exit_2(
    paid: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = paid.fails(2, "revenue", "statement", *arguments, "--period", "2026-Q1", *ACME)
    assert result.stderr.startswith(f"Error: {message}")
    assert result.stdout == "" and os.listdir(tmp_path) == []


def test_a_pdf_goes_to_a_pipe_but_not_to_a_terminal(paid: Cli) -> None:
    piped = paid.ok("revenue", "statement", "jane-doe", "--period", "2026-Q1", "--format", "pdf",
                    *ACME)  # fmt: skip
    assert piped.stdout_bytes.startswith(b"%PDF-")
    assert piped.stdout_bytes.rstrip().endswith(b"%%EOF")
    assert paid.db_url
    controller, terminal = pty.openpty()  # stdout is a real terminal here
    try:
        result = subprocess.run(
            [sys.executable, "-m", "volmify_cli", "--db", paid.db_url, "revenue", "statement",
             "jane-doe", "--format", "pdf", *ACME],
            stdout=terminal, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
        )  # fmt: skip
        os.close(terminal)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the terminal is closed on Linux
            while chunk := os.read(controller, 65536):
                shown += chunk
    finally:
        os.close(controller)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: a PDF is not written to a terminal")
    assert "-o FILE.pdf" in result.stderr and b"%PDF" not in shown


def test_a_closed_periods_statements_keep_their_bytes(scratch: Cli, tmp_path: Path) -> None:
    """January is closed, then S1's refund dated January 20th and a payout dated January 31st
    arrive: both are dated February 1st, and every January statement keeps its bytes."""

    def january(name: str) -> dict[str, bytes]:
        shown = {}
        for output_format, extension in EXTENSIONS.items():
            target = tmp_path / f"{name}.{extension}"
            scratch.ok("revenue", "statement", "jane-doe", "--period", "2026-01", "-o",
                       str(target), "--format", output_format, *ACME)  # fmt: skip
            shown[output_format] = target.read_bytes()
        batch(scratch, "2026-01", tmp_path / f"{name}-all", "--format", "pdf")
        shown |= {f"all/{k}": v for k, v in files_in(tmp_path / f"{name}-all").items()}
        return shown

    before = january("before")
    closed = scratch.json("revenue", "close", "2026-01", *ACME)
    assert closed["closed_through"] == "2026-01-31"
    s1 = next(sale for sale in PART_1 if sale.order_id == "S1")
    refund = dataclasses.replace(s1, refunded=4900, refunded_at="2026-01-20")
    (tmp_path / "refund.csv").write_text(csv_text([refund]), encoding="utf-8")
    made = scratch.run("sales", "import", str(tmp_path / "refund.csv"), *ACME)
    assert made.exit_code == 0 and "S1" in made.stderr
    paid = scratch.run("payouts", "record", "instructor:jane-doe", "--amount", "10.00",
                       "--currency", "USD", "--at", "2026-01-31", *ACME)  # fmt: skip
    assert paid.exit_code == 0 and "2026-02-01" in paid.stderr
    after = january("after")
    assert after == before
    february = scratch.json("revenue", "statement", "jane-doe", "--period", "2026-02", *ACME)
    assert [(e["order_id"], e["kind"], e["for_date"]) for e in february["adjustments"]] == [
        ("S1", "refund", "2026-01-20")
    ]
    assert [(p["date"], p["for_date"]) for p in february["payouts"]] == [
        ("2026-02-01", "2026-01-31")
    ]


def test_help_and_text_statements_never_load_the_pdf_stack(paid: Cli) -> None:
    pdf_stack = ("fpdf", "fontTools", "PIL", "sqlalchemy")
    for argv in (["--help"], ["revenue", "--help"], ["revenue", "statement", "--help"]):
        shown, loaded = modules_imported_by(argv, pdf_stack)
        assert loaded == [] and "Usage" in shown, argv
    assert "--all" in modules_imported_by(["revenue", "statement", "--help"], ())[0]
    assert paid.db_url
    markdown, loaded = modules_imported_by(
        ["--db", paid.db_url, "revenue", "statement", "jane-doe", "--period", "2026-Q1", *ACME],
        pdf_stack[:3],
    )
    assert loaded == [] and markdown.startswith("# Revenue statement: Jane Doe")


def test_who_earned_is_read_in_the_orgs_days(scratch: Cli, tmp_path: Path) -> None:
    """S14 (2026-04-01T00:00Z) is still March 31st in Los Angeles: in April, nobody there."""
    scratch.ok("orgs", "update", "acme", "--timezone", "America/Los_Angeles")
    assert batch(scratch, "2026-04", tmp_path / "april") == []
    assert list((tmp_path / "april").iterdir()) == []
    march = batch(scratch, "2026-03", tmp_path / "march", "--format", "json")
    assert creators(march) == ["jane-doe", "john-roe", "kim-lee", "brand:acme-academy"]
    jane = json.loads((tmp_path / "march" / "jane-doe.json").read_text(encoding="utf-8"))
    assert jane["timezone"] == "America/Los_Angeles"
    assert sum(row["sales"] for row in jane["totals"]) == 4  # S11, S12, S13 and S14


@pytest.mark.parametrize(
    ("output_format", "fields"), [("csv", "section,creator,currency"), ("json", "creator,balances")]
)
def test_fields_choose_the_statements_fields_and_the_summary_keeps_its_own(
    paid: Cli, tmp_path: Path, output_format: str, fields: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--fields` names fields of the statements written (issue 22); the summary printed
    after them keeps its shape, whatever the format it is printed in."""
    folder = tmp_path / "picked"
    summary = batch(paid, "2026-Q1", folder, "--format", output_format, "--fields", fields)
    assert creators(summary) == Q1
    for row in summary:
        written = Path(row["file"]).read_text(encoding="utf-8")
        if output_format == "csv":
            assert written.splitlines()[0] == fields
        else:
            assert list(json.loads(written)) == fields.split(",")
        creator = row["slug"] if row["kind"] == "instructor" else f"brand:{row['slug']}"
        single = paid.ok("revenue", "statement", creator, "--period", "2026-Q1", "--format",
                         output_format, "--fields", fields, *ACME).stdout  # fmt: skip
        assert written == single, creator
    for width in ("60", "80", "200"):
        monkeypatch.setenv("COLUMNS", width)
        table = paid.ok("--format", "table", "revenue", "statement", "--all", "--period",
                        "2026-Q1", "-o", str(tmp_path / width), "--format", output_format,
                        "--fields", fields, *ACME).stdout  # fmt: skip
        assert f"kim-lee.{output_format}" in table and "KWD" in table, width
    refused = paid.fails(2, "revenue", "statement", "--all", "--period", "2026-Q1", "-o",
                         str(tmp_path / "refused"), "--format", output_format, "--fields",
                         "no_such_field", *ACME)  # fmt: skip
    assert "no_such_field" in refused.stderr


def test_a_brands_statement_shows_its_share_its_payouts_and_what_it_is_owed(
    scratch: Cli,
) -> None:
    """A brand earns and is paid like an instructor (SPEC 5: payouts to an instructor or a
    brand), so it gets the same statement: its share of each line, its payouts, its balance."""
    scratch.ok("payouts", "record", "brand:acme-academy", "--amount", "1.00", "--currency",
               "USD", "--at", "2026-03-25", *ACME)  # fmt: skip
    academy = scratch.json("revenue", "statement", "acme-academy", "--period", "2026-Q1", *ACME)
    assert academy["creator"] == {"slug": "acme-academy", "name": "Acme Academy"}
    assert {(row["key"], *row["shares"]) for row in academy["products"]} == {("python-101", "10%")}
    assert [(p["date"], p["currency"], p["amount"]) for p in academy["payouts"]] == [
        ("2026-03-25", "USD", "1.00")
    ]
    owed = scratch.json("revenue", "balance", "--creator", "brand:acme-academy", "--at",
                        "2026-03-31", *ACME)  # fmt: skip
    assert {b["currency"]: b["closing_minor"] for b in academy["balances"]} == {
        row["currency"]: row["owed_minor"] for row in owed["rows"]
    }
    by_creator = scratch.json("revenue", "report", "--period", "2026-Q1", *ACME)["rows"]
    assert {t["currency"]: t["amount_minor"] for t in academy["totals"]} == {
        row["currency"]: row["amount_minor"]
        for row in by_creator
        if (row["kind"], row["key"]) == ("brand", "acme-academy")
    }
    # a slug both kinds have is the instructor's (as before brands had statements)
    jane = scratch.json("revenue", "statement", "jane-doe", "--period", "2026-Q1", *ACME)
    label = scratch.json("revenue", "statement", "brand:jane-doe", "--period", "2026-Q1", *ACME)
    assert (jane["creator"]["name"], label["creator"]["name"]) == ("Jane Doe", "Jane Doe Originals")
    assert jane["products"] != label["products"]


def test_a_brand_is_one_orgs_creator_so_not_reported_across_orgs(paid: Cli) -> None:
    refused = paid.fails(2, "revenue", "report", "--all-orgs", "--creator", "brand:acme-academy")
    assert refused.stderr.startswith("Error: --all-orgs reports an instructor across")
    shown = paid.json("revenue", "report", "--all-orgs", "--creator", "instructor:jane-doe")
    assert {row["key"] for row in shown["rows"]} == {"jane-doe"}
