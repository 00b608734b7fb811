"""volmify products variants: the variants of a product (PRODUCT/VARIANT). A product's first
variant, `standard`, is created with it and is its default."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, LocaleOpt, OrgOpt, YesOpt

app = noun_app("Variants of a product, addressed as PRODUCT/VARIANT.")

VARIANT_COLUMNS = [
    output.Column("product", "Product"),
    output.Column("slug", "Variant"),
    output.Column("name", "Name"),
    output.Column("is_default", "Default"),
    output.Column("status", "Status"),
    output.Column("plans", "Plans", justify="right"),
]
Product = Annotated[str, typer.Argument(help="The product's slug.")]
Variant = Annotated[str, typer.Argument(help="The variant's slug.")]


@app.command("add")
def add_variant(
    ctx: typer.Context,
    product: Product,
    variant: Variant,
    name: Annotated[str | None, typer.Option("--name")] = None,
    default: Annotated[bool, typer.Option("--default", help="Make it the default.")] = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Add a variant to a product."""
    from volmify_cli.services.variants import add_variant

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        record = add_variant(
            session, org=org_slug, product=product, slug=variant, name=name, default=default
        )
    output.render(record, fmt, VARIANT_COLUMNS)


@app.command("list")
def list_variants(
    ctx: typer.Context,
    product: Product,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List a product's variants (the default first)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.variants import iter_variants

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        rows = iter_variants(
            session,
            org=org_slug,
            product=product,
            locale=state.display_locale(locale),
            limit=limit,
        )
        stream_list(rows, fmt, VARIANT_COLUMNS, limit=limit)


@app.command("update")
def update_variant(
    ctx: typer.Context,
    product: Product,
    variant: Variant,
    name: Annotated[str | None, typer.Option("--name")] = None,
    default: Annotated[bool, typer.Option("--default", help="Make it the default.")] = False,
    status: Annotated[
        str | None, typer.Option("--status", help="active or inactive.", show_default=False)
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Rename a variant, make it the default, or change its status."""
    from volmify_cli.services.variants import update_variant

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        record = update_variant(
            session,
            org=org_slug,
            variant=f"{product}/{variant}",
            name=name,
            default=default,
            status=status,
        )
    output.render(record, fmt, VARIANT_COLUMNS)


@app.command("remove")
def remove_variant(
    ctx: typer.Context,
    product: Product,
    variant: Variant,
    org: OrgOpt = None,
    yes: YesOpt = False,
) -> None:
    """Remove a variant with its plans (not the default one; refused when it has orders or
    subscriptions)."""
    from volmify_cli.services.variants import remove_variant

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Remove variant {product}/{variant}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        remove_variant(session, org=org_slug, variant=f"{product}/{variant}")
    output.notice(f"Removed variant {product}/{variant}.")
