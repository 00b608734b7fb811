"""The README's console examples are run, in order, against a fresh database (SPEC: every command
shown in the README is run by a test).

Each `$ volmify …` line of a ```console block runs, in order, in a scratch directory that sees
the repository's `fixtures/`, `templates/` and `tests/` (so files the examples write land there),
with the embedded SQLite default of a fresh VOLMIFY_HOME: the examples must work as a newcomer
types them, one after another. A `<!-- docs-test: fresh database -->` line starts a new database
for the examples after it. A line may end with `# exits N` when the example shows a failure on
purpose. Lines of other programs (`python3 -m venv …`, `pytest`) are not run here.
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


FRESH = "<!-- docs-test: fresh database -->"


def readme_parts() -> list[list[tuple[str, int]]]:
    return [commands_of(part) for part in README.read_text(encoding="utf-8").split(FRESH)]


def readme_commands() -> list[tuple[str, int]]:
    return [command for part in readme_parts() for command in part]


def commands_of(text: str) -> list[tuple[str, int]]:
    commands: list[tuple[str, int]] = []
    for block in _BLOCK.findall(text):
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


def test_readme_examples_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    for name in ("fixtures", "templates", "tests"):
        (workdir / name).symlink_to(ROOT / name)
    monkeypatch.chdir(workdir)
    for index, part in enumerate(readme_parts()):
        monkeypatch.setenv("VOLMIFY_HOME", str(tmp_path / f"home-{index}"))
        run_part(part)


def run_part(commands: list[tuple[str, int]]) -> None:
    cli = Cli()
    for command, expected in commands:
        argv = shlex.split(command)[1:]
        if "|" in argv:  # a pipe into another program: run the volmify part
            argv = argv[: argv.index("|")]
        result = cli.run(*argv)
        assert result.exit_code == expected, (
            f"README example failed: {command}\nexit {result.exit_code}\n"
            f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}"
        )
        assert "Traceback" not in result.stderr, command
