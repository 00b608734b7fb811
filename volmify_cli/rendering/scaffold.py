"""`courses scaffold`: a new course outline rendered from a Jinja2 template in
`templates/courses/`, with placeholder titles, ready to edit and import (SPEC 4.2).

Output paths are confined: without `-o` the file is `<slug>.yaml` in the current directory; a
relative `-o` path must stay inside the current directory (no `..` escape, also not through a
symbolic link), an absolute `-o` path is taken as the user's explicit choice. An existing file is
never overwritten without `force`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from volmify_cli.errors import RuleError, UsageError
from volmify_cli.rules import check_line, check_slug, slugify

PREFIX = "courses/"
SUFFIX = ".yaml.j2"
MAX_COUNT = 50
# Per template: (modules, sections per module, lessons per section) when not given.
DEFAULT_COUNTS: dict[str, tuple[int, int, int]] = {
    "default": (3, 2, 3),
    "workshop": (2, 2, 2),
    "certification": (3, 2, 3),
}
FALLBACK_COUNTS = (3, 2, 3)


@dataclass(frozen=True)
class Scaffold:
    slug: str
    template: str
    text: str


def template_names() -> list[str]:
    """The scaffold templates shipped in `templates/courses/` (`default`, `workshop`, …)."""
    from volmify_cli.rendering.environment import template_names as names

    return [
        name.removeprefix(PREFIX).removesuffix(SUFFIX)
        for name in names(PREFIX)
        if name.endswith(SUFFIX)
    ]


def render_scaffold(
    *,
    title: str,
    template: str = "default",
    slug: str | None = None,
    modules: int | None = None,
    sections: int | None = None,
    lessons: int | None = None,
    file_name: str | None = None,
) -> Scaffold:
    """Render an outline (`file_name`: where it will be written, for its own instructions).
    Raises UsageError (unknown template), RuleError (a count out of 0..50, or a title no slug
    can be derived from)."""
    available = template_names()
    if template not in available:
        raise UsageError(
            f"unknown scaffold template {template!r}", f"choose one of: {', '.join(available)}"
        )
    check_line(title)
    course = slug or slugify(title)
    if not course:
        raise RuleError(f"cannot derive a course slug from the title {title!r}", "pass --slug SLUG")
    check_slug(course, "course slug")
    defaults = DEFAULT_COUNTS.get(template, FALLBACK_COUNTS)
    counts = [
        given if given is not None else default
        for given, default in zip((modules, sections, lessons), defaults, strict=True)
    ]
    for name, value in zip(("modules", "sections", "lessons"), counts, strict=True):
        if not 0 <= value <= MAX_COUNT:
            raise RuleError(f"--{name} {value} must be between 0 and {MAX_COUNT}")
    from volmify_cli.rendering.environment import render_template

    text = render_template(
        f"{PREFIX}{template}{SUFFIX}",
        title=title,
        slug=course,
        template=template,
        modules=counts[0],
        sections=counts[1],
        lessons=counts[2],
        file_name=file_name or f"{course}.yaml",
    )
    return Scaffold(course, template, text)


def output_path(slug: str, output: str | None, *, cwd: Path | None = None) -> Path:
    """Where a scaffold goes. Raises RuleError for a relative path that leaves the current
    directory."""
    base = (cwd or Path.cwd()).resolve()
    if output is None:
        return base / f"{slug}.yaml"
    target = Path(output).expanduser()
    if target.is_absolute():
        return target
    resolved = (base / target).resolve()
    if resolved != base and base not in resolved.parents:
        raise RuleError(
            f"output path {output!r} leaves the current directory",
            "write inside the current directory, or give an absolute -o path",
        )
    return resolved
