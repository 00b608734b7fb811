"""Issue 14: values refused the same way everywhere, and sales as facts.

Each test is named after the class of defect it guards:

1. control characters (NUL, the other C0 controls, DEL) in text: stored by SQLite, a DataError
   on PostgreSQL; refused in every document (exit 3, FILE:LINE) and every text option (exit 1),
   with the same message; free text (descriptions, comments) keeps tabs and line breaks;
2. digits other than 0-9 (Arabic-Indic, fullwidth, Devanagari, superscript) in numbers and
   dates;
3. a date-time with an offset that leaves the calendar once converted to UTC;
4. integer options beyond the database column they fill (refused: the rule book's message,
   exit 1, or a usage error, exit 2, for a --limit or a number beyond 64 bits);
5. a sales line redeeming a coupon that cannot apply: recorded, warned per line, and listed.

Database tests run on SQLite and PostgreSQL (where NUL is what tells them apart); the refusals
are asserted with the same expected text on both, so their outcome is identical.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.world import build_world
from tests.support import Cli
from tests.world import build_world_at

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["sqlite", "postgresql"] if os.environ.get("VOLMIFY_TEST_POSTGRES_URL") else ["sqlite"]
ORG = ("--org", "acme")
LINE_HINT = "names, titles, slugs, codes, e-mails and ids hold no control characters or line breaks"
PROSE_HINT = "descriptions and comments may hold tabs and line breaks, no other control characters"
DIGITS_HINT = "write numbers and dates with the digits 0-9"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, databases: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cli]:
    """One world per database for the refusals (a refused import writes nothing, and each test
    checks that): acme with course python-101 (plans tier-1 priced in market us, tier-2; the
    tiers outline), members ana@ and bob@, and a user cy@."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(tmp_path_factory.mktemp("home")))
        url = databases.migrated(request.param)
        build_world(url, plan_tiers=(1, 2))
        cli = Cli(url)
        cli.ok("markets", "create", "us", "--name", "US", "--type", "custom", "--currency", "USD",
               *ORG)  # fmt: skip
        cli.ok("plans", "update", "python-101/standard/tier-1", "--price", "us=49.00", *ORG)
        cli.ok("courses", "import", str(ROOT / "tests/data/outlines/tiers.yaml"), *ORG)
    yield cli
    databases.drop(url)


def copy_of(databases: Any, cli: Cli) -> Cli:
    """A copy of a world's database (SQLite's write-ahead log folded in first: a file copy
    would miss what is still in it)."""
    url = cli.db_url or ""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Cli(databases.copy(url))


def state(cli: Cli) -> object:
    """What the commands show of acme: a refused import must leave all of it unchanged."""
    return [
        cli.ok("catalog", "export", *ORG).stdout,
        cli.json("courses", "list", *ORG),
        cli.json("enrollments", "list", *ORG),
        cli.json("orgs", "members", "list", *ORG),
        cli.json("courses", "ratings", "python-101", *ORG),
        cli.json("sales", "list", *ORG),
        cli.json("users", "list", "--all"),
    ]


def quoted(text: str) -> str:
    """A double-quoted YAML scalar; control characters written as escapes (the only way a
    YAML file carries them: libyaml refuses them raw)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# -- the documents, each valid as given, with one value replaced per case ----------------------

CATALOG = """version: 1
kind: catalog
org: acme
locales: [en-US]
brands:
  - slug: academy
    name: {brand_name}
    description: {brand_description}
instructors:
  - slug: jane-doe
    name: {instructor_name}
    email: {instructor_email}
    share: {instructor_share}
products:
  - slug: guide
    type: digital
    title: {product_title}
    description: {product_description}
    digital: {{download_limit: {download_limit}}}
    variants:
      - slug: standard
        plans:
          - slug: basic
            type: one_time
            tier: {plan_tier}
            name: {plan_name}
            prices: {{us: {price}}}
          - slug: monthly
            type: subscription
            interval: month
            trial_days: {trial_days}
            tier: 1
            prices: {{us: "9.00"}}
offers:
  - slug: launch
    type: percentage
    percent: {offer_percent}
    usage_limit: {usage_limit}
    products: [guide]
    coupons: [{{code: LAUNCH, ends: {coupon_ends}}}]
"""
CATALOG_VALUES = {
    "brand_name": "Acme Academy",
    "brand_description": '"Learn.\\n\\tWell."',
    "instructor_name": "Jane Doe",
    "instructor_email": "jane@example.org",
    "instructor_share": '"30%"',
    "product_title": "The Guide",
    "product_description": "A guide.",
    "download_limit": "3",
    "plan_tier": "1",
    "plan_name": "Basic",
    "price": '"19.00"',
    "trial_days": "7",
    "offer_percent": '"25%"',
    "usage_limit": "100",
    "coupon_ends": "2026-12-31",
}
OUTLINE = """version: 1
kind: course_outline
course: rust-101
title: {course_title}
difficulty: {difficulty}
modules:
  - title: {module_title}
    tier: {module_tier}
    sections:
      - title: Basics
        lessons:
          - title: Hello
            minutes: {lesson_minutes}
            description: {lesson_description}
"""
OUTLINE_VALUES = {
    "course_title": "Rust 101",
    "difficulty": "3",
    "module_title": "Getting started",
    "module_tier": "1",
    "lesson_minutes": "10",
    "lesson_description": '"Say hello.\\r\\nThen\\tgo on."',
}
LEARNING = """version: 1
kind: learning
org: acme
members:
  - {{email: {member_email}, name: {member_name}}}
subscriptions:
  - {{member: dana@example.org, plan: python-101/standard/tier-2, started: {started},
     external_id: {external_id}}}
enrollments:
  - member: dana@example.org
    course: python-101
    via: python-101/standard/tier-2
    progress:
      installing-python: {{status: in_progress, percent: {percent}, seconds: {seconds}}}
  - member: bob@example.org
    course: python-101
    tier: {enrollment_tier}
ratings:
  - {{course: python-101, user: bob@example.org, level: beginner, difficulty: 4,
     comment: {comment}}}
"""
LEARNING_VALUES = {
    "member_email": "dana@example.org",
    "member_name": "Dana Cohen",
    "started": "2026-01-05",
    "external_id": "sub_dana",
    "percent": "40",
    "seconds": "120",
    "enrollment_tier": "2",
    "comment": '"Clear.\\nThanks."',
}
SALES_COLUMNS = ("order_id", "sold_at", "product", "variant", "plan", "market", "currency",
                 "amount", "tax", "quantity", "customer")  # fmt: skip
SALE = {
    "order_id": "A-1",
    "sold_at": "2026-03-01T10:00:00+02:00",
    "product": "python-101",
    "variant": "standard",
    "plan": "tier-1",
    "market": "us",
    "currency": "USD",
    "amount": "49.00",
    "tax": "4.00",
    "quantity": "1",
    "customer": "ana@example.org",
}
SALES_YAML = """version: 1
kind: sales
org: acme
sales:
  - order_id: {order_id}
    sold_at: {sold_at}
    product: {product}
    variant: standard
    plan: tier-1
    market: us
    currency: USD
    amount: {amount}
    tax: "4.00"
    quantity: {quantity}
    customer: {customer}
"""
SALES_YAML_VALUES = {
    "order_id": "A-1",
    "sold_at": '"2026-03-01T10:00:00+02:00"',
    "product": "python-101",
    "amount": '"49.00"',
    "quantity": "1",
    "customer": "ana@example.org",
}
COMMANDS = {
    "catalog": ("catalog", "import"),
    "outline": ("courses", "import"),
    "learning": ("learning", "import"),
    "sales-csv": ("sales", "import"),
    "sales-yaml": ("sales", "import"),
}
TEMPLATES = {
    "catalog": (CATALOG, CATALOG_VALUES),
    "outline": (OUTLINE, OUTLINE_VALUES),
    "learning": (LEARNING, LEARNING_VALUES),
    "sales-yaml": (SALES_YAML, SALES_YAML_VALUES),
}


@dataclass(frozen=True)
class Case:
    """One value of one document: `key` (a template key, or a CSV column), written `raw` in
    the file (YAML text, or a CSV field), found at `path`."""

    kind: str
    key: str
    raw: str
    path: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.path}:{self.raw.encode('unicode_escape').decode()}"


def write_document(case: Case | None, folder: Path, kind: str) -> tuple[Path, int, int | None]:
    """The document of `kind` with the case's value in it: its path, and the line and column
    (None in a CSV) where that value starts."""
    if kind == "sales-csv":
        fields = dict(SALE)
        if case is not None:
            fields[case.key] = case.raw
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(SALES_COLUMNS)
        writer.writerow([fields[column] for column in SALES_COLUMNS])
        target = folder / "sales.csv"
        target.write_text(buffer.getvalue(), encoding="utf-8")
        return target, 2, None
    template, values = TEMPLATES[kind]
    marker = "\u2063MARK\u2063"
    chosen = dict(values)
    if case is not None:
        chosen[case.key] = marker
    text = template.format(**chosen)
    before = text.split(marker)[0] if case is not None else ""
    line, column = before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1
    if case is not None:
        text = text.replace(marker, case.raw)
    target = folder / ("sales.yaml" if kind == "sales-yaml" else f"{kind}.yaml")
    target.write_text(text, encoding="utf-8")
    return target, line, column


def refused(cli: Cli, case: Case, folder: Path) -> str:
    """Import the case's document: exit 3, one problem, nothing written. Returns the problem
    line, after checking that it names the file, the line (and column) and the path."""
    before = state(cli)
    target, line, column = write_document(case, folder, case.kind)
    result = cli.fails(3, *COMMANDS[case.kind], str(target), *ORG, "--format", "json")
    assert result.stdout == ""
    lines = result.stderr.strip().split("\n")
    assert lines[1:] == ["Error: 1 problem found; nothing was written"], result.stderr
    where = f"{target}:{line}:{column}" if column else f"{target}:{line}"
    assert lines[0].startswith(f"{where}: {case.path}: "), (lines[0], where, case.path)
    assert "unexpected" not in result.stderr
    assert state(cli) == before
    return lines[0]


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_the_documents_of_these_tests_are_valid(world: Cli, tmp_path: Path, kind: str) -> None:
    """The base documents import (dry run) as they are: every refusal below is the one value's."""
    target, _line, _column = write_document(None, tmp_path, kind)
    world.ok(*COMMANDS[kind], str(target), *ORG, "--dry-run")


# -- 1. control characters -----------------------------------------------------------------------

# fmt: off
CONTROL_CASES = [
    Case("catalog", "brand_name", quoted("Acme\0Academy"), "brands[0].name"),
    Case("catalog", "brand_description", quoted("Learn\x01"), "brands[0].description"),
    Case("catalog", "instructor_name", quoted("Jane\tDoe"), "instructors[0].name"),
    Case("catalog", "instructor_email", quoted("jane\0@example.org"), "instructors[0].email"),
    Case("catalog", "product_title", quoted("The\x1b[31m Guide"), "products[0].title"),
    Case("catalog", "product_description", quoted("A\0guide"), "products[0].description"),
    Case("catalog", "plan_name", quoted("Basic\x7f"), "products[0].variants[0].plans[0].name"),
    Case("outline", "course_title", quoted("Rust\n101"), "title"),
    Case("outline", "module_title", quoted("Getting\0started"), "modules[0].title"),
    Case("outline", "lesson_description", quoted("Say\x07hello"),
         "modules[0].sections[0].lessons[0].description"),
    Case("learning", "member_name", quoted("Dana\0Cohen"), "members[0].name"),
    Case("learning", "member_email", quoted("dana\x1f@example.org"), "members[0].email"),
    Case("learning", "external_id", quoted("sub\0dana"), "subscriptions[0].external_id"),
    Case("learning", "comment", quoted("Clear\0"), "ratings[0].comment"),
    Case("sales-csv", "order_id", "A\x001", "order_id"),
    Case("sales-csv", "product", "python-101\x1f", "product"),
    Case("sales-csv", "customer", "ana\x7f@example.org", "customer"),
    Case("sales-yaml", "order_id", quoted("A\x001"), "sales[0].order_id"),
    Case("sales-yaml", "customer", quoted("ana\x0b@example.org"), "sales[0].customer"),
]
# fmt: on


@pytest.mark.parametrize("case", CONTROL_CASES, ids=lambda case: case.id)
def test_control_characters_in_documents_are_refused_with_their_place(
    world: Cli, tmp_path: Path, case: Case
) -> None:
    problem = refused(world, case, tmp_path)
    assert "contains a control character (U+00" in problem, problem
    free_text = case.path.endswith(("description", "comment"))
    assert problem.endswith(f"({PROSE_HINT if free_text else LINE_HINT})"), problem


def test_free_text_keeps_its_tabs_and_line_breaks(
    world: Cli, databases: Any, tmp_path: Path
) -> None:
    """Descriptions and comments may hold tabs, line feeds and CRLF; they are stored as written
    (the base documents hold some) and read back the same on both databases."""
    world = copy_of(databases, world)
    for kind in ("catalog", "outline", "learning"):
        target, _line, _column = write_document(None, tmp_path, kind)
        world.ok(*COMMANDS[kind], str(target), *ORG)
    brand = world.json("orgs", "brands", "show", "academy", *ORG)
    assert brand["description"] == "Learn.\n\tWell."
    exported = world.ok("courses", "export", "rust-101", *ORG).stdout
    assert "Say hello.\\r\\nThen\\tgo on." in exported
    ratings = world.json("courses", "ratings", "python-101", *ORG)
    assert [r["comment"] for r in ratings["ratings"]] == ["Clear.\nThanks."]
    databases.drop(world.db_url)


# The text options that store what they are given (names, titles, free text, codes): every
# command holding one is here; `test_every_text_option_is_covered` keeps the list complete.
# fmt: off
LINE_OPTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("--name", ("orgs", "create", "zz", "--name", "{}")),
    ("--name", ("orgs", "update", "acme", "--name", "{}")),
    ("--name", ("orgs", "brands", "create", "b2", "--name", "{}", *ORG)),
    ("--name", ("orgs", "brands", "update", "academy", "--name", "{}", *ORG)),
    ("--name", ("orgs", "members", "add", "new@example.org", "--name", "{}", *ORG)),
    ("--name", ("users", "create", "new@example.org", "--name", "{}")),
    ("--display-name", ("users", "create", "new@example.org", "--name", "N",
                        "--display-name", "{}")),
    ("--name", ("instructors", "create", "kim", "--user", "kim@example.org", "--name", "{}")),
    ("--title", ("instructors", "create", "kim", "--user", "kim@example.org", "--name", "Kim",
                 "--title", "{}")),
    ("--name", ("markets", "create", "eu", "--name", "{}", "--type", "custom", "--currency",
                "EUR", *ORG)),
    ("--name", ("markets", "update", "us", "--name", "{}", *ORG)),
    ("--title", ("products", "create", "p2", "--type", "digital", "--title", "{}", *ORG)),
    ("--title", ("products", "update", "python-101", "--title", "{}", *ORG)),
    ("--title", ("courses", "lessons", "create", "l2", "--title", "{}", *ORG)),
    ("--reference", ("payouts", "record", "payee", "--amount", "1", "--currency", "USD",
                     "--reference", "{}", *ORG)),
    ("--title", ("courses", "lessons", "update", "welcome", "--title", "{}", *ORG)),
    ("--file-url", ("products", "create", "p2", "--type", "digital", "--title", "P",
                    "--file-url", "{}", *ORG)),
    ("--file-url", ("products", "update", "ebook", "--file-url", "{}", *ORG)),
    ("--sku", ("products", "create", "p2", "--type", "physical", "--title", "P", "--sku", "{}",
               *ORG)),
    ("--sku", ("products", "update", "kit", "--sku", "{}", *ORG)),
    ("--thumbnail-url", ("products", "update", "python-101", "--thumbnail-url", "{}", *ORG)),
    ("--name", ("products", "variants", "add", "python-101", "team", "--name", "{}", *ORG)),
    ("--name", ("products", "variants", "update", "python-101", "standard", "--name", "{}",
                *ORG)),
    ("--name", ("plans", "create", "python-101", "p3", "--type", "one-time", "--tier", "1",
                "--name", "{}", *ORG)),
    ("--name", ("plans", "update", "python-101/tier-1", "--name", "{}", *ORG)),
    ("--unit", ("plans", "create", "python-101", "p3", "--type", "usage-based", "--tier", "1",
                "--unit", "{}", *ORG)),
    ("--unit", ("plans", "update", "python-101/metered", "--unit", "{}", *ORG)),
    ("--name", ("offers", "create", "o2", "--type", "percentage", "--percent", "5", "--name",
                "{}", *ORG)),
    ("--name", ("offers", "update", "launch", "--name", "{}", *ORG)),
    ("--name", ("offers", "promotions", "create", "pr", "--name", "{}", "--offer", "launch",
                *ORG)),
    ("--name", ("collections", "create", "c2", "--name", "{}", *ORG)),
    ("--name", ("collections", "update", "best", "--name", "{}", *ORG)),
    ("--name", ("skills", "create", "s2", "--name", "{}")),
    ("--name", ("skills", "update", "pyskill", "--name", "{}")),
    ("title", ("courses", "scaffold", "{}", "--slug", "scaffolded", "-o", "{out}")),
]
# fmt: on
# fmt: off
PROSE_OPTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("--description", ("skills", "create", "s2", "--name", "S", "--description", "{}")),
    ("--description", ("skills", "update", "pyskill", "--description", "{}")),
    ("--description", ("orgs", "brands", "create", "b2", "--name", "B", "--description", "{}",
                       *ORG)),
    ("--description", ("orgs", "brands", "update", "academy", "--description", "{}", *ORG)),
    ("--description", ("products", "create", "p2", "--type", "digital", "--title", "P",
                       "--description", "{}", *ORG)),
    ("--description", ("products", "update", "python-101", "--description", "{}", *ORG)),
    ("--description", ("courses", "lessons", "create", "l2", "--title", "L", "--description",
                       "{}", *ORG)),
    ("--description", ("courses", "lessons", "update", "welcome", "--description", "{}", *ORG)),
    ("--comment", ("courses", "rate", "python-101", "--user", "bob@example.org", "--level",
                   "beginner", "--difficulty", "3", "--comment", "{}", *ORG)),
    ("--response", ("courses", "respond", "python-101", "--user", "ana@example.org",
                    "--response", "{}", *ORG)),
]
# fmt: on


@pytest.fixture
def admin_world(world: Cli, databases: Any) -> Iterator[Cli]:
    """A copy of the world with what the text options' commands name: a brand, a physical
    product, a usage-based plan, an offer with a promotion, a collection, a library lesson, an
    instructor to pay, and a rating by ana@ to respond to."""
    cli = copy_of(databases, world)
    cli.ok("orgs", "brands", "create", "academy", "--name", "Academy", *ORG)
    cli.ok("products", "create", "kit", "--type", "physical", "--title", "Kit", *ORG)
    cli.ok("plans", "create", "python-101", "metered", "--type", "usage-based", "--tier", "1",
           *ORG)  # fmt: skip
    cli.ok("offers", "create", "launch", "--type", "percentage", "--percent", "5", *ORG)
    cli.ok("offers", "promotions", "create", "spring", "--name", "Spring", "--offer", "launch",
           *ORG)  # fmt: skip
    cli.ok("collections", "create", "best", "--name", "Best", *ORG)
    cli.ok("skills", "create", "pyskill", "--name", "Python")
    cli.ok("courses", "lessons", "create", "welcome", "--title", "Welcome", *ORG)
    cli.ok("instructors", "create", "payee", "--user", "payee@example.org", "--name", "Payee")
    cli.ok("enrollments", "add", "python-101", "--member", "ana@example.org", *ORG)
    cli.ok("enrollments", "add", "python-101", "--member", "bob@example.org", *ORG)
    cli.ok("courses", "rate", "python-101", "--user", "ana@example.org", "--level", "beginner",
           "--difficulty", "3", *ORG)  # fmt: skip
    yield cli
    databases.drop(cli.db_url)


def _admin_state(cli: Cli) -> object:
    return [
        cli.ok("catalog", "export", *ORG).stdout,
        cli.json("orgs", "list"),
        cli.json("users", "list", "--all"),
        cli.json("instructors", "list"),
        cli.json("orgs", "brands", "list", *ORG),
        cli.json("offers", "promotions", "list", *ORG),
        cli.json("courses", "ratings", "python-101", *ORG),
        cli.json("courses", "lessons", "list", *ORG),
        cli.json("payouts", "list", *ORG),
        cli.json("skills", "list"),
    ]


def _argv(template: tuple[str, ...], value: str, out: Path) -> list[str]:
    return [value if arg == "{}" else str(out) if arg == "{out}" else arg for arg in template]


def test_control_characters_in_text_options_are_refused_like_in_files(
    admin_world: Cli, tmp_path: Path
) -> None:
    """Every text option that stores its value refuses what a file's field refuses, with the
    same message (exit 1, a rule), and nothing changes; a free-text option keeps tabs and
    line breaks. NUL cannot be typed in a shell, but it reaches the commands from prompts and
    from programs calling them."""
    cli = admin_world
    before = _admin_state(cli)
    out = tmp_path / "scaffold.yaml"
    for option, template in LINE_OPTIONS + PROSE_OPTIONS:
        free_text = (option, template) in PROSE_OPTIONS
        bad = ["a\x00b", "a\x1b[2Jb", "a\x7f"] + ([] if free_text else ["a\tb", "a\nb"])
        for value in bad:
            result = cli.run(*_argv(template, value, out))
            where = f"{' '.join(template[:3])} {option} {value!r}"
            assert result.exit_code == 1, (where, result.stderr)
            reason, hint = result.stderr.strip().split("\n")
            assert reason.startswith(f"Error: {value!r} contains a control character"), where
            assert hint == f"Hint: {PROSE_HINT if free_text else LINE_HINT}", where
    assert _admin_state(cli) == before
    assert not out.exists()


def test_a_value_gets_the_same_message_from_a_file_and_from_an_option(
    world: Cli, tmp_path: Path
) -> None:
    value = "The\x00Guide"
    problem = refused(world, Case("catalog", "product_title", quoted(value), "products[0].title"),
                      tmp_path)  # fmt: skip
    result = world.fails(1, "products", "create", "p2", "--type", "digital", "--title", value, *ORG)
    reason, hint = result.stderr.strip().split("\n")
    assert problem.endswith(f": {reason.removeprefix('Error: ')} ({hint.removeprefix('Hint: ')})")


def test_every_text_option_is_covered() -> None:
    """A text option added to a command that stores text joins the lists above (the class is
    guarded, not the examples): every `--name`, `--title`, `--description` … of every command."""
    stored = {"--name", "--title", "--description", "--display-name", "--comment", "--response",
              "--sku", "--file-url", "--thumbnail-url", "--unit", "--reference"}  # fmt: skip
    found = {
        (option, " ".join(path))
        for path, command in _commands()
        for param in command.params
        for option in [*param.opts, param.name]
        if option in stored or (path[:2] == ["courses", "scaffold"] and option == "title")
    }
    covered = set()
    for option, template in LINE_OPTIONS + PROSE_OPTIONS:
        words = [w for w in template if not w.startswith("-") and w not in ("{}", "{out}")]
        command = next(
            (" ".join(words[:n]) for n in (3, 2) if (option, " ".join(words[:n])) in found), None
        )
        assert command is not None, f"no command {' '.join(words[:3])} with {option}"
        covered.add((option, command))
    assert found == covered, sorted(found - covered)


def _commands() -> Iterator[tuple[list[str], Any]]:
    import typer
    from typer import _click as click

    from volmify_cli.cli.app import app

    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        if hasattr(command, "list_commands"):
            context = click.Context(command)
            for name in command.list_commands(context):
                yield from walk(command.get_command(context, name), [*path, name])
        else:
            yield path, command

    yield from walk(typer.main.get_command(app), [])


# fmt: off
KEY_ARGUMENTS: list[tuple[str, ...]] = [
    ("orgs", "show", "{}"),
    ("products", "list", "--org", "{}"),
    ("products", "show", "{}", *ORG),
    ("plans", "show", "python-101/{}", *ORG),
    ("plans", "list", "{}", *ORG),
    ("products", "variants", "list", "{}", *ORG),
    ("markets", "show", "{}", *ORG),
    ("orgs", "brands", "show", "{}", *ORG),
    ("offers", "show", "{}", *ORG),
    ("offers", "coupons", "list", "{}", *ORG),
    ("collections", "show", "{}", *ORG),
    ("courses", "show", "{}", *ORG),
    ("courses", "tree", "{}", *ORG),
    ("enrollments", "list", "--course", "{}", *ORG),
    ("instructors", "show", "{}"),
    ("sales", "show", "{}", *ORG),
    ("revenue", "report", "--creator", "{}", *ORG),
    ("revenue", "statement", "{}", *ORG),
]
# fmt: on


def test_a_key_holding_a_control_character_is_refused_before_any_query(world: Cli) -> None:
    """Slugs, addresses and order ids that name something are one line of text too: a NUL
    cannot even be sent to PostgreSQL (it was `unexpected DataError` there and "not found" on
    SQLite); both now refuse it by the rule, alike. A shell cannot pass a NUL; programs and
    prompts can."""
    for template in KEY_ARGUMENTS:
        argv = [arg.replace("{}", "a\x00b") for arg in template]
        key = next(arg for arg in argv if "\x00" in arg)
        result = world.run(*argv)
        assert result.exit_code == 1, (template, result.stderr)
        assert result.stderr.startswith(
            f"Error: {key!r} contains a control character (U+0000 NUL) at character"
        ), (template, result.stderr)


# -- 2. digits other than 0-9 --------------------------------------------------------------------

FOREIGN = {
    "arabic-indic": "١٢٣",
    "fullwidth": "\uff11\uff12\uff13",
    "devanagari": "१२३",
    "superscript": "¹²³",
}


def _digits_cases(digits: str) -> list[Case]:
    one = digits[0]
    # fmt: off
    return [
        Case("catalog", "plan_tier", one, "products[0].variants[0].plans[0].tier"),
        Case("catalog", "price", quoted(digits), "products[0].variants[0].plans[0].prices.us"),
        Case("catalog", "instructor_share", quoted(f"{digits[:2]}%"), "instructors[0].share"),
        Case("catalog", "offer_percent", quoted(f"{one}%"), "offers[0].percent"),
        Case("catalog", "usage_limit", digits, "offers[0].usage_limit"),
        Case("catalog", "trial_days", one, "products[0].variants[0].plans[1].trial_days"),
        Case("catalog", "download_limit", one, "products[0].digital.download_limit"),
        Case("catalog", "coupon_ends", f"{digits[:2]}26-12-31", "offers[0].coupons[0].ends"),
        Case("outline", "lesson_minutes", digits,
             "modules[0].sections[0].lessons[0].minutes"),
        Case("outline", "module_tier", one, "modules[0].tier"),
        Case("outline", "difficulty", one, "difficulty"),
        Case("learning", "percent", digits[:2], "enrollments[0].progress.installing-python.percent"),
        Case("learning", "seconds", digits, "enrollments[0].progress.installing-python.seconds"),
        Case("learning", "enrollment_tier", one, "enrollments[1].tier"),
        Case("learning", "started", f"{digits[:2]}26-01-05", "subscriptions[0].started"),
        Case("sales-csv", "amount", digits, "amount"),
        Case("sales-csv", "tax", f"{one}.00", "tax"),
        Case("sales-csv", "quantity", one, "quantity"),
        Case("sales-csv", "sold_at", f"{digits[:2]}26-03-01", "sold_at"),
        Case("sales-yaml", "amount", quoted(f"{digits}.00"), "sales[0].amount"),
        Case("sales-yaml", "quantity", one, "sales[0].quantity"),
    ]
    # fmt: on


DIGIT_CASES = [
    pytest.param(case, id=f"{form}-{case.kind}:{case.path}")
    for form, digits in FOREIGN.items()
    for case in _digits_cases(digits)
]


@pytest.mark.parametrize("case", DIGIT_CASES)
def test_foreign_digits_in_documents_are_refused_with_their_place(
    world: Cli, tmp_path: Path, case: Case
) -> None:
    problem = refused(world, case, tmp_path)
    assert DIGITS_HINT in problem or "must be at least 1" in problem, problem


# option -> the command around it; "{}" is replaced by the value. Each gets the same exit code
# for foreign digits as for a plain non-number ("abc"): refused like any malformed value.
# fmt: off
NUMBER_OPTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("--limit", ("sales", "list", "--limit", "{}", *ORG)),
    ("--tier", ("plans", "create", "python-101", "p3", "--type", "one-time", "--tier", "{}",
                *ORG)),
    ("--usage-limit", ("offers", "create", "o2", "--type", "percentage", "--percent", "5",
                       "--usage-limit", "{}", *ORG)),
    ("--percent", ("offers", "create", "o2", "--type", "percentage", "--percent", "{}", *ORG)),
    ("--amount", ("offers", "create", "o2", "--type", "fixed-amount", "--amount", "{}",
                  "--currency", "USD", *ORG)),
    ("--share", ("instructors", "affiliate", "jane", "--share", "{}", *ORG)),
    ("--price", ("plans", "update", "python-101/tier-1", "--price", "us={}", *ORG)),
    ("--usage-tier", ("plans", "create", "python-101", "p3", "--type", "usage-based", "--tier",
                      "1", "--pricing-model", "tiered", "--usage-tier", "us={}:0.10", *ORG)),
    ("--difficulty", ("courses", "rate", "python-101", "--user", "ana@example.org", "--level",
                      "beginner", "--difficulty", "{}", *ORG)),
    ("--seconds", ("enrollments", "progress", "python-101", "--member", "ana@example.org",
                   "--lesson", "installing-python", "--status", "in_progress", "--seconds",
                   "{}", *ORG)),
    ("--file-size", ("products", "update", "ebook", "--file-size", "{}", *ORG)),
    ("--at", ("plans", "price", "python-101/tier-1", "--market", "us", "--at", "{}-03-01", *ORG)),
    ("--starts", ("offers", "create", "o2", "--type", "percentage", "--percent", "5",
                  "--starts", "{}-03-01", *ORG)),
    ("--period", ("revenue", "report", "--period", "{}", *ORG)),
    ("--from", ("revenue", "report", "--from", "{}-01-01", *ORG)),
    ("--from", ("sales", "list", "--from", "{}-01-01", *ORG)),
]
# fmt: on


@pytest.fixture
def number_world(world: Cli, databases: Any) -> Iterator[Cli]:
    cli = copy_of(databases, world)
    cli.ok("instructors", "create", "jane", "--user", "jane@example.org", "--name", "Jane")
    cli.ok("enrollments", "add", "python-101", "--member", "ana@example.org", *ORG)
    yield cli
    databases.drop(cli.db_url)


def test_foreign_digits_in_options_are_refused_like_any_malformed_number(
    number_world: Cli,
) -> None:
    cli = number_world
    before = [cli.ok("catalog", "export", *ORG).stdout, cli.json("sales", "list", *ORG)]
    for option, template in NUMBER_OPTIONS:
        malformed = cli.run(*_argv(template, "abc" if "{}-" not in "".join(template) else "x",
                                   Path()))  # fmt: skip
        assert malformed.exit_code in (1, 2), (option, malformed.stderr)
        for form, digits in FOREIGN.items():
            value = digits if option not in ("--at", "--starts", "--from") else digits[:2] + "26"
            if option == "--period":
                value = digits[:2] + "26"
            result = cli.run(*_argv(template, value, Path()))
            where = (option, form, result.stderr)
            assert result.exit_code == malformed.exit_code, where
            assert result.stderr.strip().startswith(("Error: ", "Usage: ")), where
            assert "unexpected" not in result.stderr
    assert [cli.ok("catalog", "export", *ORG).stdout, cli.json("sales", "list", *ORG)] == before


# -- 3. date-times that leave the calendar in UTC ------------------------------------------------

EXTREMES = ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+05:00"]


@pytest.mark.parametrize("kind", ["sales-csv", "sales-yaml"])
@pytest.mark.parametrize("moment", EXTREMES)
def test_a_sold_at_outside_the_calendar_in_utc_is_a_line_error(
    world: Cli, tmp_path: Path, kind: str, moment: str
) -> None:
    raw = moment if kind == "sales-csv" else quoted(moment)
    path = "sold_at" if kind == "sales-csv" else "sales[0].sold_at"
    problem = refused(world, Case(kind, "sold_at", raw, path), tmp_path)
    edge = "after 9999-12-31" if moment.startswith("9999") else "before 0001-01-01"
    assert problem.endswith(f"sold_at {moment!r} is {edge} in UTC, outside the calendar")


def test_the_calendar_edges_themselves_are_ordinary_dates(
    world: Cli, databases: Any, tmp_path: Path
) -> None:
    """UTC date-times at the first and last instants of the calendar are recorded and read
    back the same on both databases."""
    cli = copy_of(databases, world)
    sales = io.StringIO()
    writer = csv.writer(sales, lineterminator="\n")
    writer.writerow(SALES_COLUMNS)
    for order, moment in (("E-1", "0001-01-01T00:00:00Z"), ("E-2", "9999-12-31T23:59:59Z"),
                          ("E-3", "0001-01-01T05:00:00+05:00")):  # fmt: skip
        writer.writerow([{**SALE, "order_id": order, "sold_at": moment}[c] for c in SALES_COLUMNS])
    (tmp_path / "edges.csv").write_text(sales.getvalue(), encoding="utf-8")
    cli.ok("sales", "import", str(tmp_path / "edges.csv"), *ORG)
    assert [
        (s["order_id"], s["sold_at"]) for s in cli.json("sales", "list", "--sort", "oldest", *ORG)
    ] == [
        ("E-1", "0001-01-01T00:00:00Z"),
        ("E-3", "0001-01-01T00:00:00Z"),
        ("E-2", "9999-12-31T23:59:59Z"),
    ]
    databases.drop(cli.db_url or "")


def test_the_calendar_edges_read_back_whatever_the_servers_time_zone(
    world: Cli, databases: Any, tmp_path: Path
) -> None:
    """PostgreSQL hands a timestamptz over in the session's time zone: on a server set to
    America/New_York (or Asia/Tokyo), the first (last) instant of the calendar in UTC falls in
    year 0 (10000) and the driver cannot read it back. volmify's sessions are UTC."""
    if (world.db_url or "").startswith("sqlite"):
        pytest.skip("a PostgreSQL server's time zone")
    from sqlalchemy import create_engine, text

    cli = copy_of(databases, world)
    name = (cli.db_url or "").rpartition("/")[2]
    admin = create_engine(
        os.environ["VOLMIFY_TEST_POSTGRES_URL"].replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'America/New_York'"))
    admin.dispose()
    sales = io.StringIO()
    writer = csv.writer(sales, lineterminator="\n")
    writer.writerow(SALES_COLUMNS)
    for order, moment in (("E-1", "0001-01-01T00:00:00Z"), ("E-2", "9999-12-31T23:59:59Z")):
        writer.writerow([{**SALE, "order_id": order, "sold_at": moment}[c] for c in SALES_COLUMNS])
    (tmp_path / "edges.csv").write_text(sales.getvalue(), encoding="utf-8")
    cli.ok("sales", "import", str(tmp_path / "edges.csv"), *ORG)
    assert [
        (s["order_id"], s["sold_at"]) for s in cli.json("sales", "list", "--sort", "oldest", *ORG)
    ] == [
        ("E-1", "0001-01-01T00:00:00Z"),
        ("E-2", "9999-12-31T23:59:59Z"),
    ]
    report = cli.json("revenue", "report", "--by", "month", *ORG)
    assert [row["key"] for row in report["rows"]] == ["0001-01", "9999-12"]
    databases.drop(cli.db_url)


@pytest.mark.parametrize(
    "argv",
    [
        ("revenue", "report", "--from", EXTREMES[1], *ORG),
        ("revenue", "report", "--to", EXTREMES[0], *ORG),
        ("sales", "list", "--from", EXTREMES[1], *ORG),
        ("plans", "price", "python-101/tier-1", "--market", "us", "--at", EXTREMES[0], *ORG),
        ("offers", "create", "o2", "--type", "percentage", "--ends", EXTREMES[0], *ORG),
    ],
    ids=["report-from", "report-to", "sales-from", "price-at", "offer-ends"],
)
def test_date_options_take_days_not_moments(world: Cli, argv: tuple[str, ...]) -> None:
    """The other date paths read inclusive UTC days: a date-time with an offset is a usage
    error (exit 2), never an overflow converting it."""
    result = world.fails(2, *argv)
    assert "unexpected" not in result.stderr and "date" in result.stderr


def test_a_learning_date_with_an_offset_is_refused_with_its_place(
    world: Cli, tmp_path: Path
) -> None:
    problem = refused(
        world, Case("learning", "started", EXTREMES[0], "subscriptions[0].started"), tmp_path
    )
    assert "must be a date written YYYY-MM-DD" in problem


# -- 4. integer options beyond their column ------------------------------------------------------

INT32_MAX, INT64_MIN, INT64_MAX = 2**31 - 1, -(2**63), 2**63 - 1
LIMIT_MAX = INT64_MAX - 1  # a list reads one row more than its limit
# fmt: off
INTEGER_OPTIONS: list[tuple[str, tuple[str, ...], int]] = [
    ("--limit", ("sales", "list", "--limit", "{}", *ORG), LIMIT_MAX),
    ("--limit", ("products", "list", "--limit", "{}", *ORG), LIMIT_MAX),
    ("--limit", ("orgs", "list", "--limit", "{}"), LIMIT_MAX),
    ("--tier", ("plans", "create", "python-101", "big", "--type", "one-time", "--tier", "{}",
                *ORG), INT32_MAX),
    ("--usage-limit", ("offers", "create", "o2", "--type", "percentage", "--percent", "5",
                       "--usage-limit", "{}", *ORG), INT32_MAX),
    ("--download-limit", ("products", "update", "ebook", "--download-limit", "{}", *ORG),
     INT32_MAX),
    ("--file-size", ("products", "update", "ebook", "--file-size", "{}", *ORG), INT64_MAX),
    ("--included-units", ("plans", "create", "python-101", "metered", "--type", "usage-based",
                          "--tier", "1", "--included-units", "{}", *ORG), INT64_MAX),
    ("--seconds", ("enrollments", "progress", "python-101", "--member", "ana@example.org",
                   "--lesson", "installing-python", "--status", "in_progress", "--seconds",
                   "{}", *ORG), INT64_MAX),
]
# fmt: on


def test_every_integer_option_is_read_by_a_bounded_parser() -> None:
    """Every integer option of every command goes through `cli.options.whole_number` (digits
    0-9, the column's range) or a parser of its own kind (`--share`: a percentage)."""
    unbounded = [
        (" ".join(path), param.opts)
        for path, command in _commands()
        for param in command.params
        if param.type_descriptor.annotation is int
        and param.type_descriptor.parameter_info.parser is None
    ]
    assert unbounded == []


def test_integer_options_beyond_their_column_are_refused(world: Cli, databases: Any) -> None:
    cli = copy_of(databases, world)
    cli.ok("enrollments", "add", "python-101", "--member", "ana@example.org", *ORG)
    for option, template, high in INTEGER_OPTIONS:
        for value in (str(high + 1), "99999999999999999999", str(-(high + 2))):
            # beyond 64 bits, or a --limit: the option's usage error; a value the rule book
            # checks and a 64-bit number holds: the rule's own refusal (tests/test_rulebook.py)
            usage = option == "--limit" or not INT64_MIN <= int(value) <= INT64_MAX
            result = cli.fails(2 if usage else 1, *_argv(template, value, Path()))
            if usage:
                assert f"Invalid value for '{option}'" in result.stderr, (option, result.stderr)
            else:
                assert result.stderr.startswith("Error: ") and " must be at " in result.stderr
            assert "unexpected" not in result.stderr
    for _option, template, high in INTEGER_OPTIONS:
        # the largest value is stored and read the same on both databases
        cli.ok(*_argv(template, str(high), Path()))
    plans = {p["plan"]: p for p in cli.json("plans", "list", "python-101", *ORG)}
    assert plans["python-101/standard/big"]["tier"] == INT32_MAX
    assert cli.json("products", "show", "ebook", *ORG)["details"]["file_size_bytes"] == INT64_MAX
    databases.drop(cli.db_url)


# -- 5. a coupon that cannot apply to the sale it is recorded on --------------------------------

COUPON_HEADER = "order_id,sold_at,product,variant,plan,market,currency,amount,coupon"
COUPON_LINES = [
    "C-OK,2026-03-10,python-101,,basic,us,USD,44.10,LAUNCH",
    "C-PRODUCT,2026-03-10,data-viz,,basic,us,USD,30.00,LAUNCH",
    "C-MARKET,2026-03-10,python-101,,basic,eu,EUR,45.00,LAUNCH",
    "C-BEFORE,2026-02-28T23:00:00Z,python-101,,basic,us,USD,49.00,launch",
    "C-OFFSET,2026-04-01T01:00:00+02:00,python-101,,basic,us,USD,44.10,LAUNCH",
    "C-CURRENCY,2026-03-10,python-101,,basic,us,USD,49.00,EURO5",
    "C-INACTIVE,2026-03-10,python-101,,basic,us,USD,46.55,OLD",
    "C-ENDED,2026-03-10,python-101,,basic,us,USD,44.10,EARLY",
]
# fmt: off
COUPON_WARNINGS = [
    (3, "C-PRODUCT", "coupon LAUNCH cannot apply: offer 'launch' does not apply to this plan in"
                     " this market"),
    (4, "C-MARKET", "coupon LAUNCH cannot apply: offer 'launch' does not apply to this plan in"
                    " this market"),
    (5, "C-BEFORE", "coupon LAUNCH cannot apply: offer 'launch' starts on 2026-03-01"),
    (7, "C-CURRENCY", "coupon EURO5 cannot apply: offer 'euro' takes 5.00 EUR off, which does"
                      " not apply to a price in USD"),
    (8, "C-INACTIVE", "coupon OLD cannot apply: offer 'old' is inactive"),
    (9, "C-ENDED", "coupon EARLY cannot apply: coupon EARLY ended on 2026-03-05"),
]
# fmt: on


@pytest.fixture
def coupon_world(cli: Cli, db_url: str) -> Cli:
    """The sales world (tests/world.py) with offers whose coupons test each rule of `plans
    price`: launch (10% on python-101 in us, March 2026; coupons LAUNCH, and EARLY until March
    5), euro (5.00 EUR off; EURO5) and old (inactive; OLD)."""
    build_world_at(db_url)
    cli.ok("offers", "create", "launch", "--type", "percentage", "--percent", "10", "--product",
           "python-101", "--market", "us", "--starts", "2026-03-01", "--ends", "2026-03-31",
           "--coupon", "LAUNCH", *ORG)  # fmt: skip
    cli.ok("offers", "coupons", "add", "launch", "EARLY", "--ends", "2026-03-05", *ORG)
    cli.ok("offers", "create", "euro", "--type", "fixed-amount", "--amount", "5", "--currency",
           "EUR", "--coupon", "EURO5", *ORG)  # fmt: skip
    cli.ok("offers", "create", "old", "--type", "percentage", "--percent", "5", "--coupon", "OLD",
           *ORG)  # fmt: skip
    cli.ok("offers", "update", "old", "--inactive", *ORG)
    return cli


def test_a_coupon_that_cannot_apply_is_recorded_with_a_warning_per_line(
    coupon_world: Cli, tmp_path: Path
) -> None:
    """SPEC 4.3: a sale is a fact, so the line is recorded with its coupon, and the coupon
    counts as redeemed (redemptions are the recorded orders that name it); the import warns
    per line on stderr and lists the lines in its JSON, by the rules `plans price` quotes
    with (target, market, windows, activity, currency)."""
    cli = coupon_world
    path = tmp_path / "coupons.csv"
    path.write_text("\n".join([COUPON_HEADER, *COUPON_LINES]) + "\n", encoding="utf-8")
    result = cli.ok("sales", "import", str(path), *ORG, "--format", "json")
    record = json.loads(result.stdout)
    assert record["line_warnings"] == [
        {"order_id": order, "line": line, "reason": reason}
        for line, order, reason in COUPON_WARNINGS
    ]
    assert record["line_warnings_total"] == len(COUPON_WARNINGS)
    assert record["created"] == len(COUPON_LINES) and record["warnings"] == []
    assert result.stderr.splitlines() == [
        f"Warning: {path}:{line}: order {order}: {reason} (recorded as sold, and counted as a"
        " redemption)"
        for line, order, reason in COUPON_WARNINGS
    ]
    sold = {s["order_id"]: s["coupon"] for s in cli.json("sales", "list", *ORG)}
    assert sold["C-PRODUCT"] == "LAUNCH" and sold["C-INACTIVE"] == "OLD"
    redeemed = {c["code"]: c["redemptions"] for c in cli.json("offers", "coupons", "list", *ORG)}
    assert (redeemed["LAUNCH"], redeemed["EARLY"], redeemed["EURO5"], redeemed["OLD"]) == (
        5, 1, 1, 1,
    )  # fmt: skip
    # the lines are recorded: importing them again changes nothing and warns no more
    again = json.loads(cli.ok("sales", "import", str(path), *ORG, "--format", "json").stdout)
    assert (again["unchanged"], again["line_warnings"]) == (len(COUPON_LINES), [])


def test_a_coupon_that_cannot_apply_is_warned_in_a_yaml_sales_file_too(
    coupon_world: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "coupons.yaml"
    path.write_text(
        "version: 1\nkind: sales\norg: acme\nsales:\n"
        "  - {order_id: Y-OK, sold_at: 2026-03-10, product: python-101, plan: basic,"
        ' market: us, currency: USD, amount: "44.10", coupon: LAUNCH}\n'
        "  - {order_id: Y-OLD, sold_at: 2026-03-10, product: python-101, plan: basic,"
        ' market: us, currency: USD, amount: "46.55", coupon: old}\n',
        encoding="utf-8",
    )
    result = coupon_world.ok("sales", "import", str(path), *ORG, "--format", "json", "--dry-run")
    assert json.loads(result.stdout)["line_warnings"] == [
        {
            "order_id": "Y-OLD",
            "line": 6,
            "reason": "coupon OLD cannot apply: offer 'old' is inactive",
        }
    ]
    assert f"Warning: {path}:6: order Y-OLD: coupon OLD cannot apply" in result.stderr
    assert coupon_world.json("sales", "list", *ORG) == []  # a dry run
