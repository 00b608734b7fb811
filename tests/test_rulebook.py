"""Issue 15: one rule book (volmify_cli/rulebook.py). Every rule about a value has one home,
used by the command line and by every document reader:

- the same bad value given as an option and in a file gets the same message: exit 1 on the
  command line, exit 3 naming FILE:LINE:COLUMN and the field's path in a file, and nothing is
  written, with the same outcome on SQLite and PostgreSQL;
- a value at the edge of its rule passes on both databases (what a rule lets through, the
  columns hold: no DataError or OperationalError from a value that passed);
- the schema's columns are held to the rules: a text rule's length is its columns' length, a
  number rule's range fits its columns' type, and every bounded text column of the schema is
  a rule's or deliberately left to a shape rule or a closed vocabulary.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.support import Cli
from tests.test_hostile_values import ORG, Case, copy_of, refused, world, write_document
from volmify_cli import rulebook
from volmify_cli.errors import RuleError
from volmify_cli.models import load_all
from volmify_cli.rules import INT32_MAX, INT64_MAX

__all__ = ["world"]  # the module-scoped world of each database, shared with the values tests

PLAN = "products[0].variants[0].plans[0]"
# A rule, a bad value, where it goes in a document, and an option that takes the same value.
# fmt: off
Rule = rulebook.TextRule | rulebook.WholeRule | rulebook.PercentRule
CASES: list[tuple[Rule, str, Case, tuple[str, ...]]] = [
    (rulebook.TITLE, "T" * 301, Case("catalog", "product_title", "T" * 301, "products[0].title"),
     ("products", "create", "p2", "--type", "digital", "--title", "{}")),
    (rulebook.TITLE, "T" * 301, Case("outline", "module_title", "T" * 301, "modules[0].title"),
     ("products", "update", "python-101", "--title", "{}")),
    (rulebook.NAME, "N" * 201, Case("catalog", "brand_name", "N" * 201, "brands[0].name"),
     ("orgs", "brands", "create", "b2", "--name", "{}")),
    (rulebook.NAME, "N" * 201, Case("learning", "member_name", "N" * 201, "members[0].name"),
     ("users", "create", "new@example.org", "--name", "{}")),
    (rulebook.NAME, "N" * 201, Case("catalog", "plan_name", "N" * 201, f"{PLAN}.name"),
     ("plans", "update", "python-101/standard/tier-1", "--name", "{}")),
    (rulebook.DESCRIPTION, "D" * 20_001,
     Case("catalog", "product_description", "D" * 20_001, "products[0].description"),
     ("products", "update", "python-101", "--description", "{}")),
    (rulebook.DESCRIPTION, "D" * 20_001,
     Case("catalog", "brand_description", "D" * 20_001, "brands[0].description"),
     ("orgs", "brands", "create", "b2", "--name", "B", "--description", "{}")),
    (rulebook.TIER, "0", Case("catalog", "plan_tier", "0", f"{PLAN}.tier"),
     ("plans", "create", "python-101", "p9", "--type", "one-time", "--tier", "{}")),
    (rulebook.TIER, "2147483648", Case("catalog", "plan_tier", "2147483648", f"{PLAN}.tier"),
     ("plans", "update", "python-101/standard/tier-1", "--tier", "{}")),
    (rulebook.TIER, "2147483648",
     Case("outline", "module_tier", "2147483648", "modules[0].tier"),
     ("plans", "create", "python-101", "p9", "--type", "one-time", "--tier", "{}")),
    (rulebook.TIER, "0", Case("learning", "enrollment_tier", "0", "enrollments[1].tier"),
     ("enrollments", "add", "python-101", "--member", "bob@example.org", "--tier", "{}")),
    (rulebook.DIFFICULTY, "11", Case("outline", "difficulty", "11", "difficulty"),
     ("products", "update", "python-101", "--difficulty", "{}")),
    (rulebook.MINUTES, "2147483648",
     Case("outline", "lesson_minutes", "2147483648", "modules[0].sections[0].lessons[0].minutes"),
     ("products", "update", "python-101", "--minutes", "{}")),
    (rulebook.PERCENT, "101",
     Case("learning", "percent", "101", "enrollments[0].progress.installing-python.percent"),
     ("enrollments", "progress", "python-101", "--member", "ana@example.org", "--lesson",
      "installing-python", "--status", "in_progress", "--percent", "{}")),
    (rulebook.SECONDS, "-1",
     Case("learning", "seconds", "-1", "enrollments[0].progress.installing-python.seconds"),
     ("enrollments", "progress", "python-101", "--member", "ana@example.org", "--lesson",
      "installing-python", "--status", "in_progress", "--seconds", "{}")),
    (rulebook.TRIAL_DAYS, "2147483648",
     Case("catalog", "trial_days", "2147483648", "products[0].variants[0].plans[1].trial_days"),
     ("plans", "create", "python-101", "p9", "--type", "subscription", "--interval", "month",
      "--tier", "1", "--trial-days", "{}")),
    (rulebook.USAGE_LIMIT, "0", Case("catalog", "usage_limit", "0", "offers[0].usage_limit"),
     ("offers", "create", "o2", "--type", "percentage", "--percent", "5", "--usage-limit", "{}")),
    # issue 20: a percent of an offer has at most two decimals, in words about a percent
    (rulebook.OFFER_PERCENT, "33.333%", Case("catalog", "offer_percent", '"33.333%"',
     "offers[0].percent"), ("offers", "create", "o2", "--type", "percentage", "--percent", "{}")),
    (rulebook.OFFER_PERCENT, "100.5%", Case("catalog", "offer_percent", '"100.5%"',
     "offers[0].percent"), ("offers", "create", "o2", "--type", "percentage", "--percent", "{}")),
    (rulebook.DOWNLOAD_LIMIT, "0",
     Case("catalog", "download_limit", "0", "products[0].digital.download_limit"),
     ("products", "update", "ebook", "--download-limit", "{}")),
]
# Rules that only files carry (no command sets these values today).
FILE_ONLY: list[tuple[rulebook.TextRule | rulebook.WholeRule, str, Case]] = [
    (rulebook.EXTERNAL_ID, "E" * 201,
     Case("learning", "external_id", "E" * 201, "subscriptions[0].external_id")),
    (rulebook.ORDER_ID, "O" * 201, Case("sales-csv", "order_id", "O" * 201, "order_id")),
    (rulebook.ORDER_ID, "O" * 201, Case("sales-yaml", "order_id", "O" * 201, "sales[0].order_id")),
    (rulebook.QUANTITY, "0", Case("sales-csv", "quantity", "0", "quantity")),
    (rulebook.QUANTITY, "1000001", Case("sales-yaml", "quantity", "1000001", "sales[0].quantity")),
]
# fmt: on


def _message(rule: Rule, value: str) -> str:
    with pytest.raises(RuleError) as refusal:
        rule.check(value) if isinstance(rule, rulebook.TextRule) else rule.parse(value)
    return refusal.value.reason


def _argv(template: tuple[str, ...], value: str) -> list[str]:
    scoped = template[0] != "users"  # users are global: no --org
    return [value if arg == "{}" else arg for arg in (*template, *(ORG if scoped else ()))]


@pytest.mark.parametrize(
    ("rule", "value", "case", "option"),
    CASES,
    ids=[f"{rule.label}:{case.kind}:{case.path}" for rule, _v, case, _o in CASES],
)
def test_a_bad_value_gets_the_rules_message_from_an_option_and_from_a_file(
    world: Cli,
    tmp_path: Path,
    rule: Rule,
    value: str,
    case: Case,
    option: tuple[str, ...],
) -> None:
    message = _message(rule, value)
    assert message.startswith(rule.label)
    problem = refused(world, case, tmp_path)  # exit 3, FILE:LINE:COLUMN: path:, nothing written
    assert problem.endswith(f": {case.path}: {message}"), (problem, message)
    before = world.json("products", "list", *ORG)
    result = world.fails(1, *_argv(option, value))
    assert result.stderr == f"Error: {message}\n"
    assert world.json("products", "list", *ORG) == before


@pytest.mark.parametrize(
    ("rule", "value", "case"),
    FILE_ONLY,
    ids=[f"{rule.label}:{case.kind}:{case.path}" for rule, _v, case in FILE_ONLY],
)
def test_a_bad_value_only_a_file_carries_gets_the_rules_message(
    world: Cli, tmp_path: Path, rule: Any, value: str, case: Case
) -> None:
    problem = refused(world, case, tmp_path)
    assert problem.endswith(f": {case.path}: {_message(rule, value)}"), problem


# The largest (or longest) value each rule lets through, written in a file, and what shows it.
EDGES: list[tuple[Case, tuple[str, ...], Any]] = [
    (Case("catalog", "product_title", "T" * 300, ""), ("products", "show", "guide"),
     lambda shown: len(shown["title"]) == 300),
    (Case("catalog", "plan_tier", str(INT32_MAX), ""), ("plans", "show", "guide/standard/basic"),
     lambda shown: shown["tier"] == INT32_MAX),
    (Case("catalog", "trial_days", str(INT32_MAX), ""),
     ("plans", "show", "guide/standard/monthly"),
     lambda shown: shown["details"]["trial_days"] == INT32_MAX),
    (Case("outline", "module_title", "M" * 300, ""), ("courses", "tree", "rust-101"),
     lambda shown: len(shown["children"][0]["title"]) == 300),
    (Case("learning", "member_name", "N" * 200, ""), ("orgs", "members", "list"),
     lambda shown: any(len(m["name"]) == 200 for m in shown)),
    (Case("learning", "seconds", str(INT64_MAX), ""), ("enrollments", "list"),
     lambda shown: any(e["member"] == "dana@example.org" for e in shown)),
    (Case("learning", "external_id", "E" * 200, ""), ("enrollments", "list"), lambda shown: True),
    (Case("sales-csv", "order_id", "O" * 200, ""), ("sales", "list"),
     lambda shown: any(len(s["order_id"]) == 200 for s in shown)),
]  # fmt: skip


def test_what_a_rule_lets_through_both_databases_store(
    world: Cli, databases: Any, tmp_path: Path
) -> None:
    """The edges of the rules are stored alike on SQLite and PostgreSQL: no value that passed a
    rule meets a column too small for it (a 300-character lesson title, a 200-character member
    name or external id, a tier of 2^31-1, 2^63-1 seconds)."""
    cli = copy_of(databases, world)
    for case, shows, holds in EDGES:
        target, _line, _column = write_document(case, tmp_path, case.kind)
        cli.ok(*_command(case.kind), str(target), *ORG)
        assert holds(cli.json(*shows, *ORG)), case
    for option in (
        ("plans", "create", "python-101", "edge", "--type", "one-time", "--tier", str(INT32_MAX)),
        ("products", "update", "python-101", "--title", "P" * 300, "--minutes", str(INT32_MAX)),
        ("orgs", "brands", "create", "b3", "--name", "B" * 200),
    ):
        cli.ok(*option, *ORG)
    assert cli.json("plans", "show", "python-101/standard/edge", *ORG)["tier"] == INT32_MAX
    databases.drop(cli.db_url)


def _command(kind: str) -> tuple[str, ...]:
    return {
        "catalog": ("catalog", "import"),
        "outline": ("courses", "import"),
        "learning": ("learning", "import"),
        "sales-csv": ("sales", "import"),
    }[kind]


# -- the schema's columns are held to the rules ------------------------------------------------

# Bounded text columns whose values a shape rule (volmify_cli/rules.py: slugs, e-mails, codes,
# host names) or a closed vocabulary (enumerations, reference data, digests) decides.
SHAPED = {
    "slug": "rules.check_slug (SLUG_MAX)",
    "locale_key": "a registered locale",
    "default_locale_key": "a registered locale",
    "key": "locale registry key",
    "currency_code": "ISO 4217",
    "default_currency_code": "ISO 4217",
    "code": "ISO codes, coupon codes (rules.normalize_coupon_code)",
    "code_normalized": "rules.normalize_coupon_code",
    "country_code": "ISO 3166-1",
    "alpha3": "ISO 3166-1 reference data",
    "email": "rules.normalize_email",
    "email_normalized": "rules.normalize_email",
    "customer_email": "rules.normalize_email",
    "domain": "rules.check_domain",
    "status": "an enumeration",
    "type": "an enumeration",
    "level": "an enumeration",
    "level_rating": "an enumeration",
    "role": "an enumeration",
    "interval": "an enumeration",
    "duration": "an enumeration",
    "pricing_model": "an enumeration",
    "usage_type": "an enumeration",
    "tax_behavior": "an enumeration",
    "delivery_mode": "an enumeration",
    "product_type": "an enumeration (the extension's own type)",
    "plan_type": "an enumeration (the extension's own type)",
    "kind": "an enumeration",
    "recipient_kind": "an enumeration",
    "entry_kind": "an enumeration",
    "proficiency_level": "an enumeration",
    "direction": "reference data (ltr/rtl)",
    "english_name": "reference data",
    "native_name": "reference data",
    "symbol": "reference data",
    "source_digest": "a SHA-256 digest volmify computes",
    "text_digest": "a BLAKE2b digest volmify computes (catalog fingerprints)",
    "context_digest": "a BLAKE2b digest volmify computes (catalog fingerprints)",
    "counts": "entity counts volmify writes (catalog fingerprints)",
    "origin_digest": "a BLAKE2b digest volmify computes (a copied lesson's origin)",
    "timezone": "an IANA name from the tz database (rules.check_timezone)",
    "action": "an enumeration",
    "period": "a period the grammar of reports/periods.py accepts (at most 22 characters)",
    "recipient_key": "32 hex digits volmify computes (a running total's recipient)",
}
# Bounded text columns that no command or document writes yet (platform tables of issue 21:
# their rules come with the commands that write them).
NOT_WRITTEN_YET = {
    "org_brand_contact_info.label",
    "org_contact_info.label",
    "org_brand.logo_url",
    "user_instructor_profile.expertise_areas",
    "user_profile_contact_info.label",
    "user_session.token_hash",
    "user_session.ip_address",
    "user_session.user_agent",
    "country.name",
    "currency.name",
}


def _columns() -> dict[str, sa.Column[Any]]:
    return {f"{t.name}.{c.name}": c for t in load_all().sorted_tables for c in t.columns}


def test_every_rule_names_columns_that_exist_and_hold_what_it_lets_through() -> None:
    columns = _columns()
    rules: tuple[Rule, ...] = (*rulebook.TEXT_RULES, *rulebook.WHOLE_RULES, *rulebook.PERCENT_RULES)
    for rule in rules:
        for name in rule.columns:
            assert name in columns, f"{rule!r} names {name}, which the schema lacks"
            kind = columns[name].type
            if isinstance(rule, rulebook.TextRule):
                assert isinstance(kind, sa.String) and kind.length == rule.max_length, (rule, name)
            else:
                assert isinstance(kind, sa.Integer), (rule, name)
                assert rule.high <= (INT64_MAX if isinstance(kind, sa.BigInteger) else INT32_MAX)
    for amount_rule in rulebook.AMOUNT_RULES:  # minor units of an amount of money
        for name in amount_rule.columns:
            assert name in columns, f"{amount_rule!r} names {name}, which the schema lacks"
            assert isinstance(columns[name].type, sa.BigInteger), (amount_rule, name)
            assert amount_rule.high <= INT64_MAX


def test_every_bounded_text_column_has_one_rule() -> None:
    """A new VARCHAR column gets its rule here (or is named as shaped elsewhere): the rule
    book is where its bound lives, and two rules never claim one column."""
    claimed: dict[str, str] = {}
    for rule in rulebook.TEXT_RULES:
        for name in rule.columns:
            assert name not in claimed, f"{name} is claimed by {claimed[name]} and {rule!r}"
            claimed[name] = repr(rule)
    for name, column in _columns().items():
        if isinstance(column.type, sa.String) and column.type.length:
            covered = name in claimed or column.name in SHAPED or name in NOT_WRITTEN_YET
            assert covered, f"{name} (VARCHAR({column.type.length})) has no rule"


# Rules that join values of a price (inputs/price_rules.py): a file's price and the options of
# `plans update` on python-101's tier-1 plan (one-time, 49.00 USD in market us) are refused in
# the same words; the command adds the market, the file its line and path.
PRICE_CASES = [
    ('{amount: "49.00", compare_at: "9.00"}', "prices.us.compare_at", ("--compare-at", "us=9"),
     "compare-at price 9.00 USD is below the price 49.00 USD"),
    ('{amount: "49.00", setup_fee: "5.00"}', "prices.us.setup_fee", ("--setup-fee", "us=5"),
     "a setup fee applies to subscription plans only, not to a one-time plan"),
]  # fmt: skip


@pytest.mark.parametrize(("price", "path", "options", "message"), PRICE_CASES)
def test_a_price_rule_gets_the_same_words_from_options_and_from_a_file(
    world: Cli, tmp_path: Path, price: str, path: str, options: tuple[str, ...], message: str
) -> None:
    before = world.json("plans", "show", "python-101/standard/tier-1", *ORG)
    target, line, _column = write_document(Case("catalog", "price", price, ""), tmp_path, "catalog")
    problem, *rest = world.fails(3, "catalog", "import", str(target), *ORG).stderr.splitlines()
    assert rest == ["Error: 1 problem found; nothing was written"]
    assert problem.startswith(f"{target}:{line}:")  # the column of the value at fault
    assert problem.endswith(f": {PLAN}.{path}: {message}"), problem
    result = world.fails(1, "plans", "update", "python-101/standard/tier-1", *options, *ORG)
    assert result.stderr == f"Error: {message} in market 'us'\n"
    assert world.json("plans", "show", "python-101/standard/tier-1", *ORG) == before


def test_an_offer_percent_is_read_alike_from_text_and_from_basis_points() -> None:
    """Issue 20: two decimals of a percent at most, whatever the form; 0% and over 100% are
    refused in words about a percent, never about a share."""
    rule = rulebook.OFFER_PERCENT
    assert [rule.parse(t) for t in ("12.5%", "12.5", "33.33%", "0.01%", "100")] == [
        1250, 1250, 3333, 1, 10_000
    ]  # fmt: skip
    assert [rule.read(v) for v in ("12.5%", 1250, 1, 10_000)] == [1250, 1250, 1, 10_000]
    for refused_value, words in [
        ("33.333%", "percent '33.333%' has more than two decimals of a percent"),
        ("0", "percent '0' must be more than 0%"),
        ("0.00%", "percent '0.00%' must be more than 0%"),
        ("100.01%", "percent '100.01%' is over 100%"),
        ("12,5%", "percent '12,5%' is not a percentage"),
    ]:
        with pytest.raises(RuleError, match=re.escape(words)):
            rule.parse(refused_value)
    for bad in (0, 10_001):
        with pytest.raises(RuleError, match=f"^percent {bad} \\(basis points\\)"):
            rule.read(bad)
    with pytest.raises(RuleError, match="ambiguous") as refusal:
        rule.read("12.5")
    assert refusal.value.hint == 'write a percentage as "12.5%" or basis points as a bare integer'


def test_an_offer_amount_is_read_in_its_currencys_digits_and_names_it() -> None:
    """Issue 20: an offer's amount in each currency, more than 0, within a BIGINT of minor
    units; every refusal names the currency (the option and the file give these words)."""
    rule = rulebook.OFFER_AMOUNT
    assert [rule.parse(t, c) for t, c in (("5", "USD"), ("4.5", "EUR"), ("500", "JPY"),
                                          ("1.25", "KWD"), ("0.01", "USD"))] == [
        500, 450, 500, 1250, 1,
    ]  # fmt: skip
    assert rule.parse("92233720368547758.07", "USD") == INT64_MAX
    for value, currency, words in [
        ("92233720368547758.08", "USD", "'92233720368547758.08' is over 92233720368547758.07"),
        ("0", "JPY", "'0' must be more than 0"),
        ("-1", "EUR", "'-1' must not be negative"),
        ("500.5", "JPY", "'500.5' has too many decimals for JPY (no decimals)"),
    ]:
        with pytest.raises(RuleError, match=re.escape(f"offer amount in {currency}: {words}")):
            rule.parse(value, currency)
