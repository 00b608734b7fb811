"""Reading a catalog shows how far it is (issue 22): `catalog validate|diff|import` read the
files under a bar of their bytes with the files' size as its total (on a terminal only, once
the reading has taken half a second); the bytes told grow as products are read, counting
multi-byte characters as bytes, and end at the size of the files."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench.catalog_data import catalog_text
from tests.pipes import stderr_on_a_terminal
from tests.support import Cli
from volmify_cli.cli import output, output_progress
from volmify_cli.exchange.catalog_files import catalog_bytes, read_catalog

ACME = Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml"


def test_reading_tells_the_bytes_read_up_to_the_files_size() -> None:
    told: list[int] = []
    read_catalog([ACME], progress=told.append)
    size = ACME.stat().st_size
    assert len(ACME.read_text(encoding="utf-8")) < size  # characters of more than one byte
    assert catalog_bytes([ACME]) == size
    assert len(told) > 2  # as the products are read, not once at the end
    assert told == sorted(told) and 0 < told[0] < size
    assert told[-1] == size
    data = ACME.read_bytes()
    for at in told[:-1]:  # where a product ends: a line's start, counted in bytes
        assert data[:at].rstrip(b" ").endswith(b"\n"), data[at - 20 : at + 20]


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The bars the commands open, as if stderr were a terminal."""
    opened: list[dict[str, Any]] = []

    @contextmanager
    def recorded(description: str, total: int | None, *, in_bytes: bool = False) -> Iterator[Any]:
        bar = {"description": description, "total": total, "in_bytes": in_bytes, "at": []}
        opened.append(bar)
        yield bar["at"].append

    monkeypatch.setattr(output, "on_terminal", lambda: True)
    monkeypatch.setattr(output_progress, "counting", recorded)
    return opened


def test_validate_diff_and_import_read_under_a_bar_of_bytes(
    cli: Cli, bars: list[dict[str, Any]]
) -> None:
    size = ACME.stat().st_size
    for command in ("validate", "diff", "import"):
        bars.clear()
        cli.ok("catalog", command, str(ACME), "--format", "json")
        assert [(bar["description"], bar["total"], bar["in_bytes"]) for bar in bars] == [
            ("Reading the catalog", size, True)
        ], command
        assert bars[0]["at"][-1] == size, command


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_validating_a_large_catalog_on_a_terminal_shows_its_bytes(tmp_path: Path) -> None:
    """The real command on a catalog of several MB (seconds to read): the bar names the step
    and counts megabytes against the file's size; stdout (a pipe) gets no bar."""
    large = tmp_path / "large.yaml"
    large.write_text(catalog_text(3000), encoding="utf-8")
    total = f"/{large.stat().st_size / 1e6:.1f} MB"
    argv = [sys.executable, "-m", "volmify_cli", "catalog", "validate", str(large)]
    stdout, shown = stderr_on_a_terminal(argv)
    assert "Reading the catalog" in shown and total in shown
    assert "OK: 1 file" in shown  # the notice after the bar, on stderr
    assert stdout == ""


PROBE = """
import sys, time
from volmify_cli.cli.output_progress import counting
with counting("Reading the catalog", 10_000_000, in_bytes=True, after={after}) as at:
    for step in range(1, 11):
        time.sleep({lasts} / 10)
        at(step * 1_000_000)
print("rich" in sys.modules)
"""


def run(after: float, lasts: float) -> tuple[str, str]:
    """The probe with stderr on a pseudo-terminal: its stdout and what the terminal shows."""
    return stderr_on_a_terminal([sys.executable, "-c", PROBE.format(after=after, lasts=lasts)])


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_a_slow_read_shows_its_bytes_against_the_totalstderr_on_a_terminal() -> None:
    stdout, shown = run(after=0.1, lasts=1.5)
    assert "Reading the catalog" in shown
    assert "/10.0 MB" in shown
    assert stdout.strip() == "True"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_a_quick_read_shows_nothing_and_loads_no_rich() -> None:
    stdout, shown = run(after=5, lasts=0.05)
    assert shown == ""
    assert stdout.strip() == "False"
