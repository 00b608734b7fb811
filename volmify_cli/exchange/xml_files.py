"""Reading the XML of other course formats (Open edX OLX, SCORM / IMS content packages) safely,
and building from it the marked tree that a YAML outline builds, so the outline's schema and
every rule of the rule book apply to it unchanged.

The input is untrusted. The standard library's expat parser reads it with no document type
declaration allowed at all: entities can be declared only there, so no entity can expand (no
"billion laughs") or read another file or a URL (expat never fetches one anyway). Each file is
bounded by VOLMIFY_MAX_DOCUMENT_MB, and the elements of all the files of one import by
VOLMIFY_MAX_DOCUMENT_VALUES, as a YAML document's values are. Every element knows its file,
line and column.

One import may read many files (an OLX course is a directory of them), while a document's
problems name one file: each mark's line is a `FileLine`, an int that also knows its file, and
`relocated` names that file in every problem, whether the schema or a service found it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.bounded import (
    DOCUMENT_VALUES,
    document_hint,
    max_document_bytes,
    max_document_values,
    opened,
    unreadable,
)
from volmify_cli.inputs.documents import validate_document
from volmify_cli.inputs.marks import MarkedList, MarkedMap, Scalar
from volmify_cli.inputs.outline_schema import CourseOutlineDoc
from volmify_cli.rules import SLUG_MAX, slugify

MAX_DEPTH = 64
OUTLINE = "course_outline"


class FileLine(int):
    """A 1-based line number that remembers the file it is a line of."""

    file: str

    def __new__(cls, line: int, file: str) -> FileLine:
        value = super().__new__(cls, line)
        value.file = file
        return value

    def __reduce__(self) -> Any:  # keep the file through copy/pickle
        return (FileLine, (int(self), self.file))


@dataclass(eq=False)
class Element:
    """One XML element: its local name and namespace, attributes by local name, the text
    directly inside it, its children, and where its start tag is."""

    tag: str
    namespace: str
    attrs: dict[str, str]
    file: str
    line: int
    column: int
    children: list[Element] = field(default_factory=list)
    text: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def get(self, name: str) -> str | None:
        """An attribute's value with surrounding white space removed; None when absent or
        blank."""
        value = self.attrs.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None


class Budget:
    """The elements one import may hold, over all the files it reads."""

    def __init__(self) -> None:
        self.limit = max_document_values()
        self.used = 0


def read_xml(path: Path, *, name: str, budget: Budget) -> Element:
    """The root element of one XML file. Raises InvalidInputError (exit 3) naming the file, and
    the line and column where there is one: a file that cannot be read, one over the size
    limit, malformed XML, a document type declaration, too many elements or levels."""
    limit = max_document_bytes()
    with opened(path, name) as raw:
        try:
            data = raw.read(limit + 1)
        except OSError as exc:
            raise unreadable(name, exc) from None
    if len(data) > limit:
        raise InvalidInputError(
            [Problem(name, None, None, "", f"the file is over the {limit}-byte limit")],
            document_hint(limit),
        )
    return _Builder(name, budget).parse(data)


class _Refused(Exception):
    def __init__(self, problem: Problem, hint: str | None = None) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.hint = hint


class _Builder:
    def __init__(self, name: str, budget: Budget) -> None:
        self.name = name
        self.budget = budget
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.text: list[list[str]] = []

    def parse(self, data: bytes) -> Element:
        parser = self.parser
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        try:
            parser.Parse(data, True)
        except _Refused as exc:
            raise InvalidInputError([exc.problem], exc.hint) from None
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) if exc.code else str(exc)
            problem = Problem(self.name, exc.lineno, exc.offset + 1, "", f"not valid XML: {reason}")
            raise InvalidInputError([problem]) from None
        if self.root is None:  # pragma: no cover - expat reports "no element found"
            raise InvalidInputError([Problem(self.name, None, None, "", "the file is empty")])
        return self.root

    def _here(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def _refuse(self, message: str, hint: str | None = None) -> _Refused:
        line, column = self._here()
        return _Refused(Problem(self.name, line, column, "", message), hint)

    def _doctype(self, *_: Any) -> None:
        raise self._refuse(
            "document type declarations (<!DOCTYPE …>) are not allowed: their entities could"
            " expand without bound or read other files"
        )

    def _entity(self, *_: Any) -> None:  # pragma: no cover - only inside a refused DOCTYPE
        raise self._refuse("entity declarations (<!ENTITY …>) are not allowed")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        budget = self.budget
        budget.used += 1
        if budget.used > budget.limit:
            raise self._refuse(
                f"the course holds more than {budget.limit} XML elements; reading stopped",
                f"raise the limit with {DOCUMENT_VALUES} if the course is expected to be so large",
            )
        if len(self.stack) >= MAX_DEPTH:
            raise self._refuse(f"nested deeper than {MAX_DEPTH} levels")
        namespace, _, tag = name.rpartition(" ")
        attrs = {key.rpartition(" ")[2]: value for key, value in attributes.items()}
        line, column = self._here()
        element = Element(tag, namespace, attrs, self.name, line, column)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)
        self.text.append([])

    def _end(self, _name: str) -> None:
        element = self.stack.pop()
        element.text = "".join(self.text.pop())

    def _chars(self, data: str) -> None:
        if self.text:
            self.text[-1].append(data)


# -- warnings ------------------------------------------------------------------------------------


class Warnings:
    """What an importer could not keep, each said once per file with every line it happened on:
    `FILE:LINE: what (also lines 30, 48)`."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, str], list[int]] = {}

    def add(self, at: Element, message: str) -> None:
        lines = self._lines.setdefault((at.file, message), [])
        if at.line not in lines:
            lines.append(at.line)

    def lines(self) -> list[str]:
        result = []
        for (file, message), lines in self._lines.items():
            also = f" (also line{'s' if len(lines) > 2 else ''} {', '.join(map(str, lines[1:]))})"
            result.append(f"{file}:{lines[0]}: {message}{also if len(lines) > 1 else ''}")
        return result


@dataclass
class ImportedCourse:
    """A course read from another format: the outline it maps to and what was not kept."""

    doc: CourseOutlineDoc
    warnings: list[str]


# -- the marked tree -----------------------------------------------------------------------------


def scalar(text: str, at: Element) -> Scalar:
    """Text marked at an element's start tag (quoted: never read as a number or a boolean)."""
    return Scalar(text, FileLine(at.line, at.file), at.column, False)


def mapping(at: Element, items: Iterable[tuple[str, Any]]) -> MarkedMap:
    """A marked mapping at an element; its keys are marked there too."""
    node = MarkedMap(FileLine(at.line, at.file), at.column)
    for key, value in items:
        node[Scalar(key, FileLine(at.line, at.file), at.column, True)] = value
    return node


def listing(at: Element, items: Iterable[Any]) -> MarkedList:
    node = MarkedList(FileLine(at.line, at.file), at.column)
    node.extend(items)
    return node


def outline(
    at: Element, *, course: str, title: str | None, modules: MarkedList, name: str
) -> CourseOutlineDoc:
    """The `kind: course_outline` document of a course read from XML, validated as a YAML
    outline is. Raises InvalidInputError (exit 3) naming the XML file and line of each
    problem."""
    items: list[tuple[str, Any]] = [
        ("version", Scalar("1", FileLine(at.line, at.file), at.column, True)),
        ("kind", Scalar(OUTLINE, FileLine(at.line, at.file), at.column, True)),
        ("course", scalar(course, at)),
    ]
    if title is not None:
        items.append(("title", scalar(title, at)))
    items.append(("modules", modules))
    with relocated():
        return validate_document(CourseOutlineDoc, mapping(at, items), filename=name, kind=OUTLINE)


def relocate(exc: InvalidInputError) -> InvalidInputError:
    """The same problems, each naming the file its line is in (see `FileLine`)."""
    if not any(isinstance(problem.line, FileLine) for problem in exc.problems):
        return exc
    problems = [
        Problem(p.line.file, int(p.line), p.column, p.path, p.message)
        if isinstance(p.line, FileLine)
        else p
        for p in exc.problems
    ]
    return InvalidInputError(problems, exc.hint)


@contextmanager
def relocated() -> Iterator[None]:
    """Problems raised inside name the XML file of each line."""
    try:
        yield
    except InvalidInputError as exc:
        raise relocate(exc) from None


# -- slugs ---------------------------------------------------------------------------------------


class Slugs:
    """Slugs unique within one scope (a course's modules, a module's sections, a course's
    lessons): derived from the title, else from a fallback (an OLX url_name), else positional
    (`lesson-3`); a taken slug gets `-2`, `-3`… (kept within the slug length)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.taken: set[str] = set()

    def make(self, title: str, *fallbacks: str | None) -> str:
        base = ""
        for candidate in (title, *fallbacks):
            if candidate:
                base = slugify(candidate)
                if base:
                    break
        if not base:
            base = f"{self.kind}-{len(self.taken) + 1}"
        slug, number = base, 1
        while slug in self.taken:
            number += 1
            suffix = f"-{number}"
            slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        self.taken.add(slug)
        return slug
