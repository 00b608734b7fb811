"""Test helpers: drive the real CLI through typer's CliRunner and read its JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from volmify_cli.cli.app import app
from volmify_cli.db.engine import make_engine


@dataclass
class Cli:
    db_url: str | None = None

    def run(self, *args: str, input: str | None = None, db: bool = True) -> Result:
        argv = [*(("--db", self.db_url) if db and self.db_url else ()), *args]
        return CliRunner().invoke(app, argv, input=input, catch_exceptions=False)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self.run(*args, input=input)
        assert result.exit_code == 0, (
            f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        result = self.ok(*args, "--format", "json", input=input)
        return json.loads(result.stdout)

    def fails(self, code: int, *args: str, input: str | None = None) -> Result:
        result = self.run(*args, input=input)
        assert result.exit_code == code, (
            f"expected exit {code}, got {result.exit_code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        assert "Traceback" not in result.stderr
        return result


# `--help` of the root and of every noun renders without these (SPEC 7: shell completion).
HELP_MUST_NOT_IMPORT = (
    "sqlalchemy", "sqlmodel", "babel", "alembic", "yaml", "jinja2", "questionary", "rich",
)  # fmt: skip


def modules_imported_by(argv: list[str], watched: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run `volmify ARGV` in a fresh interpreter: its stdout, and which of the `watched`
    modules it imported (the start-up budgets of SPEC 7 rest on these staying out)."""
    import ast
    import subprocess
    import sys

    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['volmify', *{argv!r}]\n"
        "try:\n"
        "    runpy.run_module('volmify_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"sys.stderr.write('\\n' + repr([m for m in {watched!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    imported: list[str] = ast.literal_eval(result.stderr.strip().splitlines()[-1])
    return result.stdout, imported


@contextmanager
def engine_at(url: str | None, *, create: bool = False) -> Iterator[Engine]:
    """An engine on the test database `url`, disposed of afterwards (a migration test takes the
    database down and up between its connections)."""
    assert url, "a test database URL"
    engine = make_engine(url, create=create)
    try:
        yield engine
    finally:
        engine.dispose()
