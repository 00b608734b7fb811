from __future__ import annotations

import pytest

from volmify_cli.db.urls import mask_url, normalise_url, scrub, sqlite_path


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://bob:s3cret@db:5432/app", "postgresql+psycopg://bob:***@db:5432/app"),
        (
            "postgresql://bob@db/app?password=s3cret&sslmode=require",
            "postgresql://bob@db/app?password=***&sslmode=require",
        ),
        ("postgresql://bob:p%40ss@db/app", "postgresql://bob:***@db/app"),
        # an unencoded @ in the password (no driver parses it) is still hidden whole
        ("postgresql://bob:s3cret@x:w@rd@db/app", "postgresql://bob:***@db/app"),
        ("sqlite:////home/u/volmify.db", "sqlite:////home/u/volmify.db"),
        ("postgresql://db/app", "postgresql://db/app"),
    ],
)
def test_mask_url_hides_every_password(url: str, masked: str) -> None:
    assert mask_url(url) == masked
    assert "s3cret" not in mask_url(url)
    assert "w@rd" not in mask_url(url)


def test_scrub_removes_the_password_from_driver_messages() -> None:
    url = "postgresql://bob:p%40ss@db/app"
    assert (
        scrub("auth failed for bob with p@ss and p%40ss", url)
        == "auth failed for bob with *** and ***"
    )


def test_postgres_urls_mean_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_path() -> None:
    assert sqlite_path("sqlite:////tmp/a.db") == "/tmp/a.db"
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("sqlite:///:memory:") is None
