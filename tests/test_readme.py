"""The README's console examples are run, in order, against a fresh database (SPEC: every command
shown in the README is run by a test).

Each `$ volmify …` line of a ```console block runs in the repository root with a fresh
VOLMIFY_HOME (the embedded SQLite default), so the examples must work as a newcomer types them,
one after another. A line may end with `# exits N` when the example shows a failure on purpose.
Lines of other programs (`python3 -m venv …`, `pytest`) are not run here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.support import Cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


def readme_commands() -> list[tuple[str, int]]:
    commands: list[tuple[str, int]] = []
    for block in _BLOCK.findall(README.read_text(encoding="utf-8")):
        for raw in block.splitlines():
            line = raw.strip()
            if not line.startswith("$ volmify "):
                continue
            expected = 0
            found = _EXITS.search(line)
            if found:
                expected = int(found.group(1))
            command = line[2:].split(" #")[0].strip()
            commands.append((command, expected))
    return commands


def test_readme_has_examples() -> None:
    assert len(readme_commands()) >= 5


def test_readme_examples_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    cli = Cli()
    for command, expected in readme_commands():
        argv = shlex.split(command)[1:]
        if "|" in argv:  # a pipe into another program: run the volmify part
            argv = argv[: argv.index("|")]
        result = cli.run(*argv)
        assert result.exit_code == expected, (
            f"README example failed: {command}\nexit {result.exit_code}\n"
            f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}"
        )
        assert "Traceback" not in result.stderr, command
