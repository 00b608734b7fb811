"""Tall tables page through $PAGER on a terminal (issue 22), never elsewhere or with --no-pager;
the pager's input is the table, whole."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from volmify_cli.cli import pager


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_which_pager_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert pager._pager_command() is None  # not a terminal: never
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setenv("PAGER", "cat")
    assert pager._pager_command() is None  # `cat` pages nothing
    monkeypatch.setenv("PAGER", "tac")
    assert pager._pager_command() == ["tac"]
    monkeypatch.setenv("VOLMIFY_PAGER", "head -n 2")
    assert pager._pager_command() == ["head", "-n", "2"]  # volmify's own setting wins
    monkeypatch.setenv("VOLMIFY_PAGER", "no-such-pager-here")
    assert pager._pager_command() is None  # one that is not installed: print as usual
    pager.disable_pager(True)
    try:
        monkeypatch.setenv("VOLMIFY_PAGER", "tac")
        assert pager._pager_command() is None  # --no-pager
    finally:
        pager.disable_pager(False)


def test_the_pager_gets_what_is_printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "paged.txt"
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setenv("VOLMIFY_PAGER", f"tee {out}")
    with pager.paged():
        sys.stdout.write("row 1\n")
        sys.stdout.write("row 2\n")
    assert out.read_text() == "row 1\nrow 2\n"
