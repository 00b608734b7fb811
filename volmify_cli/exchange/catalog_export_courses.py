"""The `course:` blocks of a catalog export: every course of the org read in a few set-based
queries, written in the course outline format of SPEC 4.2 exactly as `courses export` writes a
body (content in its sort order, slugs and tiers always written, the course's own lessons inline,
the org's library lessons as `lesson: SLUG`), so the block imports back unchanged through the
course-outline code.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from volmify_cli.services.course_texts import plain_or_map

if TYPE_CHECKING:
    from volmify_cli.db.bulk import Bulk

Doc = dict[str, Any]
Texts = dict[str, dict[str, dict[str, str | None]]]  # parent id -> locale -> field -> text


class CourseBlocks:
    def __init__(self, db: Bulk, org_id: str, default_locale: str) -> None:
        self.default = default_locale
        i = db.id_sql
        where = "WHERE org_id = ?"
        self.modules: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in db.query(
            f"SELECT {i('course_id')}, {i('id')}, slug, sort_order, required_access_tier,"
            f" is_required, estimated_minutes FROM org_course_module {where}",
            (org_id,),
        ):
            self.modules[row[0]].append(row[1:])
        self.sections: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in db.query(
            f"SELECT {i('module_id')}, {i('id')}, slug, sort_order, required_access_tier,"
            f" is_required, estimated_minutes FROM org_course_module_section {where}",
            (org_id,),
        ):
            self.sections[row[0]].append(row[1:])
        self.placements: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in db.query(
            f"SELECT {i('section_id')}, {i('lesson_id')}, sort_order, required_access_tier,"
            f" is_required FROM org_course_module_section_lesson {where}",
            (org_id,),
        ):
            self.placements[row[0]].append(row[1:])
        self.lessons = {
            row[0]: row[1:]
            for row in db.query(
                f"SELECT {i('id')}, slug, type, estimated_minutes, content_ref,"
                f" course_id IS NOT NULL FROM org_lesson {where}",
                (org_id,),
            )
        }
        self.skills: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in db.query(
            f"SELECT {i('l.course_id')}, l.sort_order, s.slug, l.kind, l.weight,"
            " l.proficiency_level FROM org_product_course_skill l JOIN skill s"
            " ON s.id = l.skill_id WHERE l.org_id = ?",
            (org_id,),
        ):
            self.skills[row[0]].append(row[1:])
        self.texts: Texts = {}
        for table, parent in (
            ("org_course_module_translation", "module_id"),
            ("org_course_module_section_translation", "section_id"),
            ("org_lesson_translation", "lesson_id"),
        ):
            for parent_id, locale, title, description in db.query(
                f"SELECT {i(parent)}, locale_key, title, description FROM {table} {where}",
                (org_id,),
            ):
                self.texts.setdefault(parent_id, {})[locale] = {
                    "title": title,
                    "description": description,
                }

    def block(self, course_id: str, level: str, difficulty: int, minutes: int | None) -> Doc:
        doc: Doc = {"level": level, "difficulty": difficulty}
        if minutes is not None:
            doc["minutes"] = minutes
        doc["skills"] = [
            slug
            if kind == "taught" and weight == 5 and proficiency is None
            else {
                "skill": slug,
                "kind": kind,
                "weight": weight,
                **({"level": proficiency} if proficiency is not None else {}),
            }
            for _order, slug, kind, weight, proficiency in sorted(self.skills.get(course_id, []))
        ]
        doc["modules"] = [
            self._node(module, "sections", self._sections(module[0]))
            for module in sorted(self.modules.get(course_id, []), key=lambda m: (m[2], m[1]))
        ]
        return doc

    def _sections(self, module_id: str) -> list[Doc]:
        return [
            self._node(section, "lessons", self._lessons(section[0]))
            for section in sorted(self.sections.get(module_id, []), key=lambda s: (s[2], s[1]))
        ]

    def _lessons(self, section_id: str) -> list[Doc]:
        result: list[Doc] = []
        placed = sorted(self.placements.get(section_id, []), key=lambda p: (p[1], p[0]))
        for lesson_id, _order, tier, required in placed:
            slug, kind, minutes, content, own = self.lessons[lesson_id]
            if own:
                doc: Doc = {"slug": slug}
                self._texts(doc, lesson_id)
                doc["type"] = kind
                if minutes is not None:
                    doc["minutes"] = minutes
                if content is not None:
                    doc["content"] = content
            else:
                doc = {"lesson": slug}
            doc["tier"] = tier
            if not required:
                doc["required"] = False
            result.append(doc)
        return result

    def _node(self, row: tuple[Any, ...], children_key: str, children: list[Doc]) -> Doc:
        node_id, slug, _order, tier, required, minutes = row
        doc: Doc = {"slug": slug}
        self._texts(doc, node_id)
        doc["tier"] = tier
        if not required:
            doc["required"] = False
        if minutes is not None:
            doc["minutes"] = minutes
        doc[children_key] = children
        return doc

    def _texts(self, doc: Doc, parent_id: str) -> None:
        texts = self.texts.get(parent_id, {})
        for name in ("title", "description"):
            values = {loc: row[name] for loc, row in texts.items() if row[name] is not None}
            if values:
                doc[name] = plain_or_map(
                    {loc: str(value) for loc, value in values.items()}, self.default
                )
