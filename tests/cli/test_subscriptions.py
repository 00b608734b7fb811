"""Subscriptions gate what a member sees (issue 20), through the real command line on the demo:
`volmify subscriptions list|show|cancel|resume|expire`, `learning import` refusing an impossible
status or date, and an enrollment whose subscription's access has ended showing its gated
lessons locked (`courses tree --member`) and refusing progress on them (`enrollments progress`).

Dates are chosen so the outcome never depends on the day the tests run: access that ends does
so in the past (2026), access that lasts runs to 2099, and `--at` asks "as of when"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import BACKENDS, Databases
from tests.support import HELP_MUST_NOT_IMPORT, Cli, modules_imported_by

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "acme" / "learning.yaml"
ANA_ACTIVE = "status: active, started: 2026-01-05, external_id: sub_ana_py}"
ORG = ("--org", "acme")


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def demo_url(
    backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`volmify demo`, built once per database and copied for each test."""
    url = databases.migrated(backend)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(tmp_path_factory.mktemp("demo") / "home"))
        Cli(url).ok("demo")
    yield url
    databases.drop(url)


@pytest.fixture
def cli(demo_url: str, databases: Databases) -> Iterator[Cli]:
    url = databases.copy(demo_url)
    yield Cli(url)
    databases.drop(url)


def learning_file(tmp_path: Path, body: str, name: str = "learning.yaml") -> str:
    path = tmp_path / name
    path.write_text(f"version: 1\nkind: learning\norg: acme\n{body}", encoding="utf-8")
    return str(path)


def lessons(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node] if node.get("kind") == "lesson" else []
    for child in node.get("children", []):
        found += lessons(child)
    return found


def expected_visible(cli: Cli, tier: int) -> dict[str, bool]:
    """Lesson -> whether a learner with `tier` sees it, from the effective tiers of the plain
    tree (SPEC 6), independent of any member or subscription."""
    tree = cli.json("courses", "tree", "python-101", *ORG)
    return {lesson["slug"]: lesson["effective_tier"] <= tier for lesson in lessons(tree)}


def member_tree(cli: Cli, email: str, *extra: str) -> tuple[dict[str, Any], dict[str, bool]]:
    tree = cli.json("courses", "tree", "python-101", "--member", email, *extra, *ORG)
    return tree, {lesson["slug"]: lesson["accessible"] for lesson in lessons(tree)}


def complete(cli: Cli, email: str, lesson: str, code: int = 1) -> str:
    args = ("enrollments", "progress", "python-101", "--member", email, "--lesson", lesson)
    return cli.fails(code, *args, "--status", "completed", *ORG).stderr


def sub(cli: Cli, key: str) -> dict[str, Any]:
    return dict(cli.json("subscriptions", "show", key, *ORG))


def test_the_issue_a_canceled_subscription_locks_the_gated_lessons(
    cli: Cli, tmp_path: Path
) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert ANA_ACTIVE in text
    canceled = text.replace(
        ANA_ACTIVE,
        "status: canceled, started: 2026-01-05, canceled: 2026-03-20, external_id: sub_ana_py}",
    )
    source = tmp_path / "learning.yaml"
    source.write_text(canceled, encoding="utf-8")
    cli.ok("learning", "import", str(source))

    # monthly from Jan 5, canceled on Mar 20: the period paid for ends on Apr 5
    shown = sub(cli, "sub_ana_py")
    assert (shown["status"], shown["canceled_at"], shown["access_ends"], shown["has_access"]) == (
        "canceled", "2026-03-20T00:00:00Z", "2026-04-05T00:00:00Z", False,
    )  # fmt: skip

    tree, seen = member_tree(cli, "ana@example.org")
    assert seen == expected_visible(cli, 1)  # the tier-2 lessons are locked again
    assert not seen["lists-and-dicts"] and seen["installing-python"]
    assert (tree["tier"], tree["access"]["subscription"], tree["access"]["access_ended_at"]) == (
        1, "sub_ana_py", "2026-04-05T00:00:00Z",
    )  # fmt: skip
    before, seen_before = member_tree(cli, "ana@example.org", "--at", "2026-04-04")
    assert (before["tier"], seen_before) == (2, expected_visible(cli, 2))

    refused = complete(cli, "ana@example.org", "lists-and-dicts")
    assert "sub_ana_py" in refused and "ended on 2026-04-05" in refused
    done = cli.json("enrollments", "progress", "python-101", "--member", "ana@example.org",
                    "--lesson", "installing-python", "--status", "completed", *ORG)  # fmt: skip
    assert done["status"] == "completed"  # tier 1 stays open
    [row] = cli.json(
        "enrollments", "list", "--member", "ana@example.org", "--course", "python-101", *ORG
    )
    assert (row["access_tier"], row["current_tier"], row["subscription"]) == (2, 1, "sub_ana_py")


BAD = """\
subscriptions:
  - {member: ben@example.org, plan: python-101/standard/vip-annual, status: trialing, started: 2026-02-01, external_id: sub_ben_vip}
  - {member: ana@example.org, plan: python-101/standard/premium-monthly, status: active, started: 2026-01-05, trial_ends: 2026-01-01, external_id: sub_ana_py}
  - {member: chen@example.org, plan: python-101/standard/basic, status: past_due, started: 2026-03-10, external_id: ord_chen_basic}
  - member: dana@example.org
    plan: data-science-pro/standard/pro-monthly
    status: canceled
    started: 2026-04-02
    canceled: 2026-03-01
    external_id: sub_dana_ds
"""


def test_learning_import_refuses_impossible_statuses_and_dates(cli: Cli, tmp_path: Path) -> None:
    before = cli.json("subscriptions", "list", *ORG)
    source = learning_file(tmp_path, BAD)
    result = cli.fails(3, "learning", "import", source)
    problems = [
        line.removeprefix(source) for line in result.stderr.splitlines() if line.startswith(source)
    ]
    assert problems == [
        ":5:77: subscriptions[0].status: plan python-101/standard/vip-annual has no trial (trial_days 0): it cannot be trialing",
        ":6:123: subscriptions[1].trial_ends: trial_ends 2026-01-01 is before started 2026-01-05",
        ":7:73: subscriptions[2].status: plan python-101/standard/basic is a one-time purchase: nothing is due, so it cannot be past_due",
        ":12:15: subscriptions[3].canceled: canceled 2026-03-01 is before started 2026-04-02",
    ]
    assert cli.json("subscriptions", "list", *ORG) == before  # nothing written

    # a trial on a plan with trial days ends trial_days (14) after the start
    trial = "subscriptions:\n  - {member: dana@example.org, plan: python-101/standard/premium-monthly, status: trialing, started: 2026-05-01, external_id: sub_dana_trial}\n"
    cli.ok("learning", "import", learning_file(tmp_path, trial, "trial.yaml"))
    shown = sub(cli, "sub_dana_trial")
    assert (shown["status"], shown["trial_ends_at"], shown["has_access"]) == (
        "trialing", "2026-05-15T00:00:00Z", False,
    )  # fmt: skip


def test_cancel_resume_expire(cli: Cli, tmp_path: Path) -> None:
    # Ben's VIP year is paid until 2099; he also holds the premium plan (tier 2)
    body = """\
subscriptions:
  - {member: ben@example.org, plan: python-101/standard/vip-annual, status: active, started: 2026-02-01, current_period_end: 2099-02-01, external_id: sub_ben_vip}
  - {member: ben@example.org, plan: python-101/standard/premium-monthly, status: active, started: 2026-02-01, external_id: sub_ben_premium}
"""
    cli.ok("learning", "import", learning_file(tmp_path, body))

    canceled = cli.json("subscriptions", "cancel", "sub_ben_vip", "--at", "2026-06-01", *ORG)
    assert (canceled["status"], canceled["canceled_at"], canceled["current_period_end"]) == (
        "canceled", "2026-06-01T00:00:00Z", "2099-02-01T00:00:00Z",
    )  # fmt: skip
    assert canceled["has_access"] is True  # until the paid period ends
    tree, seen = member_tree(cli, "ben@example.org")
    assert (tree["tier"], seen) == (3, expected_visible(cli, 3))

    resumed = cli.json("subscriptions", "resume", "sub_ben_vip", *ORG)
    assert (resumed["status"], resumed["canceled_at"], resumed["has_access"]) == (
        "active",
        None,
        True,
    )

    expired = cli.json("subscriptions", "expire", "sub_ben_vip", "--at", "2026-07-01", *ORG)
    assert (expired["status"], expired["current_period_end"], expired["has_access"]) == (
        "expired", "2026-07-01T00:00:00Z", False,
    )  # fmt: skip
    tree, seen = member_tree(cli, "ben@example.org")
    assert (tree["tier"], seen) == (2, expected_visible(cli, 2))  # the premium plan remains
    refused = complete(cli, "ben@example.org", "capstone")
    assert "sub_ben_vip" in refused and "ended on 2026-07-01" in refused

    assert (
        "only a canceled subscription"
        in cli.fails(1, "subscriptions", "resume", "sub_ben_vip", *ORG).stderr
    )
    assert "already expired" in cli.fails(1, "subscriptions", "expire", "sub_ben_vip", *ORG).stderr
    keys = [
        [row["external_id"] for row in cli.json("subscriptions", "list", *args, *ORG)]
        for args in (
            ("--status", "expired"),
            ("--member", "ben@example.org"),
            ("--plan", "python-101/standard/premium-monthly"),
        )
    ]
    assert keys == [
        ["sub_ben_vip"],
        ["sub_ben_premium", "sub_ben_vip"],  # by plan address
        ["sub_ana_py", "sub_ben_premium"],
    ]
    by_id = sub(cli, expired["id"])  # the id names it too
    assert by_id["external_id"] == "sub_ben_vip"


def test_a_one_time_purchase_ends_after_its_access_days(cli: Cli, tmp_path: Path) -> None:
    cli.ok("plans", "create", "python-101/standard", "pass-30", "--type", "one-time",
           "--tier", "3", "--duration-days", "30", "--price", "us=99", *ORG)  # fmt: skip
    body = """\
subscriptions:
  - {member: chen@example.org, plan: python-101/standard/pass-30, started: 2026-01-01, external_id: ord_chen_pass}
enrollments:
  - {member: chen@example.org, course: python-101, via: python-101/standard/pass-30}
"""
    cli.ok("learning", "import", learning_file(tmp_path, body))
    shown = sub(cli, "ord_chen_pass")
    assert (shown["access_ends"], shown["has_access"]) == ("2026-01-31T00:00:00Z", False)
    tree, seen = member_tree(cli, "chen@example.org")
    assert (tree["tier"], seen) == (1, expected_visible(cli, 1))
    during, seen_during = member_tree(cli, "chen@example.org", "--at", "2026-01-15")
    assert (during["tier"], seen_during) == (3, expected_visible(cli, 3))
    refused = complete(cli, "chen@example.org", "capstone")
    assert "ord_chen_pass" in refused and "ended on 2026-01-31" in refused

    undated = body.replace("started: 2026-01-01, ", "")
    result = cli.fails(3, "learning", "import", learning_file(tmp_path, undated, "undated.yaml"))
    assert (
        "subscriptions[0].started: plan python-101/standard/pass-30 gives 30 days of access: give started"
        in result.stderr
    )


def test_refused_moves_and_options(cli: Cli) -> None:
    one_time = cli.fails(1, "subscriptions", "cancel", "ord_chen_basic", *ORG)
    assert "one-time purchase" in one_time.stderr
    assert "volmify subscriptions expire ord_chen_basic" in one_time.stderr
    early = cli.fails(1, "subscriptions", "cancel", "sub_ana_py", "--at", "2025-12-01", *ORG)
    assert "before the subscription started (2026-01-05)" in early.stderr
    assert (
        "in the future"
        in cli.fails(1, "subscriptions", "cancel", "sub_ana_py", "--at", "2999-01-01", *ORG).stderr
    )
    assert "not found in org acme" in cli.fails(1, "subscriptions", "show", "nope", *ORG).stderr
    cli.fails(2, "subscriptions", "cancel", "sub_ana_py", "--at", "2026-13-01", *ORG)
    cli.fails(2, "courses", "tree", "python-101", "--at", "2026-01-01", *ORG)  # --at needs --member
    cli.fails(
        2, "courses", "tree", "python-101", "--tier", "2", "--member", "ana@example.org", *ORG
    )
    assert (
        "not enrolled"
        in cli.fails(
            1, "courses", "tree", "python-101", "--member", "dana@example.org", *ORG
        ).stderr
    )
    assert sub(cli, "sub_ana_py")["status"] == "active"  # nothing above changed it


def test_list_shows_the_fixtures_subscriptions(cli: Cli) -> None:
    listed = cli.json("subscriptions", "list", *ORG)
    expected = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["subscriptions"]
    assert sorted(
        (r["external_id"], r["member"], r["plan"], r["status"]) for r in listed
    ) == sorted((s["external_id"], s["member"], s["plan"], s["status"]) for s in expected)
    assert all(r["has_access"] for r in listed)  # active, renewing or lifetime
    assert len(cli.json("subscriptions", "list", "--limit", "2", *ORG)) == 2


def test_subscriptions_help_lists_its_verbs_without_heavy_imports() -> None:
    stdout, heavy = modules_imported_by(["subscriptions", "--help"], HELP_MUST_NOT_IMPORT)
    assert heavy == []
    for verb in ("list", "show", "cancel", "resume", "expire"):
        assert f"  {verb}" in stdout
