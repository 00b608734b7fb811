"""volmify products: the catalog's products, their variants and their revenue attribution."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from volmify_cli.cli import catalog_display as show
from volmify_cli.cli import output
from volmify_cli.cli.commands.product_variants import app as variants_app
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    FormatOpt,
    LimitOpt,
    LocaleOpt,
    OrgOpt,
    YesOpt,
    enum_parser,
    enum_values,
    value_option,
)
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
from volmify_cli.enums import CourseLevel, DeliveryMode, ProductStatus, ProductType

if TYPE_CHECKING:
    from volmify_cli.services.product_types import ProductDetails

app = noun_app("Products of the catalog (courses, digital, physical, services).")
app.add_typer(variants_app, name="variants")

Slug = Annotated[str, typer.Argument(help="The product's slug.", show_default=False)]
TypeOpt = Annotated[
    ProductType | None,
    typer.Option(
        "--type",
        parser=enum_parser(ProductType),
        autocompletion=enum_values(ProductType),
        help="course, digital, physical or service.",
        show_default=False,
    ),
]
StatusOpt = Annotated[
    ProductStatus | None,
    typer.Option(
        "--status",
        parser=enum_parser(ProductStatus),
        autocompletion=enum_values(ProductStatus),
        help="draft, active or archived.",
        show_default=False,
    ),
]
ContentLocaleOpt = Annotated[
    str | None,
    typer.Option(
        "--locale",
        help="Locale of --title/--description/--seo-* (an org locale; default: the default one).",
        show_default=False,
    ),
]
# Type details: each belongs to one product type (another type's detail is a usage error).
LevelOpt = Annotated[
    CourseLevel | None,
    typer.Option("--level", parser=enum_parser(CourseLevel), help="Course: beginner … expert."),
]
DifficultyOpt = Annotated[int | None, value_option("--difficulty", help="Course: 1..10.")]
MinutesOpt = Annotated[int | None, value_option("--minutes", help="Course: estimated minutes.")]
FileUrlOpt = Annotated[str | None, typer.Option("--file-url", help="Digital: the file.")]
FileSizeOpt = Annotated[int | None, value_option("--file-size", help="Digital: bytes.")]
DownloadLimitOpt = Annotated[int | None, value_option("--download-limit", help="Digital.")]
SkuOpt = Annotated[str | None, typer.Option("--sku", help="Physical: SKU (unique in the org).")]
WeightOpt = Annotated[int | None, value_option("--weight-grams", help="Physical.")]
NoShippingOpt = Annotated[bool, typer.Option("--no-shipping", help="Physical: needs no shipping.")]
DurationOpt = Annotated[int | None, value_option("--duration-minutes", help="Service.")]
DeliveryOpt = Annotated[
    DeliveryMode | None,
    typer.Option(
        "--delivery-mode",
        parser=enum_parser(DeliveryMode),
        help="Service: online, in-person or hybrid.",
    ),
]

# As a buyer in a market sees the catalog (`list|show --market M [--country CC]`).
MarketOpt = Annotated[
    str | None,
    typer.Option(
        "--market",
        help="As a buyer in this market sees it: texts in its locale, its prices only.",
        show_default=False,
    ),
]
BuyerCountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        help="A country of --market (its own locale; alone: the country's market).",
        show_default=False,
    ),
]
BUYER_COLUMNS = [
    output.Column("market", "Market"),
    output.Column("country", "Country"),
    output.Column("locale", "Locale"),
    output.Column("locale_from", "Locale from"),
]


def _market_prices(locale: str) -> output.Column:
    def price(p: Any) -> str:
        if p.get("unit_amount") is not None:  # a per_unit plan's exact unit price
            return f"{p['unit_amount']} {p['currency']} a unit"
        return show.money(p["amount_minor"], p["currency"], locale)

    def display(row: Any) -> str:
        return "; ".join(f"{p['plan'].partition('/')[2]} {price(p)}" for p in row["prices"])

    return output.Column("prices", "Prices", display=display)


LIST_COLUMNS = [
    output.Column("slug", "Slug"),
    output.Column("type", "Type"),
    output.Column("status", "Status"),
    output.Column("title", "Title"),
    output.Column("brands", "Brands"),
    output.Column("variants", "Variants", justify="right"),
]
ATTRIBUTION_COLUMNS = [
    output.Column("product", "Product"),
    output.Column(
        "instructors", "Instructors", display=lambda r: show.instructors(r["instructors"])
    ),
    output.Column("brands", "Brands", display=lambda r: show.brands(r["brands"])),
    output.Column("org_share", "Org keeps"),
]


def detail_columns(locale: str) -> list[output.Column]:
    return [
        output.Column("slug", "Slug"),
        output.Column("type", "Type"),
        output.Column("status", "Status"),
        output.Column("title", "Title"),
        output.Column("description", "Description"),
        output.Column("details", "Details", display=show.details),
        output.Column("brands", "Brands", display=lambda r: show.brands(r["brands"])),
        output.Column(
            "instructors", "Instructors", display=lambda r: show.instructors(r["instructors"])
        ),
        output.Column("org_share", "Org keeps"),
        output.Column("variants", "Variants", display=lambda r: show.variants(r["variants"])),
        output.Column("plans", "Plans", display=lambda r: show.plans(r["plans"], locale)),
        SEO_COLUMN,
    ]


def _details(**given: Any) -> "ProductDetails":
    details: ProductDetails = {}
    for key, value in given.items():
        if value is not None:
            details[key] = value  # type: ignore[literal-required]
    return details


@app.command("create")
def create(
    ctx: typer.Context,
    slug: Slug,
    product_type: TypeOpt = None,
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    brand: Annotated[
        str | None, typer.Option("--brand", help="Primary brand (a brand of the org).")
    ] = None,
    status: StatusOpt = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    locale: ContentLocaleOpt = None,
    level: LevelOpt = None,
    difficulty: DifficultyOpt = None,
    minutes: MinutesOpt = None,
    file_url: FileUrlOpt = None,
    file_size: FileSizeOpt = None,
    download_limit: DownloadLimitOpt = None,
    sku: SkuOpt = None,
    weight_grams: WeightOpt = None,
    no_shipping: NoShippingOpt = False,
    duration_minutes: DurationOpt = None,
    delivery_mode: DeliveryOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a product with its type details and a default variant `standard` (more variants:
    `volmify products variants add`), in one transaction."""
    from volmify_cli.services.products import create_product

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    prompter = state.prompter()
    if product_type is None:
        chosen = prompter.select("Product type", [t.value for t in ProductType], flag="--type")
        product_type = ProductType(chosen)
    if title is None:
        title = prompter.text("Title", flag="--title")
    details = _details(
        level=level,
        difficulty=difficulty,
        estimated_minutes=minutes,
        file_url=file_url,
        file_size_bytes=file_size,
        download_limit=download_limit,
        sku=sku,
        weight_grams=weight_grams,
        requires_shipping=False if no_shipping else None,
        duration_minutes=duration_minutes,
        delivery_mode=delivery_mode,
    )
    with state.session(write=True) as session:
        record = create_product(
            session,
            org=org_slug,
            slug=slug,
            type=product_type,
            title=title,
            brand=brand,
            status=status or ProductStatus.DRAFT,
            description=description,
            locale=locale,
            details=details,
        )
    output.render(record, fmt, detail_columns(state.display_locale()))


@app.command("list")
def list_products(
    ctx: typer.Context,
    product_type: TypeOpt = None,
    status: StatusOpt = None,
    market: MarketOpt = None,
    country: BuyerCountryOpt = None,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the org's products (titles in the display locale; with --market, as a buyer there
    sees them: titles in the market's locale and the plans' prices in that market)."""
    from itertools import chain

    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.products import iter_products

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        rows = iter_products(
            session,
            org=org_slug,
            type=product_type,
            status=status,
            locale=state.display_locale(locale),
            limit=limit,
            market=market,
            country=country,
        )
        columns = LIST_COLUMNS
        if market is not None or country is not None:
            first = next(rows, None)  # the buyer's locale, which every row carries
            buyer = _buyer_locale(first, locale, state.display_locale())
            columns = [*LIST_COLUMNS[:4], _market_prices(buyer), *BUYER_COLUMNS]
            rows = chain([first] if first is not None else [], rows)
        stream_list(rows, fmt, columns, limit=limit)


def _buyer_locale(row: Any, flag: str | None, display: str) -> str:
    """Money in a buyer's table is formatted in the locale they get (unless --locale)."""
    return flag or (row["locale"] if row is not None else display)


@app.command("show")
def show_product(
    ctx: typer.Context,
    slug: Slug,
    market: MarketOpt = None,
    country: BuyerCountryOpt = None,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a product: title, brands, attribution with shares, variants, plans with prices
    (with --market, as a buyer there sees it: texts in the market's locale, its prices only)."""
    from volmify_cli.services.products import show_product

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    display = state.display_locale(locale)
    with state.session() as session:
        record = show_product(
            session, org=org_slug, slug=slug, locale=display, market=market, country=country
        )
    if market is None and country is None:
        output.render(record, fmt, detail_columns(display))
    else:
        columns = detail_columns(_buyer_locale(record, locale, display))
        output.render(record, fmt, [*columns[:1], *BUYER_COLUMNS, *columns[1:]])


@app.command("update")
def update(
    ctx: typer.Context,
    slug: Slug,
    title: Annotated[str | None, typer.Option("--title")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    locale: ContentLocaleOpt = None,
    status: StatusOpt = None,
    thumbnail_url: Annotated[str | None, typer.Option("--thumbnail-url")] = None,
    level: LevelOpt = None,
    difficulty: DifficultyOpt = None,
    minutes: MinutesOpt = None,
    file_url: FileUrlOpt = None,
    file_size: FileSizeOpt = None,
    download_limit: DownloadLimitOpt = None,
    sku: SkuOpt = None,
    weight_grams: WeightOpt = None,
    shipping: Annotated[
        bool | None,
        typer.Option(
            "--shipping/--no-shipping", help="Physical: needs shipping.", show_default=False
        ),
    ] = None,
    duration_minutes: DurationOpt = None,
    delivery_mode: DeliveryOpt = None,
    seo_title: SeoTitleOpt = None,
    seo_description: SeoDescriptionOpt = None,
    seo_canonical_url: SeoCanonicalOpt = None,
    seo_robots: SeoRobotsOpt = None,
    seo_image: SeoImageOpt = None,
    clear_seo: ClearSeoOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Change a product's title/description/SEO (in --locale), status, thumbnail or details."""
    from volmify_cli.services.products import update_product

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    details = _details(
        level=level,
        difficulty=difficulty,
        estimated_minutes=minutes,
        file_url=file_url,
        file_size_bytes=file_size,
        download_limit=download_limit,
        sku=sku,
        weight_grams=weight_grams,
        requires_shipping=shipping,
        duration_minutes=duration_minutes,
        delivery_mode=delivery_mode,
    )
    with state.session(write=True) as session:
        record = update_product(
            session,
            org=org_slug,
            slug=slug,
            title=title,
            description=description,
            locale=locale,
            status=status,
            thumbnail_url=thumbnail_url,
            details=details,
            seo=seo_change(
                seo_title, seo_description, seo_canonical_url, seo_robots, seo_image, clear_seo
            ),
        )
    output.render(record, fmt, detail_columns(state.display_locale()))


@app.command("archive")
def archive(
    ctx: typer.Context, slug: Slug, org: OrgOpt = None, output_format: FormatOpt = None
) -> None:
    """Archive a product (it keeps its history; `update --status active` brings it back)."""
    from volmify_cli.services.products import archive_product

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        record = archive_product(session, org=org_slug, slug=slug)
    output.render(record, fmt, detail_columns(state.display_locale()))


@app.command("delete")
def delete(ctx: typer.Context, slug: Slug, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete a product with its variants, plans and prices (refused when it has orders,
    subscriptions or enrollments: archive it instead)."""
    from volmify_cli.services.products import delete_product

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Delete product {slug} of org {org_slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_product(session, org=org_slug, slug=slug)
    output.notice(f"Deleted product {slug}.")


@app.command("attribute")
def attribute(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="The product's slug.")],
    instructor: Annotated[
        str | None, typer.Option("--instructor", help="An instructor affiliated with the org.")
    ] = None,
    brand: Annotated[
        str | None, typer.Option("--brand", help="A brand of the org (added to the product).")
    ] = None,
    share: Annotated[
        str | None,
        typer.Option(
            "--share",
            help="Revenue share: 40, 40% or 40.5% (new instructor: the affiliation's default).",
        ),
    ] = None,
    primary: Annotated[bool, typer.Option("--primary", help="Make it the primary one.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the attribution.")] = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Attribute an instructor or a brand on a product, with a revenue share (instructor and
    brand shares of a product total at most 100%; the org keeps the rest)."""
    from volmify_cli.money import parse_percent
    from volmify_cli.services.attribution import attribute

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    share_bp = parse_percent(share) if share is not None else None
    with state.session(write=True) as session:
        record = attribute(
            session,
            org=org_slug,
            product=product,
            instructor=instructor,
            brand=brand,
            share_bp=share_bp,
            primary=primary,
            remove=remove,
        )
    output.render(record, fmt, ATTRIBUTION_COLUMNS)
