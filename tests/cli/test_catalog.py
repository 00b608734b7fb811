"""`volmify catalog import / diff / export`: upsert counts, plans, prune, round trips, orgs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests import factories
from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.models.core import Locale, UserProfile
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgMemberSubscription
from volmify_cli.services.lookup import get_org, get_plan
from volmify_cli.services.plan_writes import VariantPlans
from volmify_cli.services.sync import tables

DATA = Path(__file__).parent.parent / "data" / "catalog"
ACME = DATA / "acme.yaml"
BASE = ACME.read_text()


def write(tmp_path: Path, text: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_first_import_creates_then_nothing_changes(cli: Cli) -> None:
    first = cli.json("catalog", "import", str(ACME))
    # org, brand, 4 markets, instructor, 2 products, 2 attributions, 2 variants, 4 plans,
    # 8 prices, collection, 2 offers, coupon, promotion; the course block: the global skill
    # python and the course's skill
    assert (first["created"], first["updated"], first["unchanged"]) == (32, 0, 0)
    second = cli.ok("catalog", "import", str(ACME), "--format", "table")
    # every entity counted when created is counted as unchanged now (the global skill too)
    assert second.stdout.strip().splitlines()[-1] == "0 created, 0 updated, 32 unchanged"


def test_export_import_changes_nothing_and_exports_identically(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    again = cli.json("catalog", "import", str(write(tmp_path, exported)))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported


def test_one_price_change_is_one_update_with_old_and_new(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    changed = write(tmp_path, BASE.replace('kw: "15.250"', 'kw: "16.000"'))
    plan = cli.json("catalog", "diff", str(changed))
    assert plan["changes"] == [
        {
            "action": "update",
            "entity": "price",
            "key": "python-101/standard/basic@kw",
            "fields": {"amount": {"old": "15.250", "new": "16.000"}},
        }
    ]
    result = cli.json("catalog", "import", str(changed))
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 31)
    assert 'kw: "16.000"' in cli.ok("catalog", "export", "--org", "acme").stdout


def test_dry_run_and_diff_write_nothing(cli: Cli, tmp_path: Path) -> None:
    plan = cli.ok("catalog", "import", str(ACME), "--dry-run", "--format", "table").stdout
    assert "+ product python-101" in plan
    assert "+ price python-101/standard/basic@eu" in plan
    cli.fails(1, "catalog", "export", "--org", "acme")  # nothing was created
    assert cli.run("catalog", "diff", str(ACME), "--detailed-exitcode").exit_code == 5
    cli.ok("catalog", "import", str(ACME))
    assert cli.run("catalog", "diff", str(ACME), "--detailed-exitcode").exit_code == 0
    broken = write(tmp_path, BASE.replace("tier: 2", "tier: 0"))
    assert cli.run("catalog", "diff", str(broken), "--detailed-exitcode").exit_code == 3


def test_changes_pending_is_a_notice_and_problems_come_as_ci_output(
    cli: Cli, tmp_path: Path
) -> None:
    pending = cli.run("catalog", "diff", str(ACME), "--detailed-exitcode", "--format", "table")
    assert pending.exit_code == 5
    assert "changes pending for org acme" in pending.stderr
    assert "Error:" not in pending.stderr
    valid = cli.json("catalog", "validate", str(ACME), "--format", "json")
    assert valid["problems"] == [] and valid["counts"]["products"] == 2
    broken = write(tmp_path, BASE.replace("tier: 2", "tier: 0"))
    as_json = cli.fails(3, "catalog", "validate", str(broken), "--format", "json")
    (problem,) = json.loads(as_json.stdout)["problems"]
    assert problem["file"] == str(broken) and problem["line"] and "tier" in problem["message"]
    annotated = cli.fails(3, "catalog", "diff", str(broken), "--format", "github")
    line = annotated.stdout.strip()
    assert line.startswith(f"::error file={broken},line={problem['line']},col=")
    assert "tier" in line.split("::", 2)[2]
    assert "1 problem found" in annotated.stderr  # the human lines stay on stderr


def test_update_lists_changed_fields(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    text = BASE.replace("title: The Python Book", "title: The Big Python Book")
    text = text.replace("trial_days: 14", "trial_days: 7")
    plan = cli.ok("catalog", "diff", str(write(tmp_path, text)), "--format", "table").stdout
    assert "~ product ebook (title[en-US]: 'The Python Book' -> 'The Big Python Book')" in plan
    assert "~ plan python-101/standard/premium-monthly (trial_days: 14 -> 7)" in plan
    assert plan.strip().endswith("0 created, 2 updated, 30 unchanged")


def test_without_prune_nothing_is_deleted_with_prune_it_is(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    start = BASE.index("  - slug: ebook")
    end = BASE.index("collections:")
    smaller = BASE[:start] + BASE[end:].replace(
        "products: [python-101, ebook]", "products: [python-101]"
    )
    smaller = smaller.replace(
        "plans: [python-101/standard/basic, ebook/buy]", "plans: [python-101/standard/basic]"
    )
    path = write(tmp_path, smaller)
    kept = cli.json("catalog", "import", str(path))
    assert kept["deleted"] == 0
    assert "slug: ebook" in cli.ok("catalog", "export", "--org", "acme").stdout
    refused = cli.fails(2, "catalog", "import", str(path), "--prune")  # no terminal, no --yes
    assert "--yes" in refused.stderr
    pruned = cli.json("catalog", "import", str(path), "--prune", "--yes")
    # named with what goes with it: its variant pdf, plans buy and api, their us prices and
    # the usage plan's two tiers (the collection and the offer no longer name it)
    assert {
        "action": "delete",
        "entity": "product",
        "key": "ebook",
        "with": {"variant": 1, "plan": 2, "price": 2, "price tier": 2},
    } in pruned["changes"]
    assert pruned["deleted"] == 1
    assert "slug: ebook" not in cli.ok("catalog", "export", "--org", "acme").stdout


def test_fail_on_delete_names_each_deletion_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    assert cli.json("catalog", "import", str(ACME), "--fail-on-delete")["deleted"] == 0
    start, end = BASE.index("  - slug: ebook"), BASE.index("collections:")
    smaller = BASE[:start] + BASE[end:].replace(
        "products: [python-101, ebook]", "products: [python-101]"
    )
    smaller = smaller.replace(
        "plans: [python-101/standard/basic, ebook/buy]", "plans: [python-101/standard/basic]"
    )
    path = write(tmp_path, smaller)
    refused = cli.fails(6, "catalog", "import", str(path), "--prune", "--yes", "--fail-on-delete")
    assert "- product ebook" in refused.stderr
    assert "would delete" in refused.stderr and "nothing was written" in refused.stderr
    assert "slug: ebook" in cli.ok("catalog", "export", "--org", "acme").stdout
    asked = cli.fails(2, "catalog", "import", str(path), "--prune")  # named before the question
    assert "- product ebook" in asked.stderr


def test_prune_refuses_a_plan_with_subscriptions(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    engine = make_engine(cli.db_url or "")
    with Session(engine) as session:
        org = get_org(session, "acme")
        _product, _variant, plan = get_plan(session, org, "ebook/pdf/buy")
        member = factories.make_member(session, org, factories.make_user(session))
        session.add(OrgMemberSubscription(org_id=org.id, member_id=member.id, plan_id=plan.id))
        session.commit()
    engine.dispose()
    text = BASE.replace(
        "          - slug: buy\n            type: one_time\n            tier: 1\n            prices: {us: 20}\n",
        "",
    )
    text = text.replace(", ebook/buy]", "]")
    result = cli.fails(1, "catalog", "import", str(write(tmp_path, text)), "--prune", "--yes")
    assert "refusing to prune: plan ebook/pdf/buy has 1 member subscription(s)" in result.stderr
    assert "slug: buy" in cli.ok("catalog", "export", "--org", "acme").stdout


def test_org_is_created_with_defaults_and_org_flag_conflicts(cli: Cli, tmp_path: Path) -> None:
    text = BASE.replace("org: {slug: acme, name: Acme Learning}\n", "")
    cli.fails(2, "catalog", "import", str(write(tmp_path, text)))  # no org anywhere
    conflict = cli.fails(3, "catalog", "import", str(ACME), "--org", "other")
    assert "file is for org 'acme', --org is 'other'" in conflict.stderr
    cli.ok("catalog", "import", str(write(tmp_path, text)), "--org", "beta")
    engine = make_engine(cli.db_url or "")
    with Session(engine) as session:
        org = session.exec(select(Org).where(Org.slug == "beta")).one()
        assert (org.name, org.default_locale_key, org.default_currency_code) == (
            "beta",
            "en-US",
            "USD",
        )
    engine.dispose()


def test_directory_is_one_catalog_and_a_slug_twice_names_both_places(
    cli: Cli, tmp_path: Path
) -> None:
    head, _, rest = BASE.partition("products:\n")
    products, _, tail = rest.partition("collections:\n")
    folder = tmp_path / "catalog"
    folder.mkdir()
    write(folder, head, "a.yaml")
    write(folder, "version: 1\nkind: catalog\nproducts:\n" + products, "b.yaml")
    write(folder, "version: 1\nkind: catalog\ncollections:\n" + tail, "c.yml")
    result = cli.json("catalog", "import", str(folder))
    assert result["created"] == 32
    write(
        folder,
        "version: 1\nkind: catalog\nbrands:\n  - slug: acme-academy\n    name: Again\n",
        "d.yaml",
    )
    failed = cli.fails(3, "catalog", "import", str(folder))
    assert (
        f"{folder / 'd.yaml'}:4:5: brands[0]: brand 'acme-academy' is defined twice (first at {folder / 'a.yaml'}:6:5)"
        in failed.stderr
    )


def test_global_instructors_are_referenced_not_changed(cli: Cli, tmp_path: Path) -> None:
    engine = make_engine(cli.db_url or "")
    with Session(engine) as session:
        factories.make_instructor(session, "sam-lee", name="Sam Lee")
        factories.make_instructor(session, "jane-doe", name="Jane D.")
        session.commit()
    text = BASE.replace(
        '      - brand: acme-academy\n        share: "10%"',
        '      - instructor: sam-lee\n        share: "10%"',
    )
    result = cli.run("catalog", "import", str(write(tmp_path, text)))
    assert result.exit_code == 0, result.stderr
    assert "instructor jane-doe: the global profile keeps its name 'Jane D.'" in result.stderr
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "- slug: sam-lee" in exported  # affiliated because a product names it
    with Session(engine) as session:
        jane = session.exec(select(UserProfile).where(UserProfile.slug == "jane-doe")).one()
        assert jane.display_name == "Jane D."
    engine.dispose()


def test_locales_babel_knows_are_registered(cli: Cli, tmp_path: Path) -> None:
    text = BASE.replace("locales: [en-US, ar-EG]", "locales: [en-US, ar-EG, en-ZA]")
    cli.ok("catalog", "import", str(write(tmp_path, text)))
    engine = make_engine(cli.db_url or "")
    with Session(engine) as session:
        assert session.get(Locale, "en-ZA") is not None
    engine.dispose()


def test_export_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(ACME))
    target = write(tmp_path, "keep me")
    cli.fails(1, "catalog", "export", "--org", "acme", "-o", str(target))
    assert target.read_text() == "keep me"
    cli.ok("catalog", "export", "--org", "acme", "-o", str(target), "--force")
    assert target.read_text().startswith("version: 1\nkind: catalog\n")


@pytest.mark.skipif(not os.environ.get("VOLMIFY_TEST_POSTGRES_URL"), reason="needs PostgreSQL")
def test_sqlite_and_postgresql_exports_are_byte_identical(
    databases: object, tmp_path: Path
) -> None:
    lite, pg = Cli(databases.migrated("sqlite")), Cli(databases.migrated("postgresql"))  # type: ignore[attr-defined]
    lite.ok("catalog", "import", str(write(tmp_path, with_course_content(), "course.yaml")))
    first = lite.ok("catalog", "export", "--org", "acme").stdout
    # the course's own lesson, placed twice: written inline both times
    assert first.count("slug: installing-python") == 2
    pg.ok("catalog", "import", str(write(tmp_path, first)))
    assert pg.ok("catalog", "export", "--org", "acme").stdout == first


def test_validate_needs_no_database(tmp_path: Path) -> None:
    cli = Cli(None)
    ok = cli.run("catalog", "validate", str(ACME), db=False)
    assert ok.exit_code == 0
    assert "OK: 1 file: 1 brands, 4 markets, 1 instructors, 2 products" in ok.stderr
    outside = BASE.replace("prices: {us: 20}", "prices: {elsewhere: 20}")
    warned = cli.run("catalog", "validate", str(write(tmp_path, outside)), db=False)
    assert warned.exit_code == 0
    assert "prices.elsewhere: market 'elsewhere' is not defined in these files" in warned.stderr
    bad = cli.run(
        "catalog",
        "validate",
        str(write(tmp_path, BASE.replace('jp: "6500"', 'jp: "65.5"'))),
        db=False,
    )
    assert bad.exit_code == 3
    assert "too many decimals for JPY" in bad.stderr


COURSE_BLOCK = """    course:
      level: intermediate
      difficulty: 4
      skills: [python, {skill: basics, kind: prerequisite, weight: 3}]
      modules:
        - title: Getting started
          sections:
            - title: Setup
              lessons:
                - {title: Installing Python, type: video, minutes: 8}
                - {title: First quiz, type: quiz, tier: 2}
            - title: Again
              required: false
              lessons:
                - {title: Installing Python, type: video, minutes: 8}
        - title: {en-US: Going further, ar-EG: Arabic title}
          tier: 2
"""


def with_course_content() -> str:
    return BASE.replace(
        "    course:\n      level: beginner\n      difficulty: 3\n      skills: [python]\n      modules: []\n",
        COURSE_BLOCK,
    )


def test_course_blocks_go_through_the_course_outline_code(cli: Cli, tmp_path: Path) -> None:
    text = with_course_content()
    path = write(tmp_path, text)
    plan = cli.ok("catalog", "import", str(path), "--dry-run", "--format", "table").stdout
    assert "+ module python-101/getting-started" in plan
    first = cli.json("catalog", "import", str(path))
    created = {(c["entity"], c["key"]) for c in first["changes"] if c["action"] == "create"}
    assert ("module", "python-101/getting-started") in created
    assert ("section", "python-101/getting-started/setup") in created
    again = cli.json("catalog", "import", str(path))
    assert again["created"] == again["updated"] == 0
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert (
        "      modules:\n        - slug: getting-started\n          title: Getting started\n"
        in exported
    )
    unchanged = cli.json("catalog", "import", str(write(tmp_path, exported, "exported.yaml")))
    assert unchanged["created"] == unchanged["updated"] == 0
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported
    harder = write(tmp_path, text.replace("difficulty: 4", "difficulty: 6"), "harder.yaml")
    changed = cli.json("catalog", "diff", str(harder))["changes"]
    assert changed == [
        {
            "action": "update",
            "entity": "course",
            "key": "python-101",
            "fields": {"difficulty": {"old": 4, "new": 6}},
        }
    ]


def test_course_block_problems_name_the_line(cli: Cli, tmp_path: Path) -> None:
    text = BASE.replace(
        "      modules: []\n", "      modules:\n        - title: Intro\n        - title: Intro!\n"
    )
    result = cli.fails(3, "catalog", "import", str(write(tmp_path, text)))
    assert "products[0].course.modules[1]" in result.stderr
    assert "'intro'" in result.stderr


def test_defaults_move_and_plan_types_change_in_one_import(cli: Cli, tmp_path: Path) -> None:
    """One-per-parent flags (default market, default variant) move between rows, a plan changes
    its type (its type extension is replaced) and a translation goes away, all in one run."""
    text = BASE.replace(
        "      - slug: pdf\n",
        "      - slug: epub\n        plans: []\n      - slug: pdf\n        default: true\n",
    ).replace("ebook/buy]", "ebook/pdf/buy]")
    cli.ok("catalog", "import", str(write(tmp_path, text)))
    moved = text.replace(
        "      - slug: epub\n        plans: []\n",
        "      - slug: epub\n        default: true\n        plans: []\n",
    )
    moved = moved.replace("      - slug: pdf\n        default: true\n", "      - slug: pdf\n")
    moved = moved.replace(
        "    brand: acme-academy\n    domain: academy.acme.example\n    default: true\n",
        "    brand: acme-academy\n    domain: academy.acme.example\n",
    )
    moved = moved.replace("    countries: [JP]\n", "    countries: [JP]\n    default: true\n")
    moved = moved.replace(
        "            type: one_time\n            tier: 1\n            prices: {us: 20}",
        "            type: subscription\n            interval: year\n            tier: 1\n            prices: {us: 20}",
    )
    moved = moved.replace("name: {en-US: Europe, ar-EG: أوروبا}", "name: Europe")
    plan = cli.json("catalog", "import", str(write(tmp_path, moved, "moved.yaml")))
    updates = {(c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert updates[("variant", "ebook/epub")] == {"default": {"old": False, "new": True}}
    assert updates[("market", "jp")] == {"default": {"old": False, "new": True}}
    assert updates[("plan", "ebook/pdf/buy")]["type"] == {"old": "one_time", "new": "subscription"}
    assert updates[("market", "eu")] == {"name[ar-EG]": {"old": "أوروبا", "new": None}}
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    again = cli.json("catalog", "import", str(write(tmp_path, exported, "again.yaml")))
    assert again["created"] == again["updated"] == 0
    assert (
        "            type: subscription\n            tier: 1\n            interval: year\n"
        in exported
    )


def test_prune_refuses_a_course_with_enrollments(cli: Cli, tmp_path: Path) -> None:
    import datetime as dt

    from volmify_cli.models.learning import OrgMemberCourseEnrollment
    from volmify_cli.services.lookup import get_product

    cli.ok("catalog", "import", str(ACME))
    engine = make_engine(cli.db_url or "")
    with Session(engine) as session:
        org = get_org(session, "acme")
        course = get_product(session, org, "python-101")
        member = factories.make_member(session, org, factories.make_user(session))
        enrolled = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
        session.add(
            OrgMemberCourseEnrollment(
                org_id=org.id, member_id=member.id, course_id=course.id, enrolled_at=enrolled
            )
        )
        session.commit()
    engine.dispose()
    start, end = BASE.index("  - slug: python-101"), BASE.index("  - slug: ebook")
    text = BASE[:start] + BASE[end:]
    text = text.replace("products: [python-101, ebook]", "products: [ebook]")
    text = text.replace("    products: [python-101]\n", "").replace(
        "python-101/standard/basic, ", ""
    )
    result = cli.fails(1, "catalog", "import", str(write(tmp_path, text)), "--prune", "--yes")
    assert "course python-101 has 1 enrollment(s)" in result.stderr


FIXTURE_CATALOG = Path(__file__).parent.parent.parent / "fixtures" / "acme" / "catalog"
USAGE_PLAN = "compute-credits/standard/pay-as-you-go"


def stored_prices(db_url: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every price row of acme: (plan slug, market slug) -> (id, amounts, tax, updated_at)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT p.slug, m.slug, x.id, x.amount_minor, x.compare_at_minor,"
                    " x.tax_behavior, x.updated_at"
                    " FROM org_product_variant_payment_plan_market_price x"
                    " JOIN org_product_variant_payment_plan p"
                    " ON p.org_id = x.org_id AND p.id = x.plan_id"
                    " JOIN org_market m ON m.org_id = x.org_id AND m.id = x.market_id"
                    " JOIN org o ON o.id = x.org_id WHERE o.slug = 'acme'"
                )
            )
            return {(plan, market): tuple(rest) for plan, market, *rest in rows}
    finally:
        engine.dispose()


def test_a_command_writes_a_price_as_the_catalog_import_does(
    cli: Cli, tmp_path: Path, db_url: str
) -> None:
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    exported = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout)
    before = stored_prices(db_url)
    cli.ok("plans", "update", USAGE_PLAN, "--compare-at", "us=0.10", "--org", "acme")
    after = stored_prices(db_url)
    # one row changed, in place (same id); every other price was not written at all
    assert [key for key in before if before[key] != after[key]] == [("pay-as-you-go", "us")]
    assert after[("pay-as-you-go", "us")][:2] == before[("pay-as-you-go", "us")][:2]
    # the file that was in sync differs by exactly that field: the usage tiers, the tax and
    # the currency the command kept are what the import writes
    plan = cli.json("catalog", "diff", str(exported), "--org", "acme")
    assert plan["changes"] == [
        {
            "action": "update",
            "entity": "price",
            "key": f"{USAGE_PLAN}@us",
            "fields": {"compare_at": {"old": "0.10", "new": None}},
        }
    ]
    # a new amount replaces the whole price, usage tiers included, so a tiered plan's new
    # price needs its tiers, as in a file
    refused = cli.fails(1, "plans", "update", USAGE_PLAN, "--price", "eu=0", "--org", "acme")
    assert "a tiered plan needs usage tiers in market 'eu'" in refused.stderr
    cli.ok(
        "plans",
        "update",
        USAGE_PLAN,
        "--price",
        "eu=0",
        "--usage-tier",
        "eu=inf:0.02",
        "--org",
        "acme",
    )
    shown = cli.json("plans", "show", USAGE_PLAN, "--org", "acme")
    assert [(t["market"], t["up_to"]) for t in shown["usage_tiers"]] == [
        ("eu", None),
        ("us", 1000),
        ("us", None),
    ]


def test_a_command_on_a_plan_reads_only_its_variants_rows(cli: Cli, db_url: str) -> None:
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            org = get_org(session, "acme")
            product, variant, plan = get_plan(session, org, USAGE_PLAN)
            stored = VariantPlans(session, org, product, variant)
            assert list(stored.ctx.rows(tables.PLAN).existing) == [(variant.id.hex, plan.slug)]
            assert {key[0] for key in stored.ctx.rows(tables.PRICE).existing} == {plan.id.hex}
            assert len(stored.ctx.rows(tables.TIER).existing) == 4  # 2 tiers x 2 markets
            assert not stored.ctx.rows(tables.PRODUCT).existing  # nothing else is read
            assert [str(p.slug) for p in stored.plans] == ["pay-as-you-go"]
            assert set(stored.prices["pay-as-you-go"]) == {"eu", "us"}
            assert stored.prices["pay-as-you-go"]["us"].tiers == (
                (1000, 5 * 10**10),
                (None, 3 * 10**10),
            )
    finally:
        engine.dispose()


def test_plans_written_by_commands_are_what_the_catalog_writes(cli: Cli, tmp_path: Path) -> None:
    """`plans create` and `plans update` go through the catalog's sync: a file exported before
    the commands differs by exactly what they changed, and an export after them imports as
    nothing to do."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    cli.ok("plans", "update", "data-science-pro/standard/pro-monthly", "--tier", "2", *org)
    cli.ok(
        "plans", "create", "data-science-pro/standard", "team", "--type", "subscription",
        "--interval", "year", "--tier", "3", "--price", "us=399", "--default",
        "--name", "Team", *org,
    )  # fmt: skip
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    # only the tier: the new plan is the database's own (a diff without --prune keeps it)
    assert changes == {
        ("update", "plan", "data-science-pro/standard/pro-monthly"): {"tier": {"old": 2, "new": 3}},
    }
    after = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "- slug: team" in after and "name: Team" in after
    again = cli.json("catalog", "import", str(write(tmp_path, after, "after.yaml")))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    shown = cli.json("plans", "show", "data-science-pro/standard/team", *org)
    assert (shown["is_default"], shown["tier"], shown["details"]["interval"]) == (True, 3, "year")
    listed = cli.json("plans", "list", "data-science-pro", *org)
    assert [p["slug"] for p in listed if p["is_default"]] == ["team"]


def test_a_plan_deleted_by_the_command_is_what_a_pruning_catalog_leaves(
    cli: Cli, tmp_path: Path
) -> None:
    """`plans delete` writes through the catalog's sync: afterwards, the file without that plan
    (its prices and usage tiers included) plans nothing, even with --prune."""
    cli.ok("catalog", "import", str(ACME))
    start = BASE.index("          - slug: api")
    without = write(tmp_path, BASE[:start] + BASE[BASE.index("collections:") :])
    assert cli.json("catalog", "diff", str(without), "--prune")["deleted"] >= 1
    cli.ok("plans", "delete", "ebook/pdf/api", "--org", "acme", "--yes")
    plan = cli.json("catalog", "diff", str(without), "--prune")
    assert plan["changes"] == []


def test_markets_written_by_commands_are_what_the_catalog_writes(cli: Cli, tmp_path: Path) -> None:
    """`markets create` and `markets update` go through the catalog's sync: the order of a
    market's locales and countries is kept on both paths, a file exported before the commands
    differs by exactly what they changed, and an export after them imports as nothing to do."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    changed = cli.json(
        "markets", "update", "eu", "--locale", "de-DE", "--locale", "en-US",
        "--country", "FR", "--country", "DE:de-DE", "--default", *org,
    )  # fmt: skip
    assert (changed["locales"], changed["default_locale"], changed["is_default"]) == (
        ["de-DE", "en-US"],
        "de-DE",
        True,
    )
    assert [c["country"] for c in changed["countries"]] == ["FR", "DE"]
    # SE, not NO: the file gives NO back to eu, and a country is in one market of an org
    cli.ok(
        "markets", "create", "nordics", "--name", "Nordics", "--type", "multi_region",
        "--currency", "EUR", "--country", "SE", "--locale", "en-US", *org,
    )  # fmt: skip
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert changes == {
        ("update", "market", "eu"): {
            "default": {"old": True, "new": False},
            "locales": {"old": ["de-DE", "en-US"], "new": ["en-US", "de-DE"]},
            "default locale": {"old": "de-DE", "new": "en-US"},
            "countries": {"old": ["FR", "DE:de-DE"], "new": ["DE:de-DE", "FR", "ES", "NO"]},
        },
        ("update", "market", "us"): {"default": {"old": False, "new": True}},
    }, plan["changes"]
    after = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "- slug: nordics" in after
    again = cli.json("catalog", "import", str(write(tmp_path, after, "after.yaml")))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert cli.ok("catalog", "export", "--org", "acme").stdout == after


def test_products_and_variants_written_by_commands_are_what_the_catalog_writes(
    cli: Cli, tmp_path: Path
) -> None:
    """`products create/update` and `products variants add/update/remove` go through the
    catalog's sync: a file exported before the commands differs by exactly what they changed,
    and an export after them imports as nothing to do."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    cli.ok(
        "products", "update", "python-cheatsheets", "--title", "Python-Spickzettel",
        "--locale", "de-DE", "--download-limit", "3", *org,
    )  # fmt: skip
    cli.ok("products", "variants", "add", "acme-hoodie", "xl", "--name", "Extra large", *org)
    cli.ok("products", "variants", "update", "acme-hoodie", "l", "--default", *org)
    cli.ok("products", "variants", "remove", "acme-hoodie", "m", "--yes", *org)
    cli.ok(
        "products", "create", "field-guide", "--type", "physical", "--title", "Field guide",
        "--brand", "acme-press", "--sku", "FG-1", *org,
    )  # fmt: skip
    hoodie = cli.json("products", "variants", "list", "acme-hoodie", *org)
    assert [(v["slug"], v["is_default"]) for v in hoodie] == [("l", True), ("xl", False)]
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert changes == {
        ("update", "product", "python-cheatsheets"): {
            "title[de-DE]": {"old": "Python-Spickzettel", "new": None},
            "digital.download_limit": {"old": 3, "new": 5},
        },
        ("create", "variant", "acme-hoodie/m"): None,
        ("create", "plan", "acme-hoodie/m/buy"): None,
        ("create", "price", "acme-hoodie/m/buy@us"): None,
        ("create", "price", "acme-hoodie/m/buy@eu"): None,
        ("update", "variant", "acme-hoodie/l"): {"default": {"old": True, "new": False}},
    }, plan["changes"]
    # the variant added to a product the catalog manages goes; the product a command made is
    # not the catalog's: kept and named, unless --prune-unmanaged
    pruned = cli.json("catalog", "diff", str(before), "--prune", *org)
    deleted = {(c["entity"], c["key"]) for c in pruned["changes"] if c["action"] == "delete"}
    assert deleted == {("variant", "acme-hoodie/xl")}
    assert pruned["kept_unmanaged"] == [{"entity": "product", "key": "field-guide"}]
    everything = cli.json("catalog", "diff", str(before), "--prune-unmanaged", *org)
    deleted = {(c["entity"], c["key"]) for c in everything["changes"] if c["action"] == "delete"}
    assert deleted == {("variant", "acme-hoodie/xl"), ("product", "field-guide")}
    after = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "- slug: field-guide" in after and "sku: FG-1" in after
    again = cli.json("catalog", "import", str(write(tmp_path, after, "after.yaml")))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert cli.ok("catalog", "export", "--org", "acme").stdout == after


def test_brands_written_by_commands_are_what_the_catalog_writes(cli: Cli, tmp_path: Path) -> None:
    """`orgs brands create/update/delete` go through the catalog's sync: a file exported
    before the commands differs by exactly what they changed, and an export after them
    imports as nothing to do. The active flag, which the files do not have, stays."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    cli.ok(
        "orgs", "brands", "update", "acme-press", "--name", "Acme Verlag", "--locale", "de-DE",
        "--inactive", *org,
    )  # fmt: skip
    cli.ok("orgs", "brands", "update", "acme-press", "--description", "", *org)  # en-US's goes
    cli.ok("orgs", "brands", "create", "acme-labs", "--name", "Acme Labs", *org)
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert changes == {
        ("update", "brand", "acme-press"): {
            "name[de-DE]": {"old": "Acme Verlag", "new": None},
            "description[en-US]": {"old": None, "new": "Books, cheat sheets and merchandise."},
        },
    }, plan["changes"]
    after = cli.ok("catalog", "export", "--org", "acme").stdout
    again = cli.json("catalog", "import", str(write(tmp_path, after, "after.yaml")))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    shown = cli.json("orgs", "brands", "show", "acme-press", *org)
    assert (shown["is_active"], shown["translations"]["de-DE"]["name"]) == (False, "Acme Verlag")
    cli.ok("orgs", "brands", "delete", "acme-labs", "--yes", *org)
    assert cli.json("catalog", "diff", str(write(tmp_path, after, "after.yaml")), *org)[
        "changes"
    ] == [{"action": "create", "entity": "brand", "key": "acme-labs"}]


def test_collections_written_by_commands_are_what_the_catalog_writes(
    cli: Cli, tmp_path: Path
) -> None:
    """`collections create/add/remove/delete` go through the catalog's sync: a file exported
    before the commands differs by exactly what they changed (the products in their order),
    and an export after them imports as nothing to do."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    cli.ok("collections", "remove", "bestsellers", "data-science-pro", *org)
    cli.ok("collections", "add", "bestsellers", "acme-hoodie", "python-101", *org)
    cli.ok("collections", "create", "new", "--name", "New", "--product", "acme-hoodie", *org)
    shown = cli.json("collections", "show", "bestsellers", *org)
    assert [p["slug"] for p in shown["products"]] == [
        "python-101",
        "python-cheatsheets",
        "acme-hoodie",
    ]
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert changes == {
        ("update", "collection", "bestsellers"): {
            "products": {
                "old": ["python-101", "python-cheatsheets", "acme-hoodie"],
                "new": ["python-101", "data-science-pro", "python-cheatsheets"],
            }
        },
    }, plan["changes"]
    after = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "after.yaml")
    again = cli.json("catalog", "import", str(after))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    cli.ok("collections", "delete", "new", "--yes", *org)
    assert cli.json("catalog", "diff", str(after), *org)["changes"] == [
        {"action": "create", "entity": "collection", "key": "new"}
    ]


def test_offers_and_coupons_written_by_commands_are_what_the_catalog_writes(
    cli: Cli, tmp_path: Path
) -> None:
    """`offers create/update/delete`, `offers coupons add/remove` and `offers promotions
    create/delete` go through the catalog's sync: a file exported before the commands differs by exactly what they changed, and an
    export after them imports as nothing to do."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    cli.ok(
        "offers", "update", "spring-sale", "--ends", "2026-04-07", "--usage-limit", "500",
        "--name", "Spring sale 2026", *org,
    )  # fmt: skip
    cli.ok("offers", "coupons", "add", "spring-sale", "Spring10", "--usage-limit", "5", *org)
    cli.ok("offers", "coupons", "remove", "spring25", "--yes", *org)
    cli.ok(
        "offers", "create", "hoodie-deal", "--type", "fixed_amount", "--amount", "5.00",
        "--currency", "EUR", "--plan", "acme-hoodie/l/buy", "--market", "eu", "--coupon",
        "HOODIE5", *org,
    )  # fmt: skip
    cli.ok(
        "offers", "promotions", "create", "summer", "--name", "Summer", "--offer", "hoodie-deal",
        "--offer", "spring-sale", "--starts", "2026-06-01", *org,
    )  # fmt: skip
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert changes == {
        ("update", "offer", "spring-sale"): {
            "ends": {"old": "2026-04-07", "new": "2026-03-31"},
            "usage_limit": {"old": 500, "new": None},
            "name[en-US]": {"old": "Spring sale 2026", "new": "Spring sale"},
        },
        ("create", "coupon", "SPRING25"): None,
    }, plan["changes"]
    # the coupon added to an offer the catalog manages goes; the offer and the promotion that
    # commands made are kept (the offer with its coupon) and named, unless --prune-unmanaged
    pruned = cli.json("catalog", "diff", str(before), "--prune", *org)
    deleted = {(c["entity"], c["key"]) for c in pruned["changes"] if c["action"] == "delete"}
    assert deleted == {("coupon", "SPRING10")}
    assert pruned["kept_unmanaged"] == [
        {"entity": "offer", "key": "hoodie-deal"},
        {"entity": "promotion", "key": "summer"},
    ]
    everything = cli.json("catalog", "diff", str(before), "--prune-unmanaged", *org)
    deleted = {(c["entity"], c["key"]) for c in everything["changes"] if c["action"] == "delete"}
    assert deleted == {
        ("offer", "hoodie-deal"),
        ("coupon", "HOODIE5"),
        ("coupon", "SPRING10"),
        ("promotion", "summer"),
    }
    after = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "after.yaml")
    deal = cli.json("offers", "show", "hoodie-deal", *org)
    assert (deal["amount"], deal["targets"]["plans"], deal["coupons"]) == (
        "5.00",
        ["acme-hoodie/l/buy"],
        ["HOODIE5"],
    )
    assert "- slug: summer" in after.read_text()
    again = cli.json("catalog", "import", str(after))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    cli.ok("offers", "promotions", "delete", "summer", "--yes", *org)
    cli.ok("offers", "delete", "hoodie-deal", "--yes", *org)
    remaining = {(c["action"], c["entity"], c["key"]) for c in cli.json(
        "catalog", "diff", str(after), *org)["changes"]}  # fmt: skip
    assert remaining == {
        ("create", "offer", "hoodie-deal"),
        ("create", "coupon", "HOODIE5"),
        ("create", "promotion", "summer"),
    }


def test_attribution_written_by_commands_is_what_the_catalog_writes(
    cli: Cli, tmp_path: Path
) -> None:
    """`products attribute` goes through the catalog's sync: a file exported before the
    commands differs by exactly what they changed, an export after them imports as nothing to
    do, and what only the command sets (the primary instructor) stays."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))
    before = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "before.yaml")
    org = ("--org", "acme")
    product = ("products", "attribute", "python-cheatsheets")
    cli.ok(*product, "--instructor", "omar-haddad", "--share", "10%", "--primary", *org)
    cli.ok(*product, "--instructor", "jane-doe", "--share", "20%", *org)
    cli.ok(*product, "--brand", "acme-academy", "--share", "5%", "--primary", *org)
    cli.ok(*product, "--brand", "acme-press", "--remove", *org)
    plan = cli.json("catalog", "diff", str(before), *org)
    changes = {(c["action"], c["entity"], c["key"]): c.get("fields") for c in plan["changes"]}
    assert changes == {
        ("create", "attribution", "python-cheatsheets/brand:acme-press"): None,
        ("update", "attribution", "python-cheatsheets/brand:acme-academy"): {
            "primary": {"old": True, "new": False},
            "share": {"old": "5%", "new": "0%"},
        },
        ("update", "attribution", "python-cheatsheets/instructor:jane-doe"): {
            "share": {"old": "20%", "new": "25%"},
        },
    }, plan["changes"]
    after = write(tmp_path, cli.ok("catalog", "export", "--org", "acme").stdout, "after.yaml")
    again = cli.json("catalog", "import", str(after))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    shown = cli.json("products", "show", "python-cheatsheets", *org)
    instructors = {
        i["slug"]: (i["share"], i["is_primary"], i["role"]) for i in shown["instructors"]
    }
    assert instructors == {
        "omar-haddad": ("10%", True, None),
        "jane-doe": ("20%", False, None),
    }
    assert [(b["slug"], b["is_primary"]) for b in shown["brands"]] == [("acme-academy", True)]


def test_an_affiliation_starts_and_ends_by_one_rule_for_the_catalog_and_the_command(
    cli: Cli, tmp_path: Path
) -> None:
    """An affiliation's window is kept by the catalog's sync for both paths: an import starts
    it (it used to leave it open-ended from nowhere), ending it in a file dates its end, and
    `instructors affiliate --status active` opens it again from the same start."""
    cli.ok("catalog", "import", str(FIXTURE_CATALOG))

    def affiliation() -> dict[str, Any]:
        found = cli.json("instructors", "show", "jane-doe")["affiliations"]
        return next(a for a in found if a["org"] == "acme")

    started = affiliation()
    assert started["started_at"] is not None and started["ended_at"] is None
    organization = (FIXTURE_CATALOG / "00-organization.yaml").read_text()
    ended = organization.replace(
        "    title: Staff Engineer\n", "    title: Staff Engineer\n    status: ended\n"
    )
    assert ended != organization
    path = write(tmp_path, ended, "00-organization.yaml")
    plan = cli.json("catalog", "import", str(path))
    [change] = [c for c in plan["changes"] if c["entity"] == "instructor"]
    assert change["fields"] == {"status": {"old": "active", "new": "ended"}}
    after = affiliation()
    assert after["started_at"] == started["started_at"]
    assert after["ended_at"] is not None and after["ended_at"] > after["started_at"]
    assert cli.json("catalog", "import", str(path))["updated"] == 0  # dated once
    resumed = cli.json(
        "instructors", "affiliate", "jane-doe", "--org", "acme", "--status", "active"
    )
    assert (resumed["started_at"], resumed["ended_at"]) == (started["started_at"], None)


def test_a_large_plan_shows_fifty_changes_and_counts_per_kind(cli: Cli) -> None:
    demo = Path(__file__).parents[2] / "fixtures" / "acme" / "catalog"
    plan = cli.ok("catalog", "diff", str(demo), "--format", "table").stdout.splitlines()
    shown = [line for line in plan if line.startswith("+ ")]
    assert len(shown) == 50
    (more,) = [line for line in plan if line.startswith("... and ")]
    assert "--verbose" in more
    counts = [line.strip() for line in plan if line.startswith("  ")]
    assert any(line.startswith("product: ") and "created" in line for line in counts)
    everything = cli.ok("catalog", "diff", str(demo), "--verbose", "--format", "table").stdout
    total = sum(1 for line in everything.splitlines() if line.startswith("+ "))
    assert total == 50 + int(more.split()[2])


def test_validating_one_file_of_a_split_catalog_says_what_it_cannot_see(cli: Cli) -> None:
    demo = Path(__file__).parents[2] / "fixtures" / "acme" / "catalog"
    alone = cli.fails(3, "catalog", "validate", str(demo / "20-products.yaml"))
    assert "defined in another file?" in alone.stderr
    assert f"volmify catalog validate {demo}" in alone.stderr
    cli.ok("catalog", "validate", str(demo))  # the whole directory sees every definition


def test_a_share_total_over_100_percent_points_at_the_attribution(cli: Cli, tmp_path: Path) -> None:
    text = BASE.replace('        share: "10%"', '        share: "70%"', 1)
    first_share = text.splitlines().index("    attribution:") + 2  # its first entry, 1-based
    result = cli.fails(3, "catalog", "validate", str(write(tmp_path, text)))
    assert (
        f":{first_share}:9: products[0].attribution: shares of product 'python-101' total"
        in result.stderr
    )
