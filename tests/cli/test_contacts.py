"""Contact info (issue 21): `orgs contact`, `orgs brands contact`, `instructors contact` and
`contact:` in catalog YAML, on both databases. The stored forms are the libraries' (E.164 phones,
e-mail with a lower-case domain); the expected values below are written out by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.cli.helpers import assert_one_error
from tests.support import Cli, modules_imported_by

EMPTY = {"email": None, "phone": None, "website": None, "address": None}


def fields(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in EMPTY}


def contact_rows(cli: Cli) -> int:
    """The rows of contact_info: a cleared contact leaves none behind."""
    assert cli.db_url is not None
    engine = sa.create_engine(cli.db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(sa.text("SELECT count(*) FROM contact_info")).scalar_one()
            )
    finally:
        engine.dispose()


@pytest.fixture
def acme(cli: Cli) -> Cli:
    """Org acme whose default market is the United States (a national phone is read in US)."""
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "use", "acme")
    cli.ok("orgs", "brands", "create", "academy", "--name", "Academy")
    cli.ok(
        "markets", "create", "us", "--name", "US", "--type", "single-country",
        "--currency", "USD", "--country", "US", "--default",
    )  # fmt: skip
    return cli


def test_org_contact_set_show_and_clear(acme: Cli) -> None:
    assert fields(acme.json("orgs", "contact", "show")) == EMPTY
    row = acme.json(
        "orgs", "contact", "set", "--email", "Hello@ACME.Example", "--phone", "(415) 555-2671",
        "--website", "https://acme.example/about", "--address", "1 Market Street\nSan Francisco",
    )  # fmt: skip
    assert row["owner"] == "org" and row["slug"] == "acme"
    want = {
        "email": "Hello@acme.example",  # the domain is case-insensitive, the local part is not
        "phone": "+14155552671",  # national: read in the default market's country, US
        "website": "https://acme.example/about",
        "address": "1 Market Street\nSan Francisco",
    }
    assert fields(row) == want
    assert fields(acme.json("orgs", "contact", "show", "--org", "acme")) == want
    # one field changes, the others stay; --clear empties one
    acme.ok("orgs", "contact", "set", "--phone", "+49 30 901820", "--clear", "website")
    shown = fields(acme.json("orgs", "contact", "show"))
    assert shown == {**want, "phone": "+4930901820", "website": None}
    assert contact_rows(acme) == 1
    acme.ok("orgs", "contact", "set", "--clear", "all")
    assert fields(acme.json("orgs", "contact", "show")) == EMPTY
    assert contact_rows(acme) == 0


def test_brand_contact_is_the_orgs_own(acme: Cli) -> None:
    acme.ok("orgs", "create", "globex", "--name", "Globex")
    acme.ok("orgs", "brands", "create", "academy", "--name", "Globex Academy", "--org", "globex")
    row = acme.json(
        "orgs", "brands", "contact", "set", "academy", "--email", "academy@acme.example",
        "--phone", "030 901820", "--region", "de",
    )  # fmt: skip
    assert (row["owner"], row["org"], row["slug"]) == ("brand", "acme", "academy")
    assert fields(row) == {**EMPTY, "email": "academy@acme.example", "phone": "+4930901820"}
    other = acme.json("orgs", "brands", "contact", "show", "academy", "--org", "globex")
    assert fields(other) == EMPTY
    assert fields(acme.json("orgs", "contact", "show")) == EMPTY  # the org's is its own
    assert_one_error(
        acme.fails(1, "orgs", "brands", "contact", "show", "nope"), "brand 'nope' not found"
    )


def test_instructor_contact_needs_a_country_code_or_a_region(cli: Cli) -> None:
    cli.ok("instructors", "create", "jane", "--user", "jane@example.com", "--name", "Jane")
    assert_one_error(
        cli.fails(1, "instructors", "contact", "set", "jane", "--phone", "030 901820"),
        "--phone",
        "no country code",
    )
    row = cli.json(
        "instructors", "contact", "set", "jane", "--phone", "030 901820", "--region", "DE",
        "--website", "https://jane.example",
    )  # fmt: skip
    assert (row["owner"], row["org"]) == ("instructor", None)
    assert fields(row) == {**EMPTY, "phone": "+4930901820", "website": "https://jane.example"}
    assert fields(cli.json("instructors", "contact", "show", "jane")) == fields(row)


BAD_OPTIONS = [
    (("--email", "not-an-address"), "--email"),
    (("--email", "ana@localhost"), "--email"),
    (("--phone", "+1 555 0100"), "--phone"),  # a number no US line can have
    (("--phone", "call me"), "--phone"),
    (("--website", "http://acme.example"), "--website"),
    (("--website", "acme.example"), "--website"),
    (("--address", "line\x1bone"), "--address"),
    (("--phone", "030 901820", "--region", "XYZ"), "--region"),
]  # fmt: skip


@pytest.mark.parametrize(("options", "named"), BAD_OPTIONS)
def test_a_bad_value_names_its_option_and_writes_nothing(
    acme: Cli, options: tuple[str, ...], named: str
) -> None:
    acme.ok("orgs", "brands", "contact", "set", "academy", "--email", "a@acme.example")
    # with a field it would clear: the whole command is refused, the clearing too
    clearing = () if "--email" in options else ("--clear", "email")
    assert_one_error(
        acme.fails(1, "orgs", "brands", "contact", "set", "academy", *clearing, *options), named
    )
    shown = acme.json("orgs", "brands", "contact", "show", "academy")
    assert fields(shown) == {**EMPTY, "email": "a@acme.example"}


def test_usage_errors(acme: Cli) -> None:
    assert_one_error(acme.fails(2, "orgs", "contact", "set"), "nothing to change")
    assert_one_error(
        acme.fails(2, "orgs", "contact", "set", "--email", "a@acme.example", "--clear", "email"),
        "--email is given and cleared",
    )
    assert_one_error(acme.fails(2, "orgs", "contact", "set", "--clear", "fax"), "fax")


def test_the_phone_and_email_libraries_stay_out_of_start_up() -> None:
    watched = ("phonenumbers", "email_validator")
    for argv in (
        ["--help"],
        ["orgs", "contact", "set", "--help"],
        ["instructors", "contact", "--help"],
    ):
        stdout, imported = modules_imported_by(argv, watched)
        assert stdout and imported == [], (argv, imported)


# -- catalog files ---------------------------------------------------------------------------------

CATALOG = """\
version: 1
kind: catalog
org:
  slug: acme
  name: Acme
  contact: {email: hello@acme.example, address: "1 Market Street\\nSan Francisco"}
locales: [en-US]
brands:
  - slug: academy
    name: Academy
    contact:
      email: Academy@ACME.example
      phone: "+49 30 901820"
      website: https://academy.acme.example
  - slug: press
    name: Press
"""


def write(tmp_path: Path, text: str, name: str = "catalog.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_catalog_contacts_import_diff_and_round_trip(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", write(tmp_path, CATALOG), "--org", "acme")
    academy = cli.json("orgs", "brands", "contact", "show", "academy", "--org", "acme")
    assert fields(academy) == {
        "email": "Academy@acme.example",
        "phone": "+4930901820",
        "website": "https://academy.acme.example",
        "address": None,
    }
    org = cli.json("orgs", "contact", "show", "--org", "acme")
    assert fields(org) == {
        **EMPTY,
        "email": "hello@acme.example",
        "address": "1 Market Street\nSan Francisco",
    }
    again = cli.json("catalog", "import", write(tmp_path, CATALOG), "--org", "acme")
    assert (again["created"], again["updated"]) == (0, 0)

    # a changed contact is an update of its brand, field by field; a brand without `contact:`
    # has none (like a description)
    changed = CATALOG.replace("Academy@ACME.example", "team@acme.example").replace(
        '      phone: "+49 30 901820"\n', ""
    )
    plan = cli.json("catalog", "diff", write(tmp_path, changed), "--org", "acme")
    assert plan["changes"] == [
        {
            "action": "update",
            "entity": "brand",
            "key": "academy",
            "fields": {
                "contact.email": {"old": "Academy@acme.example", "new": "team@acme.example"},
                "contact.phone": {"old": "+4930901820", "new": None},
            },
        }
    ]
    cli.ok("catalog", "import", write(tmp_path, changed), "--org", "acme")
    assert (
        cli.json("orgs", "brands", "contact", "show", "academy", "--org", "acme")["phone"] is None
    )
    cli.ok(
        "orgs",
        "brands",
        "contact",
        "set",
        "press",
        "--website",
        "https://press.example",
        "--org",
        "acme",
    )
    exported = cli.ok("catalog", "export", "--org", "acme").stdout
    assert "https://press.example" in exported and "team@acme.example" in exported
    assert (
        cli.json("catalog", "import", write(tmp_path, exported, "e.yaml"), "--org", "acme")[
            "updated"
        ]
        == 0
    )
    assert cli.ok("catalog", "export", "--org", "acme").stdout == exported


def test_catalog_contact_refusals_name_file_line_and_column(cli: Cli, tmp_path: Path) -> None:
    bad = CATALOG.replace("Academy@ACME.example", "academy-at-acme").replace(
        '"+49 30 901820"', '"030 901820"'
    ).replace("https://academy.acme.example", "http://academy.acme.example").replace(
        "  - slug: press\n    name: Press\n", "  - slug: press\n    name: Press\n    contact: {fax: 1}\n"
    )  # fmt: skip
    path = write(tmp_path, bad)
    for args in (("catalog", "validate", path), ("catalog", "import", path, "--org", "acme")):
        result = cli.fails(3, *args)
        problems = [line for line in result.stderr.splitlines() if line.startswith(path)]
        places = [re.match(rf"{re.escape(path)}:(\d+):(\d+): (\S+):", p) for p in problems]
        assert [(m.group(1), m.group(3)) for m in places if m] == [
            ("12", "brands[0].contact.email"),
            ("13", "brands[0].contact.phone"),
            ("14", "brands[0].contact.website"),
            # reading goes on without the unknown key: the contact then holds nothing it knows
            ("17", "brands[1].contact"),
            ("17", "brands[1].contact"),
        ], result.stderr
        assert "unknown key 'fax'" in result.stderr
        assert "a contact holds at least one of" in result.stderr
        assert "with + and its country code" in result.stderr
    assert cli.json("orgs", "list") == []  # nothing was written


def test_an_instructors_contact_is_written_with_a_new_profile_only(
    cli: Cli, tmp_path: Path
) -> None:
    """A global profile: an org's import creates it with its contact, never changes it."""
    with_jane = CATALOG + (
        "instructors:\n  - slug: jane\n    name: Jane\n    email: jane@example.com\n"
        "    contact: {website: https://jane.example}\n"
    )
    cli.ok("catalog", "import", write(tmp_path, with_jane), "--org", "acme")
    assert cli.json("instructors", "contact", "show", "jane")["website"] == "https://jane.example"
    other = with_jane.replace("https://jane.example", "https://other.example").replace(
        "slug: acme", "slug: globex"
    )
    result = cli.ok("catalog", "import", write(tmp_path, other), "--org", "globex")
    assert "instructor jane: the file's contact differs" in result.stderr
    assert cli.json("instructors", "contact", "show", "jane")["website"] == "https://jane.example"


def test_deleting_an_owner_leaves_no_contact_behind(cli: Cli, tmp_path: Path) -> None:
    """The links go by ON DELETE CASCADE; the global contact rows go with them."""
    cli.ok("catalog", "import", write(tmp_path, CATALOG), "--org", "acme")
    cli.ok(
        "orgs", "brands", "contact", "set", "press", "--email", "p@acme.example", "--org", "acme"
    )
    assert contact_rows(cli) == 3  # the org, academy, press
    cli.ok("orgs", "brands", "delete", "press", "--yes", "--org", "acme")
    assert contact_rows(cli) == 2
    without_academy = (
        CATALOG[: CATALOG.index("  - slug: academy")] + "  - slug: press\n    name: Press\n"
    )
    cli.ok(
        "catalog", "import", write(tmp_path, without_academy), "--org", "acme", "--prune", "--yes"
    )
    assert contact_rows(cli) == 1
    cli.ok("orgs", "delete", "acme", "--yes")
    assert contact_rows(cli) == 0


def test_an_option_and_a_file_get_the_same_words(acme: Cli, tmp_path: Path) -> None:
    """One rule (rulebook.check_contact_*): the option adds its name, the file its place."""
    for option, key, value in (
        ("--website", "website", "http://academy.acme.example"),
        ("--email", "email", "academy-at-acme"),
        ("--phone", "phone", "+1 555 0100"),
    ):
        said = acme.fails(1, "orgs", "brands", "contact", "set", "academy", option, value)
        reason = said.stderr.splitlines()[0].removeprefix(f"Error: {option}: ")
        path = write(
            tmp_path,
            CATALOG.replace("slug: press", f"slug: press\n    contact: {{{key}: '{value}'}}"),
        )
        problems = acme.fails(3, "catalog", "validate", path).stderr
        assert f"brands[1].contact.{key}: {reason}" in problems, (reason, problems)


def test_the_demo_export_carries_contacts(demo: Cli) -> None:
    exported = demo.ok("catalog", "export", "--org", "acme").stdout
    assert "contact:" in exported
    org = demo.json("orgs", "contact", "show", "--org", "acme")
    assert org["email"] == "hello@acme.example" and org["phone"] == "+14155552671"
    press = demo.json("orgs", "brands", "contact", "show", "acme-press", "--org", "acme")
    assert press["phone"] == "+4930901820"
    design = demo.json("orgs", "brands", "contact", "show", "globex-design", "--org", "globex")
    assert design["email"] == "design@globex.example"
    assert (
        demo.json("instructors", "contact", "show", "jane-doe")["website"] == "https://jane.example"
    )
