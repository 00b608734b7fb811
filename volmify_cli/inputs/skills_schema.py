"""The skill taxonomy document (`kind: skills`): the platform's skills with their names per
locale, parent, category and approval. A key left out leaves that value as it is (a skill is
global, and the file need not say everything about it); `parent: null` makes it top-level."""

from __future__ import annotations

from volmify_cli.inputs.documents import DocModel
from volmify_cli.inputs.fields import (
    Bool,
    DescriptionText,
    Int,
    NameText,
    SkillCategory,
    Slug,
    Str,
)


class SkillEntryDoc(DocModel):
    slug: Slug
    name: NameText | None = None  # required for a new skill (checked with the database)
    description: DescriptionText | None = None
    parent: Slug | None = None
    category: SkillCategory | None = None
    approved: Bool | None = None


class SkillsDoc(DocModel):
    version: Int
    kind: Str
    skills: list[SkillEntryDoc] = []
