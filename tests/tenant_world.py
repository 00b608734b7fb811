"""Two tenants with the same slugs, built with the real commands (issue 9).

`acme` and `globex` each get brands, markets, instructors, products of several types, variants,
plans with prices, attribution, a collection, offers with coupons and a promotion, a course
outline with lessons, skills, members, subscriptions, enrollments with progress and ratings,
all under the *same* slugs (and the same coupon codes). Every text of `globex` carries the
canary `CANARY-7f3a`, so any output of an `acme` command that shows it has leaked.

`globex` also holds what `acme` lacks: the course `globex-only`, the lesson `globex-lesson`,
the coupon `GLOBEXONLY`, the instructor `teacher-globex`, the member `only-globex@…` and the
order `ORD-CANARY-7f3a`. Both have orders `ORD-1` and `ORD-2`. Both publish `python-101` in the
marketplace; globex's products it never published or no longer offers carry `UNLISTED-3c9e`.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.support import Cli

CANARY = "CANARY-7f3a"
ORGS = ("acme", "globex")
# What globex never published (or no longer offers) carries this too: the platform-wide
# `marketplace list` may show globex's published listings, never one of these.
UNLISTED = "UNLISTED-3c9e"


def marked(org: str, text: str) -> str:
    """The text of an entity of `org`: globex's carry the canary."""
    return f"{text} {CANARY}" if org == "globex" else text


def outline(org: str, *, course: str = "python-101") -> str:
    t = lambda text: marked(org, text)  # noqa: E731 - a short alias keeps the YAML readable
    return f"""\
version: 1
kind: course_outline
org: {org}
course: {course}
title: "{t("Python 101")}"
level: beginner
difficulty: 3
skills: [python]
modules:
  - slug: basics
    title: "{t("Basics")}"
    sections:
      - slug: start
        title: "{t("Start")}"
        lessons:
          - slug: intro-video
            title: "{t("Intro video")}"
            type: video
            minutes: 5
          - slug: first-quiz
            title: "{t("First quiz")}"
            type: quiz
  - slug: vip-corner
    title: "{t("VIP corner")}"
    tier: 3
    sections:
      - slug: secrets
        title: "{t("Secrets")}"
        lessons:
          - slug: vip-lesson
            title: "{t("VIP lesson")}"
            type: text
"""


def learning(org: str) -> str:
    return f"""\
version: 1
kind: learning
org: {org}
members:
  - {{email: learner-{org}@example.org, name: "{marked(org, "Learner")}", role: member}}
subscriptions:
  - {{member: learner-{org}@example.org, plan: python-101/team/monthly, status: active,
     started: 2026-01-05, external_id: "{marked(org, "sub").replace(" ", "-")}"}}
enrollments:
  - member: learner-{org}@example.org
    course: python-101
    via: python-101/team/monthly
    enrolled: 2026-01-05
    progress:
      intro-video: {{status: completed, seconds: 300}}
      first-quiz: {{status: in_progress, percent: 50}}
ratings:
  - {{course: python-101, user: learner-{org}@example.org, level: beginner, difficulty: 4,
     comment: "{marked(org, "Clear")}"}}
"""


def sales(org: str) -> str:
    """Two sales under the same order ids in both orgs (one with the shared coupon code);
    globex's customers and an extra order id carry the canary."""
    buyer = "buyer-canary-7f3a" if org == "globex" else "buyer"
    extra = "\nORD-CANARY-7f3a,2026-03-04,ebook,,download,us,USD,9.99,0,0,0,1,x@globex.example,"
    return (
        "order_id,sold_at,product,variant,plan,market,currency,amount,tax,fee,refunded,quantity,"
        "customer,coupon\n"
        f"ORD-1,2026-03-01T10:00:00Z,python-101,standard,basic,us,USD,36.75,0,1.00,0,1,"
        f"{buyer}@example.org,SPRING\n"
        f"ORD-2,2026-04-02,python-101,team,monthly,us,USD,19.99,1.99,0.50,0,1,"
        f"shared@example.org," + (extra if org == "globex" else "") + "\n"
    )


def tenant_commands(org: str) -> list[str]:
    """The commands that build one organization of the pair (in order)."""
    t = lambda text: shlex.quote(marked(org, text))  # noqa: E731
    return [
        f"orgs create {org} --name {t('Org')} --locale en-US --currency USD",
        "orgs locales add de-DE",
        f"orgs brands create academy --name {t('Academy')} --description {t('Brand story')}",
        f"orgs brands update academy --name {t('Akademie')} --locale de-DE",
        "orgs members add shared@example.org --name 'Shared Person'",
        f"orgs members add only-{org}@example.org --name {t('Member')} --role admin",
        "instructors affiliate jane-doe --share 30",
        f"instructors create teacher-{org} --user teacher@{org}.example --name {t('Teacher')}"
        f" --title {t('Title')}",
        f"instructors affiliate teacher-{org} --share 10",
        f"markets create us --name {t('United States')} --type single-country --currency USD"
        f" --country US --brand academy --domain shop.{org}.example --default",
        f"markets create eu --name {t('Europe')} --type multi-region --currency EUR --country DE"
        " --locale en-US --locale de-DE",
        f"products create python-101 --type course --title {t('Python 101')}"
        f" --description {t('Learn Python')} --brand academy --status active --level beginner"
        " --difficulty 3",
        f"products update python-101 --title {t('Python auf Deutsch')} --locale de-DE",
        f"products create ebook --type digital --title {t('E-book')} --description {t('A book')}"
        f" --file-url https://{org}.example/book.pdf",
        f"products create mug --type physical --title {t('Mug')} --sku MUG-{org.upper()}",
        f"products variants add python-101 team --name {t('Team')}",
        "products attribute python-101 --instructor jane-doe --primary",
        f"products attribute python-101 --instructor teacher-{org}",
        "products attribute python-101 --brand academy --share 5",
        "plans create python-101 basic --type one-time --tier 1 --price us=49 --price eu=45"
        f" --name {t('Basic')} --default",
        "plans create python-101/team monthly --type subscription --tier 2 --interval month"
        f" --price us=19.99 --setup-fee us=5 --name {t('Monthly')}",
        "plans create python-101 vip --type subscription --tier 3 --interval year --price us=199"
        f" --name {t('VIP')}",
        f"plans create ebook download --type one-time --tier 1 --price us=9.99 --name {t('DL')}",
        f"collections create bestsellers --name {t('Bestsellers')} --product python-101"
        " --product ebook",
        "offers create spring --type percentage --percent 25 --product python-101"
        f" --coupon SPRING --name {t('Spring')} --usage-limit 50",
        "offers create auto --type percentage --percent 10 --collection bestsellers"
        f" --name {t('Automatic')}",
        "offers coupons add spring SHARED10",
        f"offers promotions create launch --name {t('Launch')} --offer spring",
        f"courses import {{workdir}}/{org}-outline.yaml",
        "courses skills add python-101 programming --weight 4",
        f"learning import {{workdir}}/{org}-learning.yaml",
        "enrollments add python-101 --member shared@example.org --plan python-101/standard/vip",
        "enrollments progress python-101 --member shared@example.org --lesson vip-lesson"
        " --status completed --seconds 60",
        "courses rate python-101 --user shared@example.org --level intermediate --difficulty 5"
        f" --comment {t('Good')}",
        f"courses respond python-101 --user shared@example.org --response {t('Thanks')}",
        f"sales import {{workdir}}/{org}-sales.csv",
        "marketplace publish python-101 --category programming",
    ]


GLOBEX_ONLY = [
    "courses import {workdir}/globex-only.yaml",
    "offers coupons add spring GLOBEXONLY",
    f"orgs members add only-globex-2@example.org --name {shlex.quote(marked('globex', 'X'))}",
]
# globex's products that the marketplace must never show (titles and slugs carry UNLISTED):
# active but never published, a draft, published then unpublished, published then archived.
UNLISTED_PRODUCTS = {
    "unlisted-active": ["--status active"],
    "unlisted-draft": [],
    "unlisted-delisted": [
        "--status active",
        "marketplace publish {slug} --category programming",
        "marketplace unpublish {slug}",
    ],
    "unlisted-archived": [
        "--status active",
        "marketplace publish {slug} --category programming",
        "products archive {slug}",
    ],
}


def unlisted_commands() -> list[str]:
    lines = []
    for slug, steps in UNLISTED_PRODUCTS.items():
        title = shlex.quote(marked("globex", f"{UNLISTED} {slug}"))
        status = " ".join(step for step in steps if step.startswith("--"))
        lines += [
            f"products create {slug} --type digital --title {title} {status}",
            f"plans create {slug} dl --type one-time --tier 1 --price us=7 --price eu=6",
        ]
        lines += [step.format(slug=slug) for step in steps if not step.startswith("--")]
    return lines


def run_line(cli: Cli, line: str, org: str, workdir: Path) -> None:
    cli.ok("--org", org, *shlex.split(line.format(workdir=workdir)))


def build(cli: Cli, workdir: Path) -> None:
    """Both tenants, plus what only globex has."""
    cli.ok("instructors", "create", "jane-doe", "--user", "jane@example.com", "--name", "Jane Doe")
    for org in ORGS:
        (workdir / f"{org}-outline.yaml").write_text(outline(org), encoding="utf-8")
        (workdir / f"{org}-learning.yaml").write_text(learning(org), encoding="utf-8")
        (workdir / f"{org}-sales.csv").write_text(sales(org), encoding="utf-8")
        for line in tenant_commands(org):
            run_line(cli, line, org, workdir)
    only = outline("globex", course="globex-only").replace("intro-video", "globex-lesson")
    (workdir / "globex-only.yaml").write_text(only, encoding="utf-8")
    for line in [*GLOBEX_ONLY, *unlisted_commands()]:
        run_line(cli, line, "globex", workdir)
