"""`--include KIND` / `--exclude KIND` (issue 19): validate, diff, import and prune limited to
kinds of entities; the other kinds in the files are neither checked for problems, written nor
pruned, and references to them resolve to what the org holds."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import Cli

DATA = Path(__file__).parent.parent / "data" / "catalog"
BASE = (DATA / "acme.yaml").read_text()
RENAMED = BASE.replace("name: United States", "name: USA").replace(
    "title: The Python Book", "title: The Big Python Book"
)


def write(tmp_path: Path, content: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _changed(plan: dict) -> set[tuple[str, str, str]]:
    return {(c["action"], c["entity"], c["key"]) for c in plan["changes"]}


def test_diff_and_import_of_one_kind_write_only_that_kind(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, BASE)))
    renamed = write(tmp_path, RENAMED, "renamed.yaml")
    assert _changed(cli.json("catalog", "diff", str(renamed))) == {
        ("update", "market", "us"),
        ("update", "product", "ebook"),
    }
    assert _changed(cli.json("catalog", "diff", str(renamed), "--include", "product")) == {
        ("update", "product", "ebook")
    }
    assert _changed(cli.json("catalog", "diff", str(renamed), "--exclude", "products")) == {
        ("update", "market", "us")
    }
    applied = cli.json("catalog", "import", str(renamed), "--include", "product")
    assert (applied["updated"], applied["created"], applied["deleted"]) == (1, 0, 0)
    assert cli.json("markets", "show", "us", "--org", "acme")["name"] == "United States"
    assert cli.json("products", "show", "ebook", "--org", "acme")["title"] == (
        "The Big Python Book"
    )


def test_prune_reaches_only_the_kinds_given(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, BASE)))
    start, end = BASE.index("  - slug: jp"), BASE.index("  - slug: kw")
    without_jp = write(tmp_path, BASE[:start] + BASE[end:], "without-jp.yaml")
    # the products still price in jp: a prune of every kind may not delete it
    refused = cli.fails(3, "catalog", "diff", str(without_jp), "--prune")
    assert "market 'jp' is not in these files, and --prune would delete it" in refused.stderr
    limited = cli.json("catalog", "diff", str(without_jp), "--prune", "--exclude", "market")
    assert limited["deleted"] == 0
    cli.ok("catalog", "import", str(without_jp), "--prune", "--yes", "--exclude", "market")
    assert cli.json("markets", "show", "jp", "--org", "acme")["slug"] == "jp"
    start, end = BASE.index("  - slug: ebook"), BASE.index("collections:")
    without_ebook = BASE[:start] + BASE[end:].replace(
        "products: [python-101, ebook]", "products: [python-101]"
    )
    without_ebook = write(
        tmp_path,
        without_ebook.replace(
            "plans: [python-101/standard/basic, ebook/buy]", "plans: [python-101/standard/basic]"
        ),
        "without-ebook.yaml",
    )
    kept = cli.json("catalog", "diff", str(without_ebook), "--prune", "--exclude", "product")
    assert ("delete", "product", "ebook") not in _changed(kept)
    pruned = cli.json("catalog", "diff", str(without_ebook), "--prune", "--include", "product")
    assert _changed(pruned) == {("delete", "product", "ebook")}


def test_validate_reports_the_problems_of_the_kinds_given(cli: Cli, tmp_path: Path) -> None:
    broken = write(tmp_path, BASE.replace('percent: "25%"', 'percent: "250%"'), "b.yaml")
    assert "offers[0]" in cli.fails(3, "catalog", "validate", str(broken)).stderr
    limited = cli.ok("catalog", "validate", str(broken), "--include", "product,market")
    assert "1 problem(s) in kinds not covered (market, product only)" in limited.stderr
    assert cli.fails(3, "catalog", "validate", str(broken), "--include", "offer")
    counted = cli.ok("catalog", "validate", str(write(tmp_path, BASE)), "--include", "market")
    assert counted.stderr.strip().endswith("OK: 1 file: 4 markets")


def test_unknown_kinds_and_saved_plans(cli: Cli, tmp_path: Path) -> None:
    catalog = write(tmp_path, BASE)
    unknown = cli.fails(2, "catalog", "diff", str(catalog), "--include", "variant")
    assert "unknown kind 'variant'" in unknown.stderr and "promotion" in unknown.stderr
    cli.ok("catalog", "import", str(catalog))
    renamed = write(tmp_path, RENAMED, "renamed.yaml")
    plan = tmp_path / "plan.json"
    cli.ok("catalog", "diff", str(renamed), "--include", "market", "-o", str(plan))
    assert json.loads(plan.read_text())["kinds"] == ["market"]
    applied = cli.json("catalog", "import", "--plan", str(plan))
    assert applied["updated"] == 1
    assert cli.json("markets", "show", "us", "--org", "acme")["name"] == "USA"
    assert cli.json("products", "show", "ebook", "--org", "acme")["title"] == "The Python Book"
