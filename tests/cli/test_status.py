"""`volmify status` and `orgs use` per database (issue 22): status shows the database (masked)
and its revision, the default org and the display locale, each with where it came from; the org
chosen with `orgs use` is the default of that database only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Databases
from tests.support import Cli
from volmify_cli.migrations.head import HEAD


@pytest.fixture
def other_url(backend: str, databases: Databases) -> Iterator[str]:
    url = databases.migrated(backend)
    yield url
    databases.drop(url)


def test_orgs_use_is_remembered_for_its_database_only(
    cli: Cli, other_url: str, hermetic_env: Path
) -> None:
    other = Cli(other_url)
    for each in (cli, other):
        each.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "use", "acme")
    here = cli.json("status")
    assert here["org"] == "acme" and here["org_source"].startswith("orgs use")
    assert cli.json("markets", "list") == []  # the default org applies here
    there = other.json("status")
    assert there["org"] is None and there["org_source"] == "not set"
    assert "no organization" in other.fails(2, "markets", "list").stderr  # none there
    assert other.json("--org", "acme", "status")["org_source"] == "--org"


def test_status_names_the_database_masked_its_revision_and_the_sources(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, hermetic_env: Path
) -> None:
    status = cli.json("status")
    assert status["revision"] == status["head"] == HEAD and status["up_to_date"] is True
    assert status["database_source"] == "--db"
    assert (status["locale"], status["locale_source"]) == ("en-US", "default")
    monkeypatch.setenv("VOLMIFY_LOCALE", "de-DE")
    status = cli.json("status")
    assert (status["locale"], status["locale_source"]) == ("de-DE", "VOLMIFY_LOCALE")
    assert cli.json("--locale", "fr-FR", "status")["locale_source"] == "--locale"
    if cli.db_url and "@" in cli.db_url:  # PostgreSQL: a password is never shown
        with_password = cli.db_url.replace("postgres@", "postgres:s3cret@")
        shown = Cli(with_password).run("status", "--format", "json")
        assert "s3cret" not in shown.stdout + shown.stderr


def test_status_of_a_database_that_is_not_there_says_why(
    tmp_path: Path, hermetic_env: Path
) -> None:
    missing = tmp_path / "nowhere.db"
    status = Cli(f"sqlite:///{missing}").json("status")
    assert status["revision"] is None and status["up_to_date"] is False
    assert str(missing) in status["error"]
