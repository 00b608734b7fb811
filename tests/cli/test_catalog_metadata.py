"""`metadata:` on products, variants, plans and collections (issue 19): text keys and values
within the rule book's bounds, shown by `show`, compared key by key by diff, kept by commands
that change something else, and round-tripped by export byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Cli
from volmify_cli import rulebook
from volmify_cli.errors import RuleError

DATA = Path(__file__).parent.parent / "data" / "catalog"
BASE = (DATA / "acme.yaml").read_text()
ORG = ("--org", "acme")


def with_metadata(text: str = BASE, *, shelf: str = "B2") -> str:
    text = text.replace(
        "    title: The Python Book\n",
        f"    title: The Python Book\n    metadata: {{isbn: 978-0-00-000000-0, shelf: {shelf}}}\n",
    )
    text = text.replace(
        "      - slug: pdf\n", "      - slug: pdf\n        metadata: {format: pdf}\n"
    )
    text = text.replace(
        "          - slug: buy\n",
        "          - slug: buy\n            metadata:\n              stripe_price: price_123\n"
        '              note: "two\\nlines"\n',
    )
    return text.replace(
        "    name: Bestsellers\n", "    name: Bestsellers\n    metadata: {erp: 7}\n"
    )


def write(tmp_path: Path, content: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _shown(cli: Cli) -> tuple[dict, dict, dict, dict]:
    product = cli.json("products", "show", "ebook", *ORG)
    variant = next(v for v in product["variants"] if v["slug"] == "pdf")
    plan = cli.json("plans", "show", "ebook/pdf/buy", *ORG)
    collection = cli.json("collections", "show", "bestsellers", *ORG)
    return product["metadata"], variant["metadata"], plan["metadata"], collection["metadata"]


def test_metadata_is_shown_and_round_trips(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, with_metadata())))
    assert _shown(cli) == (
        {"isbn": "978-0-00-000000-0", "shelf": "B2"},
        {"format": "pdf"},
        {"note": "two\nlines", "stripe_price": "price_123"},
        {"erp": "7"},  # numbers are text, as written
    )
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "    metadata:\n      isbn:" in exported
    again = cli.json("catalog", "import", str(write(tmp_path, exported, "exported.yaml")))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported


def test_diff_compares_metadata_key_by_key(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, with_metadata())))
    changed = with_metadata(shelf="B3").replace("        metadata: {format: pdf}\n", "")
    plan = cli.json("catalog", "diff", str(write(tmp_path, changed, "changed.yaml")))
    fields = {(c["entity"], c["key"]): c["fields"] for c in plan["changes"]}
    assert fields == {
        ("product", "ebook"): {"metadata.shelf": {"old": "B2", "new": "B3"}},
        ("variant", "ebook/pdf"): {"metadata.format": {"old": "pdf", "new": None}},
    }
    table = cli.ok("catalog", "diff", str(tmp_path / "changed.yaml"), "--format", "table")
    assert "~ product ebook (metadata.shelf: 'B2' -> 'B3')" in table.stdout


def test_commands_that_change_something_else_keep_the_metadata(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, with_metadata())))
    before = _shown(cli)
    cli.ok("products", "update", "ebook", "--title", "The New Python Book", *ORG)
    cli.ok("products", "variants", "update", "ebook", "pdf", "--name", "PDF", *ORG)
    cli.ok("plans", "update", "ebook/pdf/buy", "--price", "us=21.00", *ORG)
    cli.ok("collections", "remove", "bestsellers", "ebook", *ORG)
    assert _shown(cli) == before


def _rule_message(rule: rulebook.TextRule, value: str) -> str:
    with pytest.raises(RuleError) as refusal:
        rule.check(value)
    return refusal.value.reason


@pytest.mark.parametrize(
    ("metadata", "where", "message"),
    [
        (
            "{" + "k" * 41 + ": v}",
            ("metadata." + "k" * 41, 16),  # at the key
            _rule_message(rulebook.METADATA_KEY, "k" * 41),
        ),
        (
            "{note: " + "v" * 501 + "}",
            ("metadata.note", 22),
            _rule_message(rulebook.METADATA_VALUE, "v" * 501),
        ),
        ("{tags: [a, b]}", ("metadata.tags", 22), "must be text, not a list"),
        ("just-text", ("metadata", 15), "must be a mapping, not 'just-text'"),
        (
            "{" + ", ".join(f"k{i}: v" for i in range(51)) + "}",
            ("metadata", 15),
            "metadata has 51 keys (at most 50)",
        ),
    ],
    ids=["long key", "long value", "not text", "not a mapping", "too many keys"],
)
def test_bad_metadata_is_refused_naming_where(
    cli: Cli, tmp_path: Path, metadata: str, where: tuple[str, int], message: str
) -> None:
    text = BASE.replace(
        "    title: The Python Book\n", f"    title: The Python Book\n    metadata: {metadata}\n"
    )
    path = write(tmp_path, text)
    line = text.splitlines().index(f"    metadata: {metadata}") + 1
    refused = cli.fails(3, "catalog", "import", str(path))
    field, column = where
    assert f"{path}:{line}:{column}: products[1].{field}: {message}" in refused.stderr
    assert all(org["slug"] != "acme" for org in cli.json("orgs", "list"))  # nothing written
