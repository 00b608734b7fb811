"""volmify offers: discounts with their targets and coupons, and promotions grouping them."""

import datetime as dt
from typing import Annotated

import typer

from volmify_cli.cli import catalog_display as show
from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    FormatOpt,
    LimitOpt,
    LocaleOpt,
    OrgOpt,
    YesOpt,
    date_option,
    enum_parser,
    enum_values,
    value_option,
)
from volmify_cli.enums import DiscountDuration, DiscountType

app = noun_app("Offers: percentage or fixed-amount discounts, coupons and promotions.")
coupons_app = noun_app("Coupon codes of offers (case-insensitive, unique in the org).")
promotions_app = noun_app("Promotions: campaigns grouping offers.")
app.add_typer(coupons_app, name="coupons")
app.add_typer(promotions_app, name="promotions")

Slug = Annotated[str, typer.Argument(help="The offer's slug.")]


StartsOpt = Annotated[
    dt.date | None, date_option("--starts", help="First day (inclusive, UTC), YYYY-MM-DD.")
]
EndsOpt = Annotated[
    dt.date | None, date_option("--ends", help="Last day (inclusive, UTC), YYYY-MM-DD.")
]
UsageLimitOpt = Annotated[int | None, value_option("--usage-limit", help="Redemptions allowed.")]
AmountOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--amount",
        metavar="AMOUNT[:CURRENCY]",
        help="Fixed amount in a currency, e.g. 5.00:USD; once per currency.",
    ),
]
CurrencyOpt = Annotated[
    str | None, typer.Option("--currency", help="The currency of an --amount without one.")
]


def offer_columns(locale: str) -> list[output.Column]:
    return [
        output.Column("slug", "Offer"),
        output.Column("name", "Name"),
        output.Column("type", "Type"),
        output.Column("percent", "Value", display=lambda r: show.offer_value(r, locale)),
        output.Column("starts", "Window", display=show.window),
        output.Column("targets", "Applies to", display=show.targets),
        output.Column("coupons", "Coupons"),
        output.Column("usage_limit", "Limit", justify="right"),
        output.Column("redemptions", "Used", justify="right"),
        output.Column("is_active", "Active"),
    ]


@app.command("create")
def create(
    ctx: typer.Context,
    slug: Slug,
    offer_type: Annotated[
        DiscountType | None,
        typer.Option(
            "--type",
            parser=enum_parser(DiscountType),
            autocompletion=enum_values(DiscountType),
            help="percentage or fixed-amount.",
            show_default=False,
        ),
    ] = None,
    percent: Annotated[
        str | None, typer.Option("--percent", help="Percentage: 25, 25% or 12.5%.")
    ] = None,
    amount: AmountOpt = None,
    currency: CurrencyOpt = None,
    starts: StartsOpt = None,
    ends: EndsOpt = None,
    product: Annotated[list[str] | None, typer.Option("--product", help="Target product.")] = None,
    variant: Annotated[
        list[str] | None, typer.Option("--variant", metavar="P/V", help="Target variant.")
    ] = None,
    plan: Annotated[
        list[str] | None, typer.Option("--plan", metavar="PLAN", help="Target plan.")
    ] = None,
    collection: Annotated[
        list[str] | None, typer.Option("--collection", help="Target collection.")
    ] = None,
    market: Annotated[list[str] | None, typer.Option("--market", help="Only in market.")] = None,
    coupon: Annotated[
        list[str] | None, typer.Option("--coupon", help="A coupon code (none: automatic).")
    ] = None,
    usage_limit: UsageLimitOpt = None,
    duration: Annotated[
        DiscountDuration | None,
        typer.Option(
            "--duration",
            parser=enum_parser(DiscountDuration),
            help="Subscriptions: once, repeating or forever.",
            show_default=False,
        ),
    ] = None,
    periods: Annotated[int | None, value_option("--periods", help="With repeating.")] = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create an offer. A fixed amount is --amount AMOUNT:CURRENCY once per currency it
    applies in (or --amount AMOUNT --currency CODE). Without targets it applies to the whole
    catalog; without coupons it is automatic (everyone gets it in its window)."""
    from volmify_cli.services.coupons import CouponInput
    from volmify_cli.services.offers import create_offer

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    if offer_type is None:
        choices = [t.value for t in DiscountType]
        offer_type = DiscountType(state.prompter().select("Offer type", choices, flag="--type"))
    with state.session(write=True) as session:
        record = create_offer(
            session,
            org=org_slug,
            slug=slug,
            type=offer_type,
            percent=percent,
            amount=amount or (),
            currency=currency,
            starts=starts,
            ends=ends,
            products=product or (),
            variants=variant or (),
            plans=plan or (),
            collections=collection or (),
            markets=market or (),
            coupons=[CouponInput(code) for code in coupon or ()],
            usage_limit=usage_limit,
            duration=duration or DiscountDuration.ONCE,
            periods=periods,
            name=name,
        )
    output.render(record, fmt, offer_columns(state.display_locale()))


@app.command("list")
def list_offers(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the org's offers."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.offers import iter_offers

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    display = state.display_locale(locale)
    with state.session() as session:
        rows = iter_offers(session, org=org_slug, locale=display, limit=limit)
        stream_list(rows, fmt, offer_columns(display), limit=limit)


@app.command("show")
def show_offer(
    ctx: typer.Context,
    slug: Slug,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show an offer: value, window (inclusive dates), targets, coupons, redemptions."""
    from volmify_cli.services.offers import show_offer

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    display = state.display_locale(locale)
    with state.session() as session:
        record = show_offer(session, org=org_slug, slug=slug, locale=display)
    output.render(record, fmt, offer_columns(display))


@app.command("update")
def update(
    ctx: typer.Context,
    slug: Slug,
    name: Annotated[str | None, typer.Option("--name")] = None,
    starts: StartsOpt = None,
    ends: EndsOpt = None,
    usage_limit: UsageLimitOpt = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive", show_default=False)] = None,
    amount: AmountOpt = None,
    currency: CurrencyOpt = None,
    remove_amount: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-amount", metavar="CURRENCY", help="Remove the amount in a currency."
        ),
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Rename an offer, move its window, change its usage limit, (de)activate it, or add,
    replace (--amount 4.50:EUR) or remove (--remove-amount EUR) a fixed amount's currency."""
    from volmify_cli.services.offers import update_offer

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        record = update_offer(
            session,
            org=org_slug,
            slug=slug,
            name=name,
            starts=starts,
            ends=ends,
            usage_limit=usage_limit,
            active=active,
            amount=amount or (),
            currency=currency,
            remove_amounts=remove_amount or (),
        )
    output.render(record, fmt, offer_columns(state.display_locale()))


@app.command("delete")
def delete(ctx: typer.Context, slug: Slug, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete an offer with its coupons (refused when orders redeemed them)."""
    from volmify_cli.services.offers import delete_offer

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Delete offer {slug} of org {org_slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_offer(session, org=org_slug, slug=slug)
    output.notice(f"Deleted offer {slug}.")


# -- coupons ------------------------------------------------------------------------------------

COUPON_COLUMNS = [
    output.Column("code", "Code"),
    output.Column("offer", "Offer"),
    output.Column("starts", "Window", display=show.window),
    output.Column("usage_limit", "Limit", justify="right"),
    output.Column("redemptions", "Used", justify="right"),
    output.Column("is_active", "Active"),
]


@coupons_app.command("add")
def add_coupons(
    ctx: typer.Context,
    offer: Slug,
    codes: Annotated[list[str], typer.Argument(help="Codes (letter case is kept for display).")],
    usage_limit: UsageLimitOpt = None,
    starts: StartsOpt = None,
    ends: EndsOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Add coupon codes to an offer."""
    from volmify_cli.services.coupons import add_coupons

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        rows = add_coupons(
            session,
            org=org_slug,
            offer=offer,
            codes=codes,
            usage_limit=usage_limit,
            starts=starts,
            ends=ends,
        )
    output.render_list(rows, fmt, COUPON_COLUMNS)


@coupons_app.command("list")
def list_coupons(
    ctx: typer.Context,
    offer: Annotated[str | None, typer.Argument(help="Only this offer's coupons.")] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List coupons with their redemptions."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.coupons import iter_coupons

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        rows = iter_coupons(session, org=org_slug, offer=offer, limit=limit)
        stream_list(rows, fmt, COUPON_COLUMNS, limit=limit)


@coupons_app.command("remove")
def remove_coupon(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The code (any letter case).")],
    org: OrgOpt = None,
    yes: YesOpt = False,
) -> None:
    """Remove a coupon (refused when orders redeemed it)."""
    from volmify_cli.services.coupons import remove_coupon

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Remove coupon {code}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        remove_coupon(session, org=org_slug, code=code)
    output.notice(f"Removed coupon {code}.")


# -- promotions ---------------------------------------------------------------------------------

PROMOTION_COLUMNS = [
    output.Column("slug", "Promotion"),
    output.Column("name", "Name"),
    output.Column("starts", "Window", display=show.window),
    output.Column("offers", "Offers"),
    output.Column("is_active", "Active"),
]
PromotionSlug = Annotated[str, typer.Argument(help="The promotion's slug.")]


@promotions_app.command("create")
def create_promotion(
    ctx: typer.Context,
    slug: PromotionSlug,
    name: Annotated[str | None, typer.Option("--name")] = None,
    offer: Annotated[list[str] | None, typer.Option("--offer", help="An offer's slug.")] = None,
    starts: StartsOpt = None,
    ends: EndsOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a promotion grouping offers."""
    from volmify_cli.services.promotions import create_promotion

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    if name is None:
        name = state.prompter().text("Promotion name", flag="--name")
    with state.session(write=True) as session:
        record = create_promotion(
            session,
            org=org_slug,
            slug=slug,
            name=name,
            offers=offer or (),
            starts=starts,
            ends=ends,
        )
    output.render(record, fmt, PROMOTION_COLUMNS)


@promotions_app.command("list")
def list_promotions(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List promotions."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.promotions import iter_promotions

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        rows = iter_promotions(
            session, org=org_slug, locale=state.display_locale(locale), limit=limit
        )
        stream_list(rows, fmt, PROMOTION_COLUMNS, limit=limit)


@promotions_app.command("show")
def show_promotion(
    ctx: typer.Context,
    slug: PromotionSlug,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a promotion and its offers."""
    from volmify_cli.services.promotions import show_promotion

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session() as session:
        record = show_promotion(
            session, org=org_slug, slug=slug, locale=state.display_locale(locale)
        )
    output.render(record, fmt, PROMOTION_COLUMNS)


@promotions_app.command("delete")
def delete_promotion(
    ctx: typer.Context, slug: PromotionSlug, org: OrgOpt = None, yes: YesOpt = False
) -> None:
    """Delete a promotion (its offers stay)."""
    from volmify_cli.services.promotions import delete_promotion

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Delete promotion {slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_promotion(session, org=org_slug, slug=slug)
    output.notice(f"Deleted promotion {slug}.")
