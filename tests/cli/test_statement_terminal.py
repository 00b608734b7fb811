"""Statements and reports on a terminal (issue 22): markdown is rendered there (headings and
tables drawn, no `|---|`, no amount cut at 60, 80 or 200 columns) and stays markdown in a pipe;
`revenue statement --format csv` carries every line of the statement with its exact figures."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from tests.support import Cli
from volmify_cli.cli import output, pager

STATEMENT = ("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [60, 80, 200])
def test_a_statement_is_rendered_on_a_terminal_with_every_amount_whole(
    demo: Cli, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = demo.json(*STATEMENT)
    markdown = demo.ok(*STATEMENT, "--format", "markdown").stdout
    assert markdown.startswith("# Revenue statement") and "|---|" in markdown  # a pipe: as is

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("COLUMNS", str(width))
    pager.disable_pager(True)
    try:
        output.markdown(markdown)
    finally:
        pager.disable_pager(False)
    shown = _ANSI.sub("", terminal.getvalue())

    assert "|---|" not in shown and "# Revenue" not in shown
    assert "Revenue statement: Jane Doe" in shown
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= width
    digits = shown.replace(",", "")
    for row in statement["products"] + statement["months"]:
        for field in ("gross", "net", "amount"):
            assert row[field].lstrip("-") in digits, (field, row)


def test_a_statement_as_csv_has_every_line_with_its_exact_figures(demo: Cli) -> None:
    statement = demo.json(*STATEMENT)
    text = demo.ok(*STATEMENT, "--format", "csv").stdout
    lines = list(csv.DictReader(io.StringIO(text)))

    def section(name: str) -> list[dict[str, str]]:
        return [line for line in lines if line["section"] == name]

    assert {line["creator"] for line in lines} == {"jane-doe"}
    assert {line["org"] for line in lines} == {"acme"}
    assert {(line["from"], line["to"]) for line in lines} == {("2026-01-01", "2026-12-31")}
    for name, key in (("product", "products"), ("month", "months"), ("total", "totals")):
        got = [(r["key"] if "key" in statement[key][0] else "", r["currency"], r["amount_minor"])
               for r in section(name)]  # fmt: skip
        want = [(r.get("key", "") or "", r["currency"], str(r["amount_minor"]))
                for r in statement[key]]  # fmt: skip
        assert got == want
    balances = {(r["currency"], r["closing_minor"]) for r in section("balance")}
    assert balances == {(b["currency"], str(b["closing_minor"])) for b in statement["balances"]}
    refunds = [r["order_id"] for r in section("adjustment")]
    assert refunds == [a["order_id"] for a in statement["adjustments"]]


def test_statement_csv_follows_fields_and_the_file_name(demo: Cli, tmp_path: object) -> None:
    text = demo.ok("--fields", "section,currency,amount", *STATEMENT, "--format", "csv").stdout
    header = text.splitlines()[0]
    assert header == "section,currency,amount"
    target = f"{tmp_path}/jane.csv"
    demo.ok(*STATEMENT, "-o", target)
    with open(target, encoding="utf-8") as written:
        assert next(csv.reader(written))[0] == "section"


def test_statements_of_everyone_as_csv_files(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "statements"
    demo.ok("revenue", "statement", "--all", "--org", "acme", "--period", "2026",
            "--format", "csv", "-o", str(out))  # fmt: skip
    jane = demo.ok(*STATEMENT, "--format", "csv").stdout
    assert (out / "jane-doe.csv").read_text(encoding="utf-8") == jane
    assert all(path.suffix == ".csv" for path in out.iterdir())
