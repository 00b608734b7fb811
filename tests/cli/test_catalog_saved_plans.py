"""Saved plans (issue 19): `catalog diff FILES -o plan.json` writes a readable plan with the
sha256 of each file and a digest of the rows it read; `catalog import --plan plan.json` applies
exactly that plan, and refuses (exit 1, nothing written) naming what moved since."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.support import Cli

DATA = Path(__file__).parent.parent / "data" / "catalog"
BASE = (DATA / "acme.yaml").read_text()
PRICE = 'kw: "15.250"'


def write(tmp_path: Path, content: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _planned(cli: Cli, tmp_path: Path, *options: str) -> tuple[Path, Path]:
    """The catalog imported, then changed by one price in its file, and the plan saved."""
    catalog = write(tmp_path, BASE)
    cli.ok("catalog", "import", str(catalog))
    catalog.write_text(BASE.replace(PRICE, 'kw: "16.000"'), encoding="utf-8")
    plan = tmp_path / "plan.json"
    cli.ok("catalog", "diff", str(catalog), "-o", str(plan), *options)
    return catalog, plan


def _kw_price(cli: Cli) -> int:
    plan = cli.json("plans", "show", "python-101/standard/basic", "--org", "acme")
    return next(p["amount_minor"] for p in plan["prices"] if p["market"] == "kw")


def test_a_saved_plan_is_readable_and_applies_exactly(cli: Cli, tmp_path: Path) -> None:
    catalog, plan = _planned(cli, tmp_path)
    saved = json.loads(plan.read_text())
    assert (saved["kind"], saved["version"], saved["org"]) == ("volmify-catalog-plan", 1, "acme")
    assert saved["files"] == [
        {"path": str(catalog), "sha256": hashlib.sha256(catalog.read_bytes()).hexdigest()}
    ]
    assert (saved["prune"], saved["prune_unmanaged"]) == (False, False)
    assert saved["changes"] == cli.json("catalog", "diff", str(catalog))["changes"]
    assert [c["action"] for c in saved["changes"]] == ["update"]
    assert saved["database"]["org_product_variant_payment_plan_market_price"]
    applied = cli.json("catalog", "import", "--plan", str(plan))
    assert (applied["created"], applied["updated"], applied["deleted"]) == (0, 1, 0)
    assert _kw_price(cli) == 16000
    # applied: the database is no longer what the plan read
    again = cli.fails(1, "catalog", "import", "--plan", str(plan))
    assert "the database changed since" in again.stderr and "prices" in again.stderr


def test_a_changed_file_is_named_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    catalog, plan = _planned(cli, tmp_path)
    catalog.write_text(BASE.replace(PRICE, 'kw: "17.000"'), encoding="utf-8")
    refused = cli.fails(1, "catalog", "import", "--plan", str(plan))
    assert f"the files changed since {plan} was made: {catalog} (changed)" in refused.stderr
    assert "catalog diff FILES -o PLAN" in refused.stderr
    assert _kw_price(cli) == 15250
    catalog.unlink()
    gone = cli.fails(1, "catalog", "import", "--plan", str(plan))
    assert f"{catalog} (gone)" in gone.stderr


def test_a_database_changed_since_is_named_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    _catalog, plan = _planned(cli, tmp_path)
    cli.ok("plans", "update", "python-101/standard/basic", "--price", "us=45.00", "--org", "acme")
    refused = cli.fails(1, "catalog", "import", "--plan", str(plan))
    assert "the database changed since" in refused.stderr
    assert "(in: prices)" in refused.stderr
    # what the import would now do besides the plan: put back the price changed since
    assert "now also: ~ price python-101/standard/basic@us (amount: '45.00' -> " in (refused.stderr)
    assert _kw_price(cli) == 15250


def test_a_pruning_plan_keeps_its_options(cli: Cli, tmp_path: Path) -> None:
    catalog = write(tmp_path, BASE)
    cli.ok("catalog", "import", str(catalog))
    cli.ok("products", "create", "notes", "--type", "digital", "--title", "Notes", "--org", "acme")
    plan = tmp_path / "plan.json"
    # `notes` was made by a command: only --prune-unmanaged deletes it
    cli.ok("catalog", "diff", str(catalog), "--prune-unmanaged", "-o", str(plan))
    assert json.loads(plan.read_text())["prune_unmanaged"] is True
    applied = cli.json("catalog", "import", "--plan", str(plan))
    assert applied["deleted"] == 1
    cli.fails(1, "products", "show", "notes", "--org", "acme")


def test_plan_files_and_options(cli: Cli, tmp_path: Path) -> None:
    catalog, plan = _planned(cli, tmp_path)
    exists = cli.fails(1, "catalog", "diff", str(catalog), "-o", str(plan))
    assert "--force" in exists.stderr
    cli.ok("catalog", "diff", str(catalog), "-o", str(plan), "--force")
    cli.fails(2, "catalog", "import", str(catalog), "--plan", str(plan))
    cli.fails(2, "catalog", "import")
    other = cli.fails(2, "catalog", "import", "--plan", str(plan), "--org", "globex")
    assert "a plan for org acme, not globex" in other.stderr
    broken = write(tmp_path, '{"kind": "volmify-catalog-plan",\n  "version": 1,\n  oops}', "b.json")
    bad = cli.fails(3, "catalog", "import", "--plan", str(broken))
    assert f"{broken}:3:3: not valid JSON" in bad.stderr
    alien = write(tmp_path, json.dumps({"kind": "terraform"}), "t.json")
    assert (
        "not a saved catalog plan" in cli.fails(3, "catalog", "import", "--plan", str(alien)).stderr
    )
    to_stdout = cli.ok("catalog", "diff", str(catalog), "-o", "-").stdout
    assert json.loads(to_stdout)["kind"] == "volmify-catalog-plan"
