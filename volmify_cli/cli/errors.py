"""The one error handler: `Error: …` / `Hint: …` on stderr and the error's exit code.

Tracebacks only with --debug (or VOLMIFY_DEBUG=1), and even then with passwords scrubbed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import typer
from typer import _click as click

from volmify_cli.errors import InvalidInputError, RuleError, VolmifyError

MAX_PROBLEMS_SHOWN = 100


def debug_enabled(ctx: click.Context | None = None) -> bool:
    if os.environ.get("VOLMIFY_DEBUG", "") not in ("", "0"):
        return True
    obj = getattr(ctx.find_root(), "obj", None) if ctx is not None else None
    return bool(getattr(obj, "debug", False))


def _database_url(ctx: click.Context) -> str | None:
    obj = getattr(ctx.find_root(), "obj", None)
    url = getattr(obj, "database_url_for_messages", None)
    return url() if callable(url) else None


def _scrub(text: str, ctx: click.Context) -> str:
    from volmify_cli.db.urls import scrub

    url = _database_url(ctx)
    return scrub(text, url) if url else text


def report(error: VolmifyError, ctx: click.Context) -> None:
    from volmify_cli.cli import output

    if isinstance(error, InvalidInputError):
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            output.problem_line(_scrub(str(problem), ctx))
    output.error_line(_scrub(error.reason, ctx), _scrub(error.hint, ctx) if error.hint else None)


def _translate(exc: BaseException, ctx: click.Context) -> VolmifyError | None:
    """Database driver errors that a user can cause get a clear message (exit 4 or 1)."""
    module = type(exc).__module__
    if module.startswith("sqlalchemy") or module.startswith("psycopg") or module == "sqlite3":
        from volmify_cli.db.errors import translate_db_error

        return translate_db_error(exc, _database_url(ctx))
    return None


@contextmanager
def handle_errors(ctx: click.Context) -> Iterator[None]:
    try:
        yield
    except (typer.Exit, typer.Abort, click.ClickException):
        raise
    except VolmifyError as error:
        if debug_enabled(ctx):
            _print_traceback(error, ctx)
        report(error, ctx)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        # Ctrl-C: the transaction rolled back on the way out and files are written whole or
        # not at all, so nothing of this command is left behind
        print_interrupted()
        raise typer.Exit(130) from None
    except MemoryError as error:
        _out_of_memory(error, ctx)
    except OSError as error:
        if error.errno == 32:  # EPIPE: the reader went away (`volmify … | head -1`)
            _closed_pipe()
            raise typer.Exit(0) from None  # what the reader wanted, it read: a quiet success
        _unexpected(error, ctx)
    except OverflowError as error:
        # SQLite binds at most 64-bit integers ("Python int too large to convert to SQLite
        # INTEGER"); a typed number beyond that is a value out of range, not a crash.
        if debug_enabled(ctx):
            _print_traceback(error, ctx)
        reason = "a number is too large to store" if "int" in str(error) else str(error)
        report(RuleError(f"value out of range: {reason}"), ctx)
        raise typer.Exit(1) from None
    except Exception as error:  # the last line of defence: never a bare traceback
        translated = _translate(error, ctx)
        if translated is not None:
            if debug_enabled(ctx):
                _print_traceback(error, ctx)
            report(translated, ctx)
            raise typer.Exit(translated.exit_code) from None
        _unexpected(error, ctx)


def _out_of_memory(error: MemoryError, ctx: click.Context) -> None:
    """One line, even under a memory limit (`ulimit -v`): first free what the failed work
    holds (the locals of its finished frames, kept alive by the traceback), since printing
    the message needs memory too (it imports Rich)."""
    frame = error.__traceback__
    while frame is not None:
        with suppress(RuntimeError):  # a frame still running (ours, the caller's) stays
            frame.tb_frame.clear()
        frame = frame.tb_next
    if debug_enabled(ctx):
        _print_traceback(error, ctx)
    report(
        VolmifyError(
            "out of memory",
            "give volmify more memory, or split the input (VOLMIFY_MAX_DOCUMENT_MB,"
            " VOLMIFY_MAX_DOCUMENT_VALUES and VOLMIFY_MAX_CSV_LINE_MB bound what a file may hold)",
        ),
        ctx,
    )
    raise typer.Exit(1) from None


def _unexpected(error: BaseException, ctx: click.Context) -> None:
    from volmify_cli.cli import output

    if debug_enabled(ctx):
        _print_traceback(error, ctx)
    message = _scrub(f"unexpected {type(error).__name__}: {error}", ctx).splitlines()[0]
    output.error_line(message, None if debug_enabled(ctx) else "run again with --debug for details")
    raise typer.Exit(1) from None


def _print_traceback(error: BaseException, ctx: click.Context) -> None:
    import traceback

    text = "".join(traceback.format_exception(error))
    sys.stderr.write(_scrub(text, ctx))


def print_interrupted() -> None:
    from volmify_cli.cli import output

    output.notice("Interrupted; nothing was written.")


def _closed_pipe() -> None:
    """The reader of stdout went away: what is still buffered goes nowhere (Python's advice for
    SIGPIPE: point stdout at devnull), so the exit flushes quietly."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a descriptor (a test's capture)
        pass
