"""`courses import --from scorm imsmanifest.xml`: SCORM 1.2, SCORM 2004 and IMS content
package manifests read into the course outline a YAML file gives: the item tree by depth,
lessons' types and launch addresses, warnings for what is not kept, and exit 3 naming the line
of what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.scorm import read_scorm
from volmify_cli.inputs.outline_schema import CourseOutlineDoc

ROOT = Path(__file__).resolve().parent.parent.parent
SCORM = ROOT / "fixtures" / "scorm"
CP = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"'


def structure(doc: CourseOutlineDoc) -> list[tuple[str, str, list[tuple[str, str, list[str]]]]]:
    """(module slug, title, [(section slug, title, [lesson slugs])])."""
    return [
        (
            str(m.slug),
            str(m.title),
            [(str(s.slug), str(s.title), [str(x.slug) for x in s.lessons]) for s in m.sections],
        )
        for m in doc.modules
    ]


def lessons(doc: CourseOutlineDoc) -> dict[str, tuple[str, str, str | None]]:
    return {
        str(x.slug): (str(x.title), x.type.value, x.content)
        for m in doc.modules
        for s in m.sections
        for x in s.lessons
    }


def manifest(tmp_path: Path, organization: str, resources: str = "", extra: str = "") -> Path:
    path = tmp_path / "imsmanifest.xml"
    path.write_text(
        f"""<?xml version="1.0"?>
<manifest identifier="pkg" {CP}>
  <organizations default="o">
    <organization identifier="o">
{organization}
    </organization>
  </organizations>
  <resources>
{resources}
  </resources>{extra}
</manifest>
""",
        encoding="utf-8",
    )
    return path


def problems(error: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# -- the fixtures ----------------------------------------------------------------------------


def test_scorm_1_2_three_levels_are_modules_sections_and_lessons() -> None:
    imported = read_scorm(SCORM / "tide-pools-scorm12" / "imsmanifest.xml", name="m.xml")
    doc = imported.doc
    assert (doc.course, doc.title) == ("tide-pools-up-close", "Tide Pools Up Close")
    assert structure(doc) == [
        (
            "zones-of-the-shore",
            "Zones of the shore",
            [
                ("the-splash-zone", "The splash zone", ["periwinkles", "lichens-on-rock"]),
                ("the-low-zone", "The low zone", ["anemones"]),
            ],
        ),
        (
            "visiting-responsibly",
            "Visiting responsibly",
            [("rules-of-thumb", "Rules of thumb", ["reading-a-tide-table", "final-check"])],
        ),
    ]
    assert lessons(doc) == {
        "periwinkles": ("Periwinkles", "interactive", "periwinkles/index.html"),  # a SCO
        "lichens-on-rock": ("Lichens on rock", "text", "lichens.html"),
        "anemones": ("Anemones", "video", "media/anemones.mp4"),
        "reading-a-tide-table": ("Reading a tide table", "text", "tides.pdf"),
        "final-check": ("Final check", "interactive", "quiz/index.html"),
    }
    assert imported.warnings == [
        "m.xml:48: organization tide_pools_short is not imported (only the default one is)",
        "m.xml:21: <adlcp:masteryscore> (run-time setting) is not imported",
        "m.xml:43: <adlcp:maxtimeallowed> (run-time setting) is not imported",
    ]


def test_scorm_2004_two_levels_get_one_section_per_module_named_after_it() -> None:
    imported = read_scorm(SCORM / "night-sky-scorm2004", name="night-sky")  # the directory
    doc = imported.doc
    assert doc.course == "naked-eye-astronomy"
    assert structure(doc) == [
        (
            "finding-your-way",
            "Finding your way",
            [
                (
                    "finding-your-way",
                    "Finding your way",
                    ["finding-north", "letting-your-eyes-adapt"],
                )
            ],
        ),
        (
            "the-moon",
            "The Moon",
            [("the-moon", "The Moon", ["phases", "craters-through-binoculars"])],
        ),
    ]
    assert lessons(doc) == {
        # xml:base of <resources> and of <resource>, then the item's parameters
        "finding-north": ("Finding north", "interactive", "content/orientation.html?chapter=1"),
        "letting-your-eyes-adapt": (
            "Letting your eyes adapt",
            "text",
            "content/dark-adaptation.html",
        ),
        "phases": ("Phases", "video", "content/moon/phases.webm"),
        "craters-through-binoculars": (
            "Craters through binoculars",
            "interactive",
            "content/moon/craters.html",
        ),
    }
    assert imported.warnings == [
        "night-sky/imsmanifest.xml:23: an item hidden from the menu (isvisible=false) is"
        " imported as a visible lesson",
        "night-sky/imsmanifest.xml:26: <imsss:sequencing> (sequencing rule) is not imported",
        "night-sky/imsmanifest.xml:37: <adlnav:presentation> (sequencing rule) is not imported",
    ]


def test_an_ims_package_of_one_level_is_one_module_and_section_named_after_it() -> None:
    imported = read_scorm(SCORM / "kitchen-safety-imscp" / "imsmanifest.xml")
    assert structure(imported.doc) == [
        (
            "kitchen-safety-basics",
            "Kitchen Safety Basics",
            [
                (
                    "kitchen-safety-basics",
                    "Kitchen Safety Basics",
                    ["holding-a-knife", "hot-pans-and-burns", "a-small-fire-on-the-stove"],
                )
            ],
        )
    ]
    assert {t for _, t, _ in lessons(imported.doc).values()} == {"text"}
    assert imported.warnings == []


# -- shapes of item trees --------------------------------------------------------------------


def test_deeper_trees_are_flattened_into_their_section_with_a_warning(tmp_path: Path) -> None:
    path = manifest(
        tmp_path,
        """      <title>Deep</title>
      <item identifier="m"><title>Module</title>
        <item identifier="intro" identifierref="r"><title>Intro</title></item>
        <item identifier="s"><title>Section</title>
          <item identifier="deep"><title>Deeper</title>
            <item identifier="l1" identifierref="r"><title>One</title></item>
            <item identifier="l2" identifierref="r"><title>Two</title></item>
          </item>
          <item identifier="l3" identifierref="r"><title>Three</title></item>
        </item>
        <item identifier="outro" identifierref="r"><title>Intro</title></item>
      </item>
      <item identifier="alone" identifierref="r"><title>Alone</title></item>""",
        '    <resource identifier="r" type="webcontent" href="r.html"/>',
    )
    imported = read_scorm(path, name="m.xml")
    assert structure(imported.doc) == [
        (
            "module",
            "Module",
            [
                # leaf items next to sub-trees form sections named after the module
                ("module", "Module", ["intro"]),
                ("section", "Section", ["one", "two", "three"]),
                ("module-2", "Module", ["intro-2"]),
            ],
        ),
        # a top-level leaf in a deeper tree: a module and a section of its own
        ("alone", "Alone", [("alone", "Alone", ["alone"])]),
    ]
    assert imported.warnings == [
        "m.xml:9: items nested deeper than module > section > lesson: the lessons below"
        " 'Deeper' join section 'Section'"
    ]


def test_an_untitled_item_and_an_emoji_title_still_get_slugs(tmp_path: Path) -> None:
    path = manifest(
        tmp_path,
        """      <title>🎓</title>
      <item identifier="first_lesson" identifierref="r"><title>✨</title></item>
      <item identifier="x" identifierref="r"/>""",
        '    <resource identifier="r" type="webcontent" href="r.html"/>',
    )
    imported = read_scorm(path)
    doc = imported.doc
    assert doc.course == "pkg"  # no letters in the title: the manifest's identifier
    assert [(x.slug, x.title) for x in doc.modules[0].sections[0].lessons] == [
        ("first-lesson", "✨"),  # from the identifier
        ("x", "x"),  # no title: the identifier is the title
    ]
    assert doc.modules[0].title == "🎓"
    assert doc.modules[0].slug == "o"  # the organization's identifier


def test_the_default_organization_is_imported_or_else_the_first(tmp_path: Path) -> None:
    path = tmp_path / "imsmanifest.xml"
    path.write_text(
        f"""<manifest identifier="pkg" {CP}>
  <organizations default="missing">
    <organization identifier="a"><title>First</title><item identifier="i"><title>I</title></item></organization>
    <organization identifier="b"><title>Second</title></organization>
  </organizations>
</manifest>""",
        encoding="utf-8",
    )
    imported = read_scorm(path, name="m.xml")
    assert (imported.doc.course, imported.doc.title) == ("first", "First")
    assert imported.warnings == [
        "m.xml:2: the default organization 'missing' is not in the manifest: the first one is"
        " imported",
        "m.xml:4: organization b is not imported (only the default one is)",
    ]


# -- refusals: exit 3 naming the line --------------------------------------------------------


def test_an_item_naming_a_missing_resource_is_refused_at_its_line(tmp_path: Path) -> None:
    path = manifest(
        tmp_path,
        '      <title>T</title>\n      <item identifier="i" identifierref="gone"><title>I</title></item>',
    )
    with pytest.raises(InvalidInputError) as error:
        read_scorm(path, name="m.xml")
    assert problems(error) == [
        "m.xml:6:7: item 'I' names resource 'gone', which the manifest does not have"
    ]
    assert error.value.exit_code == 3


def test_a_too_long_title_is_refused_at_its_line(tmp_path: Path) -> None:
    path = manifest(
        tmp_path,
        f'      <title>T</title>\n      <item identifier="i">\n<title>{"y" * 400}</title></item>',
    )
    with pytest.raises(InvalidInputError) as error:
        read_scorm(path, name="m.xml")
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("m.xml", 7)
    assert problem.path == "modules[0].sections[0].lessons[0].title"
    assert "300" in problem.message


def test_a_manifest_without_an_organization_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "imsmanifest.xml"
    path.write_text(f'<manifest identifier="p" {CP}><organizations/></manifest>', encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_scorm(path, name="m.xml")
    assert problems(error) == [
        "m.xml:1:74: the manifest has no <organization>: no course to import"
    ]


def test_malformed_xml_and_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "imsmanifest.xml"
    path.write_text(f"<manifest {CP}>\n  <organizations>\n</manifest>", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_scorm(path, name="m.xml")
    assert problems(error) == ["m.xml:3:3: not valid XML: mismatched tag"]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY lol "lol">]>\n'
        f"<manifest {CP}><organizations>&lol;</organizations></manifest>",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as error:
        read_scorm(path, name="m.xml")
    [problem] = error.value.problems
    assert (problem.file, problem.line) == ("m.xml", 2)
    assert "document type declarations" in problem.message


def test_a_missing_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as error:
        read_scorm(tmp_path, name="pkg")
    [problem] = error.value.problems
    assert problem.file == "pkg/imsmanifest.xml"
    assert "cannot read" in problem.message


TIDE_POOLS = (SCORM / "tide-pools-scorm12" / "imsmanifest.xml").read_text(encoding="utf-8")
TOKENS = ["<", ">", "/>", "</item>", "<item", ' identifierref="', '"', "&", "xmlns:x=", "\x00"]


@settings(max_examples=150)
@given(
    cut=st.integers(0, len(TIDE_POOLS)),
    length=st.integers(0, 60),
    insert=st.lists(st.sampled_from(TOKENS), max_size=3).map("".join),
)
def test_a_damaged_manifest_is_read_or_refused_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, cut: int, length: int, insert: str
) -> None:
    path = tmp_path_factory.mktemp("damaged") / "imsmanifest.xml"
    path.write_text(TIDE_POOLS[:cut] + insert + TIDE_POOLS[cut + length :], encoding="utf-8")
    try:
        read_scorm(path, name="m.xml")
    except InvalidInputError as error:
        assert error.problems and all(p.file == "m.xml" for p in error.problems)
