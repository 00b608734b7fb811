"""Managed entities (issue 19): `catalog import --prune` deletes only what the catalog manages
(created or named by a catalog import) and names what it keeps; `--prune-unmanaged` deletes the
rest too; every deletion names what goes with it; databases from before 0018 start unmanaged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli.helpers import fake_terminal
from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.runner import downgrade, upgrade

DATA = Path(__file__).parent.parent / "data" / "catalog"
ACME = DATA / "acme.yaml"
BASE = ACME.read_text()
OUTLINE = """version: 1
kind: course_outline
org: acme
course: sketching
title: Sketching
modules:
  - title: Basics
    sections:
      - title: Lines
        lessons:
          - {title: Straight lines, type: text}
          - {title: Curved lines, type: text}
"""


def write(tmp_path: Path, content: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _made_by_commands(cli: Cli, tmp_path: Path) -> None:
    """A market from `markets create` and a course (with its outline) from `courses import`."""
    cli.ok(
        "markets", "create", "ch", "--name", "Switzerland", "--currency", "CHF",
        "--country", "CH", "--type", "single_country", "--org", "acme",
    )  # fmt: skip
    cli.ok("courses", "import", str(write(tmp_path, OUTLINE, "sketching.yaml")))


def _deleted(plan: dict) -> dict[tuple[str, str], dict[str, int]]:
    return {
        (c["entity"], c["key"]): c.get("with", {})
        for c in plan["changes"]
        if c["action"] == "delete"
    }


def test_prune_keeps_and_names_what_commands_made(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    _made_by_commands(cli, tmp_path)
    pruned = cli.json("catalog", "import", str(ACME), "--prune", "--yes")
    assert pruned["deleted"] == 0
    assert pruned["kept_unmanaged"] == [
        {"entity": "market", "key": "ch"},
        {"entity": "product", "key": "sketching"},
    ]
    assert cli.json("markets", "show", "ch", "--org", "acme")["currency"] == "CHF"
    table = cli.ok("catalog", "diff", str(ACME), "--prune", "--format", "table").stdout
    assert "= market ch (not managed by the catalog: kept)" in table
    assert table.strip().endswith("2 kept (not managed by the catalog)")


def test_prune_unmanaged_deletes_them_naming_what_goes_with_them(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    _made_by_commands(cli, tmp_path)
    refused = cli.fails(2, "catalog", "import", str(ACME), "--prune-unmanaged")  # no --yes
    # named before the question: the outline that goes with the course is counted
    assert "- product sketching (with 2 lessons, 2 lesson placements, 1 module," in refused.stderr
    plan = cli.json("catalog", "import", str(ACME), "--prune-unmanaged", "--yes")
    assert _deleted(plan) == {
        ("market", "ch"): {"country": 1},
        ("product", "sketching"): {
            "lesson": 2,
            "lesson placement": 2,
            "module": 1,
            "section": 1,
        },
    }
    assert "kept_unmanaged" not in plan
    cli.fails(1, "markets", "show", "ch", "--org", "acme")


def test_an_entity_named_by_a_catalog_file_becomes_managed(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    _made_by_commands(cli, tmp_path)
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "- slug: ch" in exported
    everything = write(tmp_path, exported, "everything.yaml")
    adopted = cli.json("catalog", "import", str(everything))
    assert adopted["created"] == adopted["updated"] == adopted["deleted"] == 0
    # the catalog names the market now: a prune of the files without it deletes it
    plan = cli.json("catalog", "diff", str(ACME), "--prune")
    assert ("market", "ch") in _deleted(plan)
    assert ("product", "sketching") in _deleted(plan)
    assert "kept_unmanaged" not in plan


def test_a_reference_to_a_kept_entity_is_valid_with_prune(cli: Cli, tmp_path: Path) -> None:
    """Pruning keeps what the catalog does not manage, so the files may point at it."""
    cli.ok("catalog", "import", str(ACME))
    _made_by_commands(cli, tmp_path)
    text_ = BASE.replace("products: [python-101, ebook]", "products: [python-101, sketching]")
    plan = cli.json("catalog", "import", str(write(tmp_path, text_, "c.yaml")), "--prune", "--yes")
    assert ("update", "collection", "bestsellers") in {
        (c["action"], c["entity"], c["key"]) for c in plan["changes"]
    }
    refused = cli.fails(
        3, "catalog", "diff", str(write(tmp_path, text_, "c.yaml")), "--prune-unmanaged"
    )
    assert "product 'sketching' is not in these files, and --prune would delete it" in (
        refused.stderr
    )


def test_the_question_names_deletions_and_what_is_kept(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("catalog", "import", str(ACME))
    _made_by_commands(cli, tmp_path)
    terminal = fake_terminal(monkeypatch)
    terminal.answers = ["not-acme"]
    result = cli.fails(1, "catalog", "import", str(_without_ebook(tmp_path)), "--prune")
    assert terminal.asked and "deletes 1 entity of org acme" in terminal.asked[0]
    assert (
        "- product ebook (with 2 plans, 2 prices, 2 price tiers, 1 collection placement,"
        " 1 offer target, 1 variant)"
    ) in result.stderr
    assert "Kept 2 entities that the catalog does not manage" in result.stderr
    assert "= product sketching" in result.stderr
    assert "slug: ebook" in cli.ok("catalog", "export", "--org", "acme").stdout


def _without_ebook(tmp_path: Path) -> Path:
    start, end = BASE.index("  - slug: ebook"), BASE.index("collections:")
    smaller = BASE[:start] + BASE[end:].replace(
        "products: [python-101, ebook]", "products: [python-101]"
    )
    smaller = smaller.replace(
        "plans: [python-101/standard/basic, ebook/buy]", "plans: [python-101/standard/basic]"
    )
    return write(tmp_path, smaller, "without-ebook.yaml")


def _count(db_url: str, sql: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_databases_from_before_start_unmanaged(cli: Cli, db_url: str, tmp_path: Path) -> None:
    """0018 on a database whose catalog was imported before it: nothing is managed (a prune
    deletes nothing and names what it keeps), the fingerprints are gone (the next import reads
    every product), and the next import adopts what its files name."""
    cli.ok("catalog", "import", str(ACME))
    engine = make_engine(db_url)
    try:
        downgrade(engine, "0017_revenue_rollups")
        upgrade(engine)
    finally:
        engine.dispose()
    assert _count(db_url, "SELECT count(*) FROM org_catalog_fingerprint") == 0
    assert _count(db_url, "SELECT count(*) FROM org_product WHERE catalog_managed") == 0
    smaller = _without_ebook(tmp_path)
    before = cli.json("catalog", "diff", str(smaller), "--prune")
    assert ("product", "ebook") not in _deleted(before)
    assert {"entity": "product", "key": "ebook"} in before["kept_unmanaged"]
    cli.ok("catalog", "import", str(ACME))  # names everything: adopts it
    assert _count(db_url, "SELECT count(*) FROM org_product WHERE NOT catalog_managed") == 0
    after = cli.json("catalog", "diff", str(smaller), "--prune")
    assert ("product", "ebook") in _deleted(after)
    assert "kept_unmanaged" not in after
