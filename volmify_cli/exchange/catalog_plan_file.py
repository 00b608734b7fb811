"""Saved catalog plans (`catalog diff FILES -o plan.json`, `catalog import --plan plan.json`), as
Terraform saves its plans: readable JSON holding the org, the prune options, each catalog file
with the sha256 of its bytes, a digest of the database rows the plan read (per table) and the
plan's changes. Applying it later re-reads the same files and the org's rows and refuses, naming
what moved, when either differs: what is written is exactly what was reviewed.

    {
      "kind": "volmify-catalog-plan",
      "version": 1,
      "org": "acme",
      "prune": false,
      "prune_unmanaged": false,
      "kinds": ["brand", "collection", "instructor", "market", "offer", "product", "promotion"],
      "files": [{"path": "catalog/10-org.yaml", "sha256": "…"}],
      "database": {"org_product": "…", …},
      "created": 3, "updated": 1, "unchanged": 118, "deleted": 0,
      "changes": [{"action": "update", "entity": "price", "key": "…", "fields": {…}}]
    }
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.bounded import input_name

KIND = "volmify-catalog-plan"
VERSION = 1
MAX_PLAN_BYTES = 512 * 1024 * 1024  # a plan of the largest catalogs is tens of MB


@dataclass(frozen=True)
class SavedPlan:
    org: str
    prune: bool
    prune_unmanaged: bool
    kinds: tuple[str, ...]  # the kinds of entities planned (--include / --exclude)
    files: tuple[tuple[str, str], ...]  # (path as given, sha256 of its bytes)
    database: dict[str, str]  # table -> digest of the rows the plan read
    changes: tuple[str, ...]  # each change as one line of JSON (Change.json)

    @property
    def paths(self) -> list[Path]:
        return [Path(path) for path, _digest in self.files]

    def moved_files(self) -> list[str]:
        """The plan's files that are gone or whose bytes differ now."""
        moved = []
        for path, digest in self.files:
            try:
                now = file_digest(Path(path))
            except OSError:
                moved.append(f"{path} (gone)")
                continue
            if now != digest:
                moved.append(f"{path} (changed)")
        return moved


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_text(
    *,
    org: str,
    prune: bool,
    prune_unmanaged: bool,
    kinds: Sequence[str],
    files: Sequence[Path],
    database: dict[str, str],
    counts: dict[str, int],
    changes: Sequence[str],
) -> list[str]:
    """The plan file's text, in parts (a first import's plan has 100,000s of changes)."""
    head = {
        "kind": KIND,
        "version": VERSION,
        "org": org,
        "prune": prune,
        "prune_unmanaged": prune_unmanaged,
        "kinds": list(kinds),
        "files": [{"path": str(path), "sha256": file_digest(path)} for path in files],
        "database": database,
        **counts,
    }
    text = json.dumps(head, ensure_ascii=False, indent=2)
    parts = [text[:-2] + ',\n  "changes": [']
    parts += [("\n    " if i == 0 else ",\n    ") + line for i, line in enumerate(changes)]
    parts.append("\n  ]\n}\n" if changes else "]\n}\n")
    return parts


def read_plan(path: Path) -> SavedPlan:
    """Read a saved plan. Raises InvalidInputError (exit 3) naming the line of what is wrong."""
    name = input_name(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_PLAN_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(
            [Problem(name, None, None, "", f"cannot read the plan: {exc.strerror}")]
        ) from None
    if len(data) > MAX_PLAN_BYTES:
        raise _problem(name, f"larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB: not a plan")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _problem(name, "not UTF-8 text: not a plan written by catalog diff -o") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            [Problem(name, exc.lineno, exc.colno, "", f"not valid JSON: {exc.msg}")]
        ) from None
    return _saved(name, document)


def _saved(name: str, document: Any) -> SavedPlan:
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise _problem(name, f"not a saved catalog plan (kind: {KIND} expected)")
    if document.get("version") != VERSION:
        raise _problem(name, f"unsupported plan version {document.get('version')!r} (only 1)")
    org, files = document.get("org"), document.get("files")
    database, changes = document.get("database"), document.get("changes")
    if not isinstance(org, str) or not org:
        raise _problem(name, "org: missing or not text")
    if not isinstance(files, list) or not files or not all(_is_file(f) for f in files):
        raise _problem(name, "files: expected a list of {path, sha256}")
    if not isinstance(database, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in database.items()
    ):
        raise _problem(name, "database: expected table digests")
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise _problem(name, "changes: expected a list of changes")
    kinds = document.get("kinds")
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise _problem(name, "kinds: expected a list of kinds of entities")
    for flag in ("prune", "prune_unmanaged"):
        if not isinstance(document.get(flag), bool):
            raise _problem(name, f"{flag}: expected true or false")
    return SavedPlan(
        org=org,
        prune=document["prune"],
        prune_unmanaged=document["prune_unmanaged"],
        kinds=tuple(kinds),
        files=tuple((f["path"], f["sha256"]) for f in files),
        database=database,
        changes=tuple(json.dumps(c, ensure_ascii=False) for c in changes),
    )


def _is_file(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("sha256"), str)
    )


def _problem(name: str, message: str) -> InvalidInputError:
    return InvalidInputError([Problem(name, None, None, "", message)])
