"""A second look at a mapping that failed its schema, so that one run reports all of its problems.

pydantic reports every bad key of a mapping at once, but a model's own rule (an after-validator,
like "a subscription plan needs an interval") runs only when all of its keys were read, and the
checks after the schema (money in a market's currency, references) run only on a whole entity.
So a missing `title` used to hide a float price until the title was written.

`patch` puts a stand-in where each problem is (a missing key gets one, a bad optional value is
left out, a bad required value is replaced) in a copy of the tree, which is validated again: what
that second pass finds is reported too, except what a stand-in may have caused (a model's rule
that reads a patched key, see `DocModel.rule_reads`), and the entity it yields lets the later
checks run. Stand-ins are never reported themselves: `Patch.places` says where they are.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, PlainValidator

from volmify_cli.inputs.marks import MarkedList, MarkedMap, Scalar

Loc = tuple[str | int, ...]


@dataclass
class Patch:
    """The patched copy of a tree and where its stand-ins are (relative to the tree)."""

    tree: Any
    places: list[Loc] = field(default_factory=list)
    # Entities whose content a stand-in makes unknown: their kind (an enum), or a whole list or
    # mapping of theirs, is a stand-in or left out.
    opaque: list[Loc] = field(default_factory=list)
    unknown: list[Loc] = field(default_factory=list)  # unknown keys, left out


def patch(model: type[BaseModel], tree: Any, errors: Sequence[tuple[Loc, str]]) -> Patch | None:
    """A copy of `tree` with a stand-in at each `(loc, error type)`; None when one of them has
    no stand-in (the entity itself is not a mapping, an item of a list of mappings is broken)."""
    if not isinstance(tree, MarkedMap):
        return None
    result = Patch(copy_tree(tree))
    for loc, kind in errors:
        if kind == "extra_forbidden":  # an unknown key: reading goes on without it
            parent = _walk(result.tree, loc[:-1])
            if not isinstance(parent, MarkedMap):
                return None
            parent.pop(str(loc[-1]), None)
            result.unknown.append(loc)
            continue
        if loc and loc[-1] == "[key]":  # a bad key of a mapping: leave the entry out
            loc = loc[:-1]
            parent = _walk(result.tree, loc[:-1])
            if not isinstance(parent, MarkedMap) or not loc:
                return None
            parent.pop(str(loc[-1]), None)
            result.places.append(loc)
            continue
        if not loc or not _stand_in(model, result, loc, missing=kind == "missing"):
            return None
    return result


def _stand_in(model: type[BaseModel], result: Patch, loc: Loc, *, missing: bool) -> bool:
    parent = _walk(result.tree, loc[:-1])
    name = loc[-1]
    owner = unwrap(annotation_at(model, loc[:-1]))
    if isinstance(owner, type) and issubclass(owner, BaseModel) and isinstance(name, str):
        info = owner.model_fields.get(name)
        if info is None or not isinstance(parent, MarkedMap):
            return False
        if not missing and not info.is_required():
            parent.pop(name, None)  # a bad optional value: as if it were not written
            result.places.append(loc)
            if _is_container(info.annotation):
                result.opaque.append(loc[:-1])
            return True
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
    elif isinstance(parent, (MarkedMap, MarkedList)) and not missing:
        annotation = annotation_at(model, loc)  # an item of a list or a value of a mapping
    else:
        return False
    value = _placeholder(annotation, parent)
    if value is None:
        return False
    parent[name] = value
    result.places.append(loc)
    if _enum_of(annotation) is not None or isinstance(value, (MarkedMap, MarkedList)):
        result.opaque.append(loc[:-1])
    return True


def _is_container(annotation: Any) -> bool:
    base = unwrap(annotation)
    return typing.get_origin(base) in (list, dict) or (
        isinstance(base, type) and issubclass(base, BaseModel)
    )


def _placeholder(annotation: Any, near: Any) -> Any:
    """A value that `annotation` accepts, positioned at `near`; None when none is known."""
    line, column = getattr(near, "line", 0), getattr(near, "column", 0)
    checks = [m.func for m in _metadata(annotation) if isinstance(m, PlainValidator)]
    base = unwrap(annotation)
    if not checks:
        origin = typing.get_origin(base)
        if origin is list:
            return MarkedList(line, column)
        if origin is dict or (isinstance(base, type) and issubclass(base, BaseModel)):
            return MarkedMap(line, column)
        return None
    enum = _enum_of(annotation)
    texts = [m.value for m in enum] if enum else [f"stand-in-{line}-{column}"]
    candidates: list[Any] = [Scalar(text, line, column, False) for text in texts]
    candidates += [Scalar(text, line, column, True) for text in ("1", "true", "2026-01-01")]
    candidates += [MarkedMap(line, column), MarkedList(line, column)]
    check = typing.cast(Callable[[Any], Any], checks[0])
    for candidate in candidates:
        try:
            check(candidate)
        except Exception:  # any refusal means: try the next candidate
            continue
        return candidate
    return None


def _metadata(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is Annotated:
        return typing.get_args(annotation)[1:]
    return ()


def _enum_of(annotation: Any) -> type[StrEnum] | None:
    base = unwrap(annotation)
    return base if isinstance(base, type) and issubclass(base, StrEnum) else None


def annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    """The annotation found by following `loc` from `model` (None when it leads nowhere)."""
    current: Any = model
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = info.annotation if info else None
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return current


def unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated, down to the type a path can walk through."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else options[0]
        else:
            return annotation


def _walk(tree: Any, loc: Loc) -> Any:
    node = tree
    for part in loc:
        in_map = isinstance(node, MarkedMap) and isinstance(part, str) and part in node
        in_list = isinstance(node, MarkedList) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            return None
        node = node[part]
    return node


def copy_tree(node: Any) -> Any:
    """A copy of the mappings and lists of a marked tree (scalars are immutable, kept)."""
    if isinstance(node, MarkedMap):
        copied = MarkedMap(node.line, node.column)
        for key, value in node.items():
            copied[key] = copy_tree(value)
        return copied
    if isinstance(node, MarkedList):
        items = MarkedList(node.line, node.column)
        items.extend(copy_tree(value) for value in node)
        return items
    return node


def caused_by_patch(model: type[BaseModel], loc: Loc, places: Sequence[Loc]) -> bool:
    """Whether a problem the second pass found at `loc` may come from a stand-in: it is at or
    inside one, or it is the rule of a model that reads a key holding one."""
    if any(loc[: len(place)] == place for place in places):
        return True
    owner = unwrap(annotation_at(model, loc))
    if not (isinstance(owner, type) and issubclass(owner, BaseModel)):
        return False
    reads: frozenset[str] | None = getattr(owner, "rule_reads", None)
    size = len(loc)
    return any(
        len(place) > size
        and place[:size] == loc
        and (reads is None or (isinstance(place[size], str) and place[size] in reads))
        for place in places
    )


def caused_later(path: str, places: Iterable[str], opaque: Iterable[str]) -> bool:
    """Whether a problem a later check (money, references, the database) found at `path` may
    come from a stand-in at `places`: at or inside one, on the entity holding it or an ancestor,
    on a key of that entity (its rules may read both), or anywhere inside an entity whose
    content a stand-in makes unknown (`opaque`)."""
    for place in places:
        entity = parent_path(place)
        if within(path, place) or (path and within(entity, path)) or parent_path(path) == entity:
            return True
    return any(within(path, outer) for outer in opaque)


def within(path: str, outer: str) -> bool:
    """Whether `path` is `outer` or inside it (`products[1]` is not inside `products[10]`)."""
    return path == outer or path.startswith((f"{outer}.", f"{outer}["))


def parent_path(path: str) -> str:
    """`products[0].variants[1]` -> `products[0]`; `products[0].title` -> `products[0]`."""
    return path[: max(path.rfind("."), path.rfind("["), 0)]
