"""volmify orgs brands: an organization's brands, named per org locale."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.commands.contacts import brand_app as contact_app
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, LocaleOpt, OrgOpt, YesOpt
from volmify_cli.cli.seo_options import (
    SEO_COLUMN,
    ClearSeoOpt,
    SeoCanonicalOpt,
    SeoDescriptionOpt,
    SeoImageOpt,
    SeoRobotsOpt,
    SeoTitleOpt,
    seo_change,
)

app = noun_app("An organization's brands (names and descriptions per org locale).")
app.add_typer(contact_app, name="contact")

COLUMNS = [
    output.Column("slug", "Slug"),
    output.Column("name", "Name"),
    output.Column("description", "Description"),
    output.Column("is_active", "Active"),
]
DETAIL_COLUMNS = [
    *COLUMNS,
    output.Column(
        "translations",
        "Names",
        display=lambda row: ", ".join(f"{k}: {v['name']}" for k, v in row["translations"].items()),
    ),
    SEO_COLUMN,
]
SlugArg = Annotated[str, typer.Argument(help="The brand's slug.")]
TextLocaleOpt = Annotated[
    str | None,
    typer.Option(
        "--locale",
        help="Which translation to write (an org locale) [default: the org's default locale].",
    ),
]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="Description.")]


@app.command("create")
def create(
    ctx: typer.Context,
    slug: SlugArg,
    name: Annotated[str | None, typer.Option("--name", help="Brand name.")] = None,
    description: DescriptionOpt = None,
    locale: TextLocaleOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a brand."""
    from volmify_cli.services.brands import create_brand

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    name = name or state.prompter().text("Brand name:", flag="--name")
    with state.session(write=True) as session:
        row = create_brand(
            session,
            org_slug=org_slug,
            slug=slug,
            name=name,
            description=description,
            locale=locale,
        )
    output.render(row, fmt, DETAIL_COLUMNS)


@app.command("list")
def list_brands(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the organization's brands (names in the display locale)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.brands import iter_brands

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        rows = iter_brands(
            session, org_slug=org_slug, locale=state.display_locale(locale), limit=limit
        )
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context,
    slug: SlugArg,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a brand with every translation of its name."""
    from volmify_cli.services.brands import show_brand

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        row = show_brand(session, org_slug=org_slug, slug=slug, locale=state.display_locale(locale))
    output.render(row, fmt, DETAIL_COLUMNS)


@app.command("update")
def update(
    ctx: typer.Context,
    slug: SlugArg,
    name: Annotated[str | None, typer.Option("--name", help="Brand name.")] = None,
    description: DescriptionOpt = None,
    locale: TextLocaleOpt = None,
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Mark the brand (in)active.")
    ] = None,
    seo_title: SeoTitleOpt = None,
    seo_description: SeoDescriptionOpt = None,
    seo_canonical_url: SeoCanonicalOpt = None,
    seo_robots: SeoRobotsOpt = None,
    seo_image: SeoImageOpt = None,
    clear_seo: ClearSeoOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Change a brand's name, description or SEO (in one locale) or its active flag."""
    from volmify_cli.errors import UsageError
    from volmify_cli.services.brands import update_brand

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    seo = seo_change(
        seo_title, seo_description, seo_canonical_url, seo_robots, seo_image, clear_seo
    )
    if name is None and description is None and active is None and not seo:
        raise UsageError(
            "nothing to change", "pass --name, --description, --active/--inactive or --seo-*"
        )
    with state.session(write=True) as session:
        row = update_brand(
            session,
            org_slug=org_slug,
            slug=slug,
            name=name,
            description=description,
            locale=locale,
            active=active,
            seo=seo,
        )
    output.render(row, fmt, DETAIL_COLUMNS)


@app.command("delete")
def delete(ctx: typer.Context, slug: SlugArg, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete a brand (refused while markets deploy it or revenue was allocated to it)."""
    from volmify_cli.services.brands import delete_brand, show_brand
    from volmify_cli.services.references import describe_counts

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session() as session:
        show_brand(session, org_slug=org_slug, slug=slug)  # unknown: fail before asking
    if not state.prompter().confirm(f"Delete brand {slug} of org {org_slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        removed = delete_brand(session, org_slug=org_slug, slug=slug)
    also = f" (with {describe_counts(removed)})" if removed else ""
    output.notice(f"Deleted brand {slug}{also}.")
