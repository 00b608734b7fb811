"""Catalog as code (SPEC 4.1): validate files, plan and apply an import, export the catalog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypedDict

from sqlmodel import Session

from volmify_cli.exchange.bulk import without_gc
from volmify_cli.exchange.catalog_files import CatalogFile, read_catalog_files
from volmify_cli.exchange.catalog_import import ImportPlan, apply_import, file_org, plan_import
from volmify_cli.exchange.changes import ChangeSet


class ValidationRead(TypedDict):
    files: list[str]
    counts: dict[str, int]
    warnings: list[str]


@without_gc
def read_catalog(paths: Sequence[str | Path]) -> list[CatalogFile]:
    """Read and schema-check the catalog's files. Raises InvalidInputError (exit 3) with the
    problems of every file, UsageError for a missing path."""
    return read_catalog_files(paths)


def catalog_org(files: list[CatalogFile]) -> str | None:
    """The org the files name, if any."""
    return file_org(files)


@without_gc
def validate_catalog(paths: Sequence[str | Path]) -> ValidationRead:
    """Everything that can be checked without a database. Raises InvalidInputError listing
    every problem (up to 100)."""
    from volmify_cli.exchange.catalog_checks import build_catalog

    files = read_catalog_files(paths)
    catalog, warnings = build_catalog(files)
    return ValidationRead(files=catalog.files, counts=catalog.counts(), warnings=warnings)


@without_gc
def plan_catalog_import(
    session: Session,
    files: list[CatalogFile],
    *,
    org: str,
    prune: bool = False,
) -> ImportPlan:
    """The plan of importing `files` into `org`, nothing written. Raises InvalidInputError
    (exit 3), RuleError (a prune that history forbids)."""
    return plan_import(session, files, org=org, prune=prune)


@without_gc
def apply_catalog_import(
    session: Session, plan: ImportPlan, *, advance: Callable[[int], None] = lambda _n: None
) -> ChangeSet:
    """Write a planned import in the session's transaction (flushed, not committed)."""
    return apply_import(session, plan, advance=advance)


@without_gc
def export_catalog(session: Session, *, org: str) -> str:
    """The org's catalog as YAML text, deterministic. Raises NotFoundError for an unknown org."""
    from volmify_cli.exchange.catalog_export import export_text

    return export_text(session, org=org)
