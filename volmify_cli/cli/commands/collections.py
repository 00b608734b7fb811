"""volmify collections: named, ordered groups of products."""

from typing import Annotated

import typer

from volmify_cli.cli import output
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

app = noun_app("Collections: named, ordered groups of products.")

Slug = Annotated[str, typer.Argument(help="The collection's slug.")]
Products = Annotated[list[str], typer.Argument(help="Product slugs, in order.")]

LIST_COLUMNS = [
    output.Column("slug", "Collection"),
    output.Column("name", "Name"),
    output.Column("products", "Products", justify="right"),
    output.Column("is_active", "Active"),
]
DETAIL_COLUMNS = [
    output.Column("slug", "Collection"),
    output.Column("name", "Name"),
    output.Column("is_active", "Active"),
    output.Column(
        "products", "Products", display=lambda r: ", ".join(p["slug"] for p in r["products"])
    ),
    SEO_COLUMN,
]


@app.command("create")
def create(
    ctx: typer.Context,
    slug: Slug,
    name: Annotated[str | None, typer.Option("--name")] = None,
    product: Annotated[
        list[str] | None, typer.Option("--product", help="A product (repeat, in order).")
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a collection, optionally with its products in order."""
    from volmify_cli.services.collections import create_collection

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    if name is None:
        name = state.prompter().text("Collection name", flag="--name")
    with state.session(write=True) as session:
        record = create_collection(
            session, org=org_slug, slug=slug, name=name, products=product or ()
        )
    output.render(record, fmt, DETAIL_COLUMNS)


@app.command("list")
def list_collections(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List collections with their product counts."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.collections import iter_collections

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        rows = iter_collections(
            session, org=org_slug, locale=state.display_locale(locale), limit=limit
        )
        stream_list(rows, fmt, LIST_COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context,
    slug: Slug,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a collection's products in their order."""
    from volmify_cli.services.collections import show_collection

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        record = show_collection(
            session, org=org_slug, slug=slug, locale=state.display_locale(locale)
        )
    output.render(record, fmt, DETAIL_COLUMNS)


@app.command("add")
def add(
    ctx: typer.Context,
    slug: Slug,
    products: Products,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Append products at the end (products already in keep their place)."""
    from volmify_cli.services.collections import add_products

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        record = add_products(session, org=org_slug, slug=slug, products=products)
    output.render(record, fmt, DETAIL_COLUMNS)


@app.command("remove")
def remove(
    ctx: typer.Context,
    slug: Slug,
    products: Products,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Take products out of a collection (the others keep their order)."""
    from volmify_cli.services.collections import remove_products

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        record = remove_products(session, org=org_slug, slug=slug, products=products)
    output.render(record, fmt, DETAIL_COLUMNS)


@app.command("delete")
def delete(ctx: typer.Context, slug: Slug, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete a collection (its products stay)."""
    from volmify_cli.services.collections import delete_collection

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Delete collection {slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_collection(session, org=org_slug, slug=slug)
    output.notice(f"Deleted collection {slug}.")


@app.command("update")
def update(
    ctx: typer.Context,
    slug: Slug,
    name: Annotated[str | None, typer.Option("--name", help="Name (in --locale).")] = None,
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            help="Which translation to write (an org locale) [default: the org's default locale].",
        ),
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
    """Change a collection's name or SEO (in one locale)."""
    from volmify_cli.errors import UsageError
    from volmify_cli.services.collections import update_collection

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    seo = seo_change(
        seo_title, seo_description, seo_canonical_url, seo_robots, seo_image, clear_seo
    )
    if name is None and not seo:
        raise UsageError("nothing to change", "pass --name or --seo-*")
    with state.session(write=True) as session:
        record = update_collection(
            session, org=org_slug, slug=slug, name=name, locale=locale, seo=seo
        )
    output.render(record, fmt, DETAIL_COLUMNS)
