"""SPEC 1: passwords are never printed. Generated passwords (any printable character, the URL's
own delimiters, unicode) go through every way a database URL can fail, on the engine's path
(`db status`) and the report commands' direct driver path, with and without --debug; no part of
the password may reach stdout or stderr, and the exit code is 4 wherever the URL is at fault."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.fake_postgres import RefusingServer, refusing_server
from volmify_cli.cli.app import app

# Tokens of capital consonants cannot occur by chance in any message ("FATAL", "URL", "PATH"
# all hold a vowel), so finding one in the output means the password leaked.
TOKENS = st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=6, max_size=9)
SEPARATORS = st.one_of(
    st.sampled_from(["@", ":", "/", "%", "?", "#", "&", "=", " ", "'", "\\", "%40", "@/", ""]),
    st.characters(blacklist_categories=("Cs", "Cc")),
)


@st.composite
def passwords(draw: st.DrawFn) -> tuple[str, list[str]]:
    tokens = draw(st.lists(TOKENS, min_size=1, max_size=3))
    separators = draw(st.lists(SEPARATORS, min_size=len(tokens) + 1, max_size=len(tokens) + 1))
    password = separators[0] + "".join(t + s for t, s in zip(tokens, separators[1:], strict=True))
    return password, tokens


URLS = {
    "unreachable": "postgresql://volmify:{pw}@127.0.0.1:1/x",
    "refused": "postgresql+psycopg://volmify:{pw}@127.0.0.1:{port}/x",
    "libpq refuses": "postgresql://volmify:{pw}@127.0.0.1:1/x?no_such_option=1",
    "bad port": "postgresql://volmify:{pw}@127.0.0.1:0/x",
    "no scheme": "volmify:{pw}@127.0.0.1:1/x",
    "unsupported": "mysql://volmify:{pw}@127.0.0.1/x",
    "query password": "postgresql://volmify@127.0.0.1:1/x?password={pw}",
}
COMMANDS = {"engine": ["db", "status"], "direct": ["revenue", "report", "--org", "acme"]}
DEBUG = {
    "plain": ([], {}),
    "--debug": (["--debug"], {}),
    "VOLMIFY_DEBUG": ([], {"VOLMIFY_DEBUG": "1"}),
}


@pytest.fixture(scope="module")
def server() -> Iterator[RefusingServer]:
    with refusing_server() as running:
        yield running


@pytest.mark.parametrize("debug", DEBUG)
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("path", URLS)
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(secret=passwords(), encoded=st.booleans())
def test_no_part_of_a_password_is_ever_printed(
    server: RefusingServer,
    path: str,
    command: str,
    debug: str,
    secret: tuple[str, list[str]],
    encoded: bool,
) -> None:
    password, tokens = secret
    written = quote(password, safe="") if encoded else password
    if path == "query password":
        # In a query string `&` separates options: it cannot belong to a password unencoded.
        written = written.replace("&", "%26")
    url = URLS[path].format(pw=written, port=server.port)
    flags, env = DEBUG[debug]
    result = CliRunner().invoke(
        app, [*flags, "--db", url, *COMMANDS[command]], env=env, catch_exceptions=False
    )
    shown = result.stdout + result.stderr
    for token in tokens:
        assert token not in shown, f"{token!r} of the password leaked:\n{shown}"
    assert result.exit_code == 4, shown
    assert "unexpected" not in shown
    if debug == "plain":
        assert "Traceback" not in result.stderr


def test_the_driver_is_given_the_password_decoded_once(server: RefusingServer) -> None:
    """Both paths hand libpq the same parsed password: `%40` is `@`, `%25` is `%`."""
    password = "p@ss/w%rd:ü?#"
    url = f"postgresql://volmify:{quote(password, safe='')}@127.0.0.1:{server.port}/x"
    for command in COMMANDS.values():
        before = len(server.passwords)
        result = CliRunner().invoke(app, ["--db", url, *command], catch_exceptions=False)
        assert result.exit_code == 4
        assert "password authentication failed" in result.stderr
        assert "p@ss" not in result.stderr and "w%rd" not in result.stderr
        assert server.passwords[before:] == [password]


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_an_ambiguous_url_is_refused_before_connecting(
    server: RefusingServer, command: list[str]
) -> None:
    """`S3C@R3T` could be the password `S3C@R3T` or the password `S3C` and the host `R3T@...`:
    refused (exit 4) on every path, without connecting anywhere."""
    before = len(server.passwords)
    for url in (
        f"postgresql+psycopg://u:S3C@R3TQ@127.0.0.1:{server.port}/x",
        f"postgresql+psycopg://u:S3C/R3TQ@127.0.0.1:{server.port}/x",
    ):
        result = CliRunner().invoke(app, ["--db", url, *command], catch_exceptions=False)
        assert result.exit_code == 4
        assert result.stderr.startswith("Error: invalid database URL postgresql+psycopg://u:***@")
        assert "R3TQ" not in result.stderr and "S3C" not in result.stderr
    assert len(server.passwords) == before


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_an_unsupported_database_is_exit_4_naming_what_is_supported(command: list[str]) -> None:
    result = CliRunner().invoke(
        app, ["--db", "mysql://root:S3CR3T@127.0.0.1/test", *command], catch_exceptions=False
    )
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: unsupported database URL mysql://root:***@")
    assert "sqlite:///PATH" in result.stderr and "postgresql+psycopg://" in result.stderr
    assert "S3CR3T" not in result.stderr


def test_a_url_from_the_environment_is_masked_too() -> None:
    result = CliRunner().invoke(
        app,
        ["db", "status"],
        env={"VOLMIFY_DATABASE_URL": "u:S3CR3TQ@127.0.0.1:1/x"},
        catch_exceptions=False,
    )
    assert result.exit_code == 4
    assert "S3CR3TQ" not in result.stderr
    assert "invalid database URL u:***@127.0.0.1:1/x: it has no scheme" in result.stderr
