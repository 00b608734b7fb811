"""Issue 9: hostile input.

(a) mutated documents fed to every validator through the CLI never cause a traceback and exit
    with the documented codes in bounded time;
(b) injection-shaped names and titles are stored and printed verbatim;
(c) CSV output neutralises spreadsheet formulas;
(d) `-o FILE` never writes anywhere it was not told to;
(e) database passwords are never printed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.world import build_world
from tests.support import Cli

ROOT = Path(__file__).resolve().parents[1]
FUZZ_EXAMPLES = int(os.environ.get("VOLMIFY_TEST_FUZZ_EXAMPLES", "150"))
SECONDS_PER_EXAMPLE = 10.0

# -- (a) fuzzing the validators -------------------------------------------------------------------

NASTY_SCALARS = [
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[a, [b, {c: d}]]",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "19.99",
    "'",
    '"',
    "&anchor x",
    "*alias",
    "!!python/object/apply:os.system ['true']",
    "? complex",
    "- - -",
    "a: b: c",
    "%s%s%n",
    "{0.__class__}",
    "'; DROP TABLE org; --",
    "\u202egnp.exe",
    "🎓",
    "NO",
    "2026-02-30",
    "2026-13-01T25:61:00Z",
    "| \n  block",
    "x" * 300,
    "../../etc/passwd",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """A seed document (its file suffix and bytes) with 1 to 4 mutations: lines deleted,
    duplicated, swapped, re-indented; a YAML value or a CSV field replaced by a nasty or random
    scalar; truncated; control characters or random bytes inserted."""
    suffix, data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(OPERATIONS))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = b"  " + lines[i] if draw(st.booleans()) else lines[i][2:]
        elif op == "value" and b": " in lines[i]:
            key, _, _ = lines[i].partition(b": ")
            value = draw(st.sampled_from(NASTY_SCALARS) | st.text(max_size=20))
            lines[i] = key + b": " + value.encode("utf-8", "surrogatepass")
        elif op == "field" and b"," in lines[i]:
            fields = lines[i].split(b",")
            k = draw(st.integers(0, len(fields) - 1))
            value = draw(st.sampled_from(NASTY_SCALARS) | st.text(max_size=20))
            fields[k] = value.encode("utf-8", "surrogatepass")
            lines[i] = b",".join(fields)
        elif op == "swap-values":
            j = draw(st.integers(0, len(lines) - 1))
            if b": " in lines[i] and b": " in lines[j]:
                ki, _, vi = lines[i].partition(b": ")
                kj, _, vj = lines[j].partition(b": ")
                lines[i], lines[j] = ki + b": " + vj, kj + b": " + vi
        joined = b"\n".join(lines)
        if op == "truncate":
            joined = joined[: draw(st.integers(0, len(joined)))]
        elif op == "control":
            at = draw(st.integers(0, len(joined)))
            char = draw(st.sampled_from([*range(1, 32), 127, 0x85, 0x2028, 0xFEFF]))
            joined = joined[:at] + chr(char).encode() + joined[at:]
        elif op == "bytes":
            at = draw(st.integers(0, len(joined)))
            joined = joined[:at] + draw(st.binary(min_size=1, max_size=8)) + joined[at:]
        data = joined
    return suffix, data


OPERATIONS = [
    "delete",
    "duplicate",
    "swap",
    "indent",
    "value",
    "field",
    "swap-values",
    "truncate",
    "control",
    "bytes",
]


@dataclass(frozen=True)
class Validator:
    command: tuple[str, ...]
    seeds: tuple[str, ...]
    codes: frozenset[int]
    json: bool = True  # prints a JSON document on success (`catalog validate` prints a line)


# Exit codes: 0 (valid), 3 (invalid file: FILE:LINE:COLUMN problems, nothing written). The
# importers resolve every reference of a file (courses, lessons, plans, members, markets,
# coupons) while validating and report a missing one as a problem of the file, so exit 1 does
# not happen: with the org given on the command line, a mutated `org:` that differs from it is
# exit 3 too, and `catalog import` creates the org a file names. `catalog import` is run without
# --org (its seeds name their org), so a file that lost its `org:` is exit 2: no organization.
VALIDATORS = {
    "catalog validate": Validator(
        ("catalog", "validate"),
        ("fixtures/globex/catalog.yaml", "fixtures/acme/catalog/10-courses.yaml"),
        frozenset({0, 3}),
        json=False,
    ),
    "catalog import": Validator(
        ("catalog", "import", "--dry-run"),
        ("fixtures/globex/catalog.yaml", "fixtures/acme/catalog/00-organization.yaml"),
        frozenset({0, 2, 3}),
    ),
    "courses import": Validator(
        ("courses", "import", "--dry-run", "--org", "acme"),
        (
            "tests/data/outlines/tiers.yaml",
            "fixtures/acme/outlines/css-for-engineers.yaml",
            "fixtures/acme/lessons.yaml",
        ),
        frozenset({0, 3}),
    ),
    "learning import": Validator(
        ("learning", "import", "--dry-run", "--org", "acme"),
        ("tests/data/learning/acme.yaml", "fixtures/acme/onboarding.yaml"),
        frozenset({0, 3}),
    ),
    "sales import": Validator(
        ("sales", "import", "--dry-run", "--org", "acme"),
        ("tests/data/sales/acme.csv", "tests/data/sales/acme.yaml"),
        frozenset({0, 3}),
    ),
}


@pytest.fixture
def learning_world(cli: Cli) -> Cli:
    """acme with course python-101 (plans of tiers 1-3, the tiers outline), members ana@ and
    bob@, the demo catalog of acme and its lesson library: every seed document is valid here."""
    build_world(cli.db_url or "", plan_tiers=(1, 2, 3))
    cli.ok("courses", "import", str(ROOT / "tests/data/outlines/tiers.yaml"), "--org", "acme")
    cli.ok("catalog", "import", str(ROOT / "fixtures/acme/catalog"), "--org", "acme")
    cli.ok("courses", "import", str(ROOT / "fixtures/acme/lessons.yaml"))
    cli.ok("courses", "import", str(ROOT / "fixtures/acme/outlines/css-for-engineers.yaml"))
    return cli


@pytest.mark.parametrize("name", sorted(VALIDATORS))
def test_mutated_documents_never_crash_a_validator(
    learning_world: Cli, tmp_path: Path, name: str
) -> None:
    cli, validator = learning_world, VALIDATORS[name]
    seeds = [(Path(seed).suffix, (ROOT / seed).read_bytes()) for seed in validator.seeds]
    for seed in validator.seeds:  # the seeds themselves are valid
        cli.ok(*validator.command, str(ROOT / seed))
    before = _everything(cli)
    seen: set[int] = set()

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(document=mutated(seeds))
    def validate(document: tuple[str, bytes]) -> None:
        suffix, data = document
        target = tmp_path / f"document{suffix}"
        target.write_bytes(data)
        started = time.monotonic()
        fmt = ("--format", "json") if validator.json else ()
        result = cli.run(*validator.command, str(target), *fmt)
        assert time.monotonic() - started < SECONDS_PER_EXAMPLE
        assert result.exit_code in validator.codes, (result.exit_code, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        seen.add(result.exit_code)
        if result.exit_code == 0:
            if validator.json:
                json.loads(result.stdout)
        else:
            assert result.stdout == ""
            # FILE:LINE:COLUMN problems, then one `Error:` line (and maybe a `Hint:` line)
            lines = result.stderr.strip().split("\n")  # not splitlines: U+2028 is no break here
            if lines[-1].startswith("Hint: "):
                lines.pop()
            assert lines[-1].startswith("Error: "), result.stderr
            assert all(line.startswith(str(target)) for line in lines[:-1]), result.stderr

    validate()
    assert 3 in seen  # the mutations do reach the validator's error paths
    assert _everything(cli) == before  # dry runs wrote nothing


def _everything(cli: Cli) -> object:
    return [
        cli.json("orgs", "list"),
        cli.ok("catalog", "export", "--org", "acme").stdout,
        cli.json("enrollments", "list", "--org", "acme"),
        cli.json("sales", "list", "--org", "acme"),
    ]


# -- (b) injection-shaped text --------------------------------------------------------------------

HOSTILE_TEXTS = [
    'O\'Brien "the" `tick`',
    "%s %d %(name)s %n",
    "{0} {name} {{}} ${HOME} $(id)",
    "'; DROP TABLE org; --",
    "Robert'); DELETE FROM org_product WHERE ('1'='1",
    "\u202eevil\u202c txt.exe",
    "مرحبا بالعالم",
    "🎓 👩🏽‍💻 🇪🇬",
    "nel \x85 nel, no C0 control (refused since issue 14: tests/test_hostile_values.py)",
    "[/bold] [red]x[/red] :smile:",
    "<script>alert(1)</script> &amp;",
    "back\\slash \\n \\u0000",
    "inner  double   spaces",
]


def _yaml_text(text: str) -> str:
    """A double-quoted YAML scalar with every non-printable character escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_hostile_names_are_stored_and_printed_verbatim(cli: Cli, tmp_path: Path, text: str) -> None:
    org = cli.json("orgs", "create", "acme", "--name", text)
    assert org["name"] == text
    assert cli.json("orgs", "show", "acme")["name"] == text
    assert [o["name"] for o in cli.json("orgs", "list")] == [text]
    cli.ok(
        "orgs",
        "brands",
        "create",
        "academy",
        "--name",
        text,
        "--description",
        text,
        "--org",
        "acme",
    )
    brand = cli.json("orgs", "brands", "show", "academy", "--org", "acme")
    assert (brand["name"], brand["description"]) == (text, text)
    cli.ok("products", "create", "p", "--type", "course", "--title", text, "--description", text,
           "--org", "acme")  # fmt: skip
    product = cli.json("products", "show", "p", "--org", "acme")
    assert (product["title"], product["description"]) == (text, text)
    outline = (
        "version: 1\nkind: course_outline\ncourse: p\nmodules:\n"
        f"  - slug: m\n    title: {_yaml_text(text)}\n    sections:\n"
        f"      - slug: s\n        title: {_yaml_text(text)}\n        lessons:\n"
        f"          - slug: l\n            title: {_yaml_text(text)}\n"
    )
    (tmp_path / "outline.yaml").write_text(outline, encoding="utf-8")
    cli.ok("courses", "import", str(tmp_path / "outline.yaml"), "--org", "acme")
    tree = cli.json("courses", "tree", "p", "--org", "acme")
    module = tree["children"][0]
    lesson = module["children"][0]["children"][0]
    assert (module["title"], lesson["title"]) == (text, text)
    # the export carries it too, and imports back unchanged
    exported = cli.ok("courses", "export", "p", "--org", "acme").stdout
    (tmp_path / "again.yaml").write_text(exported, encoding="utf-8")
    again = cli.json("courses", "import", str(tmp_path / "again.yaml"), "--org", "acme")
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0), again
    # every human view prints it without crashing and without raw control characters
    for view in (
        ("products", "list"),
        ("products", "show", "p"),
        ("orgs", "brands", "list"),
        ("courses", "tree", "p"),
        ("courses", "show", "p"),
    ):
        shown = cli.ok(*view, "--org", "acme", "--format", "table").stdout
        assert "\x1b" not in shown and "\x07" not in shown, view
        for fmt in ("yaml", "csv"):
            cli.ok(*view, "--org", "acme", "--format", fmt)
    # the catalog export carries it and imports back unchanged
    (tmp_path / "catalog.yaml").write_text(
        cli.ok("catalog", "export", "--org", "acme").stdout, encoding="utf-8"
    )
    diff = cli.json("catalog", "diff", str(tmp_path / "catalog.yaml"), "--org", "acme")
    assert diff["changes"] == [], diff
    # a scaffold titled with it is a valid outline that keeps the title
    cli.ok("courses", "scaffold", text, "--slug", "scaffolded", "-o", str(tmp_path / "s.yaml"))
    cli.ok("courses", "import", str(tmp_path / "s.yaml"), "--org", "acme")
    assert cli.json("courses", "show", "scaffolded", "--org", "acme")["title"] == text


def _sold(cli: Cli, workdir: Path, text: str) -> None:
    """acme sells course p (titled `text`) by instructor jane (named `text`) once."""
    o = ("--org", "acme")
    cli.ok("orgs", "create", "acme", "--name", text)
    cli.ok("instructors", "create", "jane", "--user", "jane@example.org", "--name", text)
    cli.ok("instructors", "affiliate", "jane", "--share", "30", *o)
    cli.ok("markets", "create", "us", "--name", text, "--type", "custom", "--currency", "USD", *o)
    cli.ok("products", "create", "p", "--type", "course", "--title", text, *o)
    cli.ok("products", "attribute", "p", "--instructor", "jane", *o)
    cli.ok("plans", "create", "p", "basic", "--type", "one-time", "--tier", "1", "--price",
           "us=10", *o)  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["order_id", "sold_at", "product", "plan", "market", "currency", "amount"])
    writer.writerow(["o-1", "2026-03-01", "p", "basic", "us", "USD", "10.00"])
    (workdir / "sales.csv").write_text(buffer.getvalue(), encoding="utf-8")
    cli.ok("sales", "import", str(workdir / "sales.csv"), *o)


MARKUP = [
    "</td><script>alert(1)</script>",
    "[click](javascript:alert(1)) | *bold* _it_ `code` ~x~ &amp; \\",
    "<img src=x onerror=alert(1)> | pipe",
]


@pytest.mark.parametrize("text", MARKUP, ids=range(len(MARKUP)))
def test_reports_and_statements_show_names_as_text(cli: Cli, tmp_path: Path, text: str) -> None:
    import html

    _sold(cli, tmp_path, text)
    o = ("--org", "acme")
    pages = [
        cli.ok("revenue", "report", "--by", "product", "--format", "html", *o).stdout,
        cli.ok("revenue", "statement", "jane", "--format", "html", *o).stdout,
    ]
    for page in pages:
        assert "<script" not in page.lower() and "<img" not in page.lower()
        assert html.escape(text, quote=False) in page or html.escape(text) in page
    documents = [
        cli.ok("revenue", "report", "--by", "product", "--format", "markdown", *o).stdout,
        cli.ok("revenue", "report", "--by", "creator", "--format", "markdown", *o).stdout,
        cli.ok("revenue", "statement", "jane", "--format", "markdown", *o).stdout,
    ]
    for document in documents:
        # every special character is escaped: no raw HTML, link, emphasis or code
        unescaped = re.findall(r"(?<!\\)[<>\[\]`*_~]", document.replace("\\\\", ""))
        assert unescaped == [], document
        # and no name adds a cell: every row of a table has as many cells as its header
        for table in re.findall(r"(?:^\|.*\n)+", document, flags=re.MULTILINE):
            counts = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
            assert len(counts) == 1, table


@pytest.mark.parametrize(
    "slug", ["'; DROP TABLE org; --", "%s", "{0}", "../../etc", "\u202eacme", "a\x1b[2Jb"]
)
def test_hostile_addresses_are_not_found_not_crashes(cli: Cli, slug: str) -> None:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    for args in (
        ("orgs", "show", slug),
        ("products", "show", slug, "--org", "acme"),
        ("plans", "show", f"{slug}/x", "--org", "acme"),
        ("products", "list", "--org", slug),
    ):
        result = cli.run(*args)
        assert result.exit_code in (1, 2), result.stderr  # not found, or not an address
        assert result.stderr.startswith("Error: "), result.stderr
        assert "Traceback" not in result.stderr and "\x1b" not in result.stderr
    assert [o["slug"] for o in cli.json("orgs", "list")] == ["acme"]


HUGE = "99999999999999999999"


def test_extreme_numbers_and_dates_are_clear_errors_or_work(cli: Cli, tmp_path: Path) -> None:
    o = ("--org", "acme")
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("markets", "create", "us", "--name", "US", "--type", "custom", "--currency", "USD", *o)
    cli.ok("products", "create", "p", "--type", "course", "--title", "P", "--status", "active", *o)
    # an amount too large is a rule (exit 1); an integer option beyond its column is a usage
    # error (exit 2, issue 14): never a crash
    result = cli.fails(1, "plans", "create", "p", "big", "--type", "one-time", "--tier", "1",
                       "--price", f"us={HUGE}", *o)  # fmt: skip
    assert result.stderr.startswith("Error: ") and "too large" in result.stderr
    for args in (
        ("products", "create", "d", "--type", "digital", "--title", "D", "--file-size", HUGE),
        ("products", "list", "--limit", HUGE),
    ):
        result = cli.fails(2, *args, *o)
        assert "must be at most 9223372036854775" in result.stderr, result.stderr
        assert "unexpected" not in result.stderr
    # the first and last days of the calendar are ordinary inclusive dates
    offer = cli.json("offers", "create", "always", "--type", "percentage", "--percent", "5",
                     "--starts", "0001-01-01", "--ends", "9999-12-31", *o)  # fmt: skip
    assert (offer["starts"], offer["ends"]) == ("0001-01-01", "9999-12-31")
    cli.ok("plans", "create", "p", "basic", "--type", "one-time", "--tier", "1", "--price", "us=10",
           *o)  # fmt: skip
    quote = cli.json("plans", "price", "p/basic", "--market", "us", "--at", "9999-12-31", *o)
    assert (quote["offer"], quote["final_price_minor"]) == ("always", 950)
    for period in (("--period", "9999"), ("--from", "0001-01-01", "--to", "9999-12-31")):
        report = cli.json("revenue", "report", *period, *o)
        assert report["rows"] == [] and report["to"] == "9999-12-31"
    assert cli.json("sales", "list", "--from", "0001-01-01", "--to", "9999-12-31", *o) == []
    (tmp_path / "catalog.yaml").write_text(cli.ok("catalog", "export", *o).stdout)
    assert "ends: 9999-12-31" in (tmp_path / "catalog.yaml").read_text()
    diff = cli.json("catalog", "diff", str(tmp_path / "catalog.yaml"), *o)
    assert diff["changes"] == [], diff


# -- (c) CSV never carries a live spreadsheet formula ----------------------------------------------

FORMULAS = {
    "org": '=HYPERLINK("http://evil.example","click")',
    "brand": "+cmd|' /C calc'!A0",
    "market": "-2+3+cmd|' /C calc'!A0",
    "product": "@SUM(A1:A9)",
    "description": "\t=1+1",
    "variant": "=variant",
    "plan": "-plan",
    "collection": "=collection",
    "offer": "+offer",
    "promotion": "@promotion",
    "member": "=member",
    "instructor": "=teacher",
    "lesson": "=lesson",
    "comment": "\r=comment",
    "order": "=1+2",
    "customer": "=evil@example.org",
}


def _formula_world(cli: Cli, workdir: Path) -> None:
    f = FORMULAS
    o = ("--org", "acme")
    cli.ok("orgs", "create", "acme", "--name", f["org"])
    cli.ok("orgs", "brands", "create", "academy", "--name", f["brand"], *o)
    cli.ok("orgs", "members", "add", "ana@example.org", "--name", f["member"], *o)
    cli.ok("instructors", "create", "jane", "--user", "jane@example.org", "--name", f["instructor"])
    cli.ok("instructors", "affiliate", "jane", "--share", "10", *o)
    cli.ok("markets", "create", "us", "--name", f["market"], "--type", "custom",
           "--currency", "USD", *o)  # fmt: skip
    cli.ok("products", "create", "p", "--type", "course", "--title", f["product"],
           "--description", f["description"], "--brand", "academy", *o)  # fmt: skip
    cli.ok("products", "variants", "add", "p", "v", "--name", f["variant"], *o)
    cli.ok("products", "attribute", "p", "--instructor", "jane", *o)
    cli.ok("plans", "create", "p/v", "basic", "--type", "one-time", "--tier", "1",
           "--price", "us=1", "--name", f["plan"], *o)  # fmt: skip
    cli.ok("collections", "create", "c", "--name", f["collection"], "--product", "p", *o)
    cli.ok("offers", "create", "o", "--type", "percentage", "--percent", "5",
           "--coupon", "CODE", "--name", f["offer"], *o)  # fmt: skip
    cli.ok("offers", "promotions", "create", "pr", "--name", f["promotion"], "--offer", "o", *o)
    outline = (
        "version: 1\nkind: course_outline\ncourse: p\nmodules:\n"
        f"  - slug: m\n    title: {_yaml_text(f['lesson'])}\n    sections:\n"
        f"      - slug: s\n        title: {_yaml_text(f['lesson'])}\n        lessons:\n"
        f"          - slug: l\n            title: {_yaml_text(f['lesson'])}\n"
    )
    (workdir / "outline.yaml").write_text(outline, encoding="utf-8")
    cli.ok("courses", "import", str(workdir / "outline.yaml"), *o)
    cli.ok("enrollments", "add", "p", "--member", "ana@example.org", *o)
    cli.ok("courses", "rate", "p", "--user", "ana@example.org", "--level", "beginner",
           "--difficulty", "3", "--comment", f["comment"], *o)  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["order_id", "sold_at", "product", "variant", "plan", "market", "currency",
                     "amount", "customer"])  # fmt: skip
    writer.writerow([f["order"], "2026-03-01", "p", "v", "basic", "us", "USD", "1.00",
                     f["customer"]])  # fmt: skip
    (workdir / "sales.csv").write_text(buffer.getvalue(), encoding="utf-8")
    cli.ok("sales", "import", str(workdir / "sales.csv"), *o)


CSV_VIEWS = [
    ("orgs", "list"),
    ("orgs", "show", "acme"),
    ("orgs", "brands", "list"),
    ("orgs", "members", "list"),
    ("users", "list"),
    ("users", "list", "--all"),
    ("instructors", "list"),
    ("markets", "list"),
    ("products", "list"),
    ("products", "show", "p"),
    ("products", "variants", "list", "p"),
    ("plans", "list", "p"),
    ("plans", "show", "p/v/basic"),
    ("collections", "list"),
    ("collections", "show", "c"),
    ("offers", "list"),
    ("offers", "coupons", "list", "o"),
    ("offers", "promotions", "list"),
    ("courses", "list"),
    ("courses", "tree", "p"),
    ("courses", "ratings", "p"),
    ("enrollments", "list"),
    ("progress", "report"),
    ("progress", "report", "--by", "course"),
    ("sales", "list"),
    ("sales", "show", "=1+2"),
    ("revenue", "report"),
    ("revenue", "report", "--by", "product"),
    ("revenue", "report", "--by", "market"),
    ("revenue", "report", "--by", "brand"),
]


def _is_live_formula(cell: str) -> bool:
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    try:
        float(cell)  # "-12.50" is a number, not a formula
    except ValueError:
        return True
    return False


def test_csv_output_neutralises_formulas(cli: Cli, tmp_path: Path) -> None:
    _formula_world(cli, tmp_path)
    neutralised = 0
    for view in CSV_VIEWS:
        text = cli.ok("--org", "acme", *view, "--format", "csv").stdout
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        assert cells, view
        live = [cell for cell in cells if _is_live_formula(cell)]
        assert live == [], f"{' '.join(view)}: {live}"
        neutralised += sum(1 for cell in cells if cell[:1] == "'" and cell[1:2] in "=+-@\t\r")
    assert neutralised >= len(FORMULAS)  # the hostile texts were there, neutralised


# -- (d) -o FILE writes where it was told, and nowhere else ---------------------------------------


def _tree(root: Path) -> dict[str, str]:
    """Every entry under `root`: files with their text, links with their target."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_text(encoding="utf-8", errors="replace")
    return found


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory `work/` beside a directory `outside/` holding a file."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "precious.yaml").write_text("precious\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_scaffold_writes_only_where_it_was_told(here: Path) -> None:
    cli = Cli()
    root = here.parent
    before = _tree(root)
    # a title full of path syntax still makes a file named by its slug, here
    cli.ok("courses", "scaffold", "../../Escape Plan/..", "--modules", "1")
    assert set(_tree(root)) - set(before) == {"work/escape-plan.yaml"}
    for args, code in (
        (("--slug", "../evil"), 1),  # not a slug
        (("-o", "../outside/new.yaml"), 1),  # a relative path leaving the directory
        (("-o", "escape-plan.yaml"), 1),  # exists: --force is needed
    ):
        result = cli.fails(code, "courses", "scaffold", "Other", *args)
        assert result.stderr.startswith("Error: "), result.stderr
    assert set(_tree(root)) - set(before) == {"work/escape-plan.yaml"}


def test_scaffold_never_writes_through_a_symlink(here: Path) -> None:
    cli = Cli()
    outside = here.parent / "outside"
    (here / "course.yaml").symlink_to(outside / "target.yaml")  # dangling, pointing out
    (here / "escape").symlink_to(outside, target_is_directory=True)
    cli.fails(1, "courses", "scaffold", "Course")  # the link is there: refused
    cli.fails(1, "courses", "scaffold", "Course", "-o", "escape/x.yaml")  # resolves outside
    assert not (outside / "target.yaml").exists() and not (outside / "x.yaml").exists()
    cli.ok("courses", "scaffold", "Course", "--force")  # replaces the link, not its target
    assert not (here / "course.yaml").is_symlink()
    assert "kind: course_outline" in (here / "course.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in outside.iterdir()) == ["precious.yaml"]


def test_export_output_is_never_overwritten_or_followed_without_force(
    db_url: str, here: Path
) -> None:
    cli = Cli(db_url)
    build_world(db_url)
    cli.ok("courses", "import", str(ROOT / "tests/data/outlines/tiers.yaml"), "--org", "acme")
    precious = here.parent / "outside" / "precious.yaml"
    (here / "existing.yaml").write_text("mine\n", encoding="utf-8")
    (here / "link.yaml").symlink_to(precious)
    export = ("courses", "export", "python-101", "--org", "acme")
    cli.fails(1, *export, "-o", "existing.yaml")
    cli.fails(1, *export, "-o", "link.yaml")
    cli.fails(1, *export, "-o", "missing-dir/out.yaml")
    assert (here / "existing.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (here / "missing-dir").exists()
    cli.ok(*export, "-o", "link.yaml", "--force")
    assert precious.read_text(encoding="utf-8") == "precious\n"
    assert (here / "link.yaml").read_text(encoding="utf-8").startswith("version: 1")
    cli.ok(*export, "-o", "existing.yaml", "--force")
    assert (here / "existing.yaml").read_text(encoding="utf-8").startswith("version: 1")
    assert sorted(p.name for p in here.iterdir()) == ["existing.yaml", "link.yaml"]


@pytest.mark.parametrize(
    "command",
    [
        ("catalog", "export", "--format", "yaml"),  # explicit: the .out extension names none
        ("revenue", "report", "--format", "csv"),
        ("revenue", "report", "--format", "html"),
        ("revenue", "statement", "jane", "--format", "markdown"),
    ],
    ids=["catalog export", "report csv", "report html", "statement"],
)
def test_report_files_are_never_overwritten_or_followed_without_force(
    db_url: str, here: Path, command: tuple[str, ...]
) -> None:
    cli = Cli(db_url)
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("instructors", "create", "jane", "--user", "jane@example.org", "--name", "Jane")
    cli.ok("instructors", "affiliate", "jane", "--org", "acme")
    precious = here.parent / "outside" / "precious.yaml"
    (here / "existing.out").write_text("mine\n", encoding="utf-8")
    (here / "link.out").symlink_to(precious)
    (here / "dangling.out").symlink_to(here.parent / "outside" / "new.out")
    run = ("--org", "acme", *command)
    for name in ("existing.out", "link.out", "dangling.out", "missing-dir/x.out"):
        result = cli.fails(1, *run, "-o", name)
        assert result.stderr.startswith("Error: "), result.stderr
    assert (here / "existing.out").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in (here.parent / "outside").iterdir()) == ["precious.yaml"]
    for name in ("existing.out", "link.out", "dangling.out"):
        cli.ok(*run, "-o", name, "--force")
        assert not (here / name).is_symlink() and (here / name).read_text(encoding="utf-8")
        assert (here / name).read_text(encoding="utf-8") != "mine\n"
    assert precious.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in (here.parent / "outside").iterdir()) == ["precious.yaml"]


# -- (e) secrets ----------------------------------------------------------------------------------

SECRET = "S3cr3t-Pw"
UNREACHABLE = [
    f"postgresql+psycopg://bob:{SECRET}@127.0.0.1:1/volmify",
    f"postgresql://bob:{SECRET}%40x@127.0.0.1:1/volmify",  # percent-encoded: S3cr3t-Pw@x
    f"postgresql+psycopg://bob@127.0.0.1:1/volmify?password={SECRET}&sslmode=disable",
    f"postgresql+psycopg://bob:{SECRET}@x:y@127.0.0.1:1/volmify",  # an unencoded @: unparsable
]


def _leaks(text: str) -> bool:
    return SECRET.lower() in text.lower() or "x:y" in text


def _config(home: Path, url: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(f'database_url = "{url}"\n', encoding="utf-8")


@pytest.mark.parametrize("url", UNREACHABLE, ids=["userinfo", "encoded", "query", "unparsable"])
def test_passwords_never_printed_on_errors(
    url: str, hermetic_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli()
    runs = []
    for debug in ((), ("--debug",)):
        for command in (("db", "status"), ("orgs", "list"), ("db", "upgrade")):
            runs.append(cli.run(*debug, "--db", url, *command, db=False))
            with monkeypatch.context() as patch:
                patch.setenv("VOLMIFY_DATABASE_URL", url)
                runs.append(cli.run(*debug, *command, db=False))
            _config(hermetic_env, url)
            runs.append(cli.run(*debug, *command, db=False))
            (hermetic_env / "config" / "config.toml").unlink()
    for result in runs:
        assert result.exit_code == 4, result.stderr
        assert not _leaks(result.stdout + result.stderr), result.stderr
        assert "***" in result.stderr, result.stderr  # the URL is named, masked


@pytest.mark.skipif(not os.environ.get("VOLMIFY_TEST_POSTGRES_URL"), reason="needs PostgreSQL")
def test_password_masked_in_db_status_of_a_live_server(
    hermetic_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = os.environ["VOLMIFY_TEST_POSTGRES_URL"]  # the test server trusts any password
    scheme, _, rest = base.partition("://")
    user, _, host = rest.rpartition("@") if "@" in rest else ("postgres", "", rest)
    url = f"{scheme}://{user.split(':')[0]}:{SECRET}@{host}"
    cli = Cli()
    sources = [
        lambda: cli.run("--db", url, "db", "status", "--format", "json", db=False),
        lambda: cli.run("--debug", "--db", url, "db", "status", "--format", "table", db=False),
    ]
    for run in sources:
        result = run()
        assert result.exit_code == 0, result.stderr
        assert not _leaks(result.stdout + result.stderr)
    monkeypatch.setenv("VOLMIFY_DATABASE_URL", url + "?password=" + SECRET)
    status = json.loads(cli.run("db", "status", "--format", "json", db=False).stdout)
    assert SECRET not in status["url"] and status["url"].count("***") == 2


def test_orgs_use_keeps_the_config_file_private(db_url: str, hermetic_env: Path) -> None:
    """The config may hold a database password: `orgs use` rewrites it without widening its
    permissions (a new config file is 0600)."""
    cli = Cli(db_url)
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    config = hermetic_env / "config" / "config.toml"
    cli.ok("orgs", "use", "acme")
    assert config.stat().st_mode & 0o777 == 0o600
    config.write_text(config.read_text() + f'database_url = "postgresql://bob:{SECRET}@db/app"\n')
    config.chmod(0o640)
    cli.ok("orgs", "use", "acme")
    assert config.stat().st_mode & 0o777 == 0o640
    assert f"bob:{SECRET}@" in config.read_text()  # kept, as written
    assert sorted(p.name for p in config.parent.iterdir()) == ["config.toml"]
