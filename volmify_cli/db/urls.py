"""Database URLs: normalisation and password masking. Pure string work, no SQLAlchemy import,
so any command can mask a URL without paying for the database stack."""

from __future__ import annotations

import re

# The password runs to the *last* `@`: a password written with an unencoded `@` (`p@ss:w@rd`,
# which no driver can parse) must still be hidden whole, so masking errs on hiding too much.
_USERINFO_PASSWORD = re.compile(
    r"(?P<head>^[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@?#]*:)(?P<pw>.*)(?=@[^@]*$)"
)
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&](?:password|passwd|pwd)=)(?P<pw>[^&#]*)", re.IGNORECASE)

MASK = "***"


def mask_url(url: str) -> str:
    """Hide every password in a URL: `user:secret@host` and `?password=secret` become `***`."""
    masked = _USERINFO_PASSWORD.sub(lambda m: m.group("head") + MASK, url)
    return _QUERY_PASSWORD.sub(lambda m: m.group("head") + MASK, masked)


def passwords_in(url: str) -> list[str]:
    """The literal passwords a URL carries (to scrub them from driver error messages)."""
    found = [m.group("pw") for m in _USERINFO_PASSWORD.finditer(url)]
    found += [m.group("pw") for m in _QUERY_PASSWORD.finditer(url)]
    return [pw for pw in found if pw]


def scrub(text: str, url: str) -> str:
    """Remove the URL's passwords from any text (an exception message, a traceback)."""
    for pw in passwords_in(url):
        text = text.replace(pw, MASK)
        from urllib.parse import unquote

        if unquote(pw) != pw:
            text = text.replace(unquote(pw), MASK)
    return text


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 here (psycopg2 is not a dependency)."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> str | None:
    """The file path of a SQLite URL, or None for an in-memory database."""
    match = re.match(r"sqlite(?:\+\w+)?:///(?P<path>[^?]*)", url)
    if match is None or match.group("path") in ("", ":memory:"):
        return None
    return match.group("path")
