"""File-only checks of a course outline body (SPEC 4.2), shared by catalog `course:` blocks:
texts only in the catalog's locales, slugs derivable from titles, sibling slugs unique."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from volmify_cli.inputs.outline_schema import CourseBody
from volmify_cli.rules import slugify

Finding = tuple[Any, str, str]  # (where: a model or a Scalar, path, message)


def default_text(text: Any, default_locale: str) -> str | None:
    """The text in the default locale (a plain string is the default locale's)."""
    if text is None:
        return None
    if isinstance(text, dict):
        value = text.get(default_locale)
        return str(value) if value is not None else str(next(iter(text.values())))
    return str(text)


def item_slug(item: Any, default_locale: str) -> str:
    """An item's slug as written, or derived from its title in the default locale."""
    if getattr(item, "slug", None) is not None:
        return str(item.slug)
    return slugify(default_text(item.title, default_locale) or "")


def check_course(
    body: CourseBody, *, default_locale: str, locales: Sequence[str], path: str
) -> Iterator[Finding]:
    yield from _siblings(body.modules, default_locale, locales, f"{path}.modules")
    for m_index, module in enumerate(body.modules):
        m_path = f"{path}.modules[{m_index}]"
        yield from _siblings(module.sections, default_locale, locales, f"{m_path}.sections")
        for s_index, section in enumerate(module.sections):
            s_path = f"{m_path}.sections[{s_index}]"
            seen: dict[str, int] = {}
            for l_index, lesson in enumerate(section.lessons):
                l_path = f"{s_path}.lessons[{l_index}]"
                yield from _texts(lesson, locales, l_path)
                slug = (
                    str(lesson.lesson)
                    if lesson.lesson is not None
                    else item_slug(lesson, default_locale)
                )
                if not slug:
                    yield (lesson, l_path, "cannot derive a slug from the title; give slug:")
                elif slug in seen:
                    yield (lesson, l_path, f"lesson {slug!r} is placed twice in this section")
                seen.setdefault(slug, l_index)
    seen_skills: set[str] = set()
    for index, skill in enumerate(body.skills):
        if skill.skill in seen_skills:
            yield (skill, f"{path}.skills[{index}]", f"skill {skill.skill!r} is listed twice")
        seen_skills.add(str(skill.skill))


def _siblings(
    items: Sequence[Any], default_locale: str, locales: Sequence[str], path: str
) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        yield from _texts(item, locales, where)
        slug = item_slug(item, default_locale)
        if not slug:
            yield (item, where, "cannot derive a slug from the title; give slug:")
        elif slug in seen:
            yield (item, where, f"slug {slug!r} is used by two siblings")
        seen.add(slug)


def _texts(item: Any, locales: Sequence[str], path: str) -> Iterator[Finding]:
    for name in ("title", "description"):
        text = getattr(item, name, None)
        if isinstance(text, dict):
            for key in text:
                if key not in locales:
                    yield (
                        key,
                        f"{path}.{name}.{key}",
                        f"locale {key!r} is not one of the catalog's locales",
                    )
