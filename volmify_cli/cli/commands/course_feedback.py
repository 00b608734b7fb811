"""volmify courses skills add|remove|list, courses rate | ratings | respond."""

from typing import Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    FormatOpt,
    LocaleOpt,
    OrgOpt,
    enum_parser,
    prompted_whole_number,
    value_option,
)
from volmify_cli.enums import CourseLevel, SkillKind

skills_app = noun_app("The skills a course teaches or requires.")

CourseArg = Annotated[str, typer.Argument(help="The course (product slug).", show_default=False)]
SkillArg = Annotated[str, typer.Argument(help="The skill slug, e.g. python.", show_default=False)]
UserOpt = Annotated[str, typer.Option("--user", help="The user's e-mail.", show_default=False)]
LevelOpt = Annotated[
    CourseLevel | None,
    typer.Option(
        "--level",
        parser=enum_parser(CourseLevel),
        help="beginner, intermediate, advanced or expert.",
        show_default=False,
    ),
]

SKILL_COLUMNS = [
    output.Column("skill", "Skill"),
    output.Column("name", "Name"),
    output.Column("kind", "Kind"),
    output.Column("weight", "Weight", justify="right"),
    output.Column("level", "Level"),
]
RATING_COLUMNS = [
    output.Column("user", "User"),
    output.Column("level", "Level"),
    output.Column("difficulty", "Difficulty", justify="right"),
    output.Column("comment", "Comment"),
    output.Column("response", "Response"),
]


@skills_app.command("list")
def list_skills(
    ctx: typer.Context,
    course: CourseArg,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """List a course's skills, named in the display locale (`volmify skills` names them)."""
    from volmify_cli.services.skills import list_course_skills

    state = AppContext.of(ctx)
    with state.session() as session:
        rows = list_course_skills(
            session,
            org=state.org_slug(org),
            course=course,
            locale=state.display_locale(locale),
        )
    output.render_list(rows, state.output_format(output_format), SKILL_COLUMNS)


@skills_app.command("add")
def add_skill(
    ctx: typer.Context,
    course: CourseArg,
    skill: SkillArg,
    kind: Annotated[
        SkillKind | None,
        typer.Option("--kind", parser=enum_parser(SkillKind), help="taught or prerequisite."),
    ] = None,
    weight: Annotated[int | None, value_option("--weight", help="1..10 (default 5).")] = None,
    level: LevelOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Link a skill to a course (created globally when unknown); again: update it."""
    from volmify_cli.services.skills import add_course_skill

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        row = add_course_skill(
            session,
            org=state.org_slug(org),
            course=course,
            skill=skill,
            kind=kind,
            weight=weight,
            level=level,
            locale=state.display_locale(),
        )
    output.render(row, state.output_format(output_format), SKILL_COLUMNS)


@skills_app.command("remove")
def remove_skill(
    ctx: typer.Context, course: CourseArg, skill: SkillArg, org: OrgOpt = None
) -> None:
    """Unlink a skill from a course."""
    from volmify_cli.services.skills import remove_course_skill

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        remove_course_skill(session, org=state.org_slug(org), course=course, skill=skill)
    output.notice(f"Removed skill {skill} from course {course}.")


def rate(
    ctx: typer.Context,
    course: CourseArg,
    user: UserOpt,
    level: LevelOpt = None,
    difficulty: Annotated[int | None, value_option("--difficulty", help="1..10.")] = None,
    comment: Annotated[str | None, typer.Option("--comment", help="A comment.")] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Rate a course's level and difficulty as a user (one rating per user; again: update)."""
    from volmify_cli.services.ratings import rate_course

    state = AppContext.of(ctx)
    if level is None:
        choice = state.prompter().select(
            "Level:", [member.value for member in CourseLevel], flag="--level"
        )
        level = CourseLevel(choice)
    if difficulty is None:
        difficulty = prompted_whole_number(
            state.prompter().text("Difficulty (1-10):", flag="--difficulty"), "difficulty"
        )
    with state.session(write=True) as session:
        row = rate_course(
            session,
            org=state.org_slug(org),
            course=course,
            user=user,
            level=level,
            difficulty=difficulty,
            comment=comment,
        )
    output.render(row, state.output_format(output_format), RATING_COLUMNS)


def ratings(
    ctx: typer.Context, course: CourseArg, org: OrgOpt = None, output_format: FormatOpt = None
) -> None:
    """Declared level and difficulty against the community's ratings."""
    from volmify_cli.services.ratings import course_ratings

    state = AppContext.of(ctx)
    with state.session() as session:
        summary = course_ratings(session, org=state.org_slug(org), course=course)
    chosen = state.output_format(output_format)
    if chosen != "table":
        output.render(summary if chosen != "csv" else summary["ratings"], chosen, RATING_COLUMNS)
        return
    output.render(_overview(summary), "table")
    output.render_list(summary["ratings"], "table", RATING_COLUMNS)


def _overview(summary: Any) -> dict[str, Any]:
    community = summary["community"]
    return {
        "course": summary["course"],
        "declared level": summary["declared"]["level"],
        "community levels": ", ".join(f"{k}: {v}" for k, v in community["levels"].items()),
        "declared difficulty": summary["declared"]["difficulty"],
        "mean difficulty": community["mean_difficulty"],
        "ratings": community["count"],
    }


def respond(
    ctx: typer.Context,
    course: CourseArg,
    user: UserOpt,
    response: Annotated[
        str, typer.Option("--response", help="The instructor's answer.", show_default=False)
    ],
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Answer a user's rating as the course's instructor."""
    from volmify_cli.services.ratings import respond_to_rating

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        row = respond_to_rating(
            session, org=state.org_slug(org), course=course, user=user, response=response
        )
    output.render(row, state.output_format(output_format), RATING_COLUMNS)


def register(app: typer.Typer) -> None:
    app.add_typer(skills_app, name="skills")
    app.command("rate")(rate)
    app.command("ratings")(ratings)
    app.command("respond")(respond)
