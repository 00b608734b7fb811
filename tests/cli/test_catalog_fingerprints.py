"""Catalog fingerprints: a product whose text the org's last import read is skipped by the next
import, and only while nothing else has written to the org since (SPEC 4.1 upsert, SPEC 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.support import Cli
from tests.world import committed
from volmify_cli.db import fingerprints
from volmify_cli.exchange.catalog_files import read_catalog
from volmify_cli.models import load_all
from volmify_cli.models.products import OrgProduct
from volmify_cli.services.catalog import (
    StaleFingerprints,
    plan_catalog_import,
    stored_fingerprints,
)

DATA = Path(__file__).parent.parent / "data" / "catalog"
ACME = DATA / "acme.yaml"
GLOBEX = Path(__file__).parent.parent.parent / "fixtures" / "globex" / "catalog.yaml"
PRICE = "org_product_variant_payment_plan_market_price"


def _fingerprints(db_url: str, org: str = "acme") -> list[str]:
    with committed(db_url) as session:
        rows = session.connection().execute(
            text(
                "SELECT p.slug FROM org_catalog_fingerprint f JOIN org_product p"
                " ON p.org_id = f.org_id AND p.id = f.product_id"
                " JOIN org o ON o.id = f.org_id WHERE o.slug = :org ORDER BY p.slug"
            ),
            {"org": org},
        )
        return [row[0] for row in rows]


def _write(db_url: str, statement: str) -> None:
    with committed(db_url) as session:
        session.connection().execute(text(statement))


def test_an_import_remembers_every_product_but_a_course_and_counts_the_skipped_ones(
    cli: Cli, db_url: str
) -> None:
    first = cli.json("catalog", "import", str(ACME))
    # python-101 has a course block (lessons may be shared): always read
    assert _fingerprints(db_url) == ["ebook"]
    again = cli.json("catalog", "import", str(ACME))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, first["created"])


def test_a_write_by_anything_else_makes_the_next_import_read_and_restore_the_product(
    cli: Cli, db_url: str
) -> None:
    cli.ok("catalog", "import", str(ACME))
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    _write(db_url, f"UPDATE {PRICE} SET amount_minor = amount_minor + 100")  # SQL that names no org
    assert _fingerprints(db_url) == []
    restored = cli.json("catalog", "import", str(ACME))
    assert restored["updated"] >= 3  # every price the file holds is back (ebook's among them)
    assert any(c["key"].startswith("ebook/") for c in restored["changes"])
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported
    assert _fingerprints(db_url) == ["ebook"]


def test_an_orm_write_forgets_its_own_org_only(cli: Cli, db_url: str) -> None:
    cli.ok("catalog", "import", str(ACME))
    cli.ok("catalog", "import", str(GLOBEX))
    globex_before = _fingerprints(db_url, "globex")
    assert globex_before
    with committed(db_url) as session:
        ebook = session.exec(select(OrgProduct).where(OrgProduct.slug == "ebook")).one()
        ebook.status = "archived"
        session.add(ebook)
    assert _fingerprints(db_url) == []
    assert _fingerprints(db_url, "globex") == globex_before
    restored = cli.json("catalog", "import", str(ACME))
    changes = [c for c in restored["changes"] if c["action"] == "update"]
    assert changes == [
        {
            "action": "update",
            "entity": "product",
            "key": "ebook",
            "fields": {"status": {"old": "archived", "new": "draft"}},
        }
    ]


def test_a_changed_product_is_read_and_its_problem_named_where_it_is(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok("catalog", "import", str(ACME))
    broken = tmp_path / "acme.yaml"
    broken.write_text(ACME.read_text().replace("prices: {us: 20}", "prices: {us: -20}"))
    fresh = cli.fails(3, "catalog", "validate", str(broken))
    after = cli.fails(3, "catalog", "import", str(broken))
    where = [line for line in fresh.stderr.splitlines() if "acme.yaml:" in line]
    assert where and where[0] in after.stderr


def test_a_product_whose_text_changed_is_read_and_written(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    cli.ok("catalog", "import", str(ACME))
    renamed = tmp_path / "acme.yaml"
    renamed.write_text(ACME.read_text().replace("prices: {us: 20}", "prices: {us: 20, eu: 19}"))
    result = cli.json("catalog", "import", str(renamed))
    assert [c["key"] for c in result["changes"] if c["action"] == "create"] == ["ebook/pdf/buy@eu"]


def test_the_tables_the_invalidation_treats_apart_are_the_schema_s() -> None:
    tables = load_all().tables
    untenanted = {name for name, table in tables.items() if "org_id" not in table.c}
    # `org` carries the tenant itself; sessions and learning profiles no catalog reads
    assert untenanted - {"org"} - fingerprints.UNRELATED == fingerprints.GLOBAL
    assert fingerprints.UNRELATED - {"alembic_version"} <= set(tables)
    # a new customer is no row of a product; renaming what a catalog names is
    assert fingerprints.written_table('INSERT INTO "user" (id) VALUES (?)') is None
    assert fingerprints.written_table("UPDATE user_profile SET slug = ?") == "user_profile"
    assert fingerprints.written_table("INSERT INTO org_order (id) VALUES (?)") is None
    assert fingerprints.written_table("SELECT * FROM org_product") is None


ACME_DIR = Path(__file__).parent.parent.parent / "fixtures" / "acme" / "catalog"


def test_a_pruning_re_import_of_several_files_keeps_every_skipped_product(
    cli: Cli, db_url: str
) -> None:
    first = cli.json("catalog", "import", str(ACME_DIR), "--org", "acme", "--prune", "--yes")
    remembered = _fingerprints(db_url)
    assert {"acme-hoodie", "compute-credits", "mentoring-session"} <= set(remembered)
    again = cli.json("catalog", "import", str(ACME_DIR), "--org", "acme", "--prune", "--yes")
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert again["unchanged"] == first["created"]
    assert _fingerprints(db_url) == remembered


def test_a_skipped_product_defined_again_in_another_file_is_named_twice(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok("catalog", "import", str(ACME_DIR), "--org", "acme")
    files = tmp_path / "catalog"
    files.mkdir()
    for path in ACME_DIR.iterdir():
        (files / path.name).write_text(path.read_text())
    (files / "40-again.yaml").write_text(
        "version: 1\nkind: catalog\nproducts:\n"
        "  - slug: acme-hoodie\n    type: digital\n    title: Again\n"
        "    variants: [{slug: one, plans: [{slug: buy, type: one_time, tier: 1, prices: {}}]}]\n"
    )
    result = cli.fails(3, "catalog", "import", str(files), "--org", "acme")
    assert "product 'acme-hoodie' is defined twice (first at" in result.stderr
    first = (ACME_DIR / "20-products.yaml").read_text().splitlines().index("  - slug: acme-hoodie")
    assert f"20-products.yaml:{first + 1}:" in result.stderr


def test_fingerprints_lost_after_the_files_were_read_make_the_plan_read_again(
    cli: Cli, db_url: str
) -> None:
    cli.ok("catalog", "import", str(ACME))
    with committed(db_url) as session:
        files = read_catalog([ACME], fingerprints=stored_fingerprints(session, "acme"))
    assert [u.slug for f in files for u in f.unchanged] == ["ebook"]
    _write(db_url, f"UPDATE {PRICE} SET amount_minor = amount_minor + 1")  # meanwhile
    with pytest.raises(StaleFingerprints), committed(db_url) as session:
        plan_catalog_import(session, files, org="acme")
