"""The rule book: every value a user gives (on the command line or in a file) and the one rule it
must pass, with the columns that store it.

A rule here is the only home of its bounds: the command line's services, the document readers
and the models' column sizes all take them from here, so a value refused on one path is refused
on every path with the same message, and a value that passed is one both databases store (a
title that fits VARCHAR(300), a tier that fits INTEGER). The database's CHECKs stay the last
wall, never the message a user sees. tests/test_rulebook.py holds every rule to that, and holds
the schema's columns to the rules.

How a rule reads in a message: `<label> is 301 characters long (at most 300)`, `<label> must be
at least 1, not 0`. On the command line that is the error (exit 1); in a file it follows
`FILE:LINE:COLUMN: path:` (exit 3).

Start-up cheap: standard library and `rules` only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from volmify_cli.errors import RuleError

# The kinds are the rule book's vocabulary: re-exported, so `rulebook.TextRule` names them too.
from volmify_cli.rule_kinds import AmountRule as AmountRule
from volmify_cli.rule_kinds import PercentRule as PercentRule
from volmify_cli.rule_kinds import TextRule as TextRule
from volmify_cli.rule_kinds import UnitPriceRule as UnitPriceRule
from volmify_cli.rule_kinds import WholeRule as WholeRule
from volmify_cli.rules import INT32_MAX, INT64_MAX, check_line, parse_whole_number

# -- text ----------------------------------------------------------------------------------------

NAME = TextRule(
    "name",
    200,
    columns=(
        "org.name",
        "user.name",
        "user.display_name",
        "user_profile.display_name",
        "org_brand_translation.name",
        "org_market_translation.name",
        "org_product_variant_translation.name",
        "org_product_variant_payment_plan_translation.name",
        "org_product_collection_translation.name",
        "org_discount_translation.name",
        "org_promotion_translation.name",
        "skill_translation.name",
    ),
)
TITLE = TextRule(
    "title",
    300,
    columns=(
        "org_product_translation.title",
        "org_course_module_translation.title",
        "org_course_module_section_translation.title",
        "org_lesson_translation.title",
        "seo_metadata.title",
    ),
)
DESCRIPTION = TextRule("description", 20_000, prose=True)
COMMENT = TextRule("comment", 5_000, prose=True)
EXTERNAL_ID = TextRule("external id", 200, columns=("org_member_subscription.external_id",))
ORDER_ID = TextRule("order id", 200, columns=("org_order.external_id",))
PAYOUT_REFERENCE = TextRule("reference", 200, columns=("org_payout.reference",))
CLOSED_BY = TextRule("recorded by", 200, columns=("org_ledger_close.recorded_by",))
SKU = TextRule("SKU", 64, columns=("org_product_physical.sku",))
UNIT = TextRule("unit", 50, columns=("org_product_variant_payment_plan_usage_based.unit_name",))
FILE_URL = TextRule("file", 500, columns=("org_product_digital.file_url",))
THUMBNAIL_URL = TextRule("thumbnail URL", 500, columns=("org_product.thumbnail_url",))
# A lesson's content: a URL or a path the platform resolves (volmify stores the reference only).
LESSON_CONTENT = TextRule("content", 500, columns=("org_lesson.content_ref",))
PROFESSIONAL_TITLE = TextRule(
    "professional title",
    200,
    columns=(
        "user_instructor_profile.professional_title",
        "user_instructor_profile_translation.title",
    ),
)

# Contact info (issue 21) of orgs, brands and instructor profiles: the text bounds here, the
# shapes (e-mail, phone, https website) in the check_contact_* functions at the end of this file.
CONTACT_PHONE = TextRule("phone", 50, columns=("contact_info.phone",))
CONTACT_WEBSITE = TextRule("website", 500, columns=("contact_info.website",))
# A postal address is free text on several lines (countries write them differently); the column
# is TEXT, so the bound is the rule's own.
CONTACT_ADDRESS = TextRule("address", 1_000, prose=True)

# Metadata (products, variants, plans, collections): free key/value text, within the bounds
# payment processors keep to (Stripe: 50 keys, 40-character keys, 500-character values), so a
# catalog's metadata can travel to them as it is. Stored together as JSON text (see
# volmify_cli/metadata.py), so no column of its own holds a key or a value.
METADATA_KEY = TextRule("metadata key", 40)
METADATA_VALUE = TextRule("metadata value", 500, prose=True)
# The skill taxonomy (global): a skill's category, e.g. `programming` or `data`, one line.
SKILL_CATEGORY = TextRule("category", 100, columns=("skill.category",))

# A marketplace listing's category (check_category below adds its slug shape).
MARKETPLACE_CATEGORY = TextRule("category", 100, columns=("platform_marketplace_listing.category",))

# -- whole numbers -------------------------------------------------------------------------------

TIER = WholeRule(
    "access tier",
    1,
    INT32_MAX,
    columns=(
        "org_product_variant_payment_plan.access_tier",
        "org_course_module.required_access_tier",
        "org_course_module_section.required_access_tier",
        "org_course_module_section_lesson.required_access_tier",
        "org_member_course_enrollment.access_tier",
        "org_member_subscription.access_tier",
    ),
)
DIFFICULTY = WholeRule(
    "difficulty",
    1,
    10,
    columns=("org_product_course.difficulty", "org_product_course_rating.difficulty_rating"),
)
SKILL_WEIGHT = WholeRule("weight", 1, 10, columns=("org_product_course_skill.weight",))
MINUTES = WholeRule(
    "minutes",
    0,
    INT32_MAX,
    columns=(
        "org_product_course.estimated_minutes",
        "org_course_module.estimated_minutes",
        "org_course_module_section.estimated_minutes",
        "org_lesson.estimated_minutes",
    ),
)
DURATION_MINUTES = WholeRule(
    "duration minutes", 1, INT32_MAX, columns=("org_product_service.duration_minutes",)
)
SECONDS = WholeRule("seconds", 0, INT64_MAX, columns=("org_member_lesson_progress.seconds_spent",))
PERCENT = WholeRule("percent", 0, 100, columns=("org_member_lesson_progress.percent",))
# A sales line's quantity times its unit price stays far inside BIGINT.
QUANTITY = WholeRule("quantity", 1, 1_000_000, columns=("org_order_item.quantity",))
TRIAL_DAYS = WholeRule(
    "trial days",
    0,
    INT32_MAX,
    columns=("org_product_variant_payment_plan_subscription.trial_days",),
)
ACCESS_DAYS = WholeRule(
    "access days",
    1,
    INT32_MAX,
    columns=("org_product_variant_payment_plan_one_time.access_duration_days",),
)
MAX_PURCHASES = WholeRule(
    "max purchases",
    1,
    INT32_MAX,
    columns=("org_product_variant_payment_plan_one_time.max_purchases_per_user",),
)
INTERVAL_COUNT = WholeRule(
    "interval count",
    1,
    INT32_MAX,
    columns=("org_product_variant_payment_plan_subscription.interval_count",),
)
INCLUDED_UNITS = WholeRule(
    "included units",
    0,
    INT64_MAX,
    columns=("org_product_variant_payment_plan_usage_based.included_units",),
)
UP_TO_UNITS = WholeRule(
    "up to", 1, INT64_MAX, columns=("org_product_variant_payment_plan_usage_tier.up_to_units",)
)
USAGE_LIMIT = WholeRule(
    "usage limit", 1, INT32_MAX, columns=("org_discount.usage_limit", "org_coupon.usage_limit")
)
PERIODS = WholeRule("periods", 1, INT32_MAX, columns=("org_discount.duration_periods",))
DOWNLOAD_LIMIT = WholeRule(
    "download limit", 1, INT32_MAX, columns=("org_product_digital.download_limit",)
)
SIZE_BYTES = WholeRule(
    "size in bytes", 0, INT64_MAX, columns=("org_product_digital.file_size_bytes",)
)
WEIGHT_GRAMS = WholeRule(
    "weight in grams", 0, INT32_MAX, columns=("org_product_physical.weight_grams",)
)

# -- percentages ---------------------------------------------------------------------------------

# An offer's percent (issue 20): 0.01% to 100%, `--percent` and a catalog's `percent:` alike.
OFFER_PERCENT = PercentRule("percent", 1, 10_000, columns=("org_discount.percent_bp",))

# -- amounts of money ----------------------------------------------------------------------------

# A fixed-amount offer's amount in each of its currencies (issue 20): more than 0, `--amount
# 4.50:EUR` and a catalog's `amount:` / `amounts: {EUR: "4.50"}` alike. (The column keeps the
# older `>= 0` as its last wall: amounts stored before this rule stay storable.)
OFFER_AMOUNT = AmountRule(
    "offer amount", 1, INT64_MAX, columns=("org_discount_amount.amount_minor",)
)

# SEO metadata (issue 21), checked where search engines cut: Google shows about 50-60
# characters of a title (a 600-pixel box; Moz's advice: under 60) and about 155-160 of a
# meta description (Google Search Central, "Control your snippets"); longer text is cut off
# with an ellipsis, so a longer one is refused rather than shown cut. The columns are wider
# (a title is stored in VARCHAR(300), under TITLE): these are the search engines' bounds.
SEO_TITLE = TextRule("SEO title", 60)
SEO_DESCRIPTION = TextRule("SEO description", 160)
SEO_CANONICAL_URL = TextRule("canonical URL", 500, columns=("seo_metadata.canonical_url",))
SEO_IMAGE = TextRule("SEO image", 500, columns=("seo_metadata.image_url",))
SEO_ROBOTS = TextRule("robots", 100, columns=("seo_metadata.robots",))

# -- unit prices ---------------------------------------------------------------------------------

# A unit price of a usage-based plan (issue 20): up to 12 decimals of the major unit, a usage
# tier's (`--usage-tier us=1000:0.005`, a catalog's `usage_tiers[].prices`) and a per_unit
# plan's own (`--price us=0.005`, a catalog's `prices: {us: "0.005"}`) alike.
UNIT_PRICE = UnitPriceRule(
    "unit price",
    INT64_MAX,
    columns=(
        "org_product_variant_payment_plan_usage_tier.unit_amount_e12",
        "org_product_variant_payment_plan_market_price.unit_amount_e12",
    ),
)
# The usage a `plans price --usage N` quote charges for: a whole count of units.
USAGE_UNITS = WholeRule("usage", 0, INT64_MAX)


def usage_amount_problem(model: str, amount_minor: int) -> str | None:
    """A tiered or volume plan's price amount (issue 20): its usage tiers are its whole price
    and SPEC charges nothing else, so an amount other than 0 would be a price never charged;
    it is refused rather than read as a base fee. A per_unit plan's amount is its unit price
    (`UNIT_PRICE`). `model` is the plan's pricing model (`per_unit`, `tiered`, `volume`)."""
    if model == "per_unit" or amount_minor == 0:
        return None
    return (
        f"a {model} plan's price amount must be 0: its usage tiers are its price"
        " (unit prices up to 12 decimals go there)"
    )


TEXT_RULES: tuple[TextRule, ...] = tuple(
    v for v in dict(globals()).values() if isinstance(v, TextRule)
)
WHOLE_RULES: tuple[WholeRule, ...] = tuple(
    v for v in dict(globals()).values() if isinstance(v, WholeRule)
)
PERCENT_RULES: tuple[PercentRule, ...] = tuple(
    v for v in dict(globals()).values() if isinstance(v, PercentRule)
)
AMOUNT_RULES: tuple[AmountRule, ...] = tuple(
    v for v in dict(globals()).values() if isinstance(v, AmountRule)
)

METADATA_KEYS = WholeRule("metadata", 0, 50)


def check_metadata_count(count: int) -> None:
    """At most METADATA_KEYS.high keys. Raises RuleError."""
    if count > METADATA_KEYS.high:
        raise RuleError(f"metadata has {count} keys (at most {METADATA_KEYS.high})")


# -- markets -------------------------------------------------------------------------------------
# Rules joining a market's values, or the markets of one org: the commands (services.market_writes)
# and the catalog's checks (inputs.catalog_checks) ask here; each caller adds where.


def check_market_countries(market_type: str, countries: Sequence[str]) -> None:
    """A single_country market has exactly one country (`market_type`: a MarketType value).
    Raises RuleError."""
    if market_type != "single_country" or len(countries) == 1:
        return
    if not countries:
        raise RuleError(
            "a single_country market has exactly one country, none given", "name its country"
        )
    raise RuleError(
        f"a single_country market has exactly one country, not {len(countries)}"
        f" ({', '.join(countries)})",
        "give a market of several countries another type, e.g. multi_region",
    )


def check_country_once(
    country: str, market: str, holders: Mapping[str, str], where: str | None = None
) -> None:
    """A country belongs to at most one market of an org: `holders` maps a country to the
    org's market holding it (`where`: where that market says so). Raises RuleError naming
    the other market."""
    other = holders.get(country)
    if other is None or other == market:
        return
    raise RuleError(
        f"country {country} is already in market {other!r}"
        + (f" ({where})" if where else "")
        + "; a country belongs to one market of an org",
        f"take {country} out of market {other} first",
    )


# -- the marketplace -----------------------------------------------------------------------------
# A listing's category is one spelling the platform's list can group and filter by exactly
# (`data-science`, never `Data Science` beside `data science`): a slug, within its column
# (MARKETPLACE_CATEGORY, above with the text rules).


def check_category(value: str) -> str:
    """A marketplace category: a slug of at most 100 characters. Raises RuleError."""
    from volmify_cli.rules import check_slug

    return check_slug(MARKETPLACE_CATEGORY.check(value), "category")


# -- contact info (issue 21) -----------------------------------------------------------------------
# E-mail addresses and phone numbers are checked by kept libraries (email-validator, phonenumbers),
# imported when a contact is checked, never at start-up. Every check returns the form stored.


def check_contact_email(value: str) -> str:
    """A deliverable-looking e-mail address (syntax only: no DNS look-up), in the normalized
    form email-validator gives (the domain lower-cased, the local part as written). Raises
    RuleError."""
    from email_validator import EmailNotValidError, validate_email

    text = check_line(value).strip()
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise RuleError(f"e-mail {value!r} is not a valid address: {exc}") from None


def check_contact_phone(value: str, region: str | None = None) -> str:
    """A valid phone number in E.164 (`+4930901820`). A number written without `+` and its
    country code is read as a national number of `region` (ISO 3166-1 alpha-2), and refused
    when there is none. Raises RuleError."""
    import phonenumbers

    text = CONTACT_PHONE.check(value)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise RuleError(
                f"phone {value!r} has no country code"
                + (f" and {region!r} is not a known region" if region else ""),
                "write it with + and the country code (e.g. +49 30 901820), or give its region",
            ) from None
        why = str(exc).split(") ", 1)[-1].rstrip(".")  # "(1) The string supplied ..."
        raise RuleError(f"phone {value!r} is not a phone number ({why})") from None
    if not phonenumbers.is_valid_number(number):
        raise RuleError(
            f"phone {value!r} is not a valid number of country code +{number.country_code}"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_contact_website(value: str) -> str:
    """An absolute https URL with a host name (`https://acme.example/about`). Raises
    RuleError."""
    from urllib.parse import urlsplit

    text = CONTACT_WEBSITE.check(value)
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 -- a port that is not a number raises here
    except ValueError:
        host = None
    if parts.scheme.lower() != "https" or not host or " " in text:
        raise RuleError(
            f"website {value!r} is not an absolute https URL", "write it like https://acme.example"
        )
    return text


def check_contact_address(value: str) -> str:
    """A postal address: free text, lines kept. Raises RuleError."""
    return CONTACT_ADDRESS.check(value)


# -- SEO metadata ----------------------------------------------------------------------------

# The robots meta directives Google documents ("Robots meta tag specifications"), by name;
# those written `name:value` take the value the function checks.
ROBOTS_FLAGS = (
    "index",
    "noindex",
    "follow",
    "nofollow",
    "none",
    "all",
    "noarchive",
    "nosnippet",
    "noimageindex",
    "notranslate",
)
ROBOTS_VALUED = ("max-snippet", "max-image-preview", "max-video-preview", "unavailable_after")
_IMAGE_PREVIEWS = ("none", "standard", "large")
# Pairs that say opposite things (`none` is noindex, nofollow; `all` is index, follow).
_ROBOTS_CONTRADICTIONS = (
    ("index", "noindex"),
    ("follow", "nofollow"),
    ("all", "none"),
    ("all", "noindex"),
    ("all", "nofollow"),
    ("none", "index"),
    ("none", "follow"),
)


def check_seo_url(rule: TextRule, value: str) -> str:
    """An absolute https URL with a host (a canonical URL or an image search engines and
    social cards fetch: they are absolute, and pages served over https point at https).
    Raises RuleError."""
    from urllib.parse import urlsplit

    text = rule.check(value)
    if any(c.isspace() for c in text):
        raise RuleError(f"{rule.label} {text!r} holds a space", "percent-encode spaces as %20")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or parts.scheme.lower() != "https" or not host:
        raise RuleError(
            f"{rule.label} {text!r} is not an absolute https URL",
            "write it in full, e.g. https://example.com/page",
        )
    return text


def check_robots(value: str) -> str:
    """A comma list of robots directives, each known and given once, none contradicting
    another (index with noindex): the list as stored, lower-case, `, `-separated. Raises
    RuleError."""
    from volmify_cli.rules import parse_moment

    text = SEO_ROBOTS.check(value)
    seen: list[str] = []
    for part in text.split(","):
        directive = part.strip()
        name, colon, argument = directive.partition(":")
        name = name.strip().lower()
        argument = argument.strip()
        if name in ROBOTS_FLAGS and not colon:
            shown = name
        elif name in ROBOTS_VALUED and colon and argument:
            shown = f"{name}:{_robots_argument(name, argument, parse_moment)}"
        else:
            raise RuleError(
                f"robots: {directive!r} is not a known directive",
                "use "
                + ", ".join(
                    (
                        *ROBOTS_FLAGS,
                        "max-snippet:N",
                        "max-image-preview:none|standard|large",
                        "max-video-preview:N",
                        "unavailable_after:DATE",
                    )
                ),
            )
        if any(s.partition(":")[0] == name for s in seen):
            raise RuleError(f"robots: {name!r} is given twice")
        seen.append(shown)
    names = {s.partition(":")[0] for s in seen}
    for one, other in _ROBOTS_CONTRADICTIONS:
        if one in names and other in names:
            raise RuleError(f"robots: {one!r} and {other!r} contradict each other")
    return SEO_ROBOTS.check(", ".join(seen))  # as stored: still within its column


def _robots_argument(name: str, argument: str, parse_moment: Any) -> str:
    if name == "max-image-preview":
        if argument.lower() not in _IMAGE_PREVIEWS:
            raise RuleError(
                f"robots: max-image-preview must be none, standard or large, not {argument!r}"
            )
        return argument.lower()
    if name == "unavailable_after":
        parse_moment(argument)  # Google reads ISO 8601 (and RFC 822/850; we keep to one)
        return argument
    # max-snippet and max-video-preview: a number of characters or seconds; -1 is no limit
    try:
        number = parse_whole_number(argument)
    except RuleError:
        number = None
    if number is None or number < -1 or number > INT32_MAX:
        raise RuleError(f"robots: {name} must be a whole number from -1, not {argument!r}")
    return str(number)
