"""A large catalog read on two cores (exchange/product_text) imports what it says, exports back
byte for byte, and its re-import skips every product by the digests the first import stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.catalog_data import catalog_text
from tests.second_process import tail_answers
from tests.support import Cli
from volmify_cli.exchange import product_text


def test_a_catalog_read_on_two_cores_round_trips_and_re_imports_unchanged(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(product_text, "MIN_PRODUCTS_BYTES", 1000)  # 40 products are cut
    answers = tail_answers(monkeypatch)
    (tmp_path / "answers").mkdir()
    monkeypatch.setattr(product_text.tempfile, "tempdir", str(tmp_path / "answers"))
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text(products=40))

    first = cli.json("catalog", "import", str(path))
    assert answers and answers[0] is not None and len(answers[0][0]) > 10
    assert first["created"] > 40 * 10 and first["updated"] == first["deleted"] == 0
    assert cli.ok("catalog", "export", "--org", "bench").stdout == path.read_text()

    again = cli.json("catalog", "import", str(path))
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert again["unchanged"] == first["created"]
    # the re-import started a second process with the command, and stopped it unread
    assert len(answers) == 1, "only the first import read a tail"
    assert list((tmp_path / "answers").iterdir()) == [], "no answer file is left behind"
