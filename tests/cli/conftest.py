"""Fixtures the command-line tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import BACKENDS, Databases
from tests.support import Cli


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest,
    databases: Databases,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cli]:
    """The demo loaded once per module and database (tests that only read it share it)."""
    url = databases.migrated(str(request.param))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(tmp_path_factory.mktemp("demo-home")))
        cli = Cli(url)
        cli.ok("demo")
        yield cli
    databases.drop(url)
