"""`learning import`: members, subscriptions, enrollments with lesson progress and ratings of one
organization (`kind: learning`, SPEC 4.4), upserted by natural keys.

One pass checks every entry against the database and the rest of the file and plans its writes;
when any problem was found, all are reported (FILE:LINE:COLUMN, exit 3) and nothing is written.
Users are global: a new e-mail creates a user, an existing user's name is never changed by one
org's file (a different name is a warning).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.db.types import utcnow
from volmify_cli.enums import ProgressStatus
from volmify_cli.errors import VolmifyError
from volmify_cli.ids import uuid7
from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.learning_schema import (
    EnrollmentDoc,
    LearningDoc,
    MemberDoc,
    RatingDoc,
    SubscriptionDoc,
)
from volmify_cli.inputs.marks import position
from volmify_cli.models.core import User
from volmify_cli.models.courses import OrgProductCourseRating
from volmify_cli.models.learning import OrgMemberCourseEnrollment, OrgMemberLessonProgress
from volmify_cli.models.orgs import Org, OrgMember
from volmify_cli.models.plans import OrgMemberSubscription
from volmify_cli.rules import normalize_email
from volmify_cli.services.changes import ChangeSet
from volmify_cli.services.learning_refs import Stored, day, load_stored
from volmify_cli.services.learning_rules import (
    CoursePlacements,
    load_placements,
    not_enrolled,
    progress_values,
    refresh_enrollment_status,
)
from volmify_cli.services.lookup import get_org
from volmify_cli.services.subscription_access import (
    BASE_TIER,
    Holding,
    best_holding,
    held_on_plan,
    load_plan_terms,
    state_of,
)
from volmify_cli.services.subscription_lifecycle import SubscriptionState, problems, trial_end

ORDER: tuple[type[Any], ...] = (
    User,
    OrgMember,
    OrgMemberSubscription,
    OrgMemberCourseEnrollment,
    OrgMemberLessonProgress,
    OrgProductCourseRating,
)
# Changed along with a field that is shown (a lesson's status), so not shown on their own.
QUIET = frozenset({"completed_at"})
KEYS: dict[type[Any], tuple[str, ...]] = {
    OrgMemberLessonProgress: ("org_id", "enrollment_id", "placement_id"),
    User: ("id",),
}


@dataclass
class LearningResult:
    changes: ChangeSet
    warnings: list[str] = field(default_factory=list)


def import_learning(
    session: Session, *, org: str, doc: LearningDoc, filename: str, dry_run: bool = False
) -> LearningResult:
    """Upsert the document's records into `org`. Raises NotFoundError (the org) and
    InvalidInputError (every problem in the file; nothing written)."""
    the_org = get_org(session, org)
    importer = _Importer(session, the_org, doc, filename)
    importer.run()
    importer.problems.raise_if_any()
    if not dry_run:
        importer.write()
    return LearningResult(importer.changes, importer.warnings)


def _shown(value: Any) -> Any:
    """Plan values as a person reads them: ids are not shown, only whether one is set."""
    if isinstance(value, uuid.UUID):
        return "set"
    return value


class _Importer:
    def __init__(self, session: Session, org: Org, doc: LearningDoc, filename: str) -> None:
        self.session = session
        self.org = org
        self.doc = doc
        self.filename = filename
        self.problems = Problems(filename)
        self.changes = ChangeSet()
        self.warnings: list[str] = []
        self.inserts: dict[type[Any], list[dict[str, Any]]] = {}
        self.updates: dict[type[Any], list[dict[str, Any]]] = {}
        self.enrollment_ids: list[uuid.UUID] = []
        self.enrolled: set[tuple[uuid.UUID, uuid.UUID]] = set()  # (member, course) in the file
        emails = [str(m.email) for m in doc.members] + [str(e.member) for e in doc.enrollments]
        emails += [str(s.member) for s in doc.subscriptions] + [str(r.user) for r in doc.ratings]
        products = [str(e.course) for e in doc.enrollments] + [str(r.course) for r in doc.ratings]
        plans = [str(s.plan) for s in doc.subscriptions]
        plans += [str(e.via) for e in doc.enrollments if e.via]
        products += [plan.split("/")[0] for plan in plans]
        self.stored: Stored = load_stored(
            session,
            org,
            [normalize_email(email) for email in emails],
            [str(slug) for slug in products],
            [str(s.external_id) for s in doc.subscriptions if s.external_id is not None],
        )
        self.placements: dict[uuid.UUID, CoursePlacements] = load_placements(
            session, org.id, list(self.stored.courses.values())
        )
        self.plan_refs = {ref.id: ref for ref in self.stored.plans.values()}
        self.by_external = {
            row["external_id"]: row for row in self.stored.subscriptions if row["external_id"]
        }
        self.by_holding = {
            (row["member_id"], row["plan_id"]): row
            for row in reversed(self.stored.subscriptions)  # the first stored one wins
        }
        self.terms = load_plan_terms(session, org.id, self.plan_refs)
        self.now = utcnow()  # whether a subscription gives access is asked as of now
        # member id -> subscription id -> the subscription (stored, then as the file leaves it),
        # for the plans of the courses the file names
        self.holdings: dict[uuid.UUID, dict[uuid.UUID, Holding]] = {}
        for row in self.stored.subscriptions:
            self.hold(row["id"], row["member_id"], row["plan_id"], row["access_tier"],
                      row["external_id"], state_of(row))  # fmt: skip

    def add(self, at: Any, path: str, message: str) -> None:
        self.problems.add(at, path, message)

    def hold(
        self, sub_id: uuid.UUID, member_id: uuid.UUID, plan_id: uuid.UUID, tier: int,
        external_id: str | None, state: SubscriptionState,
    ) -> None:  # fmt: skip
        ref = self.plan_refs.get(plan_id)
        held = self.holdings.setdefault(member_id, {})
        if ref is None:  # a plan of a product the file does not name: no enrollment here uses it
            held.pop(sub_id, None)
            return
        held[sub_id] = Holding(
            sub_id, member_id, plan_id, ref.product_id, int(tier), external_id, state,
            self.terms[plan_id],
        )  # fmt: skip

    def plan(
        self,
        model: type[Any],
        entity: str,
        key: str,
        old: dict[str, Any] | None,
        values: dict[str, Any],
        identity: dict[str, Any],
    ) -> None:
        """Record and queue one create or update (`identity` holds the row's key columns)."""
        if old is None:
            self.changes.create(entity, key)
            self.inserts.setdefault(model, []).append({**identity, **values})
            return
        changed = {name: value for name, value in values.items() if old.get(name) != value}
        self.changes.update(
            entity,
            key,
            [
                (name.removesuffix("_id"), _shown(old.get(name)), _shown(value))
                for name, value in changed.items()
                if name not in QUIET
            ],
        )
        if changed:
            self.updates.setdefault(model, []).append({**identity, **changed})

    def run(self) -> None:
        self.members()
        self.subscriptions()
        self.enrollments()
        self.ratings()

    # -- members -----------------------------------------------------------------------------

    def user_id(self, email: str) -> uuid.UUID | None:
        found = self.stored.users.get(normalize_email(email))
        return found[0] if found else None

    def member_id(self, email: str) -> uuid.UUID | None:
        user_id = self.user_id(email)
        member = self.stored.members.get(user_id) if user_id else None
        return member["id"] if member else None

    def members(self) -> None:
        seen: dict[str, MemberDoc] = {}
        for index, doc in enumerate(self.doc.members):
            path, email = f"members[{index}]", normalize_email(doc.email)
            if email in seen:
                self.add(doc, path, f"{email} is listed twice (line {seen[email].mark[0]})")
                continue
            seen[email] = doc
            user = self.stored.users.get(email)
            if user is None:
                if doc.name is None:
                    self.add(doc, path, f"{email} is a new user: add a name")
                    continue
                user_id = uuid7()
                created = {
                    "email": str(doc.email),
                    "email_normalized": email,
                    "name": str(doc.name),
                }
                self.plan(User, "user", email, None, created, {"id": user_id})
                self.stored.users[email] = (user_id, str(doc.name))
            else:
                user_id = user[0]
                self.changes.keep("user")  # counted as it was when created, for a stable tally
                if doc.name is not None and str(doc.name) != user[1]:
                    self.warnings.append(
                        f"{self.filename}:{doc.mark[0]}: user {email} is named {user[1]!r}; "
                        f"{str(doc.name)!r} is not applied (users are shared by every org)"
                    )
            member = self.stored.members.get(user_id)
            values: dict[str, Any] = {"role": str(doc.role), "status": str(doc.status)}
            identity = {"org_id": self.org.id, "id": member["id"] if member else uuid7()}
            if member is None:
                values |= {"user_id": user_id, "joined_at": utcnow()}
                self.stored.members[user_id] = {"id": identity["id"], **values}
            self.plan(OrgMember, "member", email, member, values, identity)

    # -- subscriptions -----------------------------------------------------------------------

    def subscriptions(self) -> None:
        seen: dict[Any, SubscriptionDoc] = {}
        for index, doc in enumerate(self.doc.subscriptions):
            path = f"subscriptions[{index}]"
            member_id = self.member_id(doc.member)
            plan = self.stored.plans.get(str(doc.plan))
            if member_id is None:
                self.add(doc.member, f"{path}.member", self._not_member(doc.member))
            if plan is None:
                self.add(
                    doc.plan,
                    f"{path}.plan",
                    f"plan {str(doc.plan)!r} not found in org {self.org.slug}",
                )
            if member_id is None or plan is None:
                continue
            natural = str(doc.external_id) if doc.external_id is not None else (member_id, plan.id)
            if natural in seen:
                self.add(
                    doc, path, f"this subscription is listed twice (line {seen[natural].mark[0]})"
                )
                continue
            seen[natural] = doc
            state = self._lifecycle(doc, path, plan.id)
            if state is None:
                continue
            old = self._stored_subscription(doc, member_id, plan.id)
            values: dict[str, Any] = {
                "member_id": member_id,
                "plan_id": plan.id,
                "status": state.status,
                "started_at": state.started_at,
                "trial_ends_at": state.trial_ends_at,
                "current_period_end": state.current_period_end,
                "canceled_at": state.canceled_at,
                "external_id": str(doc.external_id) if doc.external_id is not None else None,
            }
            sub_id = old["id"] if old else uuid7()
            if old is None or old["plan_id"] != plan.id:
                values["access_tier"] = plan.tier  # the tier is a snapshot of the plan's
            key = str(values["external_id"] or f"{normalize_email(doc.member)}/{plan.address}")
            self.plan(OrgMemberSubscription, "subscription", key, old, values,
                      {"org_id": self.org.id, "id": sub_id})  # fmt: skip
            tier = int(values.get("access_tier", old["access_tier"] if old else plan.tier))
            self.hold(sub_id, member_id, plan.id, tier, values["external_id"], state)

    def _lifecycle(
        self, doc: SubscriptionDoc, path: str, plan_id: uuid.UUID
    ) -> SubscriptionState | None:
        """The subscription's status and dates if the lifecycle allows them on its plan (the
        trial's end filled in from the plan's trial days), else None with the problems added."""
        state = SubscriptionState(
            status=str(doc.status),
            started_at=day(doc.started),
            trial_ends_at=day(doc.trial_ends),
            current_period_end=day(doc.current_period_end),
            canceled_at=day(doc.canceled),
        )
        terms = self.terms[plan_id]
        found = problems(terms, state)
        for name, message in found:
            value = getattr(doc, name)
            self.add(value if position(value)[0] is not None else doc, f"{path}.{name}", message)
        if found:
            return None
        return replace(state, trial_ends_at=trial_end(terms, state))

    def _stored_subscription(
        self, doc: SubscriptionDoc, member_id: uuid.UUID, plan_id: uuid.UUID
    ) -> dict[str, Any] | None:
        if doc.external_id is not None:
            return self.by_external.get(str(doc.external_id))
        return self.by_holding.get((member_id, plan_id))

    def _not_member(self, email: str) -> str:
        return (
            f"{normalize_email(email)} is not a member of org {self.org.slug} "
            "(list it under members)"
        )

    # -- enrollments and progress --------------------------------------------------------------

    def _course(self, slug: Any, path: str) -> uuid.UUID | None:
        course_id = self.stored.courses.get(str(slug))
        if course_id is None:
            kind = self.stored.products.get(str(slug))
            message = (
                f"product {str(slug)!r} is a {kind} product, not a course"
                if kind
                else f"course {str(slug)!r} not found in org {self.org.slug}"
            )
            self.add(slug, path, message)
        return course_id

    def enrollments(self) -> None:
        seen: dict[tuple[uuid.UUID, uuid.UUID], EnrollmentDoc] = {}
        for index, doc in enumerate(self.doc.enrollments):
            path = f"enrollments[{index}]"
            member_id = self.member_id(doc.member)
            if member_id is None:
                self.add(doc.member, f"{path}.member", self._not_member(doc.member))
            course_id = self._course(doc.course, f"{path}.course")
            if member_id is None or course_id is None:
                continue
            if (member_id, course_id) in seen:
                self.add(
                    doc,
                    path,
                    f"this enrollment is listed twice (line {seen[member_id, course_id].mark[0]})",
                )
                continue
            seen[(member_id, course_id)] = doc
            self.enrolled.add((member_id, course_id))
            access = self._access(doc, path, member_id, course_id)
            if access is None:
                continue
            tier, subscription_id = access
            old = self.stored.enrollments.get((member_id, course_id))
            enrollment_id = old["id"] if old else uuid7()
            values: dict[str, Any] = {"access_tier": tier, "subscription_id": subscription_id}
            if doc.enrolled is not None or old is None:
                values["enrolled_at"] = day(doc.enrolled) or utcnow()
            identity = {"org_id": self.org.id, "id": enrollment_id}
            if old is None:
                identity |= {
                    "member_id": member_id,
                    "course_id": course_id,
                    "status": "not_started",
                }
            key = f"{doc.course}/{normalize_email(doc.member)}"
            self.plan(OrgMemberCourseEnrollment, "enrollment", key, old, values, identity)
            self.enrollment_ids.append(enrollment_id)
            self.progress(doc, path, key, enrollment_id, course_id, tier, known=old is not None)

    def _access(
        self, doc: EnrollmentDoc, path: str, member_id: uuid.UUID, course_id: uuid.UUID
    ) -> tuple[int, uuid.UUID | None] | None:
        """The enrollment's tier and subscription: from `via`, `tier`, or the best live
        subscription to a plan of the course (else tier 1)."""
        if doc.via is not None and doc.tier is not None:
            self.add(doc, path, "give via or tier, not both")
            return None
        if doc.tier is not None:
            return doc.tier, None
        holdings = list(self.holdings.get(member_id, {}).values())
        if doc.via is not None:
            plan = self.stored.plans.get(str(doc.via))
            if plan is None or plan.product_id != course_id:
                message = (
                    f"plan {str(doc.via)!r} not found in org {self.org.slug}"
                    if plan is None
                    else f"plan {plan.address!r} is not a plan of course {str(doc.course)!r}"
                )
                self.add(doc.via, f"{path}.via", message)
                return None
            # the enrollment follows the member's subscription to the plan, even one whose
            # access has ended: its progress is history, and `enrollments progress` and
            # `courses tree --member` see that the access ended
            held = held_on_plan(holdings, plan.id, self.now)
            return plan.tier, (held.id if held else None)
        best = best_holding((h for h in holdings if h.product_id == course_id), self.now)
        return (best.tier, best.id) if best else (BASE_TIER, None)

    def progress(
        self, doc: EnrollmentDoc, path: str, key: str, enrollment_id: uuid.UUID,
        course_id: uuid.UUID, tier: int, *, known: bool,
    ) -> None:  # fmt: skip
        placements = self.placements.get(course_id)
        for lesson, entry in doc.progress.items():
            where = f"{path}.progress.{lesson}"
            found = (
                placements.find(lesson)
                if placements
                else f"lesson {lesson!r} is not placed in this course"
            )
            if isinstance(found, str):
                self.add(entry, where, found)
                continue
            if found.tier > tier:
                self.add(
                    entry,
                    where,
                    f"lesson {found.path} needs tier {found.tier}; this enrollment has tier {tier}",
                )
                continue
            try:
                values = progress_values(ProgressStatus(entry.status), entry.percent, entry.seconds)
            except VolmifyError as exc:
                self.add(entry, where, exc.reason)
                continue
            old = self.stored.progress.get((enrollment_id, found.id)) if known else None
            completed = values["status"] == ProgressStatus.COMPLETED
            done = (old or {}).get("completed_at") or utcnow()
            identity = {
                "org_id": self.org.id,
                "enrollment_id": enrollment_id,
                "placement_id": found.id,
            }
            if old is None or bool(old.get("completed_at")) != completed:
                values["completed_at"] = done if completed else None
            self.plan(
                OrgMemberLessonProgress, "progress", f"{key}/{found.path}", old, values, identity
            )

    # -- ratings -------------------------------------------------------------------------------

    def ratings(self) -> None:
        seen: dict[tuple[uuid.UUID, uuid.UUID], RatingDoc] = {}
        for index, doc in enumerate(self.doc.ratings):
            path = f"ratings[{index}]"
            course_id = self._course(doc.course, f"{path}.course")
            user_id = self.user_id(doc.user)
            if user_id is None:
                self.add(
                    doc.user,
                    f"{path}.user",
                    f"user {normalize_email(doc.user)} not found (list it under members)",
                )
            if course_id is None or user_id is None:
                continue
            member = (self.member_id(doc.user), course_id)
            if member not in self.enrolled and member not in self.stored.enrollments:
                self.add(doc.user, f"{path}.user", not_enrolled(doc.user, str(doc.course)))
                continue
            if (course_id, user_id) in seen:
                self.add(
                    doc,
                    path,
                    f"this rating is listed twice (line {seen[(course_id, user_id)].mark[0]})",
                )
                continue
            seen[(course_id, user_id)] = doc
            old = self.stored.ratings.get((course_id, user_id))
            values = {
                "level_rating": str(doc.level),
                "difficulty_rating": doc.difficulty,
                "comment": str(doc.comment) if doc.comment is not None else None,
            }
            identity = {"org_id": self.org.id, "id": old["id"] if old else uuid7()}
            if old is None:
                identity |= {"course_id": course_id, "user_id": user_id}
            key = f"{doc.course}/{normalize_email(doc.user)}"
            self.plan(OrgProductCourseRating, "rating", key, old, values, identity)

    # -- writing ---------------------------------------------------------------------------------

    def write(self) -> None:
        bulk = Bulk(self.session)
        for model in ORDER:
            bulk.insert_rows(model, self.inserts.get(model, []))
        for model in ORDER:
            bulk.update_rows(model, KEYS.get(model, ("org_id", "id")), self.updates.get(model, []))
        refresh_enrollment_status(self.session, self.org.id, self.enrollment_ids)
