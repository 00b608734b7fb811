"""volmify courses scaffold: golden files per template, confinement, no overwrite, and
scaffold -> import for every template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.world import build_world
from tests.support import Cli
from volmify_cli.cli.context import AppContext

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "scaffold"
TEMPLATES = ["certification", "default", "workshop"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_matches_its_golden_file(here: Path, template: str) -> None:
    result = Cli().ok("courses", "scaffold", "Intro to Rust", "--template", template)
    written = here / "intro-to-rust.yaml"
    assert f"Wrote {written}" in result.stderr
    assert result.stdout == ""
    assert written.read_text(encoding="utf-8") == (GOLDEN / f"{template}.yaml").read_text(
        encoding="utf-8"
    )


def test_the_template_folder_holds_exactly_the_tested_templates() -> None:
    from volmify_cli.rendering.scaffold import template_names

    assert template_names() == TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES)
def test_scaffold_then_import_works(cli: Cli, here: Path, template: str) -> None:
    build_world(cli.db_url or "")
    cli.ok("courses", "scaffold", "Rust for teams", "--template", template, "--modules", "2")
    plan = cli.json("courses", "import", "rust-for-teams.yaml", "--org", "acme")
    assert plan["created"] > 0 and plan["changes"][0]["key"] == "rust-for-teams"
    tree = cli.json("courses", "tree", "rust-for-teams", "--org", "acme")
    assert len(tree["children"]) == (3 if template == "certification" else 2)
    again = cli.json("courses", "import", "rust-for-teams.yaml", "--org", "acme")
    assert (again["created"], again["updated"]) == (0, 0)


def test_counts_shape_the_outline(here: Path) -> None:
    result = Cli().ok(
        "courses",
        "scaffold",
        "Tiny",
        "--modules",
        "1",
        "--sections",
        "2",
        "--lessons",
        "1",
        "-o",
        "-",
    )
    text = result.stdout
    assert text.count("  - slug: module-") == 1
    assert text.count("      - slug: section-1-") == 2
    assert text.count("          - slug: lesson-1-") == 2
    assert not (here / "tiny.yaml").exists()


def test_never_overwrites_without_force(here: Path) -> None:
    (here / "intro-to-rust.yaml").write_text("mine\n")
    result = Cli().fails(1, "courses", "scaffold", "Intro to Rust")
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert (here / "intro-to-rust.yaml").read_text() == "mine\n"
    Cli().ok("courses", "scaffold", "Intro to Rust", "--force")
    assert (here / "intro-to-rust.yaml").read_text().startswith("# Course outline")


def test_output_stays_in_the_current_directory(
    here: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    result = Cli().fails(1, "courses", "scaffold", "X", "-o", "../escape.yaml")
    assert "leaves the current directory" in result.stderr
    assert not (here.parent / "escape.yaml").exists()
    (here / "outlines").mkdir()
    Cli().ok("courses", "scaffold", "X", "-o", "outlines/x.yaml")
    assert (here / "outlines" / "x.yaml").exists()
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x.yaml"
    Cli().ok("courses", "scaffold", "X", "-o", str(elsewhere))  # an explicit absolute path
    assert elsewhere.exists()


def test_bad_requests(here: Path) -> None:
    result = Cli().fails(2, "courses", "scaffold")
    assert "missing TITLE" in result.stderr
    result = Cli().fails(2, "courses", "scaffold", "X", "--template", "nope")
    assert "certification, default, workshop" in result.stderr
    result = Cli().fails(1, "courses", "scaffold", "🎉🚀")  # nothing to transliterate
    assert "--slug" in result.stderr
    Cli().ok("courses", "scaffold", "🎉🚀", "--slug", "party")
    assert (here / "party.yaml").exists()
    Cli().ok("courses", "scaffold", "日本語")  # transliterated: ri-ben-yu
    assert (here / "ri-ben-yu.yaml").exists()
    result = Cli().fails(1, "courses", "scaffold", "X", "--modules", "51")
    assert "between 0 and 50" in result.stderr


class FakePrompter:
    enabled = True

    def __init__(self) -> None:
        self.asked: list[str] = []

    def text(self, message: str, *, flag: str, default: str = "") -> str:
        self.asked.append(flag)
        return "Asked Title"

    def select(self, message: str, choices: Any, *, flag: str) -> str:
        self.asked.append(flag)
        assert list(choices) == TEMPLATES
        return "workshop"


def test_on_a_terminal_missing_values_are_asked(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakePrompter()
    monkeypatch.setattr(AppContext, "prompter", lambda self: fake)
    Cli().ok("courses", "scaffold")
    assert fake.asked == ["TITLE", "--template"]
    assert "workshop template" in (here / "asked-title.yaml").read_text()
