"""DOMAIN.md rules checked on the metadata itself, and in the databases through raw SQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, ForeignKeyConstraint, Table, UniqueConstraint, text
from sqlalchemy.exc import IntegrityError

from volmify_cli.db.naming import MAX_IDENTIFIER
from volmify_cli.models import load_all

METADATA = load_all()
ORG_OWNED = [t for t in METADATA.sorted_tables if "org_id" in t.c and t.name != "org"]
# DOMAIN.md's deliberate exception: a market's domain is unique across the platform.
GLOBAL_UNIQUE_EXCEPTIONS = {("org_market", ("domain",))}


def test_every_domain_table_exists() -> None:
    assert (
        len(METADATA.tables) == 85
    )  # 0013-0015: payouts, ledger entries, closes; 0017: the running totals (days, months);
    # 0021: a fixed-amount offer's amounts
    for name in (
        "org_payout",
        "org_product_variant_payment_plan_market_price",
        "org_order_item_allocation",
        "org_member_lesson_progress",
        "user_instructor_profile_translation",
        "seo_metadata",
    ):
        assert name in METADATA.tables


@pytest.mark.parametrize("table", ORG_OWNED, ids=lambda t: t.name)
def test_org_owned_table_keeps_the_tenant_rules(table: Table) -> None:
    assert table.c.org_id.nullable is False
    assert "org_id" in table.primary_key.columns, "org_id must be part of the primary key"
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            columns = tuple(c.name for c in constraint.columns)
            if (table.name, columns) not in GLOBAL_UNIQUE_EXCEPTIONS:
                assert "org_id" in columns, f"unique {columns} lacks org_id"
    for index in table.indexes:
        if index.unique:
            assert "org_id" in [c.name for c in index.columns], (
                f"unique index {index.name} lacks org_id"
            )
    for fk in table.constraints:
        if not isinstance(fk, ForeignKeyConstraint):
            continue
        target = fk.referred_table
        if "org_id" in target.c and target.name != "org":
            pairs = {(e.parent.name, e.column.name) for e in fk.elements}
            assert ("org_id", "org_id") in pairs, f"{fk.name} to {target.name} is not tenant-scoped"
            assert fk.ondelete in (None, "CASCADE"), f"{fk.name}: ON DELETE {fk.ondelete}"


def test_constraint_names_are_deterministic_and_fit_postgres() -> None:
    names = []
    for table in METADATA.tables.values():
        for item in [*table.constraints, *table.indexes]:
            assert item.name, f"unnamed constraint on {table.name}"
            names.append(str(item.name))
    assert max(map(len, names)) <= MAX_IDENTIFIER
    assert len(names) == len(set(names))


def test_every_flag_is_not_null_with_a_default() -> None:
    for table in METADATA.tables.values():
        for column in table.c:
            if column.name.startswith("is_") or column.name in (
                "requires_shipping",
                "allow_gifting",
            ):
                assert not column.nullable and column.server_default is not None, (
                    f"{table.name}.{column.name}"
                )


def _seed_two_orgs(engine: Engine) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    org_a, org_b, product_b = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with engine.begin() as connection:
        for org_id, slug in ((org_a, "acme"), (org_b, "globex")):
            connection.execute(
                text(
                    "INSERT INTO org (id, slug, name, default_locale_key, default_currency_code,"
                    " status, created_at, updated_at) VALUES (:id, :slug, :slug, 'en-US', 'USD',"
                    " 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"id": _db_uuid(engine, org_id), "slug": slug},
            )
        connection.execute(
            text(
                "INSERT INTO org_product (org_id, id, slug, type, status, created_at, updated_at)"
                " VALUES (:org, :id, 'b-course', 'course', 'draft',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"org": _db_uuid(engine, org_b), "id": _db_uuid(engine, product_b)},
        )
    return org_a, org_b, product_b


def _db_uuid(engine: Engine, value: uuid.UUID) -> object:
    # SQLAlchemy's Uuid type stores 32 hex characters on SQLite and a native uuid on PostgreSQL.
    return value.hex if engine.dialect.name == "sqlite" else value


def test_database_refuses_a_cross_organization_reference(engine: Engine) -> None:
    org_a, _org_b, product_b = _seed_two_orgs(engine)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO org_product_variant (org_id, id, product_id, slug, is_default,"
                " sort_order, status, created_at, updated_at) VALUES (:org, :id, :product,"
                " 'standard', true, 0, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {
                "org": _db_uuid(engine, org_a),
                "id": _db_uuid(engine, uuid.uuid4()),
                "product": _db_uuid(engine, product_b),
            },
        )
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM org_product_variant")).scalar() == 0


def test_database_refuses_an_out_of_range_value(engine: Engine) -> None:
    _org_a, org_b, _product_b = _seed_two_orgs(engine)
    with (
        pytest.raises(IntegrityError, match="ck_org_product_type_valid"),
        engine.begin() as connection,
    ):
        connection.execute(
            text(
                "INSERT INTO org_product (org_id, id, slug, type, status, created_at, updated_at)"
                " VALUES (:org, :id, 'x', 'spaceship', 'draft',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"org": _db_uuid(engine, org_b), "id": _db_uuid(engine, uuid.uuid4())},
        )


def test_type_extension_must_match_the_product_type(engine: Engine) -> None:
    _org_a, org_b, product_b = _seed_two_orgs(engine)  # product_b is a course
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO org_product_physical (org_id, product_id, product_type,"
                " requires_shipping, created_at, updated_at) VALUES (:org, :product, 'physical',"
                " true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"org": _db_uuid(engine, org_b), "product": _db_uuid(engine, product_b)},
        )
