"""A catalog's products found in its text, before any YAML is read: where each item of the
top-level `products:` list begins and ends. In block style an item begins on a line of its own
at the list's indentation; whatever else could begin that way (a quoted scalar or a flow
collection running over lines) is caught by the YAML read of what is left, which then fails or
finds a product where the text did not put one, and the file is read in one piece.

Two uses (exchange/catalog_files):

- **a re-import** finds its unchanged products by the digests of their text alone and reads
  only the rest as YAML, the unchanged ones blanked out (their lines kept). An unchanged large
  catalog (SPEC 7: 10,000 products, 21 MB) was two seconds of libyaml events, skipped one by one.
- **a first import** of a large file reads its last products in a second process, started with
  the command (`start_tail`), while this one looks the org up and reads the rest: reading is a
  third of the import and nothing can start before it ends, so it is the one part a second core
  can take. Each half is read with the file's own lines and columns and each product's digest
  is taken over the same text. Only the plain case is read this way: halves that read without
  any problem, with the products the cut promised; anything else (a problem, a surprise, a
  failed process) is read in one piece, so that every message is the one-piece reader's.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import os
import pickle
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from volmify_cli.errors import InvalidInputError, VolmifyError
from volmify_cli.exchange.yamlio import ReadAgain, Span, load_yaml_str, mark_at, read_text
from volmify_cli.inputs.catalog_model import Fingerprint, Unchanged
from volmify_cli.inputs.catalog_schema import ProductDoc
from volmify_cli.inputs.marks import MarkedList, MarkedMap

# Told how far the reading is: the text and the span of the item just read (a progress bar).
Progress = Callable[[str, Span], None]

# What the second process takes of the products' text: it starts later (a new interpreter,
# the schema's modules) and its products come back pickled, so it takes less than half. At
# 0.42 both halves of the bench catalog end together (measured 0.30-0.50: the wait for the
# tail grew past 0.42, the head's own reading below it).
TAIL_SHARE = 0.42
# Its share when it starts with the command (`start_tail`), before the import's modules are
# loaded and the org is looked up: those overlap with its own start-up (measured on the bench
# catalog: 0.40 was 4% slower than 0.46, while 0.50 and 0.52 took the same time as 0.46).
STARTED_TAIL_SHARE = 0.46
# Below this much text of products the second process costs more than it saves.
MIN_PRODUCTS_BYTES = 4_000_000

# Every pattern starts at a line break: a search for "^" tries each character of the 20 MB.
_PRODUCTS = re.compile(r"\nproducts:[ \t]*(?:#[^\n]*)?\n")
_FIRST_ITEM = re.compile(r"\n( *)-[ \n]")
# Characters libyaml takes as line breaks where a cut counting "\n" would lose its lines.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def text_digest(text: str, span: Span) -> str:
    """The digest of one item's text (from its first key to where the next item begins)."""
    start, end = span
    return digest_between(text, start.index, end.index)


def digest_between(text: str, start: int, end: int) -> str:
    return hashlib.blake2b(text[start:end].encode(), digest_size=20).hexdigest()


@dataclass(frozen=True)
class Items:
    """The items of a catalog's top-level `products:` list as its text lays them out."""

    starts: tuple[int, ...]  # the start of each item's first line
    dash: int  # the column of an item's `-` (the list's indentation)
    begin: int  # the line break before the list's first line
    end: int  # where the list ends

    def key_at(self, text: str, item: int) -> int | None:
        """Where the item's mapping starts (its first key), or None for an item whose first
        line holds only a comment (the text does not say where the mapping starts)."""
        at = self.starts[item] + self.dash + 1
        while at < self.end and text[at] in " \n":
            at += 1
        return None if at >= self.end or text[at] == "#" else at

    def end_of(self, item: int) -> int:
        """Where the item's text ends: at the next item's `-`, or where the list ends (where
        libyaml's mark of the end of its mapping is)."""
        if item + 1 < len(self.starts):
            return self.starts[item + 1] + self.dash
        return self.end

    def next_line(self, item: int) -> int:
        return self.starts[item + 1] if item + 1 < len(self.starts) else self.end


def product_items(text: str) -> Items | None:
    """The items of a catalog's products list, found in its text, or None when the text does
    not lay them out plainly (block style, one `products:` key, lines broken by "\n")."""
    found = list(_PRODUCTS.finditer(text))
    if len(found) != 1 or any(b in text for b in _OTHER_BREAKS):
        return None
    begin = found[0].end() - 1  # at the line break before the list's first line
    first = _FIRST_ITEM.search(text, begin)
    if first is None or not _comments(text[begin : first.start()]):
        return None
    dash = len(first.group(1))
    end = _section_end(text, begin, dash)
    item = "\n" + " " * dash + "-"
    starts: list[int] = []
    at = begin
    while (at := text.find(item, at, end)) >= 0:
        if text[at + len(item) : at + len(item) + 1] in (" ", "\n"):
            starts.append(at + 1)
        at += 1
    return Items(tuple(starts), dash, begin, end)


def blank_out(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The text with each range (in order) replaced by as many empty lines as it spans: every
    line after keeps its number."""
    pieces: list[str] = []
    done = 0
    for start, end in ranges:
        pieces += (text[done:start], "\n" * text.count("\n", start, end))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


@dataclass(frozen=True)
class Cut:
    """Where a catalog's text is cut between two products: the tail (`start` to `end`) is read
    by the second process, the head is the rest."""

    start: int  # the start of the line of the tail's first item
    end: int  # where the products' list ends
    dash: int  # the column of an item's `-` (the list's indentation)
    head_items: int
    tail_items: int
    first_line: int  # the tail's first line in the file, from 1

    def head(self, text: str) -> str:
        """The text with the tail's products blanked out."""
        return blank_out(text, [(self.start, self.end)])

    def tail(self, text: str) -> str:
        return text[self.start : self.end]

    @property
    def end_of_head(self) -> int:
        """Where the last product of the head ends in the text, for its digest: at the next
        item's `-`, as in the file read in one piece."""
        return self.start + self.dash


def cut_products(text: str, share: float | None = None) -> Cut | None:
    """The cut of a catalog whose products are worth reading on two cores, or None; the
    second process takes about `share` of the products' text (`TAIL_SHARE` unless told)."""
    items = product_items(text)
    if items is None or items.end - items.begin < MIN_PRODUCTS_BYTES:
        return None
    taken = TAIL_SHARE if share is None else share
    aim = items.end - int((items.end - items.begin) * taken)
    # the first item whose line break is at `aim` or after (an item starts after its break)
    split = bisect.bisect_right(items.starts, aim)
    if split < 1 or split >= len(items.starts):
        return None
    start = items.starts[split]
    line = text.count("\n", 0, start) + 1
    return Cut(start, items.end, items.dash, split, len(items.starts) - split, line)


def _comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.split("\n"))


def _section_end(text: str, begin: int, dash: int) -> int:
    """Where the products' list ends: at the line break before the next line that starts in
    the first column (a top-level key, a document marker) and is not one of the list's items."""
    pattern = r"\n(?!- |-\n)[^ \n#]" if dash == 0 else r"\n[^ \n#]"
    after = re.compile(pattern).search(text, begin)
    return len(text) if after is None else after.start() + 1


class NotAsCut(Exception):
    """A product did not start where the text seemed to put it: the text is read as YAML."""


def skim_by_text(
    text: str,
    name: str,
    fingerprints: Mapping[str, Fingerprint],
    product: Callable[[Any, int, Span], Any],
    unchanged: list[Unchanged],
    skipped_mark: Any,
    at: Progress | None,
) -> Any:
    """The tree of a catalog whose unchanged products are found by the digests of their text
    alone (`product_items`: where each item's text begins and ends), or None. Only
    the rest is read as YAML, the unchanged products blanked out (their lines kept), so that
    a re-import of an unchanged catalog does not walk libyaml's events of every product.
    Raises NotAsCut when a product read does not start where its text did."""
    items = product_items(text)
    if items is None or not items.starts:
        return None
    read: list[tuple[int, Span]] = []  # the products to read: index, span
    blanks: list[tuple[int, int]] = []
    skipped: set[int] = set()
    line, counted = 1, 0
    for item in range(len(items.starts)):
        key = items.key_at(text, item)
        if key is None:
            return None
        line += text.count("\n", counted, key)
        counted = key
        column = key - text.rfind("\n", 0, key) - 1
        span = (mark_at(key, line - 1, column), mark_at(items.end_of(item)))
        digest = text_digest(text, span)
        stored = fingerprints.get(digest)
        if stored is None:
            read.append((item, span))
            continue
        if at is not None:
            at(text, span)
        unchanged.append(Unchanged(stored.slug, digest, name, item, line, column + 1, stored))
        blanks.append((items.starts[item], items.next_line(item)))
        skipped.add(item)
    if not blanks:
        return None  # nothing to skip: the file is read as it is

    def reading(node: Any, index: int, _span: Span) -> Any:
        item, span = read[index]
        start = span[0]
        if (node.line, node.column) != (start.line + 1, start.column + 1):
            raise NotAsCut
        return product(node, item, span)

    tree = load_yaml_str(blank_out(text, blanks), filename=name, hooks={"products": reading})
    if not isinstance(tree, MarkedMap):
        raise NotAsCut
    products = tree.get("products")
    if len(read) != (len(products) if isinstance(products, MarkedList) else 0):
        raise NotAsCut
    first = items.starts[0]
    every = MarkedList(text.count("\n", 0, first) + 1, items.dash + 1)
    were_read = iter(products or ())
    every.extend(
        skipped_mark if i in skipped else next(were_read) for i in range(len(items.starts))
    )
    tree[next(k for k in tree if k == "products")] = every
    return tree


@dataclass(frozen=True)
class StartedTail:
    """A second process started on a file's tail as soon as the command began: its start-up
    and a part of its reading then overlap with the command's own (its modules, the org's
    fingerprints looked up), so it takes a larger share (`STARTED_TAIL_SHARE`)."""

    text: str
    cut: Cut
    reader: TailReader


def start_tail(path: Path, filename: str) -> StartedTail | None:
    """The second process on the tail of a large file, started now, or None: a file not to
    read in halves, or one that cannot be read (its reading, later, says why)."""
    try:
        if path.stat().st_size < MIN_PRODUCTS_BYTES:  # not read twice: too small to cut
            return None
        text = read_text(path, filename)
    except (OSError, VolmifyError):
        return None
    return None if text is None else _start(path, text, filename, STARTED_TAIL_SHARE)


def _start(path: Path, text: str, filename: str, share: float) -> StartedTail | None:
    cut = cut_products(text, share)
    if cut is None:
        return None
    try:
        return StartedTail(text, cut, TailReader(path, text, cut, filename))
    except OSError:  # no second process (or no temporary file) here: read in one piece
        return None


def read_in_halves(
    path: Path,
    text: str,
    name: str,
    digests: dict[str, str],
    at: Progress | None,
    started: StartedTail | None = None,
) -> Any:
    """The tree of a large catalog whose products near the end a second process reads
    (`TailReader`, or the one `started` on this text), or None: a catalog too small for it,
    or one to read in one piece (any problem, or a cut that does not hold)."""
    if started is None:
        started = _start(path, text, name, TAIL_SHARE)
        if started is None:
            return None
    assert started.text is text, "a tail started on another text"
    cut, tail = started.cut, started.reader
    last: list[Span] = []

    def product(node: Any, index: int, span: Span) -> Any:
        if at is not None:
            at(text, span)
        last[:] = [span]
        return _checked(node, text, span, digests)  # a problem: read in one piece, for its words

    try:
        try:
            tree = load_yaml_str(cut.head(text), filename=name, hooks={"products": product})
        except (ValidationError, ReadAgain, InvalidInputError):  # the one-piece reader's word
            return None
        products = tree.get("products") if isinstance(tree, MarkedMap) else None
        if not isinstance(products, MarkedList) or len(products) != cut.head_items:
            return None
        read = tail.products()
    finally:
        tail.close()
    if read is None:
        return None
    docs, tail_digests = read
    if products[-1].course is None:  # its text ends where the tail's first product begins
        digests[str(products[-1].slug)] = digest_between(text, last[0][0].index, cut.end_of_head)
    digests.update(tail_digests)
    products.extend(docs)
    return tree


def _checked(node: Any, text: str, span: Span, digests: dict[str, str]) -> Any:
    """A product checked against the schema (raises ValidationError), its digest remembered
    unless it holds a course block (always read: catalog_files)."""
    doc = ProductDoc.model_validate(node)
    if doc.course is None:
        digests[str(doc.slug)] = text_digest(text, span)
    return doc


class TailReader:
    """The second process, reading the tail of a cut of a file's text from the moment it is
    made; `products()` waits for what it read. Always `close()` it (it is killed if still
    running)."""

    def __init__(self, path: Path, text: str, cut: Cut, filename: str) -> None:
        self.cut = cut
        # The answer goes to a file, a batch of products at a time as they are read: the
        # process holds no more than a batch (it peaked at 240 MB holding the whole tail), and
        # nothing waits on a pipe that this process reads only once its own half is read.
        handle, answer = tempfile.mkstemp(prefix="volmify-products-", suffix=".pickle")
        os.close(handle)
        self.answer = Path(answer)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.answer.unlink(missing_ok=True)
            raise
        # The process reads the file itself: a few hundred bytes through the pipe, not 10 MB
        # handed over by a thread that would wait for this one's hold on the interpreter at
        # every 64 KB (a second, and this one slowed as well). The digest of the whole text
        # tells it that it read what this one did.
        whole = digest_between(text, 0, len(text))
        question = (str(path.resolve()), filename, whole, cut, answer)
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(pickle.dumps(question, pickle.HIGHEST_PROTOCOL))
            stdin.close()
        except OSError:  # the process is gone: `products()` says so
            pass

    def products(self) -> tuple[list[Any], dict[str, str]] | None:
        """The tail's products (schema-checked documents) and their digests, or None when the
        tail must be read in one piece with the rest."""
        if self.process.wait() != 0:
            return None
        products: list[Any] = []
        try:
            with self.answer.open("rb") as answer:
                while (batch := pickle.load(answer)) and isinstance(batch, list):
                    products += batch
            _end, count, digests = batch
        except Exception:  # a broken answer: read in one piece
            return None
        if count != len(products) or count != self.cut.tail_items:
            return None
        return products, digests

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        self.answer.unlink(missing_ok=True)


ANSWER_BATCH = 200  # products pickled at a time by the second process


def read_tail(
    tail: str, first_line: int, filename: str, send: Callable[[list[Any]], None]
) -> tuple[int, dict[str, str]]:
    """Read and schema-check the products of a tail, handing them to `send` a batch at a
    time; how many there were and their digests. Raises on any problem at all (the tail is
    then read again with the rest)."""
    text = "products:\n" + tail  # the tail's first line is the text's second
    digests: dict[str, str] = {}
    batch: list[Any] = []

    def product(node: Any, index: int, span: Span) -> Any:
        batch.append(_checked(node, text, span, digests))
        if len(batch) == ANSWER_BATCH:
            send(batch[:])
            batch.clear()
        return None  # sent: the tree keeps no product

    tree = load_yaml_str(
        text, filename=filename, hooks={"products": product}, first_line=first_line - 1
    )
    if not isinstance(tree, dict) or list(tree) != ["products"]:
        raise ValueError("the tail is not one list of products")
    if batch:
        send(batch)
    return len(tree["products"]), digests


def _main() -> None:  # pragma: no cover - run as the second process (tested through it)
    gc.disable()  # as in the reading of the head (services/collector): nothing to collect
    path, filename, whole, cut, answer = pickle.loads(sys.stdin.buffer.read())
    text = read_text(Path(path), filename)
    if text is None or digest_between(text, 0, len(text)) != whole:
        sys.exit(1)  # the file changed since it was read: it is read in one piece
    with open(answer, "wb") as out:

        def send(products: list[Any]) -> None:
            pickle.dump(products, out, pickle.HIGHEST_PROTOCOL)

        count, digests = read_tail(cut.tail(text), cut.first_line, filename, send)
        pickle.dump(("end", count, digests), out, pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _main()
