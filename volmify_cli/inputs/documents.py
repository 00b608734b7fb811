"""Document schemas: pydantic models over the marked YAML tree, with errors that name
`FILE:LINE:COLUMN`, the field path and what is wrong.

Every unknown key is an error, and every model remembers where its mapping started, so later
checks (references, money in a market's currency) can point at the exact place too. The field
types (how a scalar is read, the rule book's bounds) are in `inputs/fields.py`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.inputs.fields import shown
from volmify_cli.inputs.marks import MarkedList, MarkedMap, Scalar, format_path, locate, position
from volmify_cli.inputs.salvage import Loc, annotation_at, caused_by_patch, patch, unwrap

MAX_PROBLEMS = 100
M = TypeVar("M", bound="DocModel")
E = TypeVar("E", bound=StrEnum)

_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)")


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("volmify", message)


_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}


class _Position(Mapping[str, Any]):
    """A model's `{"line": …, "column": …}` in 48 bytes, not a dict's 184 (a large catalog has
    150,000 models). A read-only mapping, as pydantic reads `__pydantic_private__` when a model
    is copied or compared."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int | None) -> None:
        self.line = line
        self.column = column

    def __getitem__(self, name: str) -> Any:
        if name == "line":
            return self.line
        if name == "column":
            return self.column
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(("line", "column"))

    def __len__(self) -> int:
        return 2


class DocModel(BaseModel):
    """A mapping in a document: unknown keys are errors; the position is remembered.

    The position is kept in `__pydantic_private__` rather than in declared private attributes:
    declaring them makes pydantic run a Python initialiser (default copies and all) for every
    instance, which dominated the validation of a large catalog's 100,000 small mappings.
    """

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, defer_build=True)
    # The keys the model's own rules (after-validators) read; None: any key. When a key had
    # to be patched to read the rest (inputs/salvage), only the rules that read it are muted.
    rule_reads: ClassVar[frozenset[str] | None] = None

    @model_validator(mode="wrap")
    @classmethod
    def _remember_position(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        marked = data.__class__ is MarkedMap  # a document's mapping: the common case first
        if not marked and data is not None and not isinstance(data, (dict, BaseModel)):
            raise _fail("must be a mapping of keys to values")
        model = handler(data)
        # The names of the fields a mapping set: one frozen set shared by every model that
        # set the same ones, not a set of its own (a large catalog's 150,000 models held 60 MB
        # of these). Read-only from here: documents are never assigned to after validation.
        fields = frozenset(model.__pydantic_fields_set__)
        set_field = object.__setattr__
        set_field(model, "__pydantic_fields_set__", _FIELD_SETS.setdefault(fields, fields))
        line = data.line if marked else getattr(data, "line", None)
        if line is not None:
            column = data.column if marked else getattr(data, "column", None)
            set_field(model, "__pydantic_private__", _Position(line, column))
        return model

    @property
    def mark(self) -> tuple[int | None, int | None]:
        where = self.__pydantic_private__
        return (where["line"], where["column"]) if where else (None, None)


# -- validation ----------------------------------------------------------------------------------


def check_header(tree: Any, filename: str, kind: str) -> None:
    """Every document starts with `version: 1` and the expected `kind:`. Raises
    InvalidInputError (exit 3)."""
    if tree is None:
        raise InvalidInputError([Problem(filename, None, None, "", "the file is empty")])
    if not isinstance(tree, MarkedMap):
        line, column = position(tree)
        raise InvalidInputError(
            [
                Problem(
                    filename,
                    line,
                    column,
                    "",
                    "a document must be a mapping starting with version: 1",
                )
            ]
        )
    problems = []
    version = tree.get("version")
    if version != "1":
        line, column = locate(tree, ["version"])
        message = (
            "missing version: 1"
            if "version" not in tree
            else f"unsupported version {shown(version)} (only 1)"
        )
        problems.append(Problem(filename, line, column, "version", message))
    found = tree.get("kind")
    if found != kind:
        line, column = locate(tree, ["kind"])
        message = (
            f"missing kind: {kind}"
            if "kind" not in tree
            else f"kind is {shown(found)}, expected {kind}"
        )
        problems.append(Problem(filename, line, column, "kind", message))
    if problems:
        raise InvalidInputError(problems)


def validate_document(model: type[M], tree: Any, *, filename: str, kind: str) -> M:
    """Check the header, then the whole document against `model`; every problem (up to 100)
    is reported at once. Raises InvalidInputError."""
    check_header(tree, filename, kind)
    checked = check_model(model, tree, filename=filename)
    if checked.problems:
        problems = sorted(checked.problems, key=_by_position)
        raise InvalidInputError(problems[:MAX_PROBLEMS])
    assert checked.doc is not None
    return checked.doc


def validate_part(model: type[M], node: Any, *, filename: str, path: str) -> M:
    """Validate one part of a document that the schema kept as written (a price's long form):
    the problems carry `path` in front of their own. Raises InvalidInputError."""
    try:
        return model.model_validate(node)  # the common case, without the bookkeeping below
    except ValidationError:
        pass
    checked = check_model(model, node, filename=filename, path=path)
    if checked.problems:
        raise InvalidInputError(checked.problems)
    assert checked.doc is not None
    return checked.doc


@dataclass
class Checked(Generic[M]):
    """A mapping checked against its model: the model, or the problems and (when stand-ins let
    the rest be read, see inputs/salvage) the patched model with where its stand-ins are."""

    doc: M | None
    problems: list[Problem] = field(default_factory=list)
    patched: list[str] = field(default_factory=list)  # paths of the stand-ins
    opaque: list[str] = field(default_factory=list)  # paths of entities a stand-in makes unknown
    unknown: list[str] = field(default_factory=list)  # paths of unknown keys, left out


def check_model(model: type[M], node: Any, *, filename: str, path: str = "") -> Checked[M]:
    """Validate `node`; on failure, validate a patched copy too, so the problems the first ones
    hid (the model's own rules, a second bad value) are reported in the same run."""
    try:
        return Checked(model.model_validate(node))
    except ValidationError as exc:
        errors = _errors(exc)
        problems = list(_problems(model, node, filename, exc))
    patched = patch(model, node, [(loc, kind) for loc, kind, _ in errors])
    doc: M | None = None
    places: list[Loc] = []
    opaque: list[Loc] = []
    unknown: list[Loc] = []
    if patched is not None:
        places, opaque, unknown = patched.places, patched.opaque, patched.unknown
        try:
            doc = model.model_validate(patched.tree)
        except ValidationError as again:
            hidden = [
                error for loc, _, error in _errors(again) if not caused_by_patch(model, loc, places)
            ]
            problems.extend(_problems_of(model, patched.tree, filename, hidden))

    def full(loc: Sequence[str | int]) -> str:
        own = format_path(loc)
        return f"{path}.{own}" if path and own else path or own

    if path:
        problems = [
            Problem(p.file, p.line, p.column, f"{path}.{p.path}" if p.path else path, p.message)
            for p in problems
        ]
    return Checked(
        doc,
        problems,
        [full(p) for p in places],
        [full(o) for o in opaque],
        [full(u) for u in unknown],
    )


def _errors(exc: ValidationError) -> list[tuple[Loc, str, Any]]:
    """(location without pydantic's function steps, error type, the error) of each error."""
    found = []
    for error in exc.errors(include_url=False):
        loc = tuple(
            part
            for part in error["loc"]
            if not (isinstance(part, str) and part.startswith("function-"))
        )
        found.append((loc, error["type"], error))
    return found


def _by_position(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def _problems(
    model: type[BaseModel], tree: Any, filename: str, exc: ValidationError
) -> Iterator[Problem]:
    return _problems_of(model, tree, filename, exc.errors(include_url=False))


def _problems_of(
    model: type[BaseModel], tree: Any, filename: str, errors: Sequence[Any]
) -> Iterator[Problem]:
    for error in errors:
        loc = [
            part
            for part in error["loc"]
            if not (isinstance(part, str) and part.startswith("function-"))
        ]
        kind = error["type"]
        if kind == "missing":
            line, column = locate(tree, loc[:-1])
            yield Problem(filename, line, column, format_path(loc[:-1]), f"missing key {loc[-1]!r}")
        elif kind == "extra_forbidden":
            line, column = locate(tree, loc, at_key=True)
            known = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield Problem(
                filename, line, column, format_path(loc[:-1]), f"unknown key {loc[-1]!r}{hint}"
            )
        else:
            at_key = bool(loc) and loc[-1] == "[key]"  # a mapping's key itself: point at it
            if at_key:
                loc = loc[:-1]
            line, column = locate(tree, loc, at_key=at_key)
            message = error["msg"]
            if kind in ("list_type", "tuple_type"):
                message = f"must be a list, not {shown(error.get('input'))}"
            elif kind in ("dict_type", "model_type", "model_attributes_type"):
                message = f"must be a mapping, not {shown(error.get('input'))}"
            elif kind in _BOUNDS:
                bound_key, wording = _BOUNDS[kind]
                bound = (error.get("ctx") or {}).get(bound_key)
                message = f"must be {wording} {bound}, not {error.get('input')}"
            elif kind == "value_error":
                message = message.removeprefix("Value error, ")
            yield Problem(filename, line, column, format_path(loc), message)


_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "more than"),
    "less_than": ("lt", "less than"),
}


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the model found by following `loc` through the annotations."""
    current = unwrap(annotation_at(model, tuple(loc)))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


class Problems:
    """Collects problems found after the schema check (references, money, cross-file rules)."""

    def __init__(self, filename: str = "<input>", limit: int = MAX_PROBLEMS) -> None:
        self.filename = filename
        self.limit = limit
        self.items: list[Problem] = []

    def add(
        self, at: Any, path: str | Sequence[str | int], message: str, *, filename: str | None = None
    ) -> None:
        if len(self.items) >= self.limit:
            return
        if isinstance(at, DocModel):
            line, column = at.mark
        elif isinstance(at, tuple):
            line, column = at
        else:
            line, column = position(at)
        text_path = path if isinstance(path, str) else format_path(path)
        self.items.append(Problem(filename or self.filename, line, column, text_path, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self, hint: str | None = None) -> None:
        if self.items:
            raise InvalidInputError(self.items, hint)


__all__ = [
    "Checked",
    "DocModel",
    "MarkedList",
    "MarkedMap",
    "Problems",
    "Scalar",
    "check_model",
    "validate_document",
    "validate_part",
]
