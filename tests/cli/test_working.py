"""`output.working`: the spinner of a long report step appears on a terminal once the step is
slow, and costs a quick command or a pipe nothing (no Rich import: start-up, SPEC 7)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.pipes import stderr_on_a_terminal

PROBE = """
import sys, time
from volmify_cli.cli import output
with output.working("Adding up the ledger", after={after}):
    time.sleep({lasts})
print("rich" in sys.modules)
"""


def run(after: float, lasts: float, *, terminal: bool) -> tuple[str, str]:
    """Run the probe with stderr on a pseudo-terminal (or a pipe): its stdout and stderr."""
    code = PROBE.format(after=after, lasts=lasts)
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    if not terminal:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        return done.stdout, done.stderr
    return stderr_on_a_terminal([sys.executable, "-c", code], timeout=60)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_a_slow_step_shows_a_spinner_on_a_terminal() -> None:
    stdout, shown = run(after=0.1, lasts=1.5, terminal=True)
    assert "Adding up the ledger" in shown
    assert stdout.strip() == "True"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_a_quick_step_on_a_terminal_shows_nothing_and_loads_no_rich() -> None:
    stdout, shown = run(after=5, lasts=0.05, terminal=True)
    assert shown == ""
    assert stdout.strip() == "False"


def test_without_a_terminal_nothing_is_shown_even_for_a_slow_step() -> None:
    stdout, shown = run(after=0, lasts=0.5, terminal=False)
    assert shown == ""
    assert stdout.strip() == "False"
