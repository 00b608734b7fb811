"""`volmify products …` through the real command line (JSON parsed, exit codes and streams
asserted separately)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.catalog_world import build_world, record_order
from tests.support import Cli


@pytest.fixture
def acme(cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    build_world(db_url)
    monkeypatch.setenv("VOLMIFY_ORG", "acme")
    return cli


def one_error_line(stderr: str, *needles: str) -> None:
    """The error is one `Error:` line (maybe with a hint) naming what is wrong."""
    lines = stderr.strip().splitlines()
    assert lines and lines[0].startswith("Error: "), stderr
    assert len(lines) <= 2 and (len(lines) == 1 or lines[1].startswith("Hint: ")), stderr
    for needle in needles:
        assert needle in lines[0], stderr


def create(cli: Cli, slug: str = "python-101", *extra: str) -> Any:
    return cli.json("products", "create", slug, "--type", "course", "--title", "Python 101", *extra)


def test_create_course_with_details_brand_and_default_variant(acme: Cli) -> None:
    record = create(
        acme,
        "python-101",
        "--brand",
        "acme-academy",
        "--level",
        "advanced",
        "--difficulty",
        "7",
        "--description",
        "Learn it",
        "--status",
        "active",
    )
    assert (record["slug"], record["type"], record["status"]) == ("python-101", "course", "active")
    assert (record["title"], record["description"]) == ("Python 101", "Learn it")
    assert record["details"]["level"] == "advanced" and record["details"]["difficulty"] == 7
    assert [(v["slug"], v["is_default"]) for v in record["variants"]] == [("standard", True)]
    assert [(b["slug"], b["is_primary"]) for b in record["brands"]] == [("acme-academy", True)]
    assert acme.json("products", "show", "python-101") == record


@pytest.mark.parametrize(
    ("kind", "options", "expected"),
    [
        (
            "digital",
            ["--file-url", "s3://a.zip", "--file-size", "2048", "--download-limit", "5"],
            {"file_url": "s3://a.zip", "file_size_bytes": 2048, "download_limit": 5},
        ),
        (
            "physical",
            ["--sku", "MUG-1", "--weight-grams", "400", "--no-shipping"],
            {"sku": "MUG-1", "weight_grams": 400, "requires_shipping": False},
        ),
        (
            "service",
            ["--duration-minutes", "45", "--delivery-mode", "hybrid"],
            {"duration_minutes": 45, "delivery_mode": "hybrid"},
        ),
    ],
)
def test_create_other_types(
    acme: Cli, kind: str, options: list[str], expected: dict[str, Any]
) -> None:
    record = acme.json("products", "create", "thing", "--type", kind, "--title", "T", *options)
    assert record["details"] == expected


def test_help_says_a_default_variant_is_created(acme: Cli) -> None:
    result = acme.ok("products", "create", "--help")
    assert "default variant `standard`" in " ".join(result.stdout.split())


def test_missing_title_without_a_terminal_is_a_usage_error(acme: Cli) -> None:
    result = acme.fails(2, "products", "create", "p", "--type", "course")
    one_error_line(result.stderr, "missing --title")
    assert acme.json("products", "list") == []


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (["--brand", "globex-brand"], 1, ["brand 'globex-brand' not found in org acme"]),
        (["--brand", "nope"], 1, ["brand 'nope' not found in org acme"]),
        (["--sku", "X-1"], 2, ["sku applies to physical products only"]),
        (["--difficulty", "0"], 1, ["difficulty must be at least 1, not 0"]),
        (["--locale", "fr-FR"], 1, ["locale 'fr-FR' is not one of org acme's locales"]),
        (["--level", "guru"], 2, []),
    ],
)
def test_bad_create_writes_nothing(
    acme: Cli, args: list[str], code: int, needles: list[str]
) -> None:
    result = acme.fails(code, "products", "create", "p", "--type", "course", "--title", "P", *args)
    if needles:
        one_error_line(result.stderr, *needles)
    assert acme.json("products", "list") == []


def test_a_thumbnail_url_over_the_column_is_refused_on_both_databases(acme: Cli) -> None:
    """The column holds 500 characters: PostgreSQL used to fail with a DataError and SQLite to
    store the whole URL."""
    create(acme, "p")
    before = acme.json("products", "show", "p")
    url = "https://cdn.example/" + "a" * 490
    result = acme.fails(1, "products", "update", "p", "--thumbnail-url", url)
    one_error_line(result.stderr, "thumbnail URL is 510 characters long (at most 500)")
    assert acme.json("products", "show", "p") == before
    shown = acme.json("products", "update", "p", "--thumbnail-url", url[:500])
    assert shown["thumbnail_url"] == url[:500]


def test_duplicate_slug_is_exit_1(acme: Cli) -> None:
    create(acme, "p")
    before = acme.json("products", "show", "p")
    result = acme.fails(1, "products", "create", "p", "--type", "digital", "--title", "Other")
    one_error_line(result.stderr, "product 'p' already exists in org acme")
    assert acme.json("products", "show", "p") == before


def test_another_orgs_product_is_not_found_in_this_org(acme: Cli) -> None:
    result = acme.fails(1, "products", "show", "globex-course")
    one_error_line(result.stderr, "product 'globex-course' not found in org acme")
    assert acme.json("products", "show", "globex-course", "--org", "globex")["slug"] == (
        "globex-course"
    )


def test_list_filters_and_limit(acme: Cli) -> None:
    create(acme, "a", "--status", "active")
    acme.json("products", "create", "b", "--type", "digital", "--title", "B")
    create(acme, "c")
    assert [p["slug"] for p in acme.json("products", "list", "--type", "course")] == ["a", "c"]
    assert [p["slug"] for p in acme.json("products", "list", "--status", "draft")] == ["b", "c"]
    result = acme.ok("products", "list", "--limit", "2", "--format", "json")
    assert result.stdout.count('"slug"') == 2
    assert "more were left out" in result.stderr


def test_show_title_in_the_display_locale_with_fallback(acme: Cli) -> None:
    create(acme, "p")
    acme.json("products", "update", "p", "--title", "Python eins", "--locale", "de-DE")
    assert acme.json("products", "show", "p", "--locale", "de-DE")["title"] == "Python eins"
    assert acme.json("products", "show", "p", "--locale", "ja-JP")["title"] == "Python 101"
    assert acme.json("products", "show", "p")["titles"] == {
        "en-US": "Python 101",
        "de-DE": "Python eins",
    }


def test_update_and_archive(acme: Cli) -> None:
    acme.json("products", "create", "mug", "--type", "physical", "--title", "Mug")
    record = acme.json("products", "update", "mug", "--sku", "M-2", "--no-shipping")
    assert record["details"]["sku"] == "M-2" and record["details"]["requires_shipping"] is False
    assert acme.json("products", "archive", "mug")["status"] == "archived"
    assert [p["slug"] for p in acme.json("products", "list", "--status", "archived")] == ["mug"]


def test_delete_needs_yes_and_is_refused_with_orders(acme: Cli) -> None:
    create(acme, "p")
    acme.json("plans", "create", "p", "basic", "--type", "one-time", "--tier", "1")
    result = acme.fails(2, "products", "delete", "p")
    assert "pass --yes" in result.stderr
    record_order(acme.db_url or "", plan="p/basic")
    result = acme.fails(1, "products", "delete", "p", "--yes")
    one_error_line(result.stderr, "product 'p' has 1 order(s)")
    assert "volmify products archive p" in result.stderr
    assert acme.json("products", "show", "p")["slug"] == "p"
    create(acme, "q")
    acme.ok("products", "delete", "q", "--yes")
    assert [p["slug"] for p in acme.json("products", "list")] == ["p"]


def test_variants(acme: Cli) -> None:
    create(acme, "p")
    added = acme.json("products", "variants", "add", "p", "pro", "--name", "Pro", "--default")
    assert (added["slug"], added["name"], added["is_default"]) == ("pro", "Pro", True)
    listed = acme.json("products", "variants", "list", "p")
    assert [(v["slug"], v["is_default"]) for v in listed] == [("pro", True), ("standard", False)]
    result = acme.fails(1, "products", "variants", "remove", "p", "pro", "--yes")
    one_error_line(result.stderr, "variant 'p/pro' is the default")
    acme.ok("products", "variants", "remove", "p", "standard", "--yes")
    assert [v["slug"] for v in acme.json("products", "variants", "list", "p")] == ["pro"]
    # PRODUCT alone now addresses the new default variant
    plan = acme.json("plans", "create", "p", "basic", "--type", "one-time", "--tier", "1")
    assert plan["plan"] == "p/pro/basic"


def test_attribution_rules(acme: Cli) -> None:
    create(acme, "p")
    record = acme.json("products", "attribute", "p", "--instructor", "jane-doe")
    assert [(i["slug"], i["share_bp"], i["is_primary"]) for i in record["instructors"]] == [
        ("jane-doe", 3000, True)
    ]
    record = acme.json("products", "attribute", "p", "--brand", "acme-press", "--share", "20%")
    assert [(b["slug"], b["share_bp"]) for b in record["brands"]] == [("acme-press", 2000)]
    assert record["org_share_bp"] == 5000
    before = acme.json("products", "show", "p")
    result = acme.fails(
        1, "products", "attribute", "p", "--instructor", "max-roe", "--share", "50.5"
    )
    one_error_line(result.stderr, "shares of product 'p' would total 100.5%, over 100%")
    result = acme.fails(1, "products", "attribute", "p", "--instructor", "ann-lee")
    one_error_line(result.stderr, "instructor 'ann-lee' is not affiliated with org acme")
    assert "Hint: run `volmify instructors affiliate ann-lee --org acme`" in result.stderr
    result = acme.fails(1, "products", "attribute", "p", "--brand", "acme-press", "--share", "150")
    one_error_line(result.stderr, "'150'", "over 100%")
    result = acme.fails(1, "products", "attribute", "p", "--brand", "globex-brand")
    one_error_line(result.stderr, "brand 'globex-brand' not found in org acme")
    assert acme.json("products", "show", "p") == before
    result = acme.fails(2, "products", "attribute", "p")
    one_error_line(result.stderr, "exactly one of --instructor SLUG or --brand SLUG")
    record = acme.json("products", "attribute", "p", "--instructor", "jane-doe", "--remove")
    assert record["instructors"] == []


class ScriptedPrompter:
    """Answers prompts as a person at a terminal would (the real one needs a TTY)."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def text(self, message: str, *, flag: str, default: str = "") -> str:
        self.asked.append(flag)
        return self.answers[flag]

    def select(self, message: str, choices: list[str], *, flag: str) -> str:
        self.asked.append(flag)
        assert self.answers[flag] in choices
        return self.answers[flag]

    def confirm(self, message: str, *, yes: bool) -> bool:
        return True


def test_missing_required_values_are_asked_for_on_a_terminal(
    acme: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from volmify_cli.cli.context import AppContext

    prompter = ScriptedPrompter({"--type": "digital", "--title": "Asked title", "--tier": "2"})
    monkeypatch.setattr(AppContext, "prompter", lambda self: prompter)
    record = acme.json("products", "create", "asked")
    assert (record["type"], record["title"]) == ("digital", "Asked title")
    plan = acme.json("plans", "create", "asked", "p1", "--type", "one-time")
    assert plan["tier"] == 2
    assert prompter.asked == ["--type", "--title", "--tier"]  # only what was missing
