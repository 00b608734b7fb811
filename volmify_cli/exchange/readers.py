"""Reading the one-document files (an outline, learning records) into their domain inputs: the
safe YAML loader, then the document's schema. The imports themselves are services."""

from __future__ import annotations

from pathlib import Path

from volmify_cli.errors import InvalidInputError
from volmify_cli.exchange.bounded import input_name
from volmify_cli.exchange.yamlio import load_yaml_file
from volmify_cli.inputs.documents import (
    Checked,
    MarkedMap,
    check_header,
    check_model,
    validate_document,
)
from volmify_cli.inputs.learning_schema import LearningDoc
from volmify_cli.inputs.outline_schema import CourseOutlineDoc, LessonLibraryDoc
from volmify_cli.inputs.skills_schema import SkillsDoc

OUTLINE = "course_outline"
LIBRARY = "lesson_library"
LEARNING = "learning"
SKILLS = "skills"


def read_outline(path: Path, *, name: str | None = None) -> CourseOutlineDoc:
    """Load and schema-check an outline file. Raises InvalidInputError (exit 3)."""
    filename = name or input_name(path)
    tree = load_yaml_file(path, name=filename)
    return validate_document(CourseOutlineDoc, tree, filename=filename, kind=OUTLINE)


def read_course_file(path: Path, *, name: str | None = None) -> CourseOutlineDoc | LessonLibraryDoc:
    """A file `courses import` takes: an outline, or the org's lesson library (by its `kind:`;
    any other kind is refused as an outline would refuse it). Raises InvalidInputError."""
    filename = name or input_name(path)
    tree = load_yaml_file(path, name=filename)
    if isinstance(tree, MarkedMap) and tree.get("kind") == LIBRARY:
        return validate_document(LessonLibraryDoc, tree, filename=filename, kind=LIBRARY)
    return validate_document(CourseOutlineDoc, tree, filename=filename, kind=OUTLINE)


def read_learning(path: Path, *, name: str | None = None) -> LearningDoc:
    """Load and schema-check a learning file. Raises InvalidInputError (exit 3)."""
    filename = name or input_name(path)
    tree = load_yaml_file(path, name=filename)
    return validate_document(LearningDoc, tree, filename=filename, kind=LEARNING)


def read_skills(path: Path, *, name: str | None = None) -> SkillsDoc:
    """Load and schema-check a skill taxonomy file. Raises InvalidInputError (exit 3)."""
    filename = name or input_name(path)
    tree = load_yaml_file(path, name=filename)
    return validate_document(SkillsDoc, tree, filename=filename, kind=SKILLS)


def salvage_outline(path: Path, *, name: str | None = None) -> Checked[CourseOutlineDoc] | None:
    """An outline with schema problems, read again with stand-ins (inputs/salvage) so that the
    checks against the database can report the rest in the same run; None when the file is not
    an outline (or not a regular file) or nothing can stand in for a problem."""
    if not path.is_file():  # standard input, a pipe, a device: read once, never again
        return None
    filename = name or input_name(path)
    tree = load_yaml_file(path, name=filename)
    if not isinstance(tree, MarkedMap) or tree.get("kind") != OUTLINE:
        return None
    try:
        check_header(tree, filename, OUTLINE)
    except InvalidInputError:
        return None
    checked = check_model(CourseOutlineDoc, tree, filename=filename)
    return checked if checked.doc is not None and checked.problems else None
