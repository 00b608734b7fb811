"""The safe YAML loader: what it keeps (the text as written, positions) and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.yamlio import load_yaml_file, load_yaml_text
from volmify_cli.inputs.marks import MarkedList, MarkedMap, Scalar


def problems_of(text: str | bytes) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_text(text, filename="f.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_scalars_keep_the_text_as_written() -> None:
    tree = load_yaml_text("c: [NO, DE]\nzip: 012345\nv: 1.10\nt: '12:30'\nb: yes\nn: ~\ne:\n")
    assert tree == {
        "c": ["NO", "DE"],
        "zip": "012345",
        "v": "1.10",
        "t": "12:30",
        "b": "yes",
        "n": None,
        "e": None,
    }
    assert isinstance(tree["c"][0], Scalar) and tree["c"][0].plain
    assert tree["t"].plain is False


def test_positions_are_one_based() -> None:
    tree = load_yaml_text("a:\n  - x: 1\n    y: two\n")
    assert isinstance(tree, MarkedMap) and isinstance(tree["a"], MarkedList)
    item = tree["a"][0]
    assert (item.line, item.column) == (2, 5)
    assert (item["y"].line, item["y"].column) == (3, 8)
    assert item.key_marks["y"] == (3, 5)


def test_duplicate_keys_name_both_lines() -> None:
    assert problems_of("a: 1\nb: 2\na: 3\n") == [
        "f.yaml:3:1: duplicate key 'a' (first written on line 1)"
    ]


def test_anchors_aliases_and_alias_bombs_are_refused() -> None:
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    assert "anchors and aliases" in problems_of(bomb)[0]
    assert "anchors and aliases" in problems_of("a: &x 1\n")[0]


def test_tags_never_run_anything() -> None:
    assert problems_of("a: !!python/object/apply:os.system ['echo pwned']\n") == [
        "f.yaml:1:4: tags are not allowed (found tag:yaml.org,2002:python/object/apply:os.system)"
    ]
    assert "tags are not allowed" in problems_of("a: !!str 3\n")[0]


def test_truncated_binary_nested_and_multi_document_files() -> None:
    assert problems_of("a: [1, 2\n")[0].startswith("f.yaml:2:1: not valid YAML")
    assert (
        "UTF-8" in problems_of(b"\xff\xfe\x00\x00\x9c\x80garbage")[0]
        or "not valid" in problems_of(b"\xff\xfe\x00\x00\x9c\x80garbage")[0]
    )
    assert (
        "control characters" in problems_of("a: \x00\n")[0]
        or "UTF-8" in problems_of("a: \x00\n")[0]
    )
    assert "nested deeper than 64 levels" in problems_of("[" * 200 + "]" * 200)[0]
    assert "only one YAML document" in problems_of("a: 1\n---\nb: 2\n")[0]


def test_empty_document_is_none() -> None:
    assert load_yaml_text("") is None
    assert load_yaml_text("# just a comment\n") is None


def test_size_limit_refuses_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 3000 + "\n")
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_MB", "0.001")
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(big)
    assert "over the 1048-byte limit" in str(caught.value.problems[0])
    monkeypatch.delenv("VOLMIFY_MAX_DOCUMENT_MB")
    assert load_yaml_file(big)["a"].startswith("xxx")
