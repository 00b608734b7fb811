"""Deterministic constraint and index names, never longer than PostgreSQL's 63 characters.

PostgreSQL truncates longer identifiers and SQLite keeps them, so the two schemas would drift;
long names are shortened here to a readable prefix plus a short hash of the full name, the same
on both databases.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import MetaData, Table

MAX_IDENTIFIER = 63


def shorten(name: str, limit: int = MAX_IDENTIFIER) -> str:
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9]}_{digest}"


def _columns(constraint: Any) -> list[str]:
    keys = getattr(constraint, "column_keys", None)  # ForeignKeyConstraint before attachment
    if keys:
        return [str(k) for k in keys]
    columns = getattr(constraint, "columns", None)
    names = [c.name for c in columns] if columns is not None else []
    if not names:  # an Index on expressions
        names = [getattr(e, "name", "expr") for e in getattr(constraint, "expressions", [])]
    return names


def _referred(constraint: Any) -> str:
    return str(constraint.elements[0].target_fullname).split(".")[0]


def _short_ix(constraint: Any, table: Table) -> str:
    return shorten(f"ix_{table.name}_{'_'.join(_columns(constraint))}")


def _short_uq(constraint: Any, table: Table) -> str:
    return shorten(f"uq_{table.name}_{'_'.join(_columns(constraint))}")


def _short_fk(constraint: Any, table: Table) -> str:
    return shorten(f"fk_{table.name}_{'_'.join(_columns(constraint))}_{_referred(constraint)}")


def _short_ck(constraint: Any, table: Table) -> str:
    return shorten(f"ck_{table.name}_{constraint.name}")


def _short_pk(constraint: Any, table: Table) -> str:
    return shorten(f"pk_{table.name}")


NAMING_CONVENTION: dict[str, Any] = {
    "short_ix": _short_ix,
    "short_uq": _short_uq,
    "short_fk": _short_fk,
    # SQLAlchemy applies a convention to an explicitly named constraint only when the template
    # mentions "constraint_name", hence this token's name.
    "constraint_name_ck": _short_ck,
    "short_pk": _short_pk,
    "ix": "%(short_ix)s",
    "uq": "%(short_uq)s",
    "fk": "%(short_fk)s",
    "ck": "%(constraint_name_ck)s",
    "pk": "%(short_pk)s",
}


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)
