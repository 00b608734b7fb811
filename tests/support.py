"""Test helpers: drive the real CLI through typer's CliRunner and read its JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from typer.testing import CliRunner, Result

from volmify_cli.cli.app import app


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
