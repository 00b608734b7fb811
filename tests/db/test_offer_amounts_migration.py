"""Migration 0021 (issue 20): a fixed-amount offer's one amount moves to `org_discount_amount`.

A database at 0020 (made by downgrading one built at head: the downgrade gives each offer back
the first of its amounts by currency code) holds fixed-amount offers with one amount each (one
of them 0, which 0020 allowed) and percentage offers. The upgrade gives each fixed-amount offer
one amount row in its currency, none to a percentage offer, drops `org_discount.amount_minor`
and `currency_code`, and the quotes take the amounts from there; the new CHECKs hold on both
databases. A downgrade refuses a fixed-amount offer without any amount. Run on both databases.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from tests.support import Cli, engine_at
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.head import HEAD
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0020_market_country_once"
ACME_FILE = Path(__file__).resolve().parent.parent / "data" / "catalog" / "acme.yaml"
ORG = ("--org", "acme")
# acme.yaml's spring-sale (25%) and ten-off (10.00 USD), and offers made here
MADE = [
    ("yen", ("--amount", "1500:JPY")),
    ("multi", ("--amount", "5.00:USD", "--amount", "4.50:EUR", "--amount", "1.250:KWD")),
]
# at 0020: the single amount of each offer (the downgrade kept multi's first by code: EUR)
AT_0020 = {
    "spring-sale": ("percentage", 2500, None, None),
    "ten-off": ("fixed_amount", None, 1000, "USD"),
    "yen": ("fixed_amount", None, 1500, "JPY"),
    "multi": ("fixed_amount", None, 450, "EUR"),
}
ZERO = """
INSERT INTO org_discount (created_at, updated_at, org_id, id, slug, type, percent_bp,
    amount_minor, currency_code, duration, is_active, catalog_managed)
SELECT created_at, updated_at, org_id, :id, 'zero', 'fixed_amount', NULL, 0, 'KWD', 'once',
    is_active, catalog_managed
FROM org_discount WHERE slug = 'ten-off'
"""
AMOUNTS = """
SELECT d.slug, a.currency_code, a.amount_minor FROM org_discount_amount a
JOIN org_discount d ON d.org_id = a.org_id AND d.id = a.discount_id ORDER BY d.slug
"""


def offers_at_0020(connection: Connection) -> dict[str, tuple[object, ...]]:
    rows = connection.execute(
        text("SELECT slug, type, percent_bp, amount_minor, currency_code FROM org_discount")
    )
    return {slug: tuple(rest) for slug, *rest in rows}


def test_upgrade_moves_each_single_amount_and_the_quotes_read_it(cli: Cli) -> None:
    assert cli.db_url
    cli.ok("catalog", "import", str(ACME_FILE))
    for slug, options in MADE:
        cli.ok("offers", "create", slug, "--type", "fixed-amount", *options, *ORG)
    engine = make_engine(cli.db_url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            assert offers_at_0020(connection) == AT_0020
            new_id = uuid.UUID("0190f0f0-f0f0-7000-8000-00000000000b")
            connection.execute(text(ZERO), {"id": new_id.hex if sqlite else new_id})
            assert not sa.inspect(connection).has_table("org_discount_amount")
        upgrade(engine)
        with engine.connect() as connection:
            moved = connection.execute(text(AMOUNTS)).all()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("org_discount")}
        assert sorted(map(tuple, moved)) == [
            ("multi", "EUR", 450), ("ten-off", "USD", 1000), ("yen", "JPY", 1500),
            ("zero", "KWD", 0),
        ]  # fmt: skip
        assert not columns & {"amount_minor", "currency_code"}
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE org_discount_amount SET amount_minor = -1"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE org_discount SET percent_bp = 100 WHERE slug = 'yen'"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text("UPDATE org_discount SET percent_bp = NULL WHERE slug = 'spring-sale'")
            )
    finally:
        engine.dispose()
    ten_off = cli.json("offers", "show", "ten-off", *ORG)
    assert (ten_off["amount_minor"], ten_off["amount"], ten_off["currency"]) == (
        1000, "10.00", "USD",
    )  # fmt: skip
    assert cli.json("offers", "show", "spring-sale", *ORG)["amounts"] == []
    quote = cli.json("plans", "price", "python-101/standard/basic", "--market", "us", "--at",
                     "2026-06-01", *ORG)  # fmt: skip
    assert (quote["offer"], quote["final_price_minor"]) == ("ten-off", 4900 - 1000)
    yen = cli.json("plans", "price", "python-101/standard/basic", "--market", "jp", "--at",
                   "2026-06-01", *ORG)  # fmt: skip
    assert (yen["offer"], yen["final_price_minor"]) == ("yen", 6500 - 1500)
    # multi kept only its first amount through 0020: it applies in eu now, not in kw
    assert cli.json("plans", "price", "python-101/standard/basic", "--market", "kw", "--at",
                    "2026-06-01", *ORG)["final_price_minor"] == 15250  # fmt: skip


def test_a_downgrade_refuses_a_fixed_amount_offer_without_an_amount(cli: Cli) -> None:
    assert cli.db_url
    cli.ok("catalog", "import", str(ACME_FILE))
    with engine_at(cli.db_url) as engine:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM org_discount_amount"))
        with pytest.raises(RuntimeError, match=r"without an amount \(acme/ten-off\)"):
            downgrade(engine, BEFORE)
        with engine.connect() as connection:
            assert sa.inspect(connection).has_table("org_discount_amount")
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            # nothing below 0021 was undone: PostgreSQL rolls the whole downgrade back (still at
            # head); SQLite keeps the steps above 0021 it had done before the refusal
            assert version.scalar() in ("0021_offer_amounts", HEAD)
