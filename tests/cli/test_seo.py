"""SEO metadata (issue 21): `seo:` per locale on products, brands and collections in a catalog,
`--seo-*` options on `products update`, `orgs brands update` and `collections update`, shown by
`show`, compared field by field by diff, checked by the rule book's SEO rules on both paths
(command line exit 1, files exit 3 naming FILE:LINE:COLUMN), round-tripped by export, and gone
with what it describes (deletes, prunes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.catalog_world import count_rows
from tests.support import Cli
from volmify_cli import rulebook
from volmify_cli.errors import RuleError
from volmify_cli.models.platform import SeoMetadata

DATA = Path(__file__).parent.parent / "data" / "catalog"
BASE = (DATA / "acme.yaml").read_text()
ORG = ("--org", "acme")
PYTHON_SEO = (
    "    seo:\n"
    "      en-US:\n"
    "        title: Learn Python from scratch\n"
    "        description: A first course in Python.\n"
    "        canonical_url: https://academy.acme.example/python-101\n"
    "        robots: NoIndex,follow\n"
    "        image: https://academy.acme.example/python.png\n"
    "      ar-EG: {title: تعلم بايثون}\n"
)


def _insert(text: str, after: str, added: str) -> str:
    assert text.count(after) == 1, after
    return text.replace(after, after + added)


def with_seo(text: str = BASE, *, python: str = PYTHON_SEO) -> str:
    text = _insert(text, "    description: An introduction to Python.\n", python)
    text = _insert(
        text,
        "    name: Acme Academy\n",
        "    seo: {en-US: {title: Acme Academy, canonical_url: 'https://academy.acme.example/'}}\n",
    )
    text = _insert(text, "    title: The Python Book\n", "    seo: {en-US: {robots: noindex}}\n")
    return _insert(text, "    name: Bestsellers\n", "    seo: {en-US: {title: Bestsellers}}\n")


def write(tmp_path: Path, content: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _message(check: Callable[[str], object], value: str) -> str:
    """What the rule book says of `value` (the expected message is the rule's own)."""
    with pytest.raises(RuleError) as refusal:
        check(value)
    return refusal.value.reason


def _seo(**given: str | None) -> dict[str, str | None]:
    fields = ("title", "description", "canonical_url", "robots", "image")
    return {name: given.get(name) for name in fields}


def test_seo_from_a_catalog_is_shown_and_round_trips(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, with_seo())))
    assert cli.json("products", "show", "python-101", *ORG)["seo"] == {
        "ar-EG": _seo(title="تعلم بايثون"),
        "en-US": _seo(
            title="Learn Python from scratch",
            description="A first course in Python.",
            canonical_url="https://academy.acme.example/python-101",
            robots=rulebook.check_robots("NoIndex,follow"),  # kept as the rule book writes it
            image="https://academy.acme.example/python.png",
        ),
    }
    assert cli.json("products", "show", "ebook", *ORG)["seo"] == {"en-US": _seo(robots="noindex")}
    brand = cli.json("orgs", "brands", "show", "acme-academy", *ORG)
    assert brand["seo"] == {
        "en-US": _seo(title="Acme Academy", canonical_url="https://academy.acme.example/")
    }
    collection = cli.json("collections", "show", "bestsellers", *ORG)
    assert collection["seo"] == {"en-US": _seo(title="Bestsellers")}
    exported = cli.ok("catalog", "export", *ORG).stdout
    assert exported.count("\n    seo:\n") == 4
    again = cli.json("catalog", "import", str(write(tmp_path, exported, "exported.yaml")))
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert cli.ok("catalog", "export", *ORG).stdout == exported


def test_diff_and_import_report_seo_field_by_field(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, with_seo())))
    changed = with_seo(python="    seo: {en-US: {title: Python for everyone}}\n")
    plan = cli.json("catalog", "diff", str(write(tmp_path, changed, "changed.yaml")))
    [change] = plan["changes"]
    assert (change["action"], change["entity"], change["key"]) == (
        "update",
        "product",
        "python-101",
    )
    assert change["fields"] == {
        "seo.title[ar-EG]": {"old": "تعلم بايثون", "new": None},
        "seo.title[en-US]": {"old": "Learn Python from scratch", "new": "Python for everyone"},
        "seo.description[en-US]": {"old": "A first course in Python.", "new": None},
        "seo.canonical_url[en-US]": {
            "old": "https://academy.acme.example/python-101",
            "new": None,
        },
        "seo.robots[en-US]": {"old": "noindex, follow", "new": None},
        "seo.image[en-US]": {"old": "https://academy.acme.example/python.png", "new": None},
    }
    before = count_rows(cli.db_url, SeoMetadata)
    imported = cli.json("catalog", "import", str(tmp_path / "changed.yaml"))
    assert imported["changes"] == plan["changes"]
    shown = cli.json("products", "show", "python-101", *ORG)["seo"]
    assert shown == {"en-US": _seo(title="Python for everyone")}
    assert count_rows(cli.db_url, SeoMetadata) == before - 1  # ar-EG's row went


def test_options_set_clear_and_keep_seo(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, BASE)))
    shown = cli.json(
        "products", "update", "python-101", "--seo-title", "Python, quickly",
        "--seo-robots", "noindex, nofollow", "--seo-image", "https://cdn.example/p.png", *ORG,
    )["seo"]  # fmt: skip
    assert shown == {
        "en-US": _seo(title="Python, quickly", robots="noindex, nofollow",
                      image="https://cdn.example/p.png")
    }  # fmt: skip
    arabic = cli.json(
        "products", "update", "python-101", "--locale", "ar-EG", "--seo-title", "بايثون", *ORG
    )["seo"]
    assert set(arabic) == {"ar-EG", "en-US"}
    assert arabic["ar-EG"] == _seo(title="بايثون")
    # a command that changes something else keeps it; an empty value clears one field
    cli.ok("products", "update", "python-101", "--title", "Python 101 (2nd ed.)", *ORG)
    assert cli.json("products", "show", "python-101", *ORG)["seo"] == arabic
    cleared = cli.json("products", "update", "python-101", "--seo-robots", "", *ORG)["seo"]
    assert cleared["en-US"] == _seo(title="Python, quickly", image="https://cdn.example/p.png")
    gone = cli.json("products", "update", "python-101", "--clear-seo", "--locale", "ar-EG", *ORG)
    assert set(gone["seo"]) == {"en-US"}
    assert count_rows(cli.db_url, SeoMetadata) == 1

    brand = cli.json(
        "orgs", "brands", "update", "acme-academy", "--seo-description", "Courses by engineers",
        *ORG,
    )  # fmt: skip
    assert brand["seo"] == {"en-US": _seo(description="Courses by engineers")}
    collection = cli.json(
        "collections", "update", "bestsellers", "--seo-canonical-url",
        "https://academy.acme.example/best", *ORG,
    )  # fmt: skip
    assert collection["seo"] == {"en-US": _seo(canonical_url="https://academy.acme.example/best")}
    cli.ok("collections", "add", "bestsellers", "python-101", *ORG)  # keeps it too
    assert cli.json("collections", "show", "bestsellers", *ORG)["seo"] == collection["seo"]
    exported = cli.ok("catalog", "export", *ORG).stdout
    again = cli.json("catalog", "import", str(write(tmp_path, exported, "exported.yaml")))
    assert again["updated"] == again["created"] == 0


def test_seo_needs_a_translation_in_its_locale(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, BASE)))
    refused = cli.fails(
        1, "products", "update", "ebook", "--locale", "ar-EG", "--seo-title", "X", *ORG
    )
    assert "product 'ebook' has no translation in ar-EG" in refused.stderr
    assert count_rows(cli.db_url, SeoMetadata) == 0
    text = with_seo().replace(
        "    seo: {en-US: {robots: noindex}}\n", "    seo: {ar-EG: {robots: noindex}}\n"
    )
    path = write(tmp_path, text, "arabic.yaml")
    line = text.splitlines().index("    seo: {ar-EG: {robots: noindex}}") + 1
    refused = cli.fails(3, "catalog", "import", str(path))
    assert f"{path}:{line}:" in refused.stderr
    assert "products[1].seo.ar-EG: product 'ebook' has no translation in ar-EG" in refused.stderr
    assert count_rows(cli.db_url, SeoMetadata) == 0
    validated = cli.fails(3, "catalog", "validate", str(path))  # no database needed
    assert f"{path}:{line}:" in validated.stderr
    assert "products[1].seo.ar-EG: product 'ebook'" in validated.stderr


def _url(rule: rulebook.TextRule) -> Callable[[str], object]:
    return lambda value: rulebook.check_seo_url(rule, value)


BAD = [
    ("title", "--seo-title", "T" * 61, rulebook.SEO_TITLE.check),
    ("description", "--seo-description", "D" * 161, rulebook.SEO_DESCRIPTION.check),
    ("canonical_url", "--seo-canonical-url", "http://academy.acme.example/", _url(rulebook.SEO_CANONICAL_URL)),
    ("canonical_url", "--seo-canonical-url", "/python-101", _url(rulebook.SEO_CANONICAL_URL)),
    ("image", "--seo-image", "https://", _url(rulebook.SEO_IMAGE)),
    ("robots", "--seo-robots", "index, noindex", rulebook.check_robots),
    ("robots", "--seo-robots", "all, none", rulebook.check_robots),
    ("robots", "--seo-robots", "noindx", rulebook.check_robots),
    ("robots", "--seo-robots", "max-image-preview:huge", rulebook.check_robots),
    ("robots", "--seo-robots", "max-snippet:-5", rulebook.check_robots),
    ("robots", "--seo-robots", "unavailable_after:soon", rulebook.check_robots),
    ("robots", "--seo-robots", "follow, follow", rulebook.check_robots),
]  # fmt: skip


@pytest.mark.parametrize(
    ("field", "option", "value", "check"),
    BAD,
    ids=[
        "long title", "long description", "http canonical", "relative canonical", "no host",
        "index and noindex", "all and none", "unknown directive", "image preview",
        "snippet below -1", "unavailable after", "twice",
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_the_same_way_on_both_paths(
    cli: Cli,
    tmp_path: Path,
    field: str,
    option: str,
    value: str,
    check: Callable[[str], object],
) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, BASE)))
    message = _message(check, value)
    refused = cli.fails(1, "products", "update", "python-101", option, value, *ORG)
    assert f"Error: {message}" in refused.stderr
    refused = cli.fails(1, "orgs", "brands", "update", "acme-academy", option, value, *ORG)
    assert f"Error: {message}" in refused.stderr
    assert count_rows(cli.db_url, SeoMetadata) == 0
    entry = f"        {field}: '{value}'"
    text = _insert(BASE, "    description: An introduction to Python.\n",
                   f"    seo:\n      en-US:\n{entry}\n")  # fmt: skip
    path = write(tmp_path, text, "bad.yaml")
    line = text.splitlines().index(entry) + 1
    refused = cli.fails(3, "catalog", "import", str(path))
    where = f"{path}:{line}:{len('        ' + field + ': ') + 1}: products[0].seo.en-US.{field}:"
    assert f"{where} {message}" in refused.stderr
    assert count_rows(cli.db_url, SeoMetadata) == 0


GUIDE = """  - slug: guide
    type: digital
    title: A guide
    seo: {en-US: {title: A guide}}
    variants:
      - slug: pdf
        plans:
          - {slug: buy, type: one_time, tier: 1, prices: {us: 5}}
"""


def test_seo_goes_with_what_it_describes(cli: Cli, tmp_path: Path) -> None:
    """The translations' foreign key is NO ACTION: an SEO row nothing refers to any more is
    deleted by the write that left it alone (a prune, a delete, ON DELETE CASCADE)."""
    with_guide = with_seo().replace("collections:\n", GUIDE + "collections:\n")
    cli.ok("catalog", "import", str(write(tmp_path, with_guide)))
    assert count_rows(cli.db_url, SeoMetadata) == 6
    plan = cli.json("catalog", "import", str(write(tmp_path, with_seo(), "pruned.yaml")),
                    "--prune", "--yes")  # fmt: skip
    assert [(c["action"], c["key"]) for c in plan["changes"]] == [("delete", "guide")]
    assert count_rows(cli.db_url, SeoMetadata) == 5
    cli.ok("products", "delete", "ebook", "--yes", *ORG)
    assert count_rows(cli.db_url, SeoMetadata) == 4
    cli.ok("collections", "delete", "bestsellers", "--yes", *ORG)
    assert count_rows(cli.db_url, SeoMetadata) == 3
    assert set(cli.json("products", "show", "python-101", *ORG)["seo"]) == {"en-US", "ar-EG"}
    cli.ok("orgs", "delete", "acme", "--yes")
    assert count_rows(cli.db_url, SeoMetadata) == 0


def test_a_saved_plan_refuses_seo_changed_since(cli: Cli, tmp_path: Path) -> None:
    cli.ok("catalog", "import", str(write(tmp_path, with_seo())))
    changed = write(tmp_path, with_seo(python="    seo: {en-US: {title: Python}}\n"), "new.yaml")
    plan = tmp_path / "plan.json"
    cli.ok("catalog", "diff", str(changed), "-o", str(plan))
    cli.ok("orgs", "brands", "update", "acme-academy", "--seo-robots", "noindex", *ORG)
    refused = cli.fails(1, "catalog", "import", "--plan", str(plan))
    assert "the database changed since" in refused.stderr
    assert "seo metadata" in refused.stderr
    assert cli.json("products", "show", "python-101", *ORG)["seo"]["en-US"]["title"] == (
        "Learn Python from scratch"  # nothing written
    )
