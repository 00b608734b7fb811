"""Problems of input files as CI tools read them (`catalog validate|diff --format json|github`):
JSON objects on stdout, or GitHub Actions workflow commands (`::error file=F,line=L,col=C::msg`)
that annotate the pull request's lines. The human lines still go to stderr, and the exit code
stays 3."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from volmify_cli.errors import InvalidInputError, Problem

CI_FORMATS = ("table", "json", "yaml", "csv", "github")


def problem_dict(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "path": problem.path or None,
        "message": problem.message,
    }


def _escaped(text: str, *, property_value: bool = False) -> str:
    """GitHub's escaping of workflow command data (and of property values)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(problem: Problem, level: str = "error") -> str:
    where = [f"file={_escaped(problem.file, property_value=True)}"]
    if problem.line is not None:
        where.append(f"line={problem.line}")
        if problem.column is not None:
            where.append(f"col={problem.column}")
    message = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"::{level} {','.join(where)}::{_escaped(message)}"


def write_problems(problems: Sequence[Problem], fmt: str) -> None:
    if fmt == "github":
        sys.stdout.write("".join(github_line(problem) + "\n" for problem in problems))
    else:
        document = {"problems": [problem_dict(problem) for problem in problems]}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


@contextmanager
def problems_for_ci(fmt: str) -> Iterator[None]:
    """With `json` or `github`, the problems of an invalid input are also written to stdout in
    that form before the error goes on (stderr, exit 3)."""
    try:
        yield
    except InvalidInputError as error:
        if fmt in ("json", "github"):
            write_problems(error.problems, fmt)
        raise
