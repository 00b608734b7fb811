"""`skills import FILE`: a `kind: skills` document through the taxonomy's one writer
(`skill_writes.write_skills`), as `skills create|update` do. Upsert by slug: a key the file
leaves out leaves that value as it is, so importing the same file again changes nothing."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.skills_schema import SkillEntryDoc, SkillsDoc
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.skill_writes import KEEP, SkillInput, write_skills


def _texts(value: Any) -> dict[str | None, str]:
    """TEXT: a plain string (the skill's default locale) or a mapping locale -> text."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(key): str(text) for key, text in value.items()}
    return {None: str(value)}


def _input(entry: SkillEntryDoc, index: int) -> SkillInput:
    given = entry.model_fields_set
    return SkillInput(
        str(entry.slug),
        names=_texts(entry.name),
        descriptions=_texts(entry.description),
        parent=(str(entry.parent) if entry.parent is not None else None)
        if "parent" in given
        else KEEP,
        category=str(entry.category) if entry.category is not None else KEEP,
        approved=entry.approved,
        at=entry,
        path=f"skills[{index}]",
    )


def import_skills(
    session: Session, *, doc: SkillsDoc, filename: str, dry_run: bool = False
) -> ChangeSet:
    """Create or update every skill of the file, all or nothing (`dry_run`: say what would
    change, write nothing). Raises InvalidInputError naming FILE:LINE:COLUMN for each problem
    (a slug given twice, an unknown parent, a cycle, a locale the registry lacks, a new skill
    without a name)."""
    problems = Problems(filename)
    first: dict[str, int] = {}
    inputs: list[SkillInput] = []
    for index, entry in enumerate(doc.skills):
        slug = str(entry.slug)
        if slug in first:
            line = doc.skills[first[slug]].mark[0]
            problems.add(entry, f"skills[{index}].slug", f"skill {slug} is also at line {line}")
            continue
        first[slug] = index
        inputs.append(_input(entry, index))
    if not dry_run:
        return write_skills(session, inputs, mode="upsert", problems=problems)
    # The writer's own plan, written in a savepoint that is then rolled back: a dry run
    # checks and counts exactly what an import would do.
    savepoint = session.begin_nested()
    try:
        return write_skills(session, inputs, mode="upsert", problems=problems)
    finally:
        savepoint.rollback()
