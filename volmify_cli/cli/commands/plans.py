"""volmify plans: payment plans (one-time, subscription, usage-based), their access tiers and
market prices, and the final price after offers."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

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
    prompted_whole_number,
    value_option,
)
from volmify_cli.enums import BillingInterval, PlanStatus, PlanType, PricingModel

if TYPE_CHECKING:
    from volmify_cli.services.plan_types import PlanOptions

app = noun_app("Payment plans: how a variant is sold, the access tier it grants, its prices.")

PlanArg = Annotated[
    str, typer.Argument(help="PRODUCT/VARIANT/PLAN, or PRODUCT/PLAN on the default variant.")
]
PriceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--price",
        metavar="MARKET=AMOUNT[:CURRENCY]",
        help="A price in a market (currency: the market's unless given). Repeatable.",
        show_default=False,
    ),
]
CompareAtOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--compare-at",
        metavar="MARKET=AMOUNT",
        help="Crossed-out price (>= the price).",
        show_default=False,
    ),
]
SetupFeeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--setup-fee",
        metavar="MARKET=AMOUNT",
        help="Subscriptions: a one-off fee.",
        show_default=False,
    ),
]
UsageTierOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--usage-tier",
        metavar="MARKET=UPTO:AMOUNT",
        help="Usage-based (tiered/volume): unit price (up to 12 decimals) up to UPTO units"
        " (inf: no limit).",
        show_default=False,
    ),
]
IntervalOpt = Annotated[
    BillingInterval | None,
    typer.Option(
        "--interval",
        parser=enum_parser(BillingInterval),
        autocompletion=enum_values(BillingInterval),
        help="Subscription/usage-based: day, week, month or year.",
        show_default=False,
    ),
]
IntervalCountOpt = Annotated[int | None, value_option("--interval-count", help="Subscription.")]
TrialDaysOpt = Annotated[int | None, value_option("--trial-days", help="Subscription.")]
DurationDaysOpt = Annotated[
    int | None, value_option("--duration-days", help="One-time: access days (none: lifetime).")
]
UnitOpt = Annotated[str | None, typer.Option("--unit", help="Usage-based: unit name (unit).")]
IncludedOpt = Annotated[int | None, value_option("--included-units", help="Usage-based.")]
ModelOpt = Annotated[
    PricingModel | None,
    typer.Option(
        "--pricing-model",
        parser=enum_parser(PricingModel),
        help="Usage-based: per-unit, tiered or volume.",
        show_default=False,
    ),
]


def list_columns(locale: str) -> list[output.Column]:
    return [
        output.Column("plan", "Plan"),
        output.Column("type", "Type"),
        output.Column("tier", "Tier", justify="right"),
        output.Column("name", "Name"),
        output.Column("is_default", "Default"),
        output.Column("status", "Status"),
        output.Column("prices", "Prices", display=show.prices_column(locale)),
    ]


def detail_columns(locale: str) -> list[output.Column]:
    return [
        *list_columns(locale),
        output.Column("is_featured", "Featured"),
        output.Column("details", "Details", display=show.details),
        output.Column("usage_tiers", "Usage tiers", display=usage_tiers_text),
    ]


def usage_tiers_text(record: Any) -> str:
    """`us: 0.005 up to 100000, 0.0025 above; eu: ...`: each market's unit prices, exact."""
    markets: dict[str, list[str]] = {}
    previous: dict[str, int] = {}  # tiers come in order of their bounds within a market
    for tier in record["usage_tiers"]:
        market, up_to = tier["market"], tier["up_to"]
        if up_to is not None:
            bound = f"up to {up_to}"
            previous[market] = up_to
        else:
            bound = f"above {previous[market]}" if market in previous else "every unit"
        markets.setdefault(market, []).append(f"{tier['unit_amount']} {bound}")
    return "; ".join(f"{market}: {', '.join(steps)}" for market, steps in markets.items())


def _options(**given: Any) -> "PlanOptions":
    options: PlanOptions = {}
    for key, value in given.items():
        if value is not None:
            options[key] = value  # type: ignore[literal-required]
    return options


def _prices(
    price: list[str] | None,
    compare_at: list[str] | None,
    setup_fee: list[str] | None,
    usage_tier: list[str] | None,
) -> Any:
    from volmify_cli.services.price_options import parse_price_options

    return parse_price_options(
        prices=price or (),
        compare_at=compare_at or (),
        setup_fees=setup_fee or (),
        usage_tiers=usage_tier or (),
    )


@app.command("create")
def create(
    ctx: typer.Context,
    variant: Annotated[
        str, typer.Argument(help="PRODUCT/VARIANT, or PRODUCT for its default variant.")
    ],
    slug: Annotated[str, typer.Argument(help="The plan's slug (unique on the variant).")],
    plan_type: Annotated[
        PlanType | None,
        typer.Option(
            "--type",
            parser=enum_parser(PlanType),
            autocompletion=enum_values(PlanType),
            help="one-time, subscription or usage-based.",
            show_default=False,
        ),
    ] = None,
    tier: Annotated[
        int | None, value_option("--tier", help="Access tier granted (1 or more).")
    ] = None,
    price: PriceOpt = None,
    compare_at: CompareAtOpt = None,
    setup_fee: SetupFeeOpt = None,
    interval: IntervalOpt = None,
    interval_count: IntervalCountOpt = None,
    trial_days: TrialDaysOpt = None,
    duration_days: DurationDaysOpt = None,
    unit: UnitOpt = None,
    included_units: IncludedOpt = None,
    pricing_model: ModelOpt = None,
    usage_tier: UsageTierOpt = None,
    default: Annotated[bool, typer.Option("--default", help="The variant's default plan.")] = False,
    featured: Annotated[bool, typer.Option("--featured")] = False,
    name: Annotated[str | None, typer.Option("--name")] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a plan with its market prices (amounts as text: us=19.99, jp=1500:JPY)."""
    from volmify_cli.services.plans import create_plan

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    prices = _prices(price, compare_at, setup_fee, usage_tier)
    prompter = state.prompter()
    if plan_type is None:
        plan_type = PlanType(
            prompter.select("Plan type", [t.value for t in PlanType], flag="--type")
        )
    if tier is None:
        answer = prompter.text("Access tier", flag="--tier", default="1")
        tier = prompted_whole_number(answer, "access tier")
    options = _options(
        interval=interval,
        interval_count=interval_count,
        trial_days=trial_days,
        duration_days=duration_days,
        unit=unit,
        included_units=included_units,
        pricing_model=pricing_model,
    )
    with state.session(write=True) as session:
        record = create_plan(
            session,
            org=org_slug,
            variant=variant,
            slug=slug,
            type=plan_type,
            tier=tier,
            prices=prices,
            name=name,
            default=default,
            featured=featured,
            options=options,
        )
    output.render(record, fmt, detail_columns(state.display_locale()))


@app.command("list")
def list_plans(
    ctx: typer.Context,
    product: Annotated[str | None, typer.Argument(help="Only this product's plans.")] = None,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List plans with their tier and market prices."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.plans import stream_plans

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    display = state.display_locale(locale)
    with state.session() as session:
        rows = stream_plans(session, org=org_slug, product=product, locale=display, limit=limit)
        stream_list(rows, fmt, list_columns(display), limit=limit)


@app.command("show")
def show_plan(
    ctx: typer.Context,
    plan: PlanArg,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a plan: type details, tier, market prices and usage tiers."""
    from volmify_cli.services.plans import show_plan

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    display = state.display_locale(locale)
    with state.session() as session:
        record = show_plan(session, org=org_slug, plan=plan, locale=display)
    output.render(record, fmt, detail_columns(display))


@app.command("update")
def update(
    ctx: typer.Context,
    plan: PlanArg,
    tier: Annotated[int | None, value_option("--tier", help="Access tier (1 or more).")] = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    default: Annotated[bool, typer.Option("--default", help="The variant's default plan.")] = False,
    featured: Annotated[
        bool | None, typer.Option("--featured/--not-featured", show_default=False)
    ] = None,
    status: Annotated[
        PlanStatus | None,
        typer.Option(
            "--status",
            parser=enum_parser(PlanStatus),
            help="active, inactive or archived.",
            show_default=False,
        ),
    ] = None,
    price: PriceOpt = None,
    compare_at: CompareAtOpt = None,
    setup_fee: SetupFeeOpt = None,
    usage_tier: UsageTierOpt = None,
    remove_price: Annotated[
        list[str] | None,
        typer.Option("--remove-price", metavar="MARKET", help="Remove the price in MARKET."),
    ] = None,
    interval: IntervalOpt = None,
    interval_count: IntervalCountOpt = None,
    trial_days: TrialDaysOpt = None,
    duration_days: DurationDaysOpt = None,
    unit: UnitOpt = None,
    included_units: IncludedOpt = None,
    pricing_model: ModelOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Change a plan. --price adds or replaces a market's price (its compare-at and setup fee
    too); --compare-at/--setup-fee alone change the existing price."""
    from volmify_cli.services.plans import update_plan

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    prices = _prices(price, compare_at, setup_fee, usage_tier)
    options = _options(
        interval=interval,
        interval_count=interval_count,
        trial_days=trial_days,
        duration_days=duration_days,
        unit=unit,
        included_units=included_units,
        pricing_model=pricing_model,
    )
    with state.session(write=True) as session:
        record = update_plan(
            session,
            org=org_slug,
            plan=plan,
            tier=tier,
            name=name,
            default=default,
            featured=featured,
            status=status,
            options=options,
            prices=prices,
            remove_prices=remove_price or (),
        )
    output.render(record, fmt, detail_columns(state.display_locale()))


@app.command("delete")
def delete(ctx: typer.Context, plan: PlanArg, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete a plan with its prices (refused when members hold subscriptions to it)."""
    from volmify_cli.services.plans import delete_plan

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    if not state.prompter().confirm(f"Delete plan {plan} of org {org_slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_plan(session, org=org_slug, plan=plan)
    output.notice(f"Deleted plan {plan}.")


def quote_columns(locale: str) -> list[output.Column]:
    def money(key: str) -> Any:
        return lambda r: show.money(r[key], r["currency"], locale)

    return [
        output.Column("plan", "Plan"),
        output.Column("market", "Market"),
        output.Column("at", "On"),
        output.Column("coupon", "Coupon"),
        output.Column("list_price_minor", "List price", display=money("list_price_minor")),
        output.Column("offer", "Offer"),
        output.Column("discount_minor", "Discount", display=money("discount_minor")),
        output.Column("final_price_minor", "Final price", display=money("final_price_minor")),
        output.Column("setup_fee_minor", "Setup fee", display=money("setup_fee_minor")),
        output.Column("first_payment_minor", "First payment", display=money("first_payment_minor")),
        output.Column("trial_days", "Trial days", justify="right"),
        output.Column("first_charge_on", "First charge on"),
        output.Column("usage", "Usage", justify="right"),
    ]


def usage_columns(currency: str, locale: str, *, flat: bool) -> list[output.Column]:
    """The usage charge's lines: unit prices and amounts exact (before the one rounding); the
    tiers' flat amounts only when a tier has one."""

    def bound(row: Any) -> str:
        return "no limit" if row["up_to"] is None else str(row["up_to"])

    columns = [
        output.Column("up_to", "Up to", justify="right", display=bound),
        output.Column("units", "Billable units", justify="right"),
        output.Column("unit_price", "Unit price", justify="right"),
        output.Column("amount", "Amount", justify="right"),
    ]
    if flat:
        columns.insert(
            3,
            output.Column(
                "flat_amount_minor",
                "Flat",
                justify="right",
                display=lambda r: show.money(r["flat_amount_minor"], currency, locale),
            ),
        )
    return columns  # fmt: skip


@app.command("price")
def price(
    ctx: typer.Context,
    plan: PlanArg,
    market: Annotated[str | None, typer.Option("--market", help="The market's slug.")] = None,
    coupon: Annotated[str | None, typer.Option("--coupon", help="A coupon code.")] = None,
    at: Annotated[
        dt.date | None,
        date_option("--at", help="The day (UTC; default: today)."),
    ] = None,
    usage: Annotated[
        int | None,
        value_option(
            "--usage", help="Usage-based plans: the units used in one period (0 or more)."
        ),
    ] = None,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """The final price of a plan in a market after the single best offer (automatic offers
    apply to everyone; a coupon adds its offer), the setup fee and the first payment, and the
    day of the first charge (after a trial). A plan not for sale on the day is an error. A
    usage-based plan is priced for --usage N units: included units free, then per unit, tiered
    or volume, rounded half-up to the minor unit once; the charge's lines follow the quote."""
    from volmify_cli.services.quotes import quote_price

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    if market is None:
        market = state.prompter().text("Market", flag="--market")
    with state.session() as session:
        record = quote_price(
            session,
            org=org_slug,
            plan=plan,
            market=market,
            coupon=coupon,
            at=at,
            usage=usage,
        )
    if record["coupon_note"]:
        output.warning(f"coupon not applied: {record['coupon_note']}")
    display = state.display_locale(locale)
    output.render(record, fmt, quote_columns(display))
    charge = record["usage_charge"]
    if charge is not None and fmt == "table":
        title = (
            f"{charge['usage']} {charge['unit']}"
            f" ({charge['model']}, {charge['included_units']} included)"
        )
        flat = any(line["flat_amount_minor"] for line in charge["tiers"])
        columns = usage_columns(record["currency"], display, flat=flat)
        output.render(charge["tiers"], fmt, columns, title=title)
