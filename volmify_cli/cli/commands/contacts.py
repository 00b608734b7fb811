"""`contact set|show` of an org, of a brand and of an instructor (issue 21): one shape, three
owners. `orgs`, `orgs brands` and `instructors` mount these sub-apps as `contact`."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, OrgOpt

if TYPE_CHECKING:
    from sqlmodel import Session

    from volmify_cli.services.contacts import Owner

CLEARABLE = ("email", "phone", "website", "address", "all")
COLUMNS = [
    output.Column("owner", "Owner"),
    output.Column("slug", "Slug"),
    output.Column("email", "E-mail"),
    output.Column("phone", "Phone"),
    output.Column("website", "Website"),
    output.Column("address", "Address"),
]

EmailOpt = Annotated[
    str | None,
    typer.Option("--email", help="E-mail address (stored normalized).", show_default=False),
]
PhoneOpt = Annotated[
    str | None,
    typer.Option(
        "--phone",
        help="Phone number, stored as E.164: write it with + and the country code, or as a"
        " national number read in --region.",
        show_default=False,
    ),
]
WebsiteOpt = Annotated[
    str | None,
    typer.Option("--website", help="Website: an absolute https URL.", show_default=False),
]
AddressOpt = Annotated[
    str | None,
    typer.Option(
        "--address", help="Postal address (free text; line breaks kept).", show_default=False
    ),
]
ClearOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--clear",
        metavar="FIELD",
        help="Empty a field: email, phone, website, address, or all (repeatable).",
        show_default=False,
        autocompletion=lambda incomplete: [c for c in CLEARABLE if c.startswith(incomplete)],
    ),
]


def _region_option(default: str) -> object:
    return typer.Option(
        "--region",
        metavar="CC",
        help=f"Country (ISO 3166-1 alpha-2) a national --phone is read in [default: {default}].",
        show_default=False,
    )


OrgRegionOpt = Annotated[
    str | None, _region_option("the only country of the org's default market, if it has one")
]
InstructorRegionOpt = Annotated[
    str | None, _region_option("none: write the number with + and its country code")
]


def _changes(
    *,
    email: str | None,
    phone: str | None,
    website: str | None,
    address: str | None,
    clear: list[str] | None,
    region: str | None,
    default_region: Callable[[], str | None],
) -> dict[str, str | None]:
    """The fields to change, checked by the rule book (a refused value names its option:
    exit 1). Raises UsageError when nothing is to change or a field is set and cleared."""
    from volmify_cli import rulebook
    from volmify_cli.errors import RuleError, UsageError
    from volmify_cli.rules import check_country

    cleared = set()
    for name in clear or ():
        if name not in CLEARABLE:
            raise UsageError(f"--clear {name!r} is not one of: {', '.join(CLEARABLE)}")
        cleared |= set(CLEARABLE[:-1]) if name == "all" else {name}
    given = {"email": email, "phone": phone, "website": website, "address": address}
    both = sorted(name for name in cleared if given[name] is not None)
    if both:
        raise UsageError(f"--{both[0]} is given and cleared", "pass one of them")
    if not cleared and all(value is None for value in given.values()):
        raise UsageError(
            "nothing to change", "pass --email, --phone, --website, --address or --clear FIELD"
        )

    def checked(option: str, check: Callable[[], str]) -> str:
        try:
            return check()
        except RuleError as exc:
            raise RuleError(f"{option}: {exc.reason}", exc.hint) from None

    changes: dict[str, str | None] = dict.fromkeys(sorted(cleared))
    if email is not None:
        changes["email"] = checked("--email", lambda: rulebook.check_contact_email(email))
    if website is not None:
        changes["website"] = checked("--website", lambda: rulebook.check_contact_website(website))
    if address is not None:
        changes["address"] = checked("--address", lambda: rulebook.check_contact_address(address))
    if phone is not None:
        if region is not None:
            given_region = region.upper()
            region = checked("--region", lambda: check_country(given_region))
        where = region if region is not None or phone.lstrip().startswith("+") else default_region()
        changes["phone"] = checked("--phone", lambda: rulebook.check_contact_phone(phone, where))
    return changes


def _set(
    ctx: typer.Context,
    output_format: str | None,
    owner_of: Callable[["Session"], "Owner"],
    changes_of: Callable[["Session", "Owner"], dict[str, str | None]],
) -> None:
    from volmify_cli.services.contacts import set_contact

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session(write=True) as session:
        owner = owner_of(session)  # an unknown owner fails before a value is judged
        row = set_contact(session, owner, changes_of(session, owner))
    output.render(row, fmt, COLUMNS)


def _show(
    ctx: typer.Context, output_format: str | None, owner_of: Callable[["Session"], "Owner"]
) -> None:
    from volmify_cli.services.contacts import show_contact

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        row = show_contact(session, owner_of(session))
    output.render(row, fmt, COLUMNS)


# -- orgs contact ----------------------------------------------------------------------------------

org_app = noun_app("The organization's contact: e-mail, phone, website, address.")


@org_app.command("set")
def org_set(
    ctx: typer.Context,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    website: WebsiteOpt = None,
    address: AddressOpt = None,
    region: OrgRegionOpt = None,
    clear: ClearOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Set or clear fields of the organization's contact (the others stay)."""
    from volmify_cli.services.contacts import market_region, org_owner

    org_slug = AppContext.of(ctx).org_slug(org)
    _set(
        ctx,
        output_format,
        lambda session: org_owner(session, org_slug=org_slug),
        lambda session, _owner: _changes(
            email=email,
            phone=phone,
            website=website,
            address=address,
            clear=clear,
            region=region,
            default_region=lambda: market_region(session, org_slug=org_slug),
        ),
    )


@org_app.command("show")
def org_show(ctx: typer.Context, org: OrgOpt = None, output_format: FormatOpt = None) -> None:
    """Show the organization's contact (empty fields are null)."""
    from volmify_cli.services.contacts import org_owner

    org_slug = AppContext.of(ctx).org_slug(org)
    _show(ctx, output_format, lambda session: org_owner(session, org_slug=org_slug))


# -- orgs brands contact ---------------------------------------------------------------------------

brand_app = noun_app("A brand's contact: e-mail, phone, website, address.")
BrandArg = Annotated[str, typer.Argument(help="The brand's slug.")]


@brand_app.command("set")
def brand_set(
    ctx: typer.Context,
    brand: BrandArg,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    website: WebsiteOpt = None,
    address: AddressOpt = None,
    region: OrgRegionOpt = None,
    clear: ClearOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Set or clear fields of a brand's contact (the others stay)."""
    from volmify_cli.services.contacts import brand_owner, market_region

    org_slug = AppContext.of(ctx).org_slug(org)
    _set(
        ctx,
        output_format,
        lambda session: brand_owner(session, org_slug=org_slug, slug=brand),
        lambda session, _owner: _changes(
            email=email,
            phone=phone,
            website=website,
            address=address,
            clear=clear,
            region=region,
            default_region=lambda: market_region(session, org_slug=org_slug),
        ),
    )


@brand_app.command("show")
def brand_show(
    ctx: typer.Context, brand: BrandArg, org: OrgOpt = None, output_format: FormatOpt = None
) -> None:
    """Show a brand's contact (empty fields are null)."""
    from volmify_cli.services.contacts import brand_owner

    org_slug = AppContext.of(ctx).org_slug(org)
    _show(ctx, output_format, lambda s: brand_owner(s, org_slug=org_slug, slug=brand))


# -- instructors contact ---------------------------------------------------------------------------

instructor_app = noun_app("An instructor profile's contact (global, like the profile).")
InstructorArg = Annotated[str, typer.Argument(help="The instructor's global profile slug.")]


@instructor_app.command("set")
def instructor_set(
    ctx: typer.Context,
    slug: InstructorArg,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    website: WebsiteOpt = None,
    address: AddressOpt = None,
    region: InstructorRegionOpt = None,
    clear: ClearOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Set or clear fields of an instructor's contact (the others stay)."""
    from volmify_cli.services.contacts import instructor_owner

    _set(
        ctx,
        output_format,
        lambda session: instructor_owner(session, slug=slug),
        lambda _session, _owner: _changes(
            email=email,
            phone=phone,
            website=website,
            address=address,
            clear=clear,
            region=region,
            default_region=lambda: None,
        ),
    )


@instructor_app.command("show")
def instructor_show(
    ctx: typer.Context, slug: InstructorArg, output_format: FormatOpt = None
) -> None:
    """Show an instructor's contact (empty fields are null)."""
    from volmify_cli.services.contacts import instructor_owner

    _show(ctx, output_format, lambda session: instructor_owner(session, slug=slug))
