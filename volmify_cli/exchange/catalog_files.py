"""Finding and reading the files of one catalog (SPEC 4.1): FILE may be given several times or be
a directory (every `*.yaml` / `*.yml` in it, sorted); together they are one catalog.

Every file is read and checked against the schema before anything else happens, and the
problems of all files are reported together (up to 100).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from pydantic import ValidationError

from volmify_cli.errors import InvalidInputError, Problem, UsageError, VolmifyError
from volmify_cli.exchange.bounded import STDIN, input_name, unreadable
from volmify_cli.exchange.product_text import (
    NotAsCut,
    StartedTail,
    read_in_halves,
    skim_by_text,
    start_tail,
    text_digest,
)
from volmify_cli.exchange.yamlio import (
    ItemHooks,
    ReadAgain,
    Span,
    load_span,
    load_yaml_file,
    load_yaml_str,
    peek,
    read_text,
)
from volmify_cli.inputs.catalog_checks import build_catalog
from volmify_cli.inputs.catalog_kinds import EVERY, Kinds
from volmify_cli.inputs.catalog_model import CatalogFile, Fingerprint, Unchanged, context_digest
from volmify_cli.inputs.catalog_schema import CatalogDoc, ProductDoc
from volmify_cli.inputs.documents import (
    MAX_PROBLEMS,
    Checked,
    check_header,
    check_model,
)
from volmify_cli.inputs.marks import MarkedList
from volmify_cli.inputs.salvage import caused_later
from volmify_cli.services.collector import without_gc

KIND = "catalog"

# Told how many bytes of the catalog's files were read so far (counted afresh when the files
# are read again), as each product is read: a large catalog takes seconds to read.
ReadProgress = Callable[[int], None]


def find_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files of the catalog, in the order given (a directory's files sorted by name); a
    pipe or a device (`/dev/stdin`, `-`) is read as one file. Raises UsageError (exit 2) for a
    path that does not exist or an empty directory, InvalidInputError (exit 3) for a directory
    that cannot be listed."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                entries = list(path.iterdir())
            except OSError as exc:
                raise unreadable(str(path), exc) from None
            inside = sorted(
                (p for p in entries if p.is_file() and p.suffix in (".yaml", ".yml")),
                key=lambda p: p.name,
            )
            if not inside:
                raise UsageError(f"directory {str(path)!r} holds no *.yaml or *.yml file")
            found.extend(inside)
        elif str(path) == STDIN or path.exists():
            found.append(path)
        else:
            raise UsageError(f"no such file or directory: {str(path)!r}")
    if not found:
        raise UsageError("no catalog file given")
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in found:  # the same file named twice is read once
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def peek_org(paths: Sequence[str | Path]) -> str | None:
    """The org slug at the top of the catalog's files (`org: {slug: …}` before `products:`),
    read without reading the rest; None when no file says it up front."""
    for path in find_files(paths):
        slug = peek(path, key="org", field="slug", before="products")
        if slug is not None:
            return slug
    return None


def catalog_bytes(paths: Sequence[str | Path]) -> int:
    """The size of the catalog's files (a pipe counts for nothing): what `read_catalog` tells
    its progress when it has read them all."""
    return sum(_size(path) for path in find_files(paths))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0  # the read says what is wrong with it


class StartedTails:
    """Second processes started on the tails of a catalog's large files as the command begins
    (exchange/product_text), for `read_catalog` to take when it reads every product. Use it as
    a context manager: what was not taken is stopped at its end, or by `close()` (a re-import
    that skims its unchanged products by their fingerprints reads no tail)."""

    def __init__(self, paths: Sequence[str | Path]) -> None:
        self.tails: dict[Path, StartedTail] = {}
        try:
            found = find_files(paths)
        except VolmifyError:  # the reading says what is wrong
            return
        for path in found:
            tail = start_tail(path, input_name(path))
            if tail is not None:
                self.tails[path] = tail

    def take(self, path: Path) -> StartedTail | None:
        return self.tails.pop(path, None)

    def close(self) -> None:
        for tail in self.tails.values():
            tail.reader.close()
        self.tails.clear()

    def __enter__(self) -> StartedTails:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@without_gc
def read_catalog(
    paths: Sequence[str | Path],
    *,
    fingerprints: Mapping[str, Fingerprint] | None = None,
    prune: bool = False,
    progress: ReadProgress | None = None,
    started: StartedTails | None = None,
) -> list[CatalogFile]:
    """Load and schema-check every file. Raises InvalidInputError with the problems of all
    files (exit 3), or UsageError for missing paths.

    When only some products break the schema, the rest of the catalog is still checked (money,
    references, defaults …) so that one run reports every problem the files hold; references
    to the broken products are not reported twice.

    `fingerprints` (what the org's last import read, by the digest of each product's text)
    lets a product whose text and context are unchanged be skipped: not read, not checked,
    listed in `CatalogFile.unchanged`. Every product read gets the digest of its text, for the
    import to remember. `progress` is told the bytes read so far. `started`: the second
    processes started on the files' tails, taken when every product is read (stopped when
    `fingerprints` are given)."""
    found_files = find_files(paths)
    if fingerprints and started is not None:
        started.close()  # a skim by the fingerprints reads no tail
        started = None
    files, problems = _read_all(found_files, fingerprints or None, progress, started)
    if fingerprints and not problems:
        context = context_digest(files, prune=prune)
        if any(u.fingerprint.context != context for f in files for u in f.unchanged):
            # what the products' checks depend on changed: read every product
            files, problems = _read_all(found_files, None, progress)
    if problems:
        order = {f.name: i for i, f in enumerate(files)}
        problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0, p.column or 0))
        raise InvalidInputError(problems[:MAX_PROBLEMS])
    return files


def _read_all(
    paths: list[Path],
    fingerprints: Mapping[str, Fingerprint] | None,
    progress: ReadProgress | None = None,
    started: StartedTails | None = None,
) -> tuple[list[CatalogFile], list[Problem]]:
    files: list[CatalogFile] = []
    problems: list[Problem] = []
    broken = _Broken()
    complete = True
    before = 0  # the bytes of the files read before this one
    for path in paths:
        name = input_name(path)
        within = _Position(before, progress)
        tail = None if started is None else started.take(path)
        try:
            file, found = _read(path, name, broken, fingerprints, within, tail)
        except InvalidInputError as error:
            problems.extend(error.problems)
            complete = False
            continue
        finally:
            if tail is not None:  # read, or never reached: stopped either way
                tail.reader.close()
            before += _size(path)
            if progress is not None:
                progress(before)
        files.append(file)
        problems.extend(found)
    if problems and complete:
        problems.extend(_later_problems(files, broken))
    return files, problems


@dataclass
class _Broken:
    """What the checks after the schema must not report of products with problems: references
    to those that could not be read, or whose slugs are stand-ins (`slugs`), and what a stand-in
    (inputs/salvage) may cause in those read in spite of their problems (`places`: file and
    path): at or inside a stand-in, on the entity holding it and its ancestors, on that entity's
    own keys, and anywhere inside an entity whose content a stand-in makes unknown (`opaque`)."""

    slugs: set[str] = field(default_factory=set)
    places: set[tuple[str, str]] = field(default_factory=set)
    opaque: set[tuple[str, str]] = field(default_factory=set)

    def hides(self, problem: Problem) -> bool:
        if any(f"'{slug}'" in problem.message for slug in self.slugs):
            return True
        places = [place for file, place in self.places if file == problem.file]
        opaque = [outer for file, outer in self.opaque if file == problem.file]
        return caused_later(problem.path, places, opaque)


def _plain(checked: Checked[CatalogDoc]) -> bool:
    """Whether the stand-ins of a document's brands, markets, offers … leave what the products
    refer to intact: no slug, kind, whole list or mapping is a stand-in and no key was unknown
    (a market's slug or currency, a misplaced `markets:`, reach every product's prices). Only
    then do the later checks run on it."""
    return not (
        checked.opaque or checked.unknown or any(p.endswith(".slug") for p in checked.patched)
    )


def _later_problems(files: list[CatalogFile], broken: _Broken) -> list[Problem]:
    from volmify_cli.inputs.catalog_checks import build_catalog

    try:
        build_catalog(files)
    except InvalidInputError as error:
        return [p for p in error.problems if not broken.hides(p)]
    return []


_BROKEN: Any = object()
_SKIPPED: Any = object()
_MISSING: Any = object()


class _Position:
    """Where the reading of one file is, told to the progress in bytes (a mark's `.index`
    counts characters: the text between two marks is encoded once, as it is passed)."""

    def __init__(self, before: int, progress: ReadProgress | None) -> None:
        self.progress = progress
        self.index = 0
        self.bytes = before

    def at(self, text: str | None, span: Span | None) -> None:
        if self.progress is None or text is None or span is None:
            return  # a file the streaming reader reads is counted once read
        index = span[1].index
        if index <= self.index:
            return
        self.bytes += len(text[self.index : index].encode())
        self.index = index
        self.progress(self.bytes)


def _read(
    path: Path,
    name: str,
    broken: _Broken,
    fingerprints: Mapping[str, Fingerprint] | None,
    position: _Position | None = None,
    started: StartedTail | None = None,
) -> tuple[CatalogFile, list[Problem]]:
    """One file, and the problems of the products that break the schema. A product that stand-ins
    make whole (inputs/salvage) stays in the document so that the later checks report its other
    problems; the others are left out, their slugs go to `broken`. Products are validated as
    soon as each is read, so a large catalog never holds its whole YAML tree. Raises
    InvalidInputError when the rest of the document is invalid."""
    found: list[Problem] = []
    digests: dict[str, str] = {}
    unchanged: list[Unchanged] = []
    places: list[str] = []
    opaque: list[str] = []
    text = read_text(path, name) if started is None else started.text

    def product(node: Any, index: int, span: Span) -> Any:
        if position is not None:
            position.at(text, span)
        try:
            doc = ProductDoc.model_validate(node)
        except ValidationError:
            return checked_again(node, f"products[{index}]")
        if text is not None and doc.course is None:  # a course block is always read
            digests[str(doc.slug)] = text_digest(text, span)
        return doc

    def skim(index: int, span: Span) -> Any:
        assert text is not None and fingerprints is not None
        digest = text_digest(text, span)
        stored = fingerprints.get(digest)
        if stored is not None:
            if position is not None:
                position.at(text, span)
            line, column = span[0].line + 1, span[0].column + 1
            unchanged.append(Unchanged(stored.slug, digest, name, index, line, column, stored))
            return _SKIPPED
        return product(load_span(text, span, filename=name), index, span)

    def checked_again(node: Any, where: str) -> Any:
        checked = check_model(ProductDoc, node, filename=name, path=where)
        found.extend(checked.problems)
        slug = node.get("slug") if isinstance(node, dict) else None
        # a stand-in slug (the product's, a variant's or a plan's) or content a stand-in makes
        # unknown: references into the product cannot be told right or wrong
        unknown = checked.opaque or any(place.endswith(".slug") for place in checked.patched)
        if isinstance(slug, str) and (checked.doc is None or unknown):
            broken.slugs.add(slug)
        if checked.doc is None:
            return _BROKEN
        places.extend(checked.patched)
        opaque.extend(checked.opaque)
        return checked.doc

    def start_again() -> None:
        found.clear()
        digests.clear()
        unchanged.clear()
        places.clear()
        opaque.clear()
        broken.slugs.intersection_update(slugs_before)

    slugs_before = set(broken.slugs)
    hooks: ItemHooks = {"products": product}
    tree: Any = _MISSING
    if text is not None:
        try:
            at = position.at if position is not None else None
            try:  # the products found in the text (exchange/product_text), when it can
                found_in_text = (
                    skim_by_text(text, name, fingerprints, product, unchanged, _SKIPPED, at)
                    if fingerprints
                    else read_in_halves(path, text, name, digests, at, started)
                )
            except NotAsCut:
                found_in_text = None
            if found_in_text is None:
                start_again()  # what a reading in the text began
                tree = load_yaml_str(
                    text, filename=name, hooks=hooks, skim=skim if fingerprints else None
                )
            else:
                tree = found_in_text
        except ReadAgain:  # the streaming reader says where and what
            start_again()
    if tree is _MISSING:
        text = None
        tree = load_yaml_file(path, name=name, hooks=hooks)
    check_header(tree, name, KIND)  # a file of another kind: its header is the one problem
    products = tree.get("products")
    index: tuple[int, ...] | None = None
    if isinstance(products, MarkedList) and any(p is _BROKEN or p is _SKIPPED for p in products):
        read = [i for i, p in enumerate(products) if p is not _BROKEN and p is not _SKIPPED]
        kept = MarkedList(products.line, products.column)
        kept.extend(products[i] for i in read)
        index = tuple(read)  # where the products read stand in the file, for messages
        tree[next(k for k in tree if k == "products")] = kept
    checked = check_model(CatalogDoc, tree, filename=name)
    if checked.doc is None or not _plain(checked):
        raise InvalidInputError(sorted([*found, *checked.problems], key=_position))
    doc = checked.doc
    if checked.problems:  # a brand, a market, an offer … read in spite of a missing name
        found = sorted([*found, *checked.problems], key=_position)
        places.extend(checked.patched)
    broken.places.update((name, place) for place in places)
    broken.opaque.update((name, outer) for outer in opaque)
    return CatalogFile(name, doc, digests, tuple(unchanged), index), found


def _position(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


class ValidationRead(TypedDict):
    files: list[str]
    counts: dict[str, int]
    warnings: list[str]


@without_gc
def validate_catalog(
    paths: Sequence[str | Path], kinds: Kinds = EVERY, progress: ReadProgress | None = None
) -> ValidationRead:
    """Everything that can be checked without a database. Raises InvalidInputError listing
    every problem (up to 100) of the `kinds` covered; the others are counted in a warning.
    `progress` is told the bytes read so far."""
    try:
        catalog, warnings = build_catalog(read_catalog(paths, progress=progress))
    except InvalidInputError as error:
        covered = [problem for problem in error.problems if kinds.covers(problem)]
        if covered:
            raise InvalidInputError(covered, error.hint) from None
        left = len(error.problems)
        return ValidationRead(
            files=[input_name(path) for path in find_files(paths)],
            counts={},
            warnings=[f"{left} problem(s) in kinds not covered ({kinds.shown()} only)"],
        )
    counts = {name: n for name, n in catalog.counts().items() if kinds.covers_list(name)}
    return ValidationRead(files=catalog.files, counts=counts, warnings=warnings)
