"""Database URLs: parsed once, by one parser, into what each driver is given; and masking.

Pure string work, no SQLAlchemy import, so any command can parse or mask a URL without paying
for the database stack.

A URL is parsed here and nowhere else: the SQLAlchemy engine and the direct report reader are
both handed the parts found here (libpq keywords for PostgreSQL), never the raw text, so the
two paths cannot read one URL two ways. What cannot be read one way only is refused: an
unencoded `@`, `/`, `?` or `#` in the user name or password (`u:p@ss@host` could mean the
password `p@ss` or the host `ss@host`; libpq and SQLAlchemy disagreed, and a part of the
password ended up in a "cannot resolve host" message).

Error messages never quote the text of a URL that failed to parse: only `mask_url(text)`,
which hides everything that might be a password.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from volmify_cli.errors import DatabaseError

MASK = "***"
SUPPORTED = "sqlite:///PATH, postgresql+psycopg://USER:PASSWORD@HOST[:PORT]/DB"
URL_HINT = (
    f"write it as {SUPPORTED}; percent-encode @ / ? # % in the user name and password"
    " (@ as %40, / as %2F)"
)
_SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")
_QUERY_PASSWORD = re.compile(
    r"(?P<head>(?:^|[?&\s])(?:password|passwd|pwd)\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'?|[^&]*)",
    re.IGNORECASE,
)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class DatabaseUrl:
    """A parsed database URL. `backend` is "sqlite" or "postgresql".

    SQLite: `sqlite_url` is the URL in SQLAlchemy's form and `path` the file (None: in memory).
    PostgreSQL: `params` are libpq keywords (host, port, user, password, dbname and the query's
    own keywords), given as they are to psycopg.connect and to SQLAlchemy's connect_args."""

    __slots__ = ("backend", "params", "path", "sqlite_url", "text")

    def __init__(
        self,
        text: str,
        backend: str,
        *,
        path: str | None = None,
        sqlite_url: str = "",
        params: dict[str, str] | None = None,
    ) -> None:
        self.text = text
        self.backend = backend
        self.path = path
        self.sqlite_url = sqlite_url
        self.params = params or {}

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @property
    def has_options(self) -> bool:
        """SQLite URLs with a query (`?mode=ro&uri=true`) are left to SQLAlchemy's driver set-up."""
        return "?" in self.sqlite_url

    def masked(self) -> str:
        return mask_url(self.text)

    def secrets(self) -> list[str]:
        """Every password the URL carries, as written and as decoded (to scrub from messages)."""
        found = passwords_in(self.text)
        password = self.params.get("password")
        if password:
            found.append(password)
        return found


def parse_url(text: str) -> DatabaseUrl:
    """Raises DatabaseError (exit 4) for a URL that is malformed, ambiguous or of a database
    volmify does not support; the message shows the URL masked."""
    text = text.strip()
    match = _SCHEME.match(text)
    if match is None:
        raise _invalid(text, "it has no scheme")
    scheme = match.group("scheme").lower()
    rest = text[match.end() :]
    if scheme in _SQLITE_SCHEMES:
        return _sqlite(text, rest)
    if scheme in _POSTGRES_SCHEMES:
        return DatabaseUrl(text, "postgresql", params=_postgres_params(text, rest))
    raise DatabaseError(
        f"unsupported database URL {_mask(text, whole_tail=True)}:"
        " volmify works with SQLite and PostgreSQL",
        f"write it as {SUPPORTED}",
    )


def _invalid(text: str, why: str) -> DatabaseError:
    return DatabaseError(f"invalid database URL {_mask(text, whole_tail=True)}: {why}", URL_HINT)


def _sqlite(text: str, rest: str) -> DatabaseUrl:
    sqlite_url = "sqlite://" + rest
    if rest and not rest.startswith("/"):
        raise _invalid(text, "a SQLite URL is sqlite:///PATH (three slashes, then the path)")
    location = rest[1:].split("?", 1)[0]
    path = None if location in ("", ":memory:") else location
    return DatabaseUrl(text, "sqlite", path=path, sqlite_url=sqlite_url)


def _postgres_params(text: str, rest: str) -> dict[str, str]:
    if "#" in rest:
        raise _invalid(text, "it has a '#' (percent-encode it as %23)")
    authority_end = len(rest)
    for delimiter in "/?":
        found = rest.find(delimiter)
        if found != -1:
            authority_end = min(authority_end, found)
    authority, tail = rest[:authority_end], rest[authority_end:]
    path, _, query = tail.partition("?")
    if authority.count("@") > 1 or "@" in tail:
        # One unencoded `@` ends the user name and password; any other is ambiguous.
        raise _invalid(
            text, "an unencoded '@', or an unencoded '/' or '?' in the user name or password"
        )
    if _BAD_ESCAPE.search(rest):
        raise _invalid(text, "a '%' that starts no percent-escape (write % as %25)")
    params: dict[str, str] = {}
    userinfo, _, hostport = authority.rpartition("@")
    if userinfo:
        user, has_password, password = userinfo.partition(":")
        if user:
            params["user"] = unquote(user)
        if has_password:
            params["password"] = unquote(password)
    hosts, ports = _hosts(text, hostport)
    if hosts:
        params["host"] = hosts
    if ports:
        params["port"] = ports
    database = unquote(path[1:])
    if database:
        params["dbname"] = database
    for pair in query.split("&") if query else ():
        key, has_value, value = pair.partition("=")
        if not key or not has_value:
            raise _invalid(text, "its query string is not KEY=VALUE pairs joined by &")
        params[unquote(key)] = unquote(value)
    return params


def _hosts(text: str, hostport: str) -> tuple[str, str]:
    """libpq's host list `h1:5432,h2` as its `host` and `port` keywords."""
    if not hostport:
        return "", ""
    hosts: list[str] = []
    ports: list[str] = []
    for item in hostport.split(","):
        if item.startswith("["):
            host, bracket, port_part = item[1:].partition("]")
            if not bracket or (port_part and not port_part.startswith(":")):
                raise _invalid(text, "an IPv6 host is written [ADDRESS] or [ADDRESS]:PORT")
            port = port_part[1:]
        else:
            host, _, port = item.partition(":")
        if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
            raise _invalid(text, "the port is not a number from 1 to 65535")
        hosts.append(unquote(host))
        ports.append(port)
    return ",".join(hosts), ",".join(ports) if any(ports) else ""


def mask_url(text: str) -> str:
    """Hide everything in `text` that may be a password, whether or not it parses: the
    userinfo's password, `?password=` and libpq's `password=` keyword. Errs on hiding too
    much: in a URL that does not parse, a password value is hidden to the end of the text and
    the userinfo up to the last `@` before it (an unencoded `@` in a password is hidden whole)."""
    try:
        parse_url(text)
    except DatabaseError:
        return _mask(text, whole_tail=True)
    return _mask(text, whole_tail=False)


def _mask(text: str, *, whole_tail: bool) -> str:
    keyword = _QUERY_PASSWORD.search(text)
    if keyword is None:
        return _mask_userinfo(text)
    head = _mask_userinfo(text[: keyword.end("head")])
    if whole_tail:
        return head + MASK
    rest = text[keyword.end("pw") :]
    return head + MASK + _QUERY_PASSWORD.sub(lambda m: m.group("head") + MASK, rest)


def _mask_userinfo(text: str) -> str:
    match = _SCHEME.match(text)
    start = match.end() if match else 0
    at = text.rfind("@")
    if at < start:
        if match is None and ":" in text and "=" not in text:
            return text.split(":", 1)[0] + ":" + MASK  # `user:secret` typed without a scheme
        return text
    userinfo = text[start:at]
    user, colon, _ = userinfo.partition(":")
    if colon and not any(c in user for c in "@/?#"):
        userinfo = f"{user}:{MASK}"
    elif colon or any(c in userinfo for c in "@/?#"):
        userinfo = MASK
    return text[:start] + userinfo + text[at:]


def passwords_in(text: str) -> list[str]:
    """The literal passwords a URL's text carries, as written and decoded (to scrub them
    from any message): the userinfo's (up to the last `@`) and every password keyword's."""
    found: list[str] = []
    match = _SCHEME.match(text)
    start = match.end() if match else 0
    at = text.rfind("@")
    if at >= start:
        _, colon, password = text[start:at].partition(":")
        if colon:
            found.append(password)
    found += [m.group("pw").strip("'") for m in _QUERY_PASSWORD.finditer(text)]
    found += [unquote(password) for password in found]
    return sorted({password for password in found if password}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """Remove the URL's passwords from any text (an exception message, a traceback)."""
    for password in passwords_in(url):
        text = text.replace(password, MASK)
    return text
