"""The export emitter: every string reads back as exactly itself, with our loader and with a
plain YAML 1.1 reader (PyYAML), and strings YAML could take for something else are quoted."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.exchange.yaml_writer import dump, dump_parts
from volmify_cli.exchange.yamlio import load_yaml_text

AMBIGUOUS = [
    "NO", "no", "Yes", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~", "",
    "1.10", "012345", "12:30", "2026-03-01", "1e3", "0x1F", ".inf", "-1", "+1",
    "-x", "- x", "x: y", "x #y", " lead", "trail ", "@x", "`x", "!x", "&x", "*x", "%x",
    "[x", "{x", "a,b", "?x", "|x", ">x", "'x", '"x', "a\nb", "tab\there", "\x85", "\u2028",
    "double  space", "back\\slash",
]  # fmt: skip


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_ambiguous_strings_are_quoted_and_read_back(text: str) -> None:
    written = dump({"k": text, "l": [text, "plain"]})
    assert written.startswith('k: "')
    assert load_yaml_text(written) == {"k": text, "l": [text, "plain"]}
    assert yaml.safe_load(written) == {"k": text, "l": [text, "plain"]}


def test_plain_strings_stay_plain() -> None:
    written = dump({"locales": ["en-US", "ar-EG"], "title": "Acme Academy", "city": "Zürich"})
    assert written == "locales: [en-US, ar-EG]\ntitle: Acme Academy\ncity: Zürich\n"


def test_document_shapes() -> None:
    data = {
        "version": 1,
        "flag": True,
        "none": None,
        "day": dt.date(2026, 3, 1),
        "empty": [],
        "map": {},
        "items": [{"slug": "a", "prices": {"us": "19.99", "no": "5"}}, {}],
    }
    assert dump(data) == (
        "version: 1\nflag: true\nnone: null\nday: 2026-03-01\nempty: []\nmap: {}\n"
        'items:\n  - slug: a\n    prices:\n      us: "19.99"\n      "no": "5"\n  - {}\n'
    )
    assert yaml.safe_load(dump(data))["items"][0]["prices"] == {"us": "19.99", "no": "5"}


@given(st.dictionaries(st.text(), st.text() | st.lists(st.text(), max_size=3), max_size=5))
def test_any_text_round_trips(data: dict[str, str | list[str]]) -> None:
    written = dump(data)
    if not data:
        assert written == ""
        return
    assert load_yaml_text(written) == data
    assert yaml.safe_load(written) == data


DOCUMENTS = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).filter(
            lambda items: not any(isinstance(i, list) for i in items)
        ),
        st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3),
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=5), DOCUMENTS, min_size=1, max_size=4))
def test_the_parts_make_the_same_text(data: dict[str, object]) -> None:
    """An export is written part by part (a top-level key, or one item of a top-level list):
    the parts put together are exactly the text `dump` makes."""
    try:
        whole = dump(data)
    except TypeError:  # lists of lists are not written
        return
    assert "".join(dump_parts(data)) == whole


def test_a_catalogs_products_come_one_part_each() -> None:
    products = [{"slug": f"p{i}", "variants": [{"slug": "v", "plans": []}]} for i in range(3)]
    parts = list(dump_parts({"version": 1, "products": products, "offers": []}))
    assert parts[:2] == ["version: 1\n", "products:\n"]
    assert [part.splitlines()[0] for part in parts[2:5]] == [f"  - slug: p{i}" for i in range(3)]
    assert parts[5] == "offers: []\n"
