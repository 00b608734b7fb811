"""One parser for database URLs: what it gives each driver, what it refuses, and masking."""

from __future__ import annotations

import pytest

from volmify_cli.db.urls import mask_url, parse_url, scrub
from volmify_cli.errors import DatabaseError


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://bob:s3cret@db:5432/app", "postgresql+psycopg://bob:***@db:5432/app"),
        (
            "postgresql://bob@db/app?password=s3cret&sslmode=require",
            "postgresql://bob@db/app?password=***&sslmode=require",
        ),
        ("postgresql://bob:p%40ss@db/app", "postgresql://bob:***@db/app"),
        # an unencoded @ in the password (ambiguous, refused) is still hidden whole
        ("postgresql://bob:s3cret@x:w@rd@db/app", "postgresql://bob:***@db/app"),
        # no scheme: whatever precedes the last @ may be a password
        ("bob:s3cret@127.0.0.1:1/x", "bob:***@127.0.0.1:1/x"),
        ("bob:s3cret", "bob:***"),
        # an @ in the user name part: nothing of it is shown
        ("postgresql://b@b:s3cret@db/app", "postgresql://***@db/app"),
        ("postgresql://bob:s3/cret@db/app", "postgresql://bob:***@db/app"),
        ("host=db user=bob password=s3cret", "host=db user=bob password=***"),
        ("host=db password='s3 cret'", "host=db password=***"),
        ("sqlite:////home/u/volmify.db", "sqlite:////home/u/volmify.db"),
        ("postgresql://db/app", "postgresql://db/app"),
    ],
)
def test_mask_url_hides_every_password(url: str, masked: str) -> None:
    assert mask_url(url) == masked
    for secret in ("s3cret", "w@rd", "cret"):
        assert secret not in mask_url(url)


def test_scrub_removes_the_password_as_written_and_decoded() -> None:
    url = "postgresql://bob:p%40ss@db/app"
    assert (
        scrub("auth failed for bob with p@ss and p%40ss", url)
        == "auth failed for bob with *** and ***"
    )


def test_postgresql_urls_become_libpq_keywords_decoded_once() -> None:
    parsed = parse_url("postgres://b%40b:p%40s%2Fs%3Aw@db.example:5433/my%20db?sslmode=require")
    assert parsed.backend == "postgresql"
    assert parsed.params == {
        "user": "b@b",
        "password": "p@s/s:w",
        "host": "db.example",
        "port": "5433",
        "dbname": "my db",
        "sslmode": "require",
    }
    assert "p@s/s:w" in parsed.secrets()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("postgresql://", {}),
        ("postgresql+psycopg://u@/d", {"user": "u", "dbname": "d"}),
        ("postgresql://[::1]:5432/d", {"host": "::1", "port": "5432", "dbname": "d"}),
        ("postgresql://h1:5432,h2/d", {"host": "h1,h2", "port": "5432,", "dbname": "d"}),
        ("postgresql://u:@h/d", {"user": "u", "password": "", "host": "h", "dbname": "d"}),
    ],
)
def test_postgresql_url_forms(url: str, params: dict[str, str]) -> None:
    assert parse_url(url).params == params


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////tmp/a.db", "/tmp/a.db"),
        ("sqlite:///rel/a.db", "rel/a.db"),
        ("sqlite+pysqlite:////tmp/a.db?timeout=3", "/tmp/a.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
    ],
)
def test_sqlite_urls(url: str, path: str | None) -> None:
    parsed = parse_url(url)
    assert parsed.is_sqlite
    assert parsed.path == path
    assert parsed.sqlite_url.startswith("sqlite://")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("u:S3CR3T@127.0.0.1:1/x", "no scheme"),
        ("postgresql://u:S3C@R3T@127.0.0.1:1/x", "unencoded '@'"),
        ("postgresql://u:S3C/R3T@127.0.0.1/x", "unencoded '@'"),
        ("postgresql://u:S3C?R3T@127.0.0.1/x", "unencoded '@'"),
        ("postgresql://u:S3C#R3T@127.0.0.1/x", "'#'"),
        ("postgresql://u:S3C%zzR3T@127.0.0.1/x", "percent-escape"),
        ("postgresql://u:S3CR3T@127.0.0.1:99999/x", "port"),
        ("postgresql://u:S3CR3T@127.0.0.1:\uff15\uff14\uff13\uff12/x", "port"),  # fullwidth digits
        ("postgresql://u:S3CR3T@h/x?sslmode", "KEY=VALUE"),
        ("sqlite://host/x.db", "three slashes"),
    ],
)
def test_ambiguous_or_malformed_urls_are_refused_masked(url: str, why: str) -> None:
    with pytest.raises(DatabaseError) as refused:
        parse_url(url)
    assert refused.value.exit_code == 4
    assert why in refused.value.reason
    assert "R3T" not in refused.value.reason


def test_an_unsupported_database_names_what_is_supported() -> None:
    with pytest.raises(DatabaseError) as refused:
        parse_url("mysql://root:S3CR3T@127.0.0.1/test")
    assert refused.value.reason.startswith("unsupported database URL mysql://root:***@")
    assert "SQLite and PostgreSQL" in refused.value.reason
    assert refused.value.hint is not None and "postgresql+psycopg://" in refused.value.hint
