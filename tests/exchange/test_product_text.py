"""A large catalog read on two cores (exchange/product_text) reads exactly what the file read in
one piece gives: the same documents with the same lines and columns, the same digests (an
unchanged re-import skips every product), the same problems; anything unusual is read in one
piece."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.catalog_data import catalog_text
from tests.second_process import tail_answers
from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange import catalog_files, product_text
from volmify_cli.exchange.catalog_files import read_catalog
from volmify_cli.inputs.catalog_model import CatalogFile, Fingerprint
from volmify_cli.inputs.documents import DocModel
from volmify_cli.inputs.price_map import PriceMap


@pytest.fixture
def small_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catalogs of a few products are cut (the real threshold is megabytes)."""
    monkeypatch.setattr(product_text, "MIN_PRODUCTS_BYTES", 1000)


@pytest.fixture
def answer_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the second process's answer files go: each test checks that none is left."""
    where = tmp_path / "answers"
    where.mkdir()
    monkeypatch.setattr(product_text.tempfile, "tempdir", str(where))
    return where


def _catalog(tmp_path: Path, head: str = "") -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(head + catalog_text(products=40))
    return path


def _in_one_piece(monkeypatch: pytest.MonkeyPatch, path: Path) -> CatalogFile:
    with monkeypatch.context() as m:
        m.setattr(product_text, "cut_products", lambda text, share=None: None)
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


@pytest.mark.usefixtures("small_enough")
def test_halves_read_what_one_piece_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text(products=40))
    answers = tail_answers(monkeypatch)
    halves = _read(path)
    assert answers and answers[0] is not None, "the second process read the tail"
    assert 0 < len(answers[0][0]) < 40
    assert len(halves.digests) == 40
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
    answers = tail_answers(monkeypatch)
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
    answers = tail_answers(monkeypatch)
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
        m.setattr(product_text, "cut_products", lambda text, share=None: None)
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
    monkeypatch.setattr(product_text, "TAIL_SHARE", share)
    cut = product_text.cut_products(text)
    assert cut is not None and cut.start == trap + 1
    answers = tail_answers(monkeypatch)
    halves = _read(path)
    assert answers == [] or answers == [None], "the head or the tail was refused"
    _same(halves, _in_one_piece(monkeypatch, path))
    assert any("not-a-product" in str(p.description) for p in halves.doc.products)


_POPEN = subprocess.Popen  # the real one, for the stand-ins below


def _exits_at_once(command: list[str], **options: Any) -> Any:
    return _POPEN(["python3", "-c", "import sys; sys.exit(1)"], **options)


def _refused(command: list[str], **options: Any) -> Any:
    raise OSError(11, "Resource temporarily unavailable")


def _cut_short(command: list[str], **options: Any) -> Any:
    """A process that ends well but leaves a broken answer (a batch cut short)."""
    script = (
        "import pickle, sys; question = pickle.loads(sys.stdin.buffer.read());"
        " open(question[4], 'wb').write((1000).to_bytes(8, 'little') + b'x' * 10)"
    )
    return _POPEN([sys.executable, "-c", script], **options)


@pytest.mark.usefixtures("small_enough")
@pytest.mark.parametrize(
    "start", [_exits_at_once, _refused, _cut_short], ids=["fails", "refused", "cut short"]
)
def test_without_a_second_process_the_file_is_read_in_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_files: Path, start: Any
) -> None:
    path = _catalog(tmp_path)
    answers = tail_answers(monkeypatch)
    monkeypatch.setattr(product_text.subprocess, "Popen", start)
    halves = _read(path)
    assert answers == ([] if start is _refused else [None])
    _same(halves, _in_one_piece(monkeypatch, path))
    assert list(answer_files.iterdir()) == [], "no answer file is left behind"


def test_a_small_catalog_is_not_cut() -> None:
    assert product_text.cut_products(catalog_text(products=40)) is None


@pytest.mark.usefixtures("small_enough")
def test_the_cut_counts_the_items_on_each_side() -> None:
    text = catalog_text(products=40)
    cut = product_text.cut_products(text)
    assert cut is not None
    assert cut.head_items + cut.tail_items == 40
    tail = cut.tail(text)
    assert tail.startswith("  - ") and tail.count("\n  - ") + 1 == cut.tail_items
    assert text.split("\n")[cut.first_line - 1] == tail.split("\n")[0]
    head = cut.head(text)
    assert head.count("\n") == text.count("\n")  # every line after the tail keeps its number


# -- a re-import: unchanged products found by the digests of their text ------------------------


def _fingerprints(path: Path) -> dict[str, Fingerprint]:
    (file,) = read_catalog([path])
    return {digest: Fingerprint(slug, "context", "{}", "") for slug, digest in file.digests.items()}


def _skimmed(path: Path, fingerprints: dict[str, Fingerprint]) -> tuple[CatalogFile, list[Any]]:
    """The file read with the fingerprints, and the problems found (the read's own steps,
    without the context check of `read_catalog`)."""
    file, problems = catalog_files._read(path, path.name, catalog_files._Broken(), fingerprints)
    return file, problems


def _skimmed_by_events(
    monkeypatch: pytest.MonkeyPatch, path: Path, fingerprints: dict[str, Fingerprint]
) -> tuple[CatalogFile, list[Any]]:
    with monkeypatch.context() as m:
        m.setattr(product_text, "product_items", lambda text: None)
        return _skimmed(path, fingerprints)


def _same_skim(
    by_text: tuple[CatalogFile, list[Any]], by_events: tuple[CatalogFile, list[Any]]
) -> None:
    (text_file, text_problems), (event_file, event_problems) = by_text, by_events
    assert text_file.unchanged == event_file.unchanged
    assert text_file.product_index == event_file.product_index
    _same(text_file, event_file)
    assert [str(p) for p in text_problems] == [str(p) for p in event_problems]


def _change(text: str, products: list[int], old: str, new: str) -> str:
    """The text with `old` replaced in the given products (by their order in the file)."""
    head, body = text.split("\nproducts:\n")
    items = body.split("\n  - ")
    for index in products:
        assert old in items[index]
        items[index] = items[index].replace(old, new, 1)
    return head + "\nproducts:\n" + "\n  - ".join(items)


def _imported_then_changed(
    tmp_path: Path, products: list[int], old: str, new: str
) -> tuple[dict[str, Fingerprint], Path]:
    """The fingerprints of a 30-product catalog as imported, and the file changed since."""
    text = catalog_text(products=30)
    before = tmp_path / "before.yaml"
    before.write_text(text)
    after = tmp_path / "after.yaml"
    after.write_text(_change(text, products, old, new))
    return _fingerprints(before), after


def test_a_re_import_skims_by_the_text_what_the_events_skim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fingerprints, after = _imported_then_changed(
        tmp_path, [0, 13, 29], "status: active", "status: draft"
    )
    calls = []
    items = product_text.product_items
    monkeypatch.setattr(product_text, "product_items", lambda t: calls.append(1) or items(t))
    by_text = _skimmed(after, fingerprints)
    assert calls, "the text was skimmed"
    assert len(by_text[0].unchanged) == 27 and len(by_text[0].doc.products) == 3
    _same_skim(by_text, _skimmed_by_events(monkeypatch, after, fingerprints))


def test_an_unchanged_catalog_reads_no_product(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text(products=30) + "# the end\n")
    fingerprints = _fingerprints(path)
    by_text = _skimmed(path, fingerprints)
    assert len(by_text[0].unchanged) == 30 and by_text[0].doc.products == []
    _same_skim(by_text, _skimmed_by_events(monkeypatch, path, fingerprints))


def test_a_changed_product_with_a_problem_is_named_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fingerprints, after = _imported_then_changed(
        tmp_path, [17], "status: active", "status: sold-out"
    )
    by_text = _skimmed(after, fingerprints)
    (problem,) = by_text[1]
    assert "products[17]" in problem.path and problem.line is not None
    assert after.read_text().split("\n")[problem.line - 1].strip() == "status: sold-out"
    _same_skim(by_text, _skimmed_by_events(monkeypatch, after, fingerprints))


def test_a_line_that_only_looks_like_a_product_is_read_as_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quoted scalar whose continuation line starts like an item: the product read does not
    start where the text put it, and the file is skimmed by libyaml's events."""
    trap = 'description: "Begins\n  - slug: not-a-product\n  then '
    fingerprints, after = _imported_then_changed(tmp_path, [11], 'description: "', trap)
    by_text = _skimmed(after, fingerprints)
    (changed,) = by_text[0].doc.products
    assert "not-a-product" in str(changed.description)
    _same_skim(by_text, _skimmed_by_events(monkeypatch, after, fingerprints))


def test_a_refused_node_in_a_changed_product_is_named_at_its_line_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read by the text or by libyaml's events (a changed product read alone from its span),
    an anchor is refused on its own line of the file, not on its line of the product."""
    fingerprints, after = _imported_then_changed(
        tmp_path, [17], "status: active", "status: &s active"
    )
    line = next(i for i, t in enumerate(after.read_text().split("\n"), 1) if "&s" in t)
    with pytest.raises(InvalidInputError) as by_text:
        _skimmed(after, fingerprints)
    with pytest.raises(InvalidInputError) as by_events:
        _skimmed_by_events(monkeypatch, after, fingerprints)
    for refused in (by_text, by_events):
        (problem,) = refused.value.problems
        assert (problem.line, "anchors" in problem.message) == (line, True)


@pytest.mark.usefixtures("small_enough")
def test_a_tail_started_with_the_command_reads_what_one_piece_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer_files: Path
) -> None:
    path = _catalog(tmp_path)
    answers = tail_answers(monkeypatch)
    with catalog_files.StartedTails([path]) as started:
        (halves,) = read_catalog([path], started=started)
        assert started.tails == {}, "read_catalog took the started tail"
    assert answers and answers[0] is not None, "the started process read the tail"
    later = product_text.cut_products(path.read_text())
    assert later is not None and len(answers[0][0]) > later.tail_items, "it takes a larger share"
    _same(halves, _in_one_piece(monkeypatch, path))
    assert list(answer_files.iterdir()) == [], "no answer file is left behind"


@pytest.mark.usefixtures("small_enough")
def test_a_started_tail_not_read_is_stopped(tmp_path: Path, answer_files: Path) -> None:
    """A re-import skims by fingerprints and reads no tail: its process ends, its file goes."""
    path = _catalog(tmp_path)
    with catalog_files.StartedTails([path, tmp_path / "missing.yaml"]) as started:
        assert started.tails == {}, "nothing starts when a file is missing: the reading says so"
    with catalog_files.StartedTails([path]) as started:
        process = started.tails[path].reader.process
        assert process.poll() is None or process.returncode == 0
    assert process.returncode is not None, "the process is over"
    assert list(answer_files.iterdir()) == [], "no answer file is left behind"


@pytest.mark.usefixtures("small_enough")
def test_a_file_given_twice_starts_one_tail(tmp_path: Path, answer_files: Path) -> None:
    path = _catalog(tmp_path)
    with catalog_files.StartedTails([path, path]) as started:
        assert list(started.tails) == [path]
        read_catalog([path, path], started=started)  # its duplicates are the checks' to name
    assert list(answer_files.iterdir()) == [], "no process was left to write an answer"


@pytest.mark.usefixtures("small_enough")
def test_a_started_tail_is_stopped_when_its_file_fails_to_read(
    tmp_path: Path, answer_files: Path
) -> None:
    path = _catalog(tmp_path, head="org: {slug: x\n")  # broken before the products
    with catalog_files.StartedTails([path]) as started:
        process = started.tails[path].reader.process
        with pytest.raises(InvalidInputError):
            read_catalog([path], started=started)
        assert process.returncode is not None, "stopped as soon as the file's reading failed"
    assert list(answer_files.iterdir()) == []
