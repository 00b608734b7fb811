"""`volmify demo`: load the demo organizations from `fixtures/` through the importers users run
(catalog import, course outline import, learning import, sales import) — no special path.

Every step is idempotent (upserts by natural keys; sales by order_id), so the demo can be run
again; `reset_demo` deletes the demo organizations first to start over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

from sqlmodel import Session, select

from volmify_cli.models.orgs import Org
from volmify_cli.resources import resource_dir

DEMO_ORGS = ("acme", "globex")
StepKind = Literal[
    "lessons", "catalog", "outline", "learning", "sales", "marketplace", "sessions", "skills"
]

# What each demo org lists in the marketplace: (product, category).
DEMO_LISTINGS = {
    "acme": [("python-101", "programming"), ("data-science-pro", "data-science")],
    "globex": [("web-design-basics", "design")],
}
# Sign-in sessions of demo learners: (e-mail, IP address, user agent, days since sign-in,
# lifetime in days, revoked). Dated from the day the demo loads, so each status stays true.
DEMO_SESSIONS = {
    "acme": [
        ("ana@example.org", "203.0.113.10", "Mozilla/5.0 (Macintosh) Firefox/133.0", 2, 30, False),
        ("ana@example.org", "198.51.100.7", "VolmifyMobile/2.4 (iPhone; iOS 18.1)", 45, 30, False),
        (
            "ben@example.org",
            "203.0.113.24",
            "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0",
            5,
            30,
            True,
        ),
    ],
    "globex": [
        ("yuki@example.jp", "2001:db8::42", "Mozilla/5.0 (X11; Linux) Firefox/133.0", 1, 14, False)
    ],
}


@dataclass(frozen=True)
class DemoStep:
    org: str
    kind: StepKind
    path: Path | None = None  # the fixture file an importer reads
    listing: tuple[str, str] | None = None  # marketplace: (product, category)

    @property
    def file(self) -> Path:
        if self.path is None:
            raise ValueError(f"the demo's {self.kind} step of {self.org} reads no file")
        return self.path

    @property
    def command(self) -> str:
        """The command a user types to do the same step."""
        if self.listing is not None:
            product, category = self.listing
            return f"volmify marketplace publish {product} --category {category} --org {self.org}"
        if self.path is None:  # no command signs a user in: the platform does
            return f"sign-in sessions of {self.org}'s learners (volmify users sessions list EMAIL)"
        verb = {
            "lessons": "courses import",
            "catalog": "catalog import",
            "outline": "courses import",
            "learning": "learning import",
            "sales": "sales import",
            "skills": "skills import",
        }[self.kind]
        relative = self.file.relative_to(resource_dir("fixtures").parent)
        return f"volmify {verb} {relative}" + (f" --org {self.org}" if self.org else "")


class StepRead(TypedDict):
    org: str
    step: str
    command: str
    summary: str


def demo_steps() -> list[DemoStep]:
    """The demo's steps in dependency order: catalogs, the org's lesson library (outlines
    place its lessons), then outlines, learners and sales."""
    fixtures = resource_dir("fixtures")
    # the platform's skill taxonomy first (no org): the catalogs' skills then refer to it
    steps: list[DemoStep] = [DemoStep("", "skills", fixtures / "skills.yaml")]
    for org in DEMO_ORGS:
        base = fixtures / org
        catalog = base / "catalog" if (base / "catalog").is_dir() else base / "catalog.yaml"
        steps.append(DemoStep(org, "catalog", catalog))
        if (base / "lessons.yaml").is_file():  # after the catalog creates the org
            steps.append(DemoStep(org, "lessons", base / "lessons.yaml"))
        steps += [DemoStep(org, "outline", p) for p in sorted((base / "outlines").glob("*.yaml"))]
        steps.append(DemoStep(org, "learning", base / "learning.yaml"))
        steps.append(DemoStep(org, "sales", base / "sales.csv"))
        steps += [DemoStep(org, "marketplace", listing=item) for item in DEMO_LISTINGS[org]]
        steps.append(DemoStep(org, "sessions"))
    return steps


def run_step(session: Session, step: DemoStep) -> StepRead:
    """Apply one step in the session's transaction. Raises what the importer raises."""
    summary = {
        "lessons": _lessons,
        "catalog": _catalog,
        "outline": _outline,
        "learning": _learning,
        "sales": _sales,
        "marketplace": _marketplace,
        "sessions": _sessions,
        "skills": _skills,
    }[step.kind](session, step)
    return StepRead(org=step.org, step=step.kind, command=step.command, summary=summary)


def _lessons(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_course_file
    from volmify_cli.inputs.outline_schema import LessonLibraryDoc
    from volmify_cli.services.lesson_library import import_library

    doc = read_course_file(step.file)
    if not isinstance(doc, LessonLibraryDoc):
        raise ValueError(f"{step.file} is not a lesson library")
    return import_library(session, org=step.org, doc=doc, filename=step.file.name).changes.summary()


def _catalog(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.catalog_files import read_catalog
    from volmify_cli.services.catalog import apply_catalog_import, plan_catalog_import

    files = read_catalog([step.file])
    plan = plan_catalog_import(session, files, org=step.org)
    apply_catalog_import(session, plan)
    return plan.changes.summary()


def _outline(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_outline
    from volmify_cli.services.outline_import import import_outline

    doc = read_outline(step.file)
    changes = import_outline(session, org=step.org, doc=doc, filename=str(step.file))
    return changes.summary()


def _learning(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_learning
    from volmify_cli.services.learning_import import import_learning

    doc = read_learning(step.file)
    return import_learning(
        session, org=step.org, doc=doc, filename=str(step.file)
    ).changes.summary()


def _sales(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.sales_files import open_sales_file
    from volmify_cli.services.sales import import_sales

    source = open_sales_file(step.file)
    result = import_sales(session, org_slug=step.org, lines=source.lines, file=source.name)
    return f"{result['created']} orders recorded, {result['unchanged']} already there"


def _marketplace(session: Session, step: DemoStep) -> str:
    from volmify_cli.services.marketplace import publish_product

    assert step.listing is not None
    product, category = step.listing
    publish_product(session, org=step.org, product=product, category=category)
    return f"{product} listed in {category}"


def _sessions(session: Session, step: DemoStep) -> str:
    """The org's demo sessions, each once (a run again finds it by user, address and agent).
    A token is random at each load and only its digest is stored: the repository holds no
    token, and no two databases share one."""
    import datetime as dt
    import secrets

    from volmify_cli.db.types import utcnow
    from volmify_cli.models.core import UserSession
    from volmify_cli.services.lookup import get_user
    from volmify_cli.services.user_sessions import start_session

    now, added = utcnow(), 0
    for email, ip, agent, age_days, lifetime_days, revoked in DEMO_SESSIONS[step.org]:
        user = get_user(session, email)
        known = select(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.ip_address == ip,
            UserSession.user_agent == agent,
        )
        if session.exec(known).first() is not None:
            continue
        signed_in = now - dt.timedelta(days=age_days)
        row = start_session(
            session,
            user=user,
            token=secrets.token_urlsafe(32),
            created_at=signed_in,
            expires_at=signed_in + dt.timedelta(days=lifetime_days),
            ip_address=ip,
            user_agent=agent,
        )
        if revoked:
            row.revoked_at = signed_in + dt.timedelta(days=1)
            session.add(row)
        added += 1
    session.flush()
    return f"{added} sessions added"


def _skills(session: Session, step: DemoStep) -> str:
    from volmify_cli.exchange.readers import read_skills
    from volmify_cli.services.skill_import import import_skills

    doc = read_skills(step.file)
    return import_skills(session, doc=doc, filename=str(step.file)).summary()


def existing_demo_orgs(session: Session) -> list[str]:
    return sorted(session.exec(select(Org.slug).where(Org.slug.in_(DEMO_ORGS))))  # type: ignore[attr-defined]


def reset_demo(session: Session) -> list[str]:
    """Delete the demo organizations (everything they own goes with them); global rows such as
    users and instructor profiles stay and are reused. Returns the slugs deleted."""
    from volmify_cli.services.orgs import delete_org

    deleted = existing_demo_orgs(session)
    for slug in deleted:
        delete_org(session, slug=slug)
    return deleted
