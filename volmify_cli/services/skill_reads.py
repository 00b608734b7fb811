"""Reading the skill taxonomy: skills with their names in a display locale (locale -> its
language -> the skill's default name, field by field, as every translated text falls back),
their parent and children, and how many courses teach or require each. Skills are global: no
org is needed, and a course count says how many, never which org's."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, TypedDict

from sqlalchemy import func, select
from sqlmodel import Session

from volmify_cli.db.bulk import table_of
from volmify_cli.errors import NotFoundError
from volmify_cli.models.courses import OrgProductCourseSkill, Skill, SkillTranslation
from volmify_cli.translation_choice import choose_text


class _Text(NamedTuple):
    name: str
    description: str | None
    is_default: bool


class _Skill(NamedTuple):
    id: uuid.UUID
    slug: str
    parent_id: uuid.UUID | None
    category: str | None
    approved_at: dt.datetime | None


class SkillRead(TypedDict):
    skill: str
    name: str | None
    parent: str | None
    category: str | None
    approved: bool
    approved_at: dt.datetime | None


class SkillRef(TypedDict):
    skill: str
    name: str | None


class SkillDetail(SkillRead):
    description: str | None
    names: dict[str, str]  # every locale's name, the default first
    default_locale: str | None
    parent_name: str | None
    children: list[SkillRef]
    courses_teaching: int
    courses_requiring: int


class SkillNode(TypedDict):
    skill: str
    name: str | None
    category: str | None
    approved: bool
    children: list[SkillNode]


def _skills(session: Session, slugs: Sequence[str] | None = None) -> list[_Skill]:
    """Skills sorted by slug (by code point: database collations differ)."""
    skill = table_of(Skill)
    query = select(
        skill.c.id, skill.c.slug, skill.c.parent_skill_id, skill.c.category, skill.c.approved_at
    )
    if slugs is not None:
        query = query.where(skill.c.slug.in_(list(slugs)))
    rows = [_Skill(*row) for row in session.connection().execute(query)]
    return sorted(rows, key=lambda row: row.slug)


def _texts(
    session: Session, ids: Sequence[uuid.UUID] | None = None
) -> dict[uuid.UUID, dict[str, _Text]]:
    text = table_of(SkillTranslation)
    query = select(
        text.c.skill_id, text.c.locale_key, text.c.name, text.c.description, text.c.is_default
    )
    if ids is not None:
        query = query.where(text.c.skill_id.in_(list(ids)))
    result: dict[uuid.UUID, dict[str, _Text]] = {}
    for skill_id, locale, name, description, is_default in session.connection().execute(query):
        result.setdefault(skill_id, {})[locale] = _Text(name, description, bool(is_default))
    return result


def skill_names(session: Session, slugs: Sequence[str], locale: str | None) -> dict[str, str]:
    """Each skill's name in `locale` (with fallback); skills without a name are left out."""
    if not slugs:
        return {}
    rows = _skills(session, slugs)
    texts = _texts(session, [row.id for row in rows])
    names = {row.slug: choose_text(texts.get(row.id, {}), locale, "name") for row in rows}
    return {slug: name for slug, name in names.items() if name is not None}


def _read(
    row: _Skill, texts: dict[str, _Text], parent: str | None, locale: str | None
) -> SkillRead:
    return SkillRead(
        skill=row.slug,
        name=choose_text(texts, locale, "name"),
        parent=parent,
        category=row.category,
        approved=row.approved_at is not None,
        approved_at=row.approved_at,
    )


def list_skills(
    session: Session,
    *,
    locale: str | None,
    category: str | None = None,
    unapproved: bool = False,
) -> list[SkillRead]:
    """The platform's skills by slug; `category` keeps that category's, `unapproved` the ones
    nobody approved yet (such as those a course import created)."""
    return list(iter_skills(session, locale=locale, category=category, unapproved=unapproved))


READ_BATCH = 1000  # skills per fetch: each batch's names and parents in two queries


def iter_skills(
    session: Session,
    *,
    locale: str | None,
    category: str | None = None,
    unapproved: bool = False,
    limit: int | None = None,
) -> Iterator[SkillRead]:
    """`list_skills`, streamed from the database in batches (`limit + 1` of them with a
    limit), by slug by code point on every database."""
    skill = table_of(Skill)
    by_code_point = "C" if session.get_bind().dialect.name == "postgresql" else "BINARY"
    query = select(
        skill.c.id, skill.c.slug, skill.c.parent_skill_id, skill.c.category, skill.c.approved_at
    ).order_by(skill.c.slug.collate(by_code_point))
    if category is not None:
        query = query.where(skill.c.category == category)
    if unapproved:
        query = query.where(skill.c.approved_at.is_(None))
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.connection().execute(query.execution_options(yield_per=READ_BATCH))
    return (
        read
        for batch in found.partitions()
        for read in _skill_rows(session, [_Skill(*row) for row in batch], locale)
    )


def _skill_rows(session: Session, rows: Sequence[_Skill], locale: str | None) -> list[SkillRead]:
    skill = table_of(Skill)
    parent_ids = {row.parent_id for row in rows if row.parent_id is not None}
    slug_of: dict[uuid.UUID, str] = {}
    if parent_ids:
        parents = select(skill.c.id, skill.c.slug).where(skill.c.id.in_(list(parent_ids)))
        slug_of = {row.id: row.slug for row in session.connection().execute(parents)}
    texts = _texts(session, [row.id for row in rows])
    return [
        _read(
            row,
            texts.get(row.id, {}),
            slug_of.get(row.parent_id) if row.parent_id else None,
            locale,
        )
        for row in rows
    ]


def show_skill(session: Session, *, slug: str, locale: str | None) -> SkillDetail:
    """One skill: names in every locale, its parent and children, its category, approval,
    and how many courses (of every org) teach or require it. Raises NotFoundError."""
    rows = _skills(session)
    found = next((row for row in rows if row.slug == slug), None)
    if found is None:
        raise NotFoundError(f"skill {slug!r} not found", "see `volmify skills list`")
    parent = next((row for row in rows if row.id == found.parent_id), None)
    children = [row for row in rows if row.parent_id == found.id]
    ids = [found.id, *([parent.id] if parent else []), *(row.id for row in children)]
    texts = _texts(session, ids)
    own = texts.get(found.id, {})
    link = table_of(OrgProductCourseSkill)
    counts: dict[str, int] = dict(
        session.connection()
        .execute(
            select(link.c.kind, func.count())
            .where(link.c.skill_id == found.id)
            .group_by(link.c.kind)
        )
        .all()
    )
    names = sorted(own.items(), key=lambda pair: (not pair[1].is_default, pair[0]))
    return SkillDetail(
        **_read(found, own, parent.slug if parent else None, locale),
        description=choose_text(own, locale, "description"),
        names={key: text.name for key, text in names},
        default_locale=names[0][0] if names and names[0][1].is_default else None,
        parent_name=choose_text(texts.get(parent.id, {}), locale, "name") if parent else None,
        children=[
            SkillRef(skill=row.slug, name=choose_text(texts.get(row.id, {}), locale, "name"))
            for row in children
        ],
        courses_teaching=counts.get("taught", 0),
        courses_requiring=counts.get("prerequisite", 0),
    )


def skill_tree(session: Session, *, locale: str | None) -> list[SkillNode]:
    """The taxonomy as a forest: skills without a parent, each with its children, by slug."""
    rows = _skills(session)
    texts = _texts(session)
    nodes: dict[uuid.UUID, SkillNode] = {
        row.id: SkillNode(
            skill=row.slug,
            name=choose_text(texts.get(row.id, {}), locale, "name"),
            category=row.category,
            approved=row.approved_at is not None,
            children=[],
        )
        for row in rows
    }
    roots: list[SkillNode] = []
    for row in rows:  # sorted by slug, so every list of children is too
        parent: Any = nodes.get(row.parent_id) if row.parent_id else None
        (parent["children"] if parent is not None else roots).append(nodes[row.id])
    return roots
