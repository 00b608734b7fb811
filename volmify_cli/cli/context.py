"""AppContext: what every command needs, created cheaply by the root callback and filled lazily.

Settings are resolved on first use, the engine is created on first use, and the schema revision
is checked once before the first session. Nothing heavy is imported until a command needs it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from typer import _click as click

from volmify_cli.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlmodel import Session

    from volmify_cli.cli.prompts import Prompter
    from volmify_cli.db.direct import DirectReader
    from volmify_cli.db.urls import DatabaseUrl
    from volmify_cli.settings import Settings

FORMATS = ("table", "json", "yaml", "csv", "ndjson")
NO_ORG_HINT = "pass --org SLUG, set VOLMIFY_ORG, or choose a default with `volmify orgs use SLUG`"


class AppContext:
    # A plain class, not a dataclass: generating one costs start-up time on every command.
    def __init__(
        self,
        *,
        db: str | None = None,
        org: str | None = None,
        format: str | None = None,
        locale: str | None = None,
        no_input: bool = False,
        debug: bool = False,
    ) -> None:
        self.db = db
        self.org = org
        self.format = format
        self.locale = locale
        self.no_input = no_input
        self.debug = debug
        self._settings: Settings | None = None
        self._engine: Engine | None = None
        self._database: DatabaseUrl | None = None
        self._schema_checked = False
        self._display_flag: str | None = None
        self.resolved_org: str | None = None

    @classmethod
    def of(cls, ctx: click.Context) -> AppContext:
        root = ctx.find_root()
        if not isinstance(root.obj, AppContext):
            root.obj = AppContext()
        return root.obj

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from volmify_cli.settings import load_settings

            self._settings = load_settings(
                db=self.db, org=self.org, locale=self.locale, output_format=self.format
            )
        return self._settings

    def database_url_for_messages(self) -> str | None:
        return self._settings.database_url if self._settings else self.db

    # -- database -----------------------------------------------------------------------------

    def database(self) -> DatabaseUrl:
        """The database URL, parsed once (raises DatabaseError for one it refuses)."""
        if self._database is None:
            from volmify_cli.db.urls import parse_url

            self._database = parse_url(self.settings.database_url)
        return self._database

    def engine(self, *, create: bool = False) -> Engine:
        """The engine, made on first use. A missing SQLite file is an error (exit 4) unless
        `create` (`db upgrade`) or it is the embedded default, which is made on first use."""
        if self._engine is None:
            from volmify_cli.db.engine import make_engine

            default = self.settings.database_is_default
            if default:
                self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self._engine = make_engine(self.database(), create=create or default)
        return self._engine

    def ensure_schema(self) -> None:
        """Check the revision once; upgrade the embedded default, refuse anything else behind."""
        if self._schema_checked:
            return
        from volmify_cli.db.schema import (
            SchemaState,
            current_revision,
            require_current,
            schema_state,
        )

        engine = self.engine()
        with engine.connect() as connection:
            current = current_revision(connection)
        if schema_state(current) is SchemaState.BEHIND and self.settings.database_is_default:
            from volmify_cli.cli import output
            from volmify_cli.migrations.runner import upgrade

            output.notice("Preparing the local database (volmify db upgrade)…")
            for notice in upgrade(engine):
                output.notice(notice)
        else:
            require_current(current)
        self._schema_checked = True

    @contextmanager
    def session(
        self, *, write: bool = False, import_of: str | None = None, lock_timeout: float = 0.0
    ) -> Iterator[Session]:
        """One session scope for the command: commits once at the end or rolls back.
        `write=True` takes the write lock up front (SQLite) and loads every model.
        `import_of=ORG` first takes that org's import lock, waiting up to `lock_timeout` s
        (every importer: one import per organization at a time)."""
        from volmify_cli.db.session import session_scope

        if write:
            # Flushing sorts every mapped table by its foreign keys, so every table a mapped
            # table references must be loaded; reads skip this (start-up is a feature).
            from volmify_cli.models import load_all

            load_all()
        self.ensure_schema()
        with session_scope(self.engine(), write_lock=write) as session:
            if import_of is not None:
                from volmify_cli.db.locks import lock_org_imports

                lock_org_imports(session, import_of, lock_timeout)
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection for the lightest read paths: no ORM or SQLModel import (`orgs list`
        is the start-up benchmark's data command, SPEC 7). Nothing is committed."""
        self.ensure_schema()
        with self.engine().connect() as connection:
            yield connection

    @contextmanager
    def direct_reader(self) -> Iterator[DirectReader]:
        """A read-only driver connection, schema checked, for the report commands: no
        SQLAlchemy import on the way (SPEC 7), unless the URL needs the engine to open it or
        the embedded database must be prepared first. Nothing is written."""
        from volmify_cli.db import direct

        url = self.database()
        reader = direct.connect(url)
        if reader is not None and not self._schema_checked:
            from volmify_cli.db.schema import SchemaState, current_revision_direct, schema_state

            try:
                state = schema_state(current_revision_direct(reader))
            except BaseException:
                reader.close()
                raise
            if state is SchemaState.CURRENT:
                self._schema_checked = True
            else:
                reader.close()
                reader = None
        if reader is None:
            self.ensure_schema()  # prepares the embedded default, or refuses (exit 4)
            reader = direct.connect(url) or direct.from_engine(self.engine())
        try:
            yield reader
        finally:
            reader.close()

    def close(self) -> None:
        """Give back the engine's connections when the command ends (a process exits anyway;
        a program running several commands, the tests among them, would keep one each)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- resolved options ---------------------------------------------------------------------

    def org_slug(
        self, flag: str | None = None, *, file_org: str | None = None, file: str | None = None
    ) -> str:
        """The organization a command works on: --org (command or root) > the file's `org` >
        VOLMIFY_ORG > config. A file naming another org than an explicit --org is exit 3, named
        FILE:LINE:COLUMN when `file_org` carries its marks (a Scalar of the document)."""
        explicit = flag or self.org
        if explicit and file_org and explicit != file_org:
            from volmify_cli.errors import InvalidInputError, Problem

            raise InvalidInputError(
                [
                    Problem(
                        file or "<input>",
                        getattr(file_org, "line", None),
                        getattr(file_org, "column", None),
                        "org",
                        f"file is for org {str(file_org)!r}, --org is {explicit!r}",
                    )
                ]
            )
        slug = explicit or file_org or self.settings.org
        if not slug:
            raise UsageError("no organization given", NO_ORG_HINT)
        self.resolved_org = slug  # a list's table names it in its header
        return slug

    def output_format(self, flag: str | None = None) -> str:
        chosen = flag or self.format or self.settings.format
        if chosen:
            chosen = chosen.lower()
            if chosen not in FORMATS:
                raise UsageError(
                    f"unknown format {chosen!r}", f"choose one of {', '.join(FORMATS)}"
                )
            return chosen
        return "table" if sys.stdout.isatty() else "json"

    def display_locale(self, flag: str | None = None) -> str:
        """The display locale: a command's own `--locale` (kept for the rest of the run, so
        its tables' timestamps and counts follow it too), else the settings'."""
        if flag:
            self._display_flag = flag
        return flag or self._display_flag or self.settings.locale

    def prompter(self) -> Prompter:
        from volmify_cli.cli.prompts import Prompter

        return Prompter(enabled=not self.no_input and sys.stdin.isatty())
