"""Ctrl-C (issue 22): an interrupted command says so, exits 130 and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import Cli
from volmify_cli.services import ledger_entries

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "acme"


def test_an_interrupted_import_writes_nothing(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("catalog", "import", str(FIXTURES / "catalog"), "--org", "acme")

    def interrupted(self: Any, *args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # the lines are written, the totals not yet

    monkeypatch.setattr(ledger_entries.EntryWriter, "finish", interrupted)
    result = cli.run("sales", "import", str(FIXTURES / "sales.csv"), "--org", "acme")
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1] == "Interrupted; nothing was written."
    monkeypatch.undo()
    assert cli.json("sales", "list", "--org", "acme") == []


def test_the_sales_bar_knows_its_total_before_reading(tmp_path: Path) -> None:
    """The import's bar has a total from the start (the file's lines, counted in blocks)."""
    from volmify_cli.cli.commands.sales import _csv_records

    path = tmp_path / "sales.csv"
    path.write_text("order_id,amount\nA,1\nB,2\nC,3\n", encoding="utf-8")
    assert _csv_records(path) == 3
    assert _csv_records(tmp_path / "sales.yaml") is None
    assert _csv_records(tmp_path / "missing.csv") is None


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "yaml", "table"])
def test_a_closed_pipe_ends_quietly_with_exit_0(cli: Cli, db_url: str, fmt: str) -> None:
    """`volmify sales list | head -1`: the reader stops early; volmify exits 0, says nothing."""
    import subprocess
    import sys

    cli.ok("catalog", "import", str(FIXTURES / "catalog"), "--org", "acme")
    cli.ok("sales", "import", str(FIXTURES / "sales.csv"), "--org", "acme")
    command = (
        f"set -o pipefail; {sys.executable} -m volmify_cli --db '{db_url}' sales list"
        f" --org acme --format {fmt} | head -c 10 >/dev/null"
    )
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")


def test_counting_the_lines_shows_the_bytes_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the rows' bar, a large file's lines are counted under a bar of its bytes."""
    from contextlib import contextmanager

    from volmify_cli.cli import output
    from volmify_cli.cli.commands.sales import _csv_records

    bars: list[dict[str, Any]] = []

    @contextmanager
    def recorded(description: str, total: int | None = None, *, in_bytes: bool = False) -> Any:
        bar = {"description": description, "total": total, "in_bytes": in_bytes, "done": 0}
        bars.append(bar)
        yield lambda n: bar.update(done=bar["done"] + n)

    monkeypatch.setattr(output, "progress", recorded)
    path = tmp_path / "sales.csv"
    path.write_text("order_id,amount\n" + "".join(f"A{n},1\n" for n in range(300_000)))
    assert _csv_records(path) == 300_000
    size = path.stat().st_size
    assert size > 1 << 20  # more than one block is read
    assert bars == [
        {"description": "Counting the lines of sales.csv", "total": size, "in_bytes": True,
         "done": size}
    ]  # fmt: skip
