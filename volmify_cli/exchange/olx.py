"""`courses import --from olx DIR`: an Open edX OLX course directory as a course outline.

The course is `DIR/course.xml`: either the whole course inline, or (as Studio exports it) a
`<course url_name="RUN" org=… course=…/>` pointing to `course/RUN.xml`. Below it, chapter ->
module, sequential -> section, vertical -> lesson, each written inline or as a pointer tag
(`<chapter url_name="X"/>`: only `url_name`, no children) to `chapter/X.xml`,
`sequential/X.xml`, `vertical/X.xml` (a `:` in a url_name is a directory, as in edX). Titles
are `display_name`s; slugs are derived from them (else from the url_name), unique where SPEC
4.2 wants them unique. The course's slug is its `course` attribute (the course number, so
every run updates one course), else its url_name, else its title.

A lesson's type comes from its unit's components: video -> video, html -> text, problem ->
quiz, openassessment -> assignment, lti / lti_consumer -> interactive. A unit mixing kinds
takes the type of its first typed component (its lead: a video followed by a check-up problem
is a video lesson); a unit with none is a text lesson. The first video's source (an HTML5
source URL, else its YouTube address) is the lesson's `content`. A component written directly
in a sequential (OLX allows it) is a lesson of its own.

Not kept, each said in a warning with its file and line: elements of any other kind (wiki,
discussion, library content, custom XBlocks…), chapters, sequentials and units that are
`visible_to_staff_only` or `hide_from_toc` (learners do not see them), and a video with no
source URL. Not kept without a word, as no element is lost: schedules, grading and other
attributes, and the components' own bodies (HTML, problems), which stay in the OLX.
"""

from __future__ import annotations

import json
import re
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

COMPONENT_TYPES = {
    "video": LessonType.VIDEO,
    "html": LessonType.TEXT,
    "problem": LessonType.QUIZ,
    "openassessment": LessonType.ASSIGNMENT,
    "lti": LessonType.INTERACTIVE,
    "lti_consumer": LessonType.INTERACTIVE,
}
_HIDDEN = ("visible_to_staff_only", "hide_from_toc")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NOUNS = {"chapter": "module", "sequential": "section", "vertical": "lesson"}


def read_olx(directory: Path, *, name: str | None = None) -> ImportedCourse:
    """Read an OLX course directory into a course outline and the warnings about what it does
    not keep. Raises InvalidInputError (exit 3) naming the file (and line) of the first problem:
    no course.xml, malformed XML, a pointer to a missing file or out of the directory, a title
    or a source the outline's rules refuse."""
    return _OlxReader(directory, name or input_name(directory)).read()


class _OlxReader:
    def __init__(self, directory: Path, name: str) -> None:
        self.name = name.rstrip("/") or name
        try:
            is_directory = directory.is_dir()
            self.root = directory.resolve()
        except (OSError, RuntimeError):  # a name too long, a loop of symbolic links
            is_directory = False
        if not is_directory:
            raise InvalidInputError(
                [Problem(name, None, None, "", "is not a directory")],
                "--from olx reads an OLX course directory: the one holding course.xml",
            )
        self.budget = Budget()
        self.warnings = Warnings()
        self.modules = Slugs("module")
        self.lessons = Slugs("lesson")  # a course's own lessons: unique within the course

    def read(self) -> ImportedCourse:
        top = self._file(PurePosixPath("course.xml"), None)
        if top.tag != "course":
            raise _problem(top, f"the root element is <{top.tag}>, expected <course>")
        course = top
        pointer = top.get("url_name")
        if pointer is not None and not top.children:
            course = self._load("course", pointer, top)
        sources = (top.get("course"), pointer, course.get("display_name"))
        slug = next((slugify(source) for source in sources if source and slugify(source)), None)
        if slug is None:
            raise _problem(
                top,
                "cannot name the course: give <course> a course attribute (its number, such as"
                " PY101) that has letters or digits",
            )
        modules = listing(course, self._modules(course))
        imported = outline(
            course,
            course=slug,
            title=course.get("display_name"),
            modules=modules,
            name=self.name,
        )
        return ImportedCourse(imported, self.warnings.lines())

    # -- files -----------------------------------------------------------------------------

    def _file(self, relative: PurePosixPath, at: Element | None) -> Element:
        path = self.root.joinpath(*relative.parts)
        shown = f"{self.name}/{relative}"
        try:
            resolved = path.resolve()
            if not resolved.is_relative_to(self.root):
                raise _problem_at(at, shown, "leads out of the course directory (a symbolic link)")
            if not resolved.is_file():
                missing = not path.is_symlink() and not path.exists()
                raise _problem_at(at, shown, "does not exist" if missing else "is not a file")
        except (OSError, RuntimeError) as exc:  # a name too long, a loop of symbolic links
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise _problem_at(at, shown, f"cannot be read ({reason})") from None
        return read_xml(resolved, name=shown, budget=self.budget)

    def _load(self, kind: str, url_name: str, at: Element) -> Element:
        """The element a pointer tag points to: `KIND/URL_NAME.xml`."""
        relative = PurePosixPath(kind, *url_name.split(":"))
        if (
            "\\" in url_name
            or "\0" in url_name
            or any(part in ("", ".", "..") or "/" in part for part in url_name.split(":"))
        ):
            raise _problem(at, f"url_name {url_name!r} is not a file name inside the directory")
        element = self._file(relative.with_name(relative.name + ".xml"), at)
        if element.tag != kind:
            raise _problem(element, f"the root element is <{element.tag}>, expected <{kind}>")
        element.attrs.setdefault("url_name", url_name)
        return element

    def _expand(self, element: Element) -> Element:
        url_name = element.get("url_name")
        if url_name is not None and not element.children and set(element.attrs) == {"url_name"}:
            return self._load(element.tag, url_name, element)
        return element

    def _visible(self, element: Element) -> bool:
        hidden = [name for name in _HIDDEN if (element.get(name) or "").lower() == "true"]
        if hidden:
            self.warnings.add(
                element,
                f"{element.tag} {_label(element)} is {hidden[0]}: not imported (learners do not"
                " see it)",
            )
        return not hidden

    def _unknown(self, element: Element, parent: str) -> None:
        self.warnings.add(element, f"<{element.tag}> in a {parent} is not imported")

    def _title(self, element: Element, number: int) -> str:
        title = element.get("display_name") or element.get("url_name")
        if title is None:
            title = f"{_NOUNS.get(element.tag, 'lesson').capitalize()} {number}"
            self.warnings.add(element, f"{element.tag} has no display_name: titled {title!r}")
        return title

    # -- structure -------------------------------------------------------------------------

    def _modules(self, course: Element) -> list[MarkedMap]:
        modules: list[MarkedMap] = []
        for child in course.children:
            if child.tag != "chapter":
                self._unknown(child, "course")
                continue
            chapter = self._expand(child)
            if not self._visible(chapter):
                continue
            title = self._title(chapter, len(modules) + 1)
            sections = Slugs("section")
            items = [
                self._section(sequential, sections, number)
                for number, sequential in enumerate(self._children(chapter, "sequential"), 1)
            ]
            slug = self.modules.make(title, chapter.get("url_name"))
            modules.append(
                mapping(
                    chapter,
                    [
                        ("slug", scalar(slug, chapter)),
                        ("title", scalar(title, chapter)),
                        ("sections", listing(chapter, items)),
                    ],
                )
            )
        return modules

    def _children(self, parent: Element, kind: str) -> list[Element]:
        """The visible children of `kind` (pointers followed); others are warned about."""
        found: list[Element] = []
        for child in parent.children:
            if child.tag != kind:
                self._unknown(child, parent.tag)
                continue
            element = self._expand(child)
            if self._visible(element):
                found.append(element)
        return found

    def _section(self, sequential: Element, slugs: Slugs, number: int) -> MarkedMap:
        title = self._title(sequential, number)
        lessons: list[MarkedMap] = []
        for child in sequential.children:
            if child.tag == "vertical":
                vertical = self._expand(child)
                if self._visible(vertical):
                    lessons.append(self._lesson(vertical, vertical.children, len(lessons) + 1))
            elif child.tag in COMPONENT_TYPES:  # a component without a unit: a lesson alone
                component = self._expand(child) if child.tag == "video" else child
                lessons.append(self._lesson(component, [component], len(lessons) + 1))
            else:
                self._unknown(child, "sequential")
        return mapping(
            sequential,
            [
                ("slug", scalar(slugs.make(title, sequential.get("url_name")), sequential)),
                ("title", scalar(title, sequential)),
                ("lessons", listing(sequential, lessons)),
            ],
        )

    def _lesson(self, unit: Element, components: list[Element], number: int) -> MarkedMap:
        title = self._title(unit, number)
        kind: LessonType | None = None
        content: tuple[str, Element] | None = None
        for child in components:
            if child.tag not in COMPONENT_TYPES:
                self._unknown(child, "unit")
                continue
            kind = kind or COMPONENT_TYPES[child.tag]
            if child.tag == "video" and content is None:
                video = self._expand(child)
                source = _video_source(video)
                if source is None:
                    self.warnings.add(video, "video has no source URL: its lesson has no content")
                else:
                    content = (source, video)
        items = [
            ("slug", scalar(self.lessons.make(title, unit.get("url_name")), unit)),
            ("title", scalar(title, unit)),
            ("type", scalar((kind or LessonType.TEXT).value, unit)),
        ]
        if content is not None:
            items.append(("content", scalar(*content)))
        return mapping(unit, items)


def _video_source(video: Element) -> str | None:
    """An HTML5 source (`<source src>`, `html5_sources`), else the YouTube address."""
    for child in video.children:
        if child.tag == "source" and child.get("src"):
            return child.get("src")
    sources = video.get("html5_sources")
    if sources:
        try:
            listed = json.loads(sources)
        except ValueError:
            listed = None
        if isinstance(listed, list):
            for source in listed:
                if isinstance(source, str) and source.strip():
                    return source.strip()
    youtube = video.get("youtube_id_1_0")
    if youtube is None and video.get("youtube"):  # "0.75:ID1,1.00:ID2"
        speeds = dict(
            part.strip().partition(":")[::2] for part in (video.get("youtube") or "").split(",")
        )
        youtube = speeds.get("1.00") or speeds.get("1.0") or next(iter(speeds.values()), None)
    if youtube and _YOUTUBE_ID.fullmatch(youtube.strip()):
        return f"https://www.youtube.com/watch?v={youtube.strip()}"
    return None


def _label(element: Element) -> str:
    name = element.get("display_name") or element.get("url_name")
    return repr(name) if name else "(untitled)"


def _problem(at: Element, message: str) -> InvalidInputError:
    return InvalidInputError([Problem(at.file, at.line, at.column, "", message)])


def _problem_at(at: Element | None, shown: str, message: str) -> InvalidInputError:
    """A file that cannot be read, named, from the pointer that wanted it (if any)."""
    if at is None:
        return InvalidInputError(
            [Problem(shown, None, None, "", message)],
            "--from olx reads an OLX course directory: the one holding course.xml",
        )
    return InvalidInputError(
        [Problem(at.file, at.line, at.column, "", f"points to {shown}, which {message}")]
    )
