"""One error tree. Every error a user can cause is a VolmifyError with an exit code.

The CLI's single handler prints `Error: <reason>` (and `Hint: <hint>`) on stderr and exits with
the class's code; tracebacks appear only with --debug.
"""

from __future__ import annotations

from collections.abc import Sequence


class VolmifyError(Exception):
    """Base of every expected failure. Exit code 1: a domain error."""

    exit_code = 1

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class NotFoundError(VolmifyError):
    """A slug, code or e-mail that names nothing (in this organization)."""


class ConflictError(VolmifyError):
    """A duplicate natural key or a state that forbids the change."""


class RuleError(VolmifyError):
    """A business rule would be broken (shares over 100%, compare-at below price …)."""


class FileWriteError(VolmifyError):
    """An output file could not be written (a full disk, a read-only file system…); nothing
    was left half-written. Exit code 1."""


class UsageError(VolmifyError):
    """A malformed option or argument. Exit code 2, like the CLI parser's own errors."""

    exit_code = 2


class ConfigError(UsageError):
    """The configuration file or environment is malformed."""


class Problem:
    """One problem found in an input file: where it is and what is wrong.

    A plain class rather than a dataclass: this module is imported on every start-up, and
    generating a dataclass costs a millisecond there (SPEC 7 start-up budget)."""

    __slots__ = ("column", "file", "line", "message", "path")

    def __init__(
        self, file: str, line: int | None, column: int | None, path: str, message: str
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InvalidInputError(VolmifyError):
    """An input file is invalid; nothing was written. Exit code 3.

    Carries every problem found (up to a limit) so that one run reports them all.
    """

    exit_code = 3

    def __init__(self, problems: Sequence[Problem], hint: str | None = None) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} found; nothing was written", hint)


class DatabaseError(VolmifyError):
    """The database is unreachable, or its schema is not at the current migration. Exit 4."""

    exit_code = 4


class SchemaOutdatedError(DatabaseError):
    def __init__(self, current: str | None, head: str) -> None:
        state = f"at revision {current}" if current else "not initialised"
        super().__init__(
            f"the database schema is {state}, this volmify needs {head}",
            "run `volmify db upgrade`",
        )


class ChangesPendingError(VolmifyError):
    """`catalog diff --detailed-exitcode` found changes. Exit 5 (a CI gate, not a failure)."""

    exit_code = 5


class DeletionRefusedError(VolmifyError):
    """`catalog import --fail-on-delete`: the plan deletes something; nothing was written.
    Exit 6."""

    exit_code = 6
