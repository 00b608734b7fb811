"""`courses import --from scorm imsmanifest.xml`: a SCORM 1.2 / SCORM 2004 / IMS Content
Packaging manifest as a course outline.

The course is the default organization (`<organizations default=…>`, else the first one); its
slug comes from the organization's title, else the manifest's identifier, else the
organization's. Its `<item>` tree becomes modules, sections and lessons by depth:

- items three levels deep: module > section > lesson;
- two levels (module > lesson): one section per module, named after the module;
- one level (only lessons): one module and one section, named after the organization;
- deeper: the leaves below a section are its lessons, in order (the items between are not
  kept as levels, with a warning); a top-level leaf in a deeper tree is a module and a section
  of its own, and a module's leaf items next to its sub-trees form a section named after it.

A leaf item is a lesson: its title, and as `content` the launch address of the resource its
`identifierref` names (`xml:base` and the item's `parameters` applied). Its type: a resource
that is a SCO (`adlcp:scormtype`/`scormType="sco"`: it talks to the LMS's run-time API) is
`interactive`, one whose address is a video file is `video`, anything else `text`. Elements of
both SCORM versions' namespaces are read by their local names inside the manifest's own
namespace.

Not kept, each said in a warning with its line: other organizations, sub-manifests,
metadata beyond the SCORM version, sequencing and navigation rules (imsss, adlseq, adlnav),
run-time settings (mastery score, time limits, launch data), a container item's own resource,
and any element of another kind. Items hidden from the menu (`isvisible="false"`) are imported
as visible lessons, with a warning. The package's files stay where they are: a lesson keeps
its launch address only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from volmify_cli.enums import LessonType
from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.bounded import input_name
from volmify_cli.exchange.xml_files import (
    Budget,
    Element,
    ImportedCourse,
    Slugs,
    Warnings,
    listing,
    mapping,
    outline,
    read_xml,
    scalar,
)
from volmify_cli.inputs.marks import MarkedMap
from volmify_cli.rules import slugify

MANIFEST = "imsmanifest.xml"
VIDEO_FILES = frozenset((".mp4", ".m4v", ".webm", ".ogv", ".mov"))
PREFIXES = {
    "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp",
    "http://www.imsglobal.org/xsd/imsss": "imsss",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav",
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd",
    "http://ltsc.ieee.org/xsd/LOM": "lom",
}


def read_scorm(path: Path, *, name: str | None = None) -> ImportedCourse:
    """Read a SCORM / IMS CP manifest (or the directory holding imsmanifest.xml) into a course
    outline and the warnings about what it does not keep. Raises InvalidInputError (exit 3)
    naming the file and line: malformed XML, no organization, an item naming a resource the
    manifest does not have, a title the outline's rules refuse."""
    shown = name or input_name(path)
    try:
        is_directory = path.is_dir()
    except OSError:  # a name too long: opening it says so
        is_directory = False
    if is_directory:
        path, shown = path / MANIFEST, f"{shown.rstrip('/')}/{MANIFEST}"
    return _ScormReader(read_xml(path, name=shown, budget=Budget()), shown).read()


@dataclass(eq=False)
class _Item:
    element: Element
    title: str
    title_at: Element
    children: list[_Item] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 1 + max((child.depth for child in self.children), default=0)

    def leaves(self) -> list[_Item]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


class _ScormReader:
    def __init__(self, root: Element, name: str) -> None:
        self.root = root
        self.name = name
        self.cp = root.namespace  # the content packaging namespace of this manifest's version
        self.warnings = Warnings()
        self.resources: dict[str, tuple[Element, str]] = {}  # identifier -> (resource, base)
        self.modules = Slugs("module")
        self.lessons = Slugs("lesson")  # a course's own lessons: unique within the course

    def read(self) -> ImportedCourse:
        root = self.root
        if root.tag != "manifest":
            raise _problem(root, f"the root element is <{root.tag}>, expected <manifest>")
        organizations: Element | None = None
        for child in root.children:
            if self._ours(child, "organizations"):
                organizations = child
            elif self._ours(child, "resources"):
                self._read_resources(child)
            elif self._ours(child, "metadata"):
                self._metadata(child)
            elif self._ours(child, "manifest"):
                self.warnings.add(child, "a sub-manifest (<manifest>) is not imported")
            else:
                self._unknown(child, "manifest")
        organization = self._organization(organizations)
        title, title_at = self._title(organization, "")
        items = self._items(organization)
        slug = next(
            (
                slugify(text)
                for text in (title, root.get("identifier"), organization.get("identifier"))
                if text and slugify(text)
            ),
            None,
        )
        if slug is None:
            raise _problem(
                organization,
                "cannot name the course: give the organization a <title> or the manifest an"
                " identifier that has letters or digits",
            )
        modules = listing(organization, self._modules(organization, title, title_at, items))
        doc = outline(
            organization, course=slug, title=title or None, modules=modules, name=self.name
        )
        return ImportedCourse(doc, self.warnings.lines())

    # -- the manifest ----------------------------------------------------------------------

    def _ours(self, element: Element, tag: str) -> bool:
        return element.tag == tag and element.namespace == self.cp

    def _unknown(self, element: Element, parent: str) -> None:
        self.warnings.add(element, f"<{_qualified(element)}> in {parent} is not imported")

    def _metadata(self, metadata: Element) -> None:
        kept = [c for c in metadata.children if not self._ours(c, "schema")]
        kept = [c for c in kept if not self._ours(c, "schemaversion")]
        if kept:
            self.warnings.add(metadata, f"metadata (<{_qualified(kept[0])}>) is not imported")

    def _read_resources(self, resources: Element) -> None:
        base = self.root.attrs.get("base", "") + resources.attrs.get("base", "")  # xml:base
        for resource in resources.children:
            if not self._ours(resource, "resource"):
                self._unknown(resource, "resources")
                continue
            identifier = resource.get("identifier")
            if identifier is not None:
                self.resources[identifier] = (resource, base + resource.attrs.get("base", ""))

    def _organization(self, organizations: Element | None) -> Element:
        found = [
            child
            for child in (organizations.children if organizations is not None else [])
            if self._ours(child, "organization")
        ]
        if organizations is None or not found:
            raise _problem(
                organizations or self.root,
                "the manifest has no <organization>: no course to import",
            )
        for child in organizations.children:
            if not self._ours(child, "organization"):
                self._unknown(child, "organizations")
        default = organizations.get("default")
        chosen = next((o for o in found if default and o.get("identifier") == default), None)
        if chosen is None:
            if default:
                self.warnings.add(
                    organizations,
                    f"the default organization {default!r} is not in the manifest: the first"
                    " one is imported",
                )
            chosen = found[0]
        for other in found:
            if other is not chosen:
                self.warnings.add(
                    other,
                    f"organization {other.get('identifier') or '(no identifier)'} is not imported"
                    " (only the default one is)",
                )
        return chosen

    # -- items -----------------------------------------------------------------------------

    def _title(self, element: Element, fallback: str) -> tuple[str, Element]:
        for child in element.children:
            if self._ours(child, "title"):
                text = " ".join(child.text.split())
                if text:
                    return text, child
        return fallback, element

    def _items(self, parent: Element) -> list[_Item]:
        """The item tree below an organization or an item; warns about what it drops."""
        items: list[_Item] = []
        for child in parent.children:
            if self._ours(child, "item"):
                fallback = child.get("identifier") or f"Item {len(items) + 1}"
                title, title_at = self._title(child, fallback)
                item = _Item(child, title, title_at, self._items(child))
                if (child.get("isvisible") or "").lower() == "false":
                    self.warnings.add(
                        child,
                        "an item hidden from the menu (isvisible=false) is imported as a"
                        " visible lesson",
                    )
                if item.children and child.get("identifierref"):
                    self.warnings.add(
                        child,
                        "an item holding other items cannot be a lesson: its resource is not"
                        " imported",
                    )
                items.append(item)
            elif self._ours(child, "title"):
                continue
            elif self._ours(child, "metadata"):
                self.warnings.add(child, "metadata is not imported")
            else:
                what = f"<{_qualified(child)}>"
                if child.namespace != self.cp and child.namespace in PREFIXES:
                    kind = PREFIXES[child.namespace]
                    rules = "run-time setting" if kind == "adlcp" else "sequencing rule"
                    self.warnings.add(child, f"{what} ({rules}) is not imported")
                else:
                    self._unknown(child, f"<{parent.tag}>")
        return items

    # -- structure -------------------------------------------------------------------------

    def _modules(
        self, organization: Element, title: str, title_at: Element, items: list[_Item]
    ) -> list[MarkedMap]:
        if all(not item.children for item in items):  # one level: the organization's lessons
            name = title or "Lessons"
            section = self._section(Slugs("section"), organization, name, title_at, items)
            return [self._module(organization, name, title_at, [section])]
        modules: list[MarkedMap] = []
        for top in items:
            sections = Slugs("section")
            built: list[MarkedMap] = []
            run: list[_Item] = []  # the module's leaf items since the last sub-tree
            for child in top.children or [top]:
                if not child.children:
                    run.append(child)
                    continue
                if run:
                    built.append(self._section(sections, top.element, top.title, top.title_at, run))
                    run = []
                for deep in child.children:
                    if deep.children:
                        self.warnings.add(
                            deep.element,
                            "items nested deeper than module > section > lesson: the lessons"
                            f" below {deep.title!r} join section {child.title!r}",
                        )
                built.append(
                    self._section(
                        sections, child.element, child.title, child.title_at, child.leaves()
                    )
                )
            if run:
                built.append(self._section(sections, top.element, top.title, top.title_at, run))
            modules.append(self._module(top.element, top.title, top.title_at, built))
        return modules

    def _module(
        self, at: Element, title: str, title_at: Element, sections: list[MarkedMap]
    ) -> MarkedMap:
        slug = self.modules.make(title, at.get("identifier"))
        return mapping(
            at,
            [
                ("slug", scalar(slug, at)),
                ("title", scalar(title, title_at)),
                ("sections", listing(at, sections)),
            ],
        )

    def _section(
        self, slugs: Slugs, at: Element, title: str, title_at: Element, leaves: list[_Item]
    ) -> MarkedMap:
        slug = slugs.make(title, at.get("identifier"))
        return mapping(
            at,
            [
                ("slug", scalar(slug, at)),
                ("title", scalar(title, title_at)),
                ("lessons", listing(at, [self._lesson(leaf) for leaf in leaves])),
            ],
        )

    def _lesson(self, item: _Item) -> MarkedMap:
        element = item.element
        title = item.title
        kind = LessonType.TEXT
        content: str | None = None
        reference = element.get("identifierref")
        if reference is not None:
            if reference not in self.resources:
                raise _problem(
                    element,
                    f"item {item.title!r} names resource {reference!r}, which the manifest does"
                    " not have",
                )
            resource, base = self.resources[reference]
            href = resource.get("href")
            if href is None:
                self.warnings.add(resource, "a resource with no href: its lesson has no content")
            else:
                content = _with_parameters(base + href, element.get("parameters"))
                scorm_type = resource.get("scormtype") or resource.get("scormType") or ""
                if scorm_type.lower() == "sco":
                    kind = LessonType.INTERACTIVE
                elif PurePosixPath(href.partition("?")[0]).suffix.lower() in VIDEO_FILES:
                    kind = LessonType.VIDEO
        items = [
            ("slug", scalar(self.lessons.make(title, element.get("identifier")), element)),
            ("title", scalar(title, item.title_at)),
            ("type", scalar(kind.value, element)),
        ]
        if content is not None:
            items.append(("content", scalar(content, element)))
        return mapping(element, items)


def _with_parameters(href: str, parameters: str | None) -> str:
    """IMS CP: parameters starting with `?` or `#` are appended as they are; others after `?`
    (or `&` when the address already has a query)."""
    if not parameters:
        return href
    if parameters[0] in "?#":
        return href + parameters
    return href + ("&" if "?" in href else "?") + parameters


def _qualified(element: Element) -> str:
    prefix = PREFIXES.get(element.namespace)
    if prefix:
        return f"{prefix}:{element.tag}"
    return element.tag if not element.namespace else f"{{{element.namespace}}}{element.tag}"


def _problem(at: Element, message: str) -> InvalidInputError:
    return InvalidInputError([Problem(at.file, at.line, at.column, "", message)])
