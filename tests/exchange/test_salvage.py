"""Stand-ins (inputs/salvage) let validation read on past a problem; whatever the problem, they
never crash the later checks, never show in a message, and never report a problem twice.
Every line of the sample catalog is deleted, or its value spoiled, in turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.catalog_files import validate_catalog

BASE = (Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml").read_text("utf-8")
LINES = BASE.splitlines(keepends=True)


def _variants() -> list[tuple[str, str]]:
    found = []
    for index, line in enumerate(LINES):
        found.append((f"delete-{index + 1}", "".join(LINES[:index] + LINES[index + 1 :])))
        key, _, value = line.partition(":")
        if value.strip():
            for name, spoiled in (("text", "'%%'"), ("list", "[1]"), ("map", "{x: 1}")):
                text = "".join([*LINES[:index], f"{key}: {spoiled}\n", *LINES[index + 1 :]])
                found.append((f"{name}-{index + 1}", text))
    return found


VARIANTS = _variants()


@pytest.mark.parametrize("text", [t for _, t in VARIANTS], ids=[n for n, _ in VARIANTS])
def test_a_spoiled_line_is_reported_plainly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        validate_catalog([path])
    except InvalidInputError as error:
        shown = [(p.line, p.column, p.path, p.message) for p in error.problems]
        assert not any("stand-in" in f"{p[2]} {p[3]}" for p in shown), shown
        assert len(shown) == len(set(shown)), shown
