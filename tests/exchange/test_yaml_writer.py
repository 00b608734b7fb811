"""The export emitter: every string reads back as exactly itself, with our loader and with a
plain YAML 1.1 reader (PyYAML), and strings YAML could take for something else are quoted."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.exchange.yaml_writer import dump
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
