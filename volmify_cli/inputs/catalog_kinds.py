"""`--include KIND` / `--exclude KIND`: a catalog command limited to some kinds of entities.

A kind is one of a catalog file's top-level lists (a product brings its variants, plans,
prices and course block). Validating reports only the problems of the kinds it covers (the
others are counted); planning leaves the other kinds out of the files, so the import neither
writes nor prunes them and the files' references to them resolve to what the org holds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from volmify_cli.errors import Problem, UsageError
from volmify_cli.inputs.catalog_model import CatalogFile

# kind -> its list in a catalog file
LISTS = {
    "brand": "brands",
    "market": "markets",
    "instructor": "instructors",
    "product": "products",
    "collection": "collections",
    "offer": "offers",
    "promotion": "promotions",
}
_KIND_OF = {name: kind for kind, name in LISTS.items()}
_OF_PRODUCTS = frozenset(("variants", "plans", "prices"))
_TOP = re.compile(r"([a-z_]+)")


@dataclass(frozen=True)
class Kinds:
    included: frozenset[str]

    @classmethod
    def parse(cls, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Kinds:
        """Raises UsageError naming an unknown kind."""
        chosen = set(_known(include)) if include else set(LISTS)
        return cls(frozenset(chosen - set(_known(exclude))))

    @classmethod
    def exactly(cls, kinds: Sequence[str]) -> Kinds:
        """These kinds, none other (a saved plan's). Raises UsageError naming an unknown one."""
        return cls(frozenset(_known(kinds)))

    @property
    def everything(self) -> bool:
        return self.included == frozenset(LISTS)

    def __contains__(self, kind: object) -> bool:
        return kind in self.included

    def shown(self) -> str:
        return ", ".join(kind for kind in LISTS if kind in self.included) or "nothing"

    def covers(self, problem: Problem) -> bool:
        """Whether a problem is about a kind covered (a problem outside every kind's list,
        such as the file's `locales:` or `org:`, always is)."""
        found = _TOP.match(problem.path or "")
        return self.covers_list(found.group(1) if found else "")

    def covers_list(self, name: str) -> bool:
        """Whether the entities of a list (`products`, or `prices`: a product's) are covered;
        a name that is no kind's is."""
        kind = _KIND_OF.get(name, "product" if name in _OF_PRODUCTS else None)
        return kind is None or kind in self.included

    def limit(self, files: list[CatalogFile]) -> list[CatalogFile]:
        """The files without the kinds not covered (read, never planned)."""
        if self.everything:
            return files
        for file in files:
            for kind, name in LISTS.items():
                if kind not in self.included:
                    getattr(file.doc, name).clear()
        if "product" in self.included:
            return files
        return [replace(file, unchanged=(), product_index=None) for file in files]


def _known(kinds: Sequence[str]) -> list[str]:
    found = []
    for given in kinds:
        for kind in (part.strip().lower() for part in given.split(",")):
            kind = _KIND_OF.get(kind, kind)  # plurals too
            if kind not in LISTS:
                raise UsageError(
                    f"unknown kind {kind!r} for --include/--exclude",
                    f"choose among {', '.join(LISTS)}",
                )
            found.append(kind)
    return found


EVERY = Kinds(frozenset(LISTS))
