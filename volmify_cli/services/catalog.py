"""Catalog as code (SPEC 4.1): plan and apply the import of catalog files already read
(`exchange/catalog_files.py` reads and validates them; `exchange/catalog_export.py` writes)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from volmify_cli.inputs.catalog_kinds import EVERY, Kinds
from volmify_cli.inputs.catalog_model import CatalogFile, Fingerprint
from volmify_cli.services.catalog_import import ImportPlan, apply_import, file_org, plan_import
from volmify_cli.services.collector import without_gc
from volmify_cli.services.sync.fingerprints import StaleFingerprints, stored
from volmify_cli.services.sync.plan_digest import database_digests, moved_tables

__all__ = ["StaleFingerprints", "moved_tables", "stored_fingerprints"]


def stored_fingerprints(session: Session, org: str) -> dict[str, Fingerprint]:
    """What the org's last catalog import read of each product, by the digest of its text."""
    return stored(session, org)


def catalog_org(files: list[CatalogFile]) -> str | None:
    """The org the files name, if any."""
    return file_org(files)


@without_gc
def plan_catalog_import(
    session: Session,
    files: list[CatalogFile],
    *,
    org: str,
    prune: bool = False,
    prune_unmanaged: bool = False,
    kinds: Kinds = EVERY,
    last_use: bool = False,
) -> ImportPlan:
    """The plan of importing `files` into `org`, nothing written. Raises InvalidInputError
    (exit 3), RuleError (a prune that history forbids). `last_use`: the files are not planned
    again (their documents are dropped as they are planned, to bound memory).
    `prune_unmanaged`: the prune deletes entities the catalog does not manage too."""
    return plan_import(
        session,
        files,
        org=org,
        prune=prune or prune_unmanaged,
        prune_unmanaged=prune_unmanaged,
        kinds=kinds,
        last_use=last_use,
    )


@without_gc
def apply_catalog_import(
    session: Session, plan: ImportPlan, *, advance: Callable[[int], None] = lambda _n: None
) -> None:
    """Write a planned import in the session's transaction (flushed, not committed); what it
    changed is `plan.changes`."""
    apply_import(session, plan, advance=advance)


def plan_digests(plan: ImportPlan) -> dict[str, str]:
    """A digest of the org's rows the plan read, per table (for a saved plan)."""
    return database_digests(plan.ctx)
