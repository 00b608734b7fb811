"""Tab completion (issue 22): choices and the database's slugs, not file names, quickly (no
SQLAlchemy: the `--help` budget applies to every Tab)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Cli, modules_imported_by

CATALOG = Path(__file__).resolve().parents[2] / "fixtures" / "acme" / "catalog"


def _complete(monkeypatch: pytest.MonkeyPatch, line: str) -> tuple[list[str], list[str]]:
    """What Tab offers after `line` (bash), and which heavy modules that imported."""
    words = line.split(" ")
    monkeypatch.setenv("_VOLMIFY_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    stdout, heavy = modules_imported_by([], ("sqlalchemy", "sqlmodel", "pydantic", "rich"))
    return stdout.split(), heavy


def test_choices_complete_without_a_database(monkeypatch: pytest.MonkeyPatch) -> None:
    offered, heavy = _complete(monkeypatch, "volmify sales list --format ")
    assert offered == ["table", "json", "yaml", "csv", "ndjson"]
    assert heavy == []
    offered, _heavy = _complete(monkeypatch, "volmify revenue report --by m")
    assert offered == ["market", "month"]
    offered, _heavy = _complete(monkeypatch, "volmify revenue statement --format ")
    assert offered == ["markdown", "html", "pdf", "json", "csv"]
    offered, _heavy = _complete(monkeypatch, "volmify pro")
    assert offered == ["products", "progress"]


def test_slugs_complete_from_the_database(
    cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("catalog", "import", str(CATALOG), "--org", "acme")
    monkeypatch.setenv("VOLMIFY_DATABASE_URL", db_url)
    offered, heavy = _complete(monkeypatch, "volmify sales list --org acme --product py")
    assert offered == ["python-101", "python-cheatsheets"]
    assert heavy == []
    offered, _heavy = _complete(monkeypatch, "volmify --org ")
    assert offered == ["acme"]
    offered, _heavy = _complete(monkeypatch, "volmify plans show --org acme python-101/standard/b")
    assert offered == ["python-101/standard/basic"]
    monkeypatch.setenv("VOLMIFY_ORG", "acme")
    offered, _heavy = _complete(monkeypatch, "volmify revenue report --creator jane")
    assert offered == ["jane-doe"]
    offered, _heavy = _complete(monkeypatch, "volmify products show --org nope ")
    assert offered == []  # an org that does not exist completes nothing, and says nothing
