"""A large catalog read on two cores (exchange/catalog_halves) reads exactly what the file read in
one piece gives: the same documents with the same lines and columns, the same digests (an
unchanged re-import skips every product), the same problems; anything unusual is read in one
piece."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench.catalog_data import catalog_text
from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange import catalog_files, catalog_halves
from volmify_cli.exchange.catalog_files import read_catalog
from volmify_cli.inputs.catalog_model import CatalogFile
from volmify_cli.inputs.documents import DocModel
from volmify_cli.inputs.price_map import PriceMap


@pytest.fixture
def small_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catalogs of a few products are cut (the real threshold is megabytes)."""
    monkeypatch.setattr(catalog_halves, "MIN_PRODUCTS_BYTES", 1000)


def _in_one_piece(monkeypatch: pytest.MonkeyPatch, path: Path) -> CatalogFile:
    with monkeypatch.context() as m:
        m.setattr(catalog_files, "cut_products", lambda text: None)
        (file,) = read_catalog([path])
    return file


def _read(path: Path) -> CatalogFile:
    (file,) = read_catalog([path])
    return file


def _marks(value: Any) -> list[Any]:
    """Every model's position and fields, depth first."""
    if isinstance(value, DocModel):
        found = [(type(value).__name__, value.mark)]
        for name in type(value).model_fields:
            found.extend(_marks(getattr(value, name)))
        return found
    if isinstance(value, (list, tuple)):
        return [mark for item in value for mark in _marks(item)]
    if isinstance(value, dict):
        return [mark for item in value.values() for mark in _marks(item)]
    return []


def _plain(value: Any) -> Any:
    """A dumped document with its price maps (which compare by identity) as their entries
    and the places of their keys and amounts."""
    if isinstance(value, PriceMap):
        return [
            (market, str(amount), value.key_at(i), value.value_at(i))
            for i, market, amount in value.entries()
        ]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _same(halves: CatalogFile, whole: CatalogFile) -> None:
    assert _plain(halves.doc.model_dump()) == _plain(whole.doc.model_dump())
    assert _marks(halves.doc) == _marks(whole.doc)
    assert halves.digests == whole.digests
    assert len(halves.digests) == len(halves.doc.products)


def _cut_was_read(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The answers of the second process, as they come back."""
    answers: list[Any] = []
    products = catalog_halves.TailReader.products

    def recorded(self: catalog_halves.TailReader) -> Any:
        answers.append(products(self))
        return answers[-1]

    monkeypatch.setattr(catalog_halves.TailReader, "products", recorded)
    return answers


@pytest.mark.usefixtures("small_enough")
def test_halves_read_what_one_piece_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text(products=40))
    answers = _cut_was_read(monkeypatch)
    halves = _read(path)
    assert answers and answers[0] is not None, "the second process read the tail"
    assert 0 < len(answers[0][0]) < 40
    _same(halves, _in_one_piece(monkeypatch, path))


@pytest.mark.usefixtures("small_enough")
def test_products_followed_by_other_keys_and_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = catalog_text(products=30)
    head, products = text.split("\nproducts:\n")
    # the products first, then comments and another top-level key after them
    path = tmp_path / "catalog.yaml"
    path.write_text(
        f"{head}\nproducts:\n  # the products\n{products}# the end of the products\n\noffers: []\n"
    )
    answers = _cut_was_read(monkeypatch)
    halves = _read(path)
    assert answers and answers[0] is not None
    _same(halves, _in_one_piece(monkeypatch, path))


@pytest.mark.usefixtures("small_enough")
def test_items_at_the_first_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = catalog_text(products=30)
    head, products = text.split("\nproducts:\n")
    flush = "\n".join(line[2:] for line in products.split("\n"))  # "- slug" at column 1
    path = tmp_path / "catalog.yaml"
    path.write_text(f"{head}\nproducts:\n{flush}")
    answers = _cut_was_read(monkeypatch)
    halves = _read(path)
    assert answers and answers[0] is not None
    _same(halves, _in_one_piece(monkeypatch, path))


@pytest.mark.usefixtures("small_enough")
@pytest.mark.parametrize("where", [0.2, 0.9])
def test_a_problem_in_either_half_is_the_one_piece_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: float
) -> None:
    lines = catalog_text(products=40).split("\n")
    product_lines = [i for i, line in enumerate(lines) if line.startswith("    status: ")]
    broken = product_lines[int(len(product_lines) * where)]
    lines[broken] = "    status: sold-out"
    path = tmp_path / "catalog.yaml"
    path.write_text("\n".join(lines))
    with pytest.raises(InvalidInputError) as halves:
        read_catalog([path])
    with pytest.raises(InvalidInputError) as whole, monkeypatch.context() as m:
        m.setattr(catalog_files, "cut_products", lambda text: None)
        read_catalog([path])
    assert [str(p) for p in halves.value.problems] == [str(p) for p in whole.value.problems]
    assert halves.value.problems[0].line == broken + 1


@pytest.mark.usefixtures("small_enough")
def test_a_quoted_scalar_over_the_cut_is_read_in_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line that looks like an item but lies inside a quoted scalar (libyaml takes its
    continuation lines at any indentation): whichever half holds its opening quote is left
    unfinished, and the file is read in one piece."""
    lines = catalog_text(products=40).split("\n")
    descriptions = [i for i, line in enumerate(lines) if line.startswith("    description: ")]
    at = descriptions[len(descriptions) * 3 // 4]
    lines[at] = '    description: "Begins\n  - slug: not-a-product\n  ends"'
    text = "\n".join(lines)
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    trap = text.index("\n  - slug: not-a-product")
    begin = text.index("\nproducts:\n") + len("\nproducts:")
    share = (len(text) - trap + 0.5) / (len(text) - begin)  # the cut falls on the trap
    monkeypatch.setattr(catalog_halves, "TAIL_SHARE", share)
    cut = catalog_halves.cut_products(text)
    assert cut is not None and cut.start == trap + 1
    answers = _cut_was_read(monkeypatch)
    halves = _read(path)
    assert answers == [] or answers == [None], "the head or the tail was refused"
    _same(halves, _in_one_piece(monkeypatch, path))
    assert any("not-a-product" in str(p.description) for p in halves.doc.products)


@pytest.mark.usefixtures("small_enough")
def test_a_second_process_that_fails_leaves_the_one_piece_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text(products=40))
    popen = subprocess.Popen

    def failing(command: list[str], **options: Any) -> Any:
        return popen(["python3", "-c", "import sys; sys.exit(1)"], **options)

    monkeypatch.setattr(catalog_halves.subprocess, "Popen", failing)
    answers = _cut_was_read(monkeypatch)
    halves = _read(path)
    assert answers == [None]
    _same(halves, _in_one_piece(monkeypatch, path))


def test_a_small_catalog_is_not_cut() -> None:
    assert catalog_halves.cut_products(catalog_text(products=40)) is None


@pytest.mark.usefixtures("small_enough")
def test_the_cut_counts_the_items_on_each_side() -> None:
    text = catalog_text(products=40)
    cut = catalog_halves.cut_products(text)
    assert cut is not None
    assert cut.head_items + cut.tail_items == 40
    tail = cut.tail(text)
    assert tail.startswith("  - ") and tail.count("\n  - ") + 1 == cut.tail_items
    assert text.split("\n")[cut.first_line - 1] == tail.split("\n")[0]
    head = cut.head(text)
    assert head.count("\n") == text.count("\n")  # every line after the tail keeps its number
