"""Roots and children (volmify_cli/models/base.py): which org-owned tables carry their own
`org_id -> org.id` foreign key, held to the rule on the metadata and in migrated databases of both
backends, with the two things the rule must never cost: a row pointing at another organization's
parent is refused, and deleting an organization removes all it owns and nothing of another.
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, ForeignKeyConstraint, Table, inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import BACKENDS, Databases
from tests.support import Cli, engine_at
from tests.tenant_world import build
from volmify_cli.db.engine import make_engine
from volmify_cli.models import load_all

METADATA = load_all()
OWNED = {t.name: t for t in METADATA.sorted_tables if "org_id" in t.c and t.name != "org"}


def _tenant_fks(table: Table) -> list[ForeignKeyConstraint]:
    return [fk for fk in table.foreign_key_constraints if fk.referred_table.name in OWNED]


def _parent_fks(table: Table) -> list[ForeignKeyConstraint]:
    """The cascading tenant FKs that carry the tenant: every row has that parent (a nullable
    reference, such as a lesson's owning course, leaves some rows with none)."""
    return [
        fk
        for fk in _tenant_fks(table)
        if fk.ondelete == "CASCADE" and not any(c.nullable for c in fk.columns)
    ]


def _levels(children: set[str]) -> dict[str, int]:
    """The level on which the org's cascade deletes each table's rows: 1 for a root (the org's
    own cascade), one more than its nearest cascading parent for a child."""
    level: dict[str, int] = {}

    def of(name: str, path: tuple[str, ...]) -> int:
        if name not in level:
            if name not in children:
                level[name] = 1
            else:
                parents = [
                    fk.referred_table.name
                    for fk in _parent_fks(OWNED[name])
                    if fk.referred_table.name not in path
                ]
                level[name] = 1 + min(of(p, (*path, name)) for p in parents)
        return level[name]

    for name in OWNED:
        of(name, ())
    return level


def _deferred(fk: ForeignKeyConstraint) -> bool:
    return bool(fk.deferrable) and (fk.initially or "").upper() == "DEFERRED"


def _expected_children() -> dict[str, int]:
    """The rule, computed from the tenant foreign keys alone: the largest set of tables that have
    a cascading tenant FK to an org-owned parent and whose every NO ACTION tenant FK points at a
    table the org's cascade reaches on the same level or later (PostgreSQL checks a NO ACTION
    reference on the level after its target's delete), or is deferred (checked at commit, after
    every cascade). Returns each child's level."""
    children = {n for n, t in OWNED.items() if _parent_fks(t)}
    while True:
        level = _levels(children)
        unsafe = {
            name
            for name in children
            for fk in _tenant_fks(OWNED[name])
            if fk.ondelete != "CASCADE"
            and not _deferred(fk)
            and level[name] > level[fk.referred_table.name]
        }
        if not unsafe:
            return {name: level[name] for name in children}
        children -= unsafe


CHILDREN = _expected_children()


def _org_fks(table: Table) -> list[ForeignKeyConstraint]:
    return [fk for fk in table.foreign_key_constraints if fk.referred_table.name == "org"]


def test_the_rule_keeps_the_big_tables_that_it_can_as_children() -> None:
    # A reminder of what the rule gives, so a change to it shows in review.
    for name in (
        "org_product_variant",
        "org_product_variant_payment_plan",
        "org_product_variant_payment_plan_one_time",
        "org_product_brand_attribution",
        "org_member_subscription",
        # its NO ACTION reference to org_market is deferred (0010)
        "org_product_variant_payment_plan_market_price",
        # its references to lessons are deferred (0011)
        "org_course_module_section_lesson",
        # its reference to org_brand is deferred (0027)
        "org_order_item_allocation",
        # a day's running total is part of its month's (0029; a recipient's brand is deferred)
        "org_revenue_day_product",
        "org_revenue_day_market",
        "org_revenue_day_recipient",
        # its references name the variant with its product and the plan with its variant (0030)
        "org_order_item",
    ):
        assert name in CHILDREN
    # NO ACTION to a table the cascade reaches sooner (org_locale), not deferred.
    assert "org_product_translation" not in CHILDREN
    # a library lesson has no course: the lesson's FK to its owning course is nullable
    assert "org_lesson" not in CHILDREN
    # 28 made children by 0008, 0009's fingerprints, 0010's market prices, 0011's placements,
    # 0014's ledger entries (children of their item), 0021's offer amounts, 0027's allocations
    # (children of their entry), 0029's day totals (children of their month's), 0030's order
    # items (children of their order)
    assert len(CHILDREN) == 38


@pytest.mark.parametrize("table", list(OWNED.values()), ids=lambda t: t.name)
def test_each_child_has_no_org_fk_and_each_root_has_one(table: Table) -> None:
    org_fks = _org_fks(table)
    if table.name in CHILDREN:
        assert org_fks == [], f"{table.name} is a child: its parent carries the tenant"
        assert _parent_fks(table)
    else:
        assert len(org_fks) == 1, f"{table.name} is a root: it needs its own FK to org"
        (fk,) = org_fks
        assert [c.name for c in fk.columns] == ["org_id"] and fk.ondelete == "CASCADE"
    for fk in _tenant_fks(table):
        assert "org_id" in [c.name for c in fk.columns], f"{fk.name} is not tenant-scoped"


def test_the_migrated_databases_have_exactly_these_org_fks(engine: Engine) -> None:
    inspector = inspect(engine)
    for name in OWNED:
        fks = inspector.get_foreign_keys(name)
        to_org = [fk for fk in fks if fk["referred_table"] == "org"]
        expected = 0 if name in CHILDREN else 1
        assert len(to_org) == expected, name
        for fk in to_org:
            assert fk["constrained_columns"] == ["org_id"]
            assert (fk.get("options") or {}).get("ondelete", "").upper() == "CASCADE", name
        for fk in fks:
            if fk["referred_table"] in OWNED:
                assert fk["constrained_columns"][0] == "org_id", (name, fk["name"])
                assert fk["referred_columns"][0] == "org_id", (name, fk["name"])


# -- raw SQL against the database -----------------------------------------------------------------


def _uuid(engine: Engine, value: uuid.UUID) -> object:
    return value.hex if engine.dialect.name == "sqlite" else value


def _insert(engine: Engine, sql: str, **values: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), values)


NOW = "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"


def _two_orgs_with_a_plan(engine: Engine) -> dict[str, dict[str, object]]:
    """Orgs a and b, each with a product, a variant and a one-time plan (raw SQL)."""
    rows: dict[str, dict[str, object]] = {}
    for slug in ("a", "b"):
        ids = {k: _uuid(engine, uuid.uuid4()) for k in ("org", "product", "variant", "plan")}
        _insert(
            engine,
            "INSERT INTO org (id, slug, name, default_locale_key, default_currency_code, status,"
            f" created_at, updated_at) VALUES (:org, :slug, :slug, 'en-US', 'USD', 'active', {NOW})",
            slug=f"org-{slug}",
            org=ids["org"],
        )
        _insert(
            engine,
            "INSERT INTO org_product (org_id, id, slug, type, status, created_at, updated_at)"
            f" VALUES (:org, :product, 'p', 'course', 'draft', {NOW})",
            org=ids["org"],
            product=ids["product"],
        )
        _insert(engine, _VARIANT, org=ids["org"], id=ids["variant"], product=ids["product"])
        _insert(engine, _PLAN, org=ids["org"], id=ids["plan"], variant=ids["variant"])
        rows[slug] = ids
    return rows


_VARIANT = (
    "INSERT INTO org_product_variant (org_id, id, product_id, slug, is_default, sort_order,"
    f" status, created_at, updated_at) VALUES (:org, :id, :product, 'v', true, 0, 'active', {NOW})"
)
_PLAN = (
    "INSERT INTO org_product_variant_payment_plan (org_id, id, variant_id, slug, type,"
    " access_tier, is_default, sort_order, status, created_at, updated_at) VALUES (:org, :id,"
    f" :variant, 'once', 'one_time', 1, true, 0, 'active', {NOW})"
)
_ONE_TIME = (
    "INSERT INTO org_product_variant_payment_plan_one_time (org_id, plan_id, plan_type,"
    f" created_at, updated_at) VALUES (:org, :plan, 'one_time', {NOW})"
)


def test_a_child_pointing_at_another_orgs_parent_is_refused(engine: Engine) -> None:
    rows = _two_orgs_with_a_plan(engine)
    a, b = rows["a"], rows["b"]
    nowhere = _uuid(engine, uuid.uuid4())
    attempts = [
        (_VARIANT, {"org": a["org"], "product": b["product"]}),
        (_PLAN, {"org": a["org"], "variant": b["variant"]}),
        # an org that does not exist at all: no parent row can carry it either
        (_VARIANT, {"org": nowhere, "product": b["product"]}),
    ]
    for sql, values in attempts:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(sql), {"id": _uuid(engine, uuid.uuid4()), **values})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(_ONE_TIME), {"org": a["org"], "plan": b["plan"]})
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM org_product_variant")).scalar() == 2
        assert (
            connection.execute(
                text("SELECT count(*) FROM org_product_variant_payment_plan_one_time")
            ).scalar()
            == 0
        )
    # and the same rows within their own org are accepted
    _insert(engine, _ONE_TIME, org=a["org"], plan=a["plan"])


_MARKET = (
    "INSERT INTO org_market (org_id, id, slug, type, currency_code, is_default, status,"
    f" created_at, updated_at) VALUES (:org, :id, 'eu', 'custom', 'EUR', true, 'active', {NOW})"
)
_PRICE = (
    "INSERT INTO org_product_variant_payment_plan_market_price (org_id, id, plan_id, market_id,"
    " currency_code, amount_minor, tax_behavior, created_at, updated_at) VALUES (:org, :id,"
    f" :plan, :market, 'EUR', 100, 'inclusive', {NOW})"
)


def test_a_price_holds_its_market_until_commit_and_goes_with_its_org(engine: Engine) -> None:
    """Market prices are children of their plan (0010): their reference to the market is
    checked at commit. A price of another org's market is refused, a market with prices cannot
    be deleted, and deleting the org (markets first, prices through their plan) works."""
    rows = _two_orgs_with_a_plan(engine)
    a, b = rows["a"], rows["b"]
    markets = {slug: _uuid(engine, uuid.uuid4()) for slug in ("a", "b")}
    for slug in ("a", "b"):
        _insert(engine, _MARKET, org=rows[slug]["org"], id=markets[slug])
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(_PRICE),
            {"org": a["org"], "id": _uuid(engine, uuid.uuid4()), "plan": a["plan"],
             "market": markets["b"]},
        )  # fmt: skip
    _insert(engine, _PRICE, org=a["org"], id=_uuid(engine, uuid.uuid4()), plan=a["plan"],
            market=markets["a"])  # fmt: skip
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("DELETE FROM org_market WHERE org_id = :org"), {"org": a["org"]})
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM org WHERE id = :org"), {"org": a["org"]})
    with engine.connect() as connection:
        prices = "SELECT count(*) FROM org_product_variant_payment_plan_market_price"
        assert connection.execute(text(prices)).scalar() == 0
        markets_left = connection.execute(text("SELECT org_id FROM org_market")).scalars().all()
        assert [str(m) for m in markets_left] == [str(b["org"])]


# -- deleting an organization, on the two-tenant world ----------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def world_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def world(
    world_backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    url = databases.migrated(world_backend)
    workdir = tmp_path_factory.mktemp("org-fks")
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("VOLMIFY_")]:
            if not name.startswith("VOLMIFY_TEST_"):
                patch.delenv(name)
        patch.setenv("VOLMIFY_HOME", str(workdir / "home"))
        build(Cli(url), workdir)
    gc.collect()
    yield url
    databases.drop(url)


def _counts(engine: Engine) -> dict[str, dict[object, int]]:
    out: dict[str, dict[object, int]] = {}
    with engine.connect() as connection:
        for name, table in OWNED.items():
            rows = connection.execute(
                select(table.c.org_id, text("count(*)")).group_by(table.c.org_id)
            ).all()
            out[name] = {row[0]: int(row[1]) for row in rows}
    return out


@pytest.mark.parametrize("how", ["raw SQL", "orgs delete"])
def test_deleting_an_org_removes_all_it_owns_and_nothing_else(
    world: str, databases: Databases, how: str
) -> None:
    url = databases.copy(world)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            org = METADATA.tables["org"]
            ids = {row[0]: row[1] for row in connection.execute(select(org.c.slug, org.c.id))}
        acme, globex = ids["acme"], ids["globex"]
        before = _counts(engine)
        # the world reaches the tables where the cascade order matters
        for name in (
            "org_product_variant_payment_plan_market_price",
            "org_product_variant_payment_plan",
            "org_product_translation",
            "org_order_item",
            "org_order_item_allocation",
            "org_member_subscription",
            "org_member_course_enrollment",
            "org_member_lesson_progress",
            "org_course_module_section_lesson",
            "org_market_country",
            "org_product_instructor_attribution",
        ):
            assert before[name].get(acme) and before[name].get(globex), name
        if how == "raw SQL":
            with engine.begin() as connection:
                connection.execute(org.delete().where(org.c.id == acme))
        else:
            engine.dispose()
            result = Cli(url).run("orgs", "delete", "acme", "--yes")
            assert result.exit_code == 0, result.stderr
        after = _counts(engine)
        for name in OWNED:
            assert acme not in after[name], f"{name} kept rows of the deleted org"
            assert after[name].get(globex) == before[name].get(globex), name
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        engine.dispose()
        databases.drop(url)


# -- the migration keeps rows, indexes and CHECKs (SQLite rebuilds the tables) --------------------


def test_0008_keeps_the_rows_and_every_other_constraint(empty_db_url: str) -> None:
    from volmify_cli.migrations.runner import downgrade, upgrade

    with engine_at(empty_db_url, create=True) as engine:
        upgrade(engine, "0007_sales")
        rows = _two_orgs_with_a_plan(engine)
        a = rows["a"]

        def still_there_and_guarded() -> None:
            with engine.connect() as connection:
                for table in ("org_product_variant", "org_product_variant_payment_plan"):
                    assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 2
            # the partial unique index: a second default variant of the same product
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(
                    text(_VARIANT.replace("'v'", "'w'")),
                    {"org": a["org"], "id": _uuid(engine, uuid.uuid4()), "product": a["product"]},
                )
            # a named CHECK
            with pytest.raises(IntegrityError, match="access_tier_min"), engine.begin() as c:
                c.execute(
                    text(_PLAN.replace("'once'", "'twice'").replace(", 1, true", ", 0, false")),
                    {"org": a["org"], "id": _uuid(engine, uuid.uuid4()), "variant": a["variant"]},
                )
            # the composite tenant FK
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(
                    text(_PLAN.replace("'once'", "'x'").replace(", 1, true", ", 1, false")),
                    {
                        "org": a["org"],
                        "id": _uuid(engine, uuid.uuid4()),
                        "variant": rows["b"]["variant"],
                    },
                )

        upgrade(engine)
        still_there_and_guarded()
        downgrade(engine, "0007_sales")
        still_there_and_guarded()
        upgrade(engine)
        still_there_and_guarded()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, METADATA) == []
