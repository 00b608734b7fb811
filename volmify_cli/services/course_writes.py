"""The write batch of a course sync: every insert, update and delete of a run, applied at the
end in an order the constraints accept (deletes, default-translation flips, inserts parents
first, then updates), one executemany per table and shape."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.models.courses import (
    OrgCourseModule,
    OrgCourseModuleSection,
    OrgCourseModuleSectionLesson,
    OrgLesson,
    OrgProductCourse,
    OrgProductCourseSkill,
    Skill,
)
from volmify_cli.services.course_texts import TranslationWriter


@dataclass
class Writes:
    """Every write of one course, applied in an order the constraints accept."""

    org_id: uuid.UUID
    default_locale: str
    inserts: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    deletes: dict[type[Any], list[uuid.UUID]] = field(default_factory=dict)
    skill_deletes: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]] = field(default_factory=list)
    texts: dict[type[Any], TranslationWriter] = field(default_factory=dict)
    doomed_placements: dict[uuid.UUID, str] = field(default_factory=dict)  # id -> key

    def insert(self, model: type[Any], row: dict[str, Any]) -> None:
        self.inserts.setdefault(model, []).append(row)

    def update(self, model: type[Any], row: dict[str, Any]) -> None:
        self.updates.setdefault(model, []).append(row)

    def delete(self, model: type[Any], row_id: uuid.UUID) -> None:
        self.deletes.setdefault(model, []).append(row_id)

    def text(self, model: type[Any], parent: str) -> TranslationWriter:
        if model not in self.texts:
            self.texts[model] = TranslationWriter(model, parent, self.org_id, self.default_locale)
        return self.texts[model]

    def write(self, session: Session) -> None:
        doomed: tuple[type[Any], ...] = (
            OrgCourseModuleSectionLesson,
            OrgCourseModuleSection,
            OrgCourseModule,
            OrgLesson,  # a course's own lessons, once no placement holds them
        )
        bulk = Bulk(session)
        for model in doomed:
            bulk.delete_by_ids(model, self.org_id, self.deletes.get(model, []))
        bulk.delete_by_keys(
            OrgProductCourseSkill, ("org_id", "course_id", "skill_id"), self.skill_deletes
        )
        for writer in self.texts.values():
            writer.flush_unsets(session)
        order: tuple[type[Any], ...] = (
            Skill,
            OrgProductCourse,
            OrgLesson,  # a course's own lessons need their course's row
            OrgCourseModule,
            OrgCourseModuleSection,
            OrgCourseModuleSectionLesson,
            OrgProductCourseSkill,
        )
        for model in order:
            bulk.insert_rows(model, self.inserts.get(model, []))
        for writer in self.texts.values():
            writer.flush(session)
        keys: dict[type[Any], tuple[str, ...]] = {
            OrgProductCourse: ("org_id", "product_id"),
            OrgProductCourseSkill: ("org_id", "course_id", "skill_id"),
        }
        for model in order:
            bulk.update_rows(model, keys.get(model, ("org_id", "id")), self.updates.get(model, []))
        if self._outline_changed():
            # an enrollment's status follows what its tier can see: a lesson added, removed or
            # re-tiered changes it, in this transaction (never a stale "completed" at 5/6)
            from volmify_cli.services.learning_rules import refresh_org_enrollments

            refresh_org_enrollments(session, self.org_id)

    def _outline_changed(self) -> bool:
        outline = (OrgCourseModule, OrgCourseModuleSection, OrgCourseModuleSectionLesson)
        return any(
            self.inserts.get(model) or self.updates.get(model) or self.deletes.get(model)
            for model in outline
        )
