"""Issue 9: tenant isolation everywhere.

Two organizations hold the same slugs (tests/tenant_world.py); every text of `globex` carries a
canary. Every read command of `acme` must never show the canary, and every write command
addressed to `acme` must leave every row of `globex` exactly as it was (a snapshot of each
org-owned table, filtered by org_id, before and after).
"""

from __future__ import annotations

import gc
import json
import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import BACKENDS, Databases
from tests.support import Cli
from tests.tenant_world import CANARY, UNLISTED, UNLISTED_PRODUCTS, build, outline
from volmify_cli.db.engine import make_engine
from volmify_cli.models import load_all


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Module-scoped here, so each backend's world is built once for all the tests below."""
    return str(request.param)


@pytest.fixture(scope="module")
def world(
    backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a database holding both tenants (read-only for the tests)."""
    url = databases.migrated(backend)
    workdir = tmp_path_factory.mktemp("tenants")
    with pytest.MonkeyPatch.context() as patch:  # hermetic, as the function-scoped fixture is
        for name in [n for n in os.environ if n.startswith("VOLMIFY_")]:
            if not name.startswith("VOLMIFY_TEST_"):
                patch.delenv(name)
        patch.setenv("VOLMIFY_HOME", str(workdir / "home"))
        build(Cli(url), workdir)
    gc.collect()  # let go of the commands' engines (a PostgreSQL template must be unused)
    yield url
    databases.drop(url)


def _run(cli: Cli, org: str, line: str, workdir: Path | None = None) -> Any:
    args = shlex.split(line.format(org=org, workdir=workdir))
    return cli.run("--org", org, *args)


# -- reads ----------------------------------------------------------------------------------------

# (command, shows globex's texts when run for globex): `{org}` is the organization's slug.
READS: list[tuple[str, bool]] = [
    ("orgs show {org}", True),
    ("orgs locales list", False),
    ("orgs brands list", True),
    ("orgs brands show academy", True),
    ("orgs brands show academy --locale de-DE", True),
    ("orgs members list", True),
    ("users list", True),
    ("users show shared@example.org", False),
    ("users show only-{org}@example.org", True),
    ("instructors list --org {org}", True),
    ("instructors show jane-doe --org {org}", False),
    ("instructors show teacher-{org} --org {org}", True),
    ("markets list", True),
    ("markets show us", True),
    ("products list", True),
    ("products list --type course --status active", True),
    ("products show python-101", True),
    ("products show python-101 --locale de-DE", True),
    ("products show ebook", True),
    ("products variants list python-101", True),
    ("plans list python-101", True),
    ("plans list", True),
    ("plans show python-101/basic", True),
    ("plans show python-101/team/monthly", True),
    ("plans price python-101/basic --market us --coupon SPRING --at 2026-03-01", False),
    ("plans price python-101/team/monthly --market us --coupon shared10", False),
    ("offers list", True),
    ("offers show spring", True),
    ("offers coupons list spring", False),
    ("offers promotions list", True),
    ("offers promotions show launch", True),
    ("collections list", True),
    ("collections show bestsellers", True),
    ("courses list", True),
    ("courses show python-101", True),
    ("courses tree python-101", True),
    ("courses tree python-101 --plan python-101/team/monthly", True),
    ("courses tree python-101 --tier 3 --locale de-DE", True),
    ("courses export python-101", True),
    ("courses skills list python-101", False),
    ("courses ratings python-101", True),
    ("enrollments list", True),
    ("enrollments list --course python-101 --member shared@example.org", False),
    ("progress report", True),
    ("progress report --by course", True),
    ("progress report --by module --course python-101", True),
    ("progress report --by member --course python-101", True),
    ("progress report --by role", False),
    ("catalog export", True),
    ("sales list", True),
    ("sales list --from 2026-03-01 --to 2026-03-31", True),
    ("sales show ORD-1", True),
    ("revenue report", True),
    ("revenue report --by product", True),
    ("revenue report --by market", False),
    ("revenue report --by month", False),
    ("revenue report --by brand", False),
    ("revenue report --by creator --creator jane-doe --currency USD", False),
    ("revenue report --by product --period 2026-Q1 --format csv", True),
    ("revenue report --by creator --format html", True),
    ("revenue statement jane-doe --format markdown", True),
    ("revenue statement teacher-{org} --format html", True),
]
# Not here, by design: `orgs list`, `users list --all`, `instructors list` without --org,
# `revenue report --all-orgs` and `marketplace list` are platform-wide views (the marketplace's
# is held to what each org published below).


@pytest.mark.parametrize(("line", "witness"), READS, ids=[line for line, _ in READS])
def test_reads_of_one_org_never_show_the_other(world: str, line: str, witness: bool) -> None:
    cli = Cli(world)
    plain = "--format" in line or line.startswith(("courses export", "catalog export"))
    fmt = () if plain else ("--format", "json")
    if witness:  # the command does show such texts: run for globex, the canary is there
        shown = _run(cli, "globex", line + " " + " ".join(fmt))
        assert shown.exit_code == 0, shown.stderr
        assert CANARY.lower() in shown.stdout.lower()
    result = _run(cli, "acme", line + " " + " ".join(fmt))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() not in ("", "[]", "{}")
    assert CANARY.lower() not in (result.stdout + result.stderr).lower()


# -- the platform's marketplace: only what an org published ---------------------------------------

MARKETPLACE_READS = [
    "marketplace list",
    "marketplace list --category programming",
    "marketplace list --currency USD",
    "marketplace list --currency EUR --locale de-DE",
    "marketplace list --format table",
    "marketplace list --format csv",
    "marketplace list --format yaml",
]


@pytest.mark.parametrize("line", MARKETPLACE_READS)
def test_the_marketplace_never_shows_what_an_org_did_not_publish(world: str, line: str) -> None:
    cli = Cli(world)
    fmt = () if "--format" in line else ("--format", "json")
    result = cli.run(*shlex.split(line), *fmt)
    assert result.exit_code == 0, result.stderr
    shown = (result.stdout + result.stderr).lower()
    assert "python-101" in shown and CANARY.lower() in shown  # both orgs' published listing
    assert UNLISTED.lower() not in shown
    for slug in UNLISTED_PRODUCTS:
        assert slug not in shown
    if not fmt:
        return
    rows = [(row["org"], row["product"]) for row in json.loads(result.stdout)]
    assert rows == [("acme", "python-101"), ("globex", "python-101")]


# -- writes ---------------------------------------------------------------------------------------


def org_rows(url: str, slug: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the organization owns, table by table (plus its org row, its members' user
    rows and its instructors' profiles), in primary-key order."""
    metadata = load_all()
    tables = metadata.tables
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            org = tables["org"]
            org_id = connection.execute(select(org.c.id).where(org.c.slug == slug)).scalar_one()
            members = select(tables["org_member"].c.user_id).where(
                tables["org_member"].c.org_id == org_id
            )
            affiliated = select(tables["org_instructor_affiliation"].c.profile_id).where(
                tables["org_instructor_affiliation"].c.org_id == org_id
            )
            queries = {
                "org": select(org).where(org.c.id == org_id),
                "user": select(tables["user"]).where(tables["user"].c.id.in_(members)),
                "user_profile": select(tables["user_profile"]).where(
                    tables["user_profile"].c.id.in_(affiliated)
                ),
            }
            for table in metadata.sorted_tables:
                if "org_id" in table.c:
                    queries[table.name] = select(table).where(table.c.org_id == org_id)
            return {
                name: [
                    tuple(row)
                    for row in connection.execute(query.order_by(*tables[name].primary_key.columns))
                ]
                for name, query in queries.items()
            }
    finally:
        engine.dispose()


PRUNED = """\
version: 1
kind: course_outline
course: python-101
title: Python 101 again
level: expert
difficulty: 9
modules:
  - slug: basics
    title: Basics
    sections:
      - slug: start
        title: Start
        lessons:
          - {slug: intro-video, title: Intro video (new cut), type: video, minutes: 7}
"""

REORDERED = """\
version: 1
kind: course_outline
course: python-101
title: Python 101 again
level: expert
difficulty: 9
modules:
  - slug: vip-corner
    title: VIP first
    tier: 2
    sections:
      - slug: secrets
        title: Secrets
        lessons: [{slug: vip-lesson, title: VIP lesson (moved), type: text}]
  - slug: basics
    title: Basics
    sections:
      - slug: start
        title: Start
        lessons:
          - {slug: first-quiz, title: First quiz, type: quiz}
          - {slug: intro-video, title: Intro video (new cut), type: video, minutes: 7}
          - {slug: globex-lesson, title: Not globex's lesson, type: text}
"""

CATALOG = """\
version: 1
kind: catalog
org: acme
locales: [en-US, de-DE]
brands:
  - {slug: academy, name: Academy renamed}
products:
  - slug: python-101
    type: course
    status: active
    title: Python 101 renamed
    brands: [academy]
    variants:
      - slug: standard
        default: true
        plans:
          - {slug: basic, type: one_time, tier: 1, prices: {us: "39.00"}}
collections:
  - {slug: bestsellers, name: Renamed, products: [python-101]}
"""

LEARNING_REFS = """\
version: 1
kind: learning
org: acme
members:
  - {email: only-globex@example.org, name: Someone Else, role: owner}
  - {email: learner-globex@example.org, name: Another Name, role: admin}
subscriptions:
  - {member: learner-globex@example.org, plan: python-101/team/monthly, status: canceled,
     started: 2026-02-01, external_id: sub-CANARY-7f3a}
enrollments:
  - {member: learner-globex@example.org, course: python-101, via: python-101/team/monthly,
     progress: {first-quiz: {status: completed}}}
ratings:
  - {course: python-101, user: learner-globex@example.org, level: expert, difficulty: 10}
"""

LEARNING_GLOBEX_COURSE = """\
version: 1
kind: learning
org: acme
enrollments:
  - {member: learner-acme@example.org, course: globex-only, progress: {globex-lesson: {status: completed}}}
"""


def _files(workdir: Path) -> None:
    reuse = outline("acme").replace(
        "          - slug: first-quiz\n", "          - lesson: globex-lesson\n          - slug: x\n"
    )
    files = {
        "reuse-globex-lesson.yaml": reuse,
        "globex-only-course.yaml": outline("acme", course="globex-only"),
        "pruned.yaml": PRUNED,
        "reordered.yaml": REORDERED,
        "learning-refs.yaml": LEARNING_REFS,
        "learning-globex-course.yaml": LEARNING_GLOBEX_COURSE,
    }
    header = "order_id,sold_at,product,variant,plan,market,currency,amount,tax,fee,refunded,"
    header += "quantity,customer,coupon\n"
    files["sales-same-ids.csv"] = header + (
        "ORD-1,2026-03-01T10:00:00Z,python-101,standard,basic,us,USD,36.75,0,1.00,0,1,"
        "buyer@example.org,SPRING\n"
        "ORD-CANARY-7f3a,2026-05-01,ebook,,download,us,USD,9.99,0,0,0,1,,SHARED10\n"
    )
    files["sales-changed.csv"] = header + (
        "ORD-2,2026-04-02,python-101,team,monthly,us,USD,18.00,0,0,0,1,shared@example.org,\n"
    )
    files["sales-globex-coupon.csv"] = header + (
        "ORD-9,2026-04-02,python-101,,basic,us,USD,18.00,0,0,0,1,,GLOBEXONLY\n"
    )
    files["catalog.yaml"] = CATALOG
    files["catalog-globex-refs.yaml"] = CATALOG.replace(
        "products: [python-101]", "products: [globex-only]"
    )
    files["catalog-for-globex.yaml"] = CATALOG.replace("org: acme", "org: globex")
    for name, content in files.items():
        (workdir / name).write_text(content, encoding="utf-8")


# (command addressed to acme, its exit code). Slugs and codes exist in both orgs unless they
# name globex's own (globex-only, globex-lesson, GLOBEXONLY, teacher-globex, only-globex@).
WRITES: list[tuple[str, int]] = [
    ("orgs update acme --name Renamed --currency EUR --default-locale de-DE", 0),
    ("orgs locales add fr-FR --default fr-FR", 0),
    ("orgs locales remove de-DE", 1),
    ("orgs brands update academy --name Renamed --description New --locale de-DE", 0),
    ("orgs brands create press --name Press", 0),
    ("orgs brands delete academy --yes", 1),
    ("orgs members add only-globex@example.org --role owner --name 'Someone Else'", 0),
    ("orgs members add shared@example.org --role owner --status suspended", 0),
    ("orgs members remove shared@example.org --yes", 0),
    ("instructors affiliate teacher-globex --share 50 --type guest", 0),
    ("instructors affiliate jane-doe --share 90 --status ended", 0),
    ("markets update us --name Renamed --domain shop.new.example --country CA --no-brand", 0),
    ("markets update eu --default --status inactive", 0),
    ("markets delete eu --yes", 1),
    ("markets create gx --name GX --type custom --currency EUR --domain shop.globex2.example", 0),
    ("products create globex-only --type course --title Mine", 0),
    ("products update python-101 --title Renamed --description New --level expert", 0),
    ("products update python-101 --title Umbenannt --locale de-DE --status archived", 0),
    ("products archive ebook", 0),
    ("products delete mug --yes", 0),
    ("products delete python-101 --yes", 1),
    ("products attribute python-101 --instructor teacher-globex", 1),
    ("products attribute python-101 --instructor jane-doe --share 50 --primary", 0),
    ("products attribute python-101 --instructor teacher-acme --remove", 0),
    ("products attribute python-101 --brand academy --remove", 0),
    ("products attribute ebook --brand academy --share 20 --primary", 0),
    ("products variants add python-101 extra --name Extra --default", 0),
    ("products variants update python-101 team --name Renamed --status inactive", 0),
    ("products variants remove python-101 team --yes", 1),
    ("products variants remove mug standard --yes", 1),  # the default variant
    ("plans create python-101 extra --type one-time --tier 1 --price us=1 --default", 0),
    ("plans update python-101/basic --price us=1 --remove-price eu --name Renamed --tier 2", 0),
    ("plans delete python-101/team/monthly --yes", 1),
    ("plans delete ebook/download --yes", 0),
    ("offers update spring --name Renamed --usage-limit 1", 0),
    ("offers delete spring --yes", 1),  # its coupon was redeemed
    ("offers delete auto --yes", 0),
    ("offers create globex-only --type percentage --percent 5 --coupon GLOBEXONLY", 0),
    ("offers coupons add spring NEWCODE GLOBEXONLY", 0),
    ("offers coupons remove SPRING --yes", 1),  # redeemed
    ("offers coupons remove SHARED10 --yes", 0),
    ("offers coupons remove GLOBEXONLY --yes", 1),
    ("offers promotions create launch2 --name L --offer spring --offer auto", 0),
    ("offers promotions delete launch --yes", 0),
    ("collections add bestsellers mug", 0),
    ("collections add bestsellers globex-only", 1),
    ("collections remove bestsellers python-101", 0),
    ("collections delete bestsellers --yes", 1),  # the only target of offer auto
    ("courses import {workdir}/reuse-globex-lesson.yaml", 3),
    ("courses import {workdir}/globex-only-course.yaml", 0),
    ("courses import {workdir}/pruned.yaml --prune --yes", 1),  # would drop progress
    ("courses import {workdir}/reordered.yaml", 0),
    ("courses lessons create acme-welcome --title Welcome --shareable", 0),
    ("courses lessons promote python-101/intro-video", 0),
    ("courses lessons promote python-101/globex-lesson", 1),  # globex's course's own lesson
    ("courses lessons update globex-lesson --title Mine", 1),
    ("courses skills add python-101 sql --weight 2", 0),
    ("courses skills remove python-101 programming", 0),
    (
        "courses rate python-101 --user only-globex@example.org --level expert --difficulty 9",
        1,
    ),  # not enrolled: refused
    ("courses rate python-101 --user shared@example.org --level expert --difficulty 9", 0),
    ("courses respond python-101 --user shared@example.org --response Changed", 0),
    ("enrollments add python-101 --member only-globex@example.org", 1),
    ("enrollments add python-101 --member only-acme@example.org --tier 3", 0),
    (
        "enrollments progress python-101 --member shared@example.org --lesson intro-video"
        " --status completed",
        0,
    ),
    (
        "enrollments progress python-101 --member learner-acme@example.org"
        " --lesson globex-lesson --status completed",
        1,
    ),
    ("enrollments remove python-101 --member shared@example.org --yes", 0),
    ("learning import {workdir}/learning-refs.yaml", 0),
    ("learning import {workdir}/learning-globex-course.yaml", 3),
    ("payouts record teacher-acme --amount 1 --currency USD --reference globex", 0),
    ("payouts record brand:globex-brand --amount 1 --currency USD", 1),
    ("sales import {workdir}/sales-same-ids.csv", 0),
    ("sales import {workdir}/sales-changed.csv --update", 0),
    ("sales import {workdir}/sales-changed.csv", 3),
    ("sales import {workdir}/sales-globex-coupon.csv", 3),
    ("catalog import {workdir}/catalog.yaml", 0),
    # would delete a plan and a coupon that history holds (its market, made by a command, stays)
    ("catalog import {workdir}/catalog.yaml --prune --yes", 1),
    ("catalog import {workdir}/catalog.yaml --prune-unmanaged --yes", 3),  # would drop its market
    ("catalog import {workdir}/catalog-globex-refs.yaml", 3),
    ("catalog import {workdir}/catalog-for-globex.yaml", 3),
    ("marketplace publish python-101 --category python", 0),
    ("marketplace unpublish python-101", 0),
    ("marketplace publish globex-only --category programming", 1),
    ("marketplace unpublish unlisted-archived", 1),
    ("orgs delete acme --yes", 0),
]


@pytest.fixture
def tenants(world: str, databases: Databases) -> Iterator[str]:
    """A copy of the two-tenant world for one test to write to."""
    url = databases.copy(world)
    yield url
    databases.drop(url)


@pytest.mark.parametrize(("line", "code"), WRITES, ids=[line for line, _ in WRITES])
def test_writes_of_one_org_never_touch_the_other(
    tenants: str, tmp_path: Path, line: str, code: int
) -> None:
    _files(tmp_path)
    before = org_rows(tenants, "globex")
    acme_before = org_rows(tenants, "acme")
    result = _run(Cli(tenants), "acme", line, tmp_path)
    assert result.exit_code == code, f"stdout: {result.stdout}\nstderr: {result.stderr}"
    assert "Traceback" not in result.stderr
    after = org_rows(tenants, "globex")
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], f"globex rows changed in {changed}"
    if code != 0 and "globex" in line.lower():  # a reference to the other org's own rows:
        # refused as unknown in acme, never resolved in (or revealed from) globex
        assert "org globex" not in result.stderr
        assert any(
            words in result.stderr
            for words in ("acme", "not placed in this course", "only enrolled members rate")
        )
    if code == 0 and not line.startswith("orgs delete"):
        assert org_rows(tenants, "acme") != acme_before, "the command changed nothing at all"
