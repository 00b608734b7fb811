"""The skill taxonomy's one writer: `skills create|update` and a `kind: skills` file build
`SkillInput`s and hand them here, so a name, a parent or a category is checked and written one
way. Skills are global (no org): a slug is unique on the platform, a parent is a real foreign
key, and no chain of parents may lead back to where it started.

A file's problems are collected with their line (exit 3, nothing written); a command's first
problem is raised as it is (exit 1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlmodel import Session
from sqlmodel import select as sql_select

from volmify_cli.db.bulk import table_of
from volmify_cli.db.types import utcnow
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, VolmifyError
from volmify_cli.inputs.documents import Problems
from volmify_cli.models.core import Locale
from volmify_cli.models.courses import Skill, SkillTranslation
from volmify_cli.rulebook import DESCRIPTION, NAME, SKILL_CATEGORY
from volmify_cli.rules import check_slug
from volmify_cli.services.changes import ChangeSet

# The locale of a name given without one, for a skill that has no name yet: the platform's
# default (settings.DEFAULT_LOCALE); a named skill's plain name goes to its default locale.
PLATFORM_LOCALE = "en-US"
Mode = Literal["create", "update", "upsert"]


class Keep:
    """The value of a field the input leaves as it is (None would mean "clear it")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


@dataclass
class SkillInput:
    slug: str
    # locale -> text; the key None is "the skill's default locale" (a plain name in a file,
    # or a command without --locale)
    names: dict[str | None, str] = field(default_factory=dict)
    descriptions: dict[str | None, str] = field(default_factory=dict)
    parent: str | Keep | None = KEEP
    category: str | Keep | None = KEEP
    approved: bool | None = None  # None: leave the approval as it is
    at: Any = None  # where a file wrote it (its problems name that line)
    path: str = ""  # e.g. `skills[2]`


@dataclass
class _Row:
    id: Any
    parent_id: Any
    category: str | None
    approved: bool
    locales: set[str] = field(default_factory=set)
    default: str | None = None


class _Report:
    """Problems of a file are collected (all of them, with their lines); a command's first
    problem is raised as it is."""

    def __init__(self, problems: Problems | None) -> None:
        self.problems = problems

    def __call__(self, item: SkillInput, key: str, error: VolmifyError) -> None:
        if self.problems is None:
            raise error
        path = f"{item.path}.{key}" if item.path and key else item.path or key
        message = error.reason + (f" ({error.hint})" if error.hint else "")
        self.problems.add(item.at, path, message)


def cycle_through(parents: dict[str, str | None], slug: str) -> list[str] | None:
    """The chain of parents from `slug` back to itself (`a -> b -> a`), or None."""
    chain, seen, current = [slug], {slug}, parents.get(slug)
    while current is not None:
        chain.append(current)
        if current == slug:
            return chain
        if current in seen:  # a loop above us, not through us: not this skill's cycle
            return None
        seen.add(current)
        current = parents.get(current)
    return None


def _locale(session: Session, key: str) -> str:
    """A locale key as the registry spells it; the registry must hold it (skills are global,
    so any registered locale will do). Raises LocaleError or RuleError."""
    from volmify_cli.l10n import canonical_key

    canonical = canonical_key(key)
    if session.get(Locale, canonical) is None:
        raise RuleError(
            f"locale {canonical!r} is not registered",
            f"register it with `volmify locales add {canonical}`",
        )
    return canonical


def write_skills(
    session: Session,
    inputs: Sequence[SkillInput],
    *,
    mode: Mode,
    problems: Problems | None = None,
) -> ChangeSet:
    """Create or update skills (`create`: each must be new; `update`: each must exist;
    `upsert`: a file's). Returns what changed. Raises ConflictError, NotFoundError, RuleError,
    LocaleError (a command), or InvalidInputError naming every line (a file)."""
    report = _Report(problems)
    rows = _rows(session)
    slug_of = {row.id: slug for slug, row in rows.items()}
    parents: dict[str, str | None] = {s: slug_of.get(r.parent_id) for s, r in rows.items()}
    creating = {item.slug for item in inputs if item.slug not in rows}
    ok = [item for item in inputs if _check(session, item, mode, rows.get(item.slug), report)]
    for item in ok:
        if isinstance(item.parent, str) and item.parent not in rows and item.parent not in creating:
            missing = NotFoundError(
                f"parent skill {item.parent!r} not found", "see `volmify skills list`"
            )
            report(item, "parent", missing)
        elif not isinstance(item.parent, Keep):
            parents[item.slug] = item.parent
    for item in ok:
        cycle = None if isinstance(item.parent, Keep) else cycle_through(parents, item.slug)
        if cycle:
            report(item, "parent", _cycle_error(item.slug, cycle))
    if problems is not None:  # in the order of the file
        problems.items.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        problems.raise_if_any()
    changes = ChangeSet()
    written: dict[str, tuple[Skill, list[tuple[str, Any, Any]]]] = {}
    for item in inputs:  # rows first: a parent may come later in the same file
        written[item.slug] = _write_row(session, item, rows.get(item.slug))
    session.flush()
    for item in inputs:
        skill, fields = written[item.slug]
        if not isinstance(item.parent, Keep):
            parent_id = None
            if item.parent is not None:  # one of this batch's (maybe new) or a known skill
                in_batch = written.get(item.parent)
                parent_id = in_batch[0].id if in_batch else rows[item.parent].id
            old = rows[item.slug].parent_id if item.slug in rows else None
            if parent_id != old:
                skill.parent_skill_id = parent_id
                fields.append(("parent", slug_of.get(old), item.parent))
        fields += _write_texts(session, skill, item, rows.get(item.slug))
        if item.slug in rows:
            changes.update("skill", item.slug, fields)
        else:
            changes.create("skill", item.slug)
    session.flush()
    return changes


def _cycle_error(slug: str, cycle: list[str]) -> RuleError:
    return RuleError(
        f"skill {slug} cannot have parent {cycle[1]}: that makes a cycle ({' -> '.join(cycle)})",
        "a skill's parent must be neither the skill itself nor one of its descendants",
    )


def _rows(session: Session) -> dict[str, _Row]:
    """Every skill (the taxonomy is read whole: a cycle can run through any of it) with the
    locales it has names in."""
    skill, text = table_of(Skill), table_of(SkillTranslation)
    query = select(
        skill.c.slug, skill.c.id, skill.c.parent_skill_id, skill.c.category, skill.c.approved_at
    )
    rows = {
        r[0]: _Row(r[1], r[2], r[3], r[4] is not None) for r in session.connection().execute(query)
    }
    by_id = {row.id: row for row in rows.values()}
    query_texts = select(text.c.skill_id, text.c.locale_key, text.c.is_default)
    for skill_id, locale, is_default in session.connection().execute(query_texts):
        row = by_id[skill_id]
        row.locales.add(locale)
        if is_default:
            row.default = locale
    return rows


def _check(
    session: Session, item: SkillInput, mode: Mode, row: _Row | None, report: _Report
) -> bool:
    """The rules of one input that need no other skill. True when it passed."""
    before = len(report.problems) if report.problems is not None else 0
    try:
        check_slug(item.slug, "skill")
    except RuleError as exc:
        report(item, "slug", exc)
        return False
    if mode == "create" and row is not None:
        hint = f"change it with `volmify skills update {item.slug}`"
        report(item, "slug", ConflictError(f"skill {item.slug!r} already exists", hint))
    if mode == "update" and row is None:
        missing = NotFoundError(f"skill {item.slug!r} not found", "see `volmify skills list`")
        report(item, "slug", missing)
    if row is None and not item.names:
        report(item, "name", RuleError(f"a new skill needs a name ({item.slug})"))
    for texts, rule, key in (
        (item.names, NAME, "name"),
        (item.descriptions, DESCRIPTION, "description"),
    ):
        for locale in list(texts):
            try:
                text = rule.check(texts.pop(locale))
                texts[_locale(session, locale) if locale is not None else None] = text
            except VolmifyError as exc:
                report(item, f"{key}.{locale}" if locale else key, exc)
    named = (row.locales if row is not None else set()) | {
        _default(row, item) if given is None else given for given in item.names
    }
    for given in item.descriptions:
        where = _default(row, item) if given is None else given
        if where not in named:
            hint = "give its name in that locale too (--name with --locale)"
            report(
                item, "description", RuleError(f"skill {item.slug} has no name in {where}", hint)
            )
    if isinstance(item.category, str):
        try:
            item.category = SKILL_CATEGORY.check(item.category)
        except RuleError as exc:
            report(item, "category", exc)
    if item.parent == item.slug:
        report(item, "parent", _cycle_error(item.slug, [item.slug, item.slug]))
    return report.problems is None or len(report.problems) == before


def _default(row: _Row | None, item: SkillInput) -> str:
    """The locale of a text given without one: the skill's default locale; for a skill with
    no name yet, the platform's locale (when a name is given without a locale, or in it), or
    else the first locale its names are given in."""
    if row is not None and row.default is not None:
        return row.default
    given = [key for key in item.names if key is not None]
    if None in item.names or PLATFORM_LOCALE in given or not given:
        return PLATFORM_LOCALE
    return given[0]


def _write_row(
    session: Session, item: SkillInput, row: _Row | None
) -> tuple[Skill, list[tuple[str, Any, Any]]]:
    approved_at = utcnow() if item.approved else None
    if row is None:
        category = None if isinstance(item.category, Keep) else item.category
        skill = Skill(slug=item.slug, category=category, approved_at=approved_at)
        session.add(skill)
        return skill, []
    found = session.get(Skill, row.id)
    assert found is not None
    fields: list[tuple[str, Any, Any]] = []
    if not isinstance(item.category, Keep) and item.category != row.category:
        fields.append(("category", row.category, item.category))
        found.category = item.category
    if item.approved is not None and item.approved != row.approved:
        fields.append(("approved", row.approved, item.approved))
        found.approved_at = approved_at
    return found, fields


def _write_texts(
    session: Session, skill: Skill, item: SkillInput, row: _Row | None
) -> list[tuple[str, Any, Any]]:
    """Names and descriptions per locale; the first name a skill gets is its default."""
    texts = {
        text.locale_key: text
        for text in session.exec(
            sql_select(SkillTranslation).where(SkillTranslation.skill_id == skill.id)
        )
    }
    default = _default(row, item)
    fields: list[tuple[str, Any, Any]] = []
    for given, column in ((item.names, "name"), (item.descriptions, "description")):
        for key, value in given.items():
            locale = key or default
            text = texts.get(locale)
            if text is None:  # a new name (_check saw that a description has one)
                is_default = not texts and locale == default
                text = SkillTranslation(
                    skill_id=skill.id, locale_key=locale, is_default=is_default, name=value
                )
                texts[locale] = text
                session.add(text)
                if row is not None:
                    fields.append((f"{column}[{locale}]", None, value))
                continue
            old = getattr(text, column)
            if old != value:
                setattr(text, column, value)
                fields.append((f"{column}[{locale}]", old, value))
    if texts and not any(text.is_default for text in texts.values()):
        texts[default if default in texts else sorted(texts)[0]].is_default = True
    return fields


def create_skill(
    session: Session,
    *,
    slug: str,
    name: str,
    locale: str | None = None,
    description: str | None = None,
    parent: str | None = None,
    category: str | None = None,
    approve: bool = False,
) -> ChangeSet:
    """A new skill named `name` in `locale` (default: the platform's locale). Raises
    ConflictError, NotFoundError (the parent), RuleError, LocaleError."""
    item = SkillInput(
        slug,
        names={locale: name},
        descriptions={locale: description} if description is not None else {},
        parent=parent,
        category=category,
        approved=True if approve else None,
    )
    return write_skills(session, [item], mode="create")


def update_skill(
    session: Session,
    *,
    slug: str,
    name: str | None = None,
    locale: str | None = None,
    description: str | None = None,
    parent: str | Keep | None = KEEP,
    category: str | Keep | None = KEEP,
    approve: bool | None = None,
) -> ChangeSet:
    """Change what is given: a name or description in `locale` (default: the skill's default
    locale), the parent (None: no parent), the category, the approval. Raises NotFoundError,
    RuleError (a cycle names it: `a -> b -> a`), LocaleError."""
    item = SkillInput(
        slug,
        names={locale: name} if name is not None else {},
        descriptions={locale: description} if description is not None else {},
        parent=parent,
        category=category,
        approved=approve,
    )
    return write_skills(session, [item], mode="update")
