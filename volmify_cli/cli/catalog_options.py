"""The options the catalog's commands share: the files, what a prune reaches, the kinds of
entities, the plan's verbosity and the CI formats (`cli/commands/catalog.py` uses them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from volmify_cli.inputs.catalog_kinds import Kinds

FilesArg = Annotated[
    list[Path], typer.Argument(help="Catalog files or directories (every *.yaml / *.yml).")
]
OptionalFilesArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Catalog files or directories (every *.yaml / *.yml); none with --plan.",
        show_default=False,
    ),
]


PruneOpt = Annotated[
    bool,
    typer.Option(
        "--prune",
        help="Delete what the files no longer mention, among the entities the catalog manages"
        " (created or named by a catalog import); the others are kept and listed.",
    ),
]
PruneUnmanagedOpt = Annotated[
    bool,
    typer.Option(
        "--prune-unmanaged",
        help="With --prune, also delete what the catalog does not manage (made by commands).",
    ),
]


IncludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        metavar="KIND",
        help="Only these kinds of entities (repeat, or a,b): brand, market, instructor,"
        " product (with its variants, plans and prices), collection, offer, promotion.",
        show_default=False,
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        metavar="KIND",
        help="Leave these kinds of entities out (repeat, or a,b).",
        show_default=False,
    ),
]


def kinds_of(include: list[str] | None, exclude: list[str] | None) -> Kinds:
    from volmify_cli.inputs.catalog_kinds import Kinds

    return Kinds.parse(include or (), exclude or ())


@dataclass(frozen=True)
class Prune:
    on: bool
    unmanaged: bool = False


VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", help="Every change of the plan, not the first 50 and the counts."),
]
CiFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json or github (problems as pull request annotations).",
        show_default=False,
    ),
]
