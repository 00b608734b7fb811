"""The catalog document (`kind: catalog`, SPEC 4.1): every key of the key table as a document
model. Rules that need more than one field or more than one entity (money in a market's
currency, references, defaults) are in `catalog_checks`.

Prices are the one place with hundreds of thousands of values: a plan's `prices` mapping is kept
as written here (a `PriceMap`, small) and read by `read_prices`, a lean path that takes the common
case (a quoted amount) without building a model and validates the long form with `PriceDoc`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, PlainValidator, model_validator

from volmify_cli.enums import (
    AffiliationStatus,
    AffiliationType,
    BillingInterval,
    DeliveryMode,
    DiscountDuration,
    DiscountType,
    MarketStatus,
    MarketType,
    PlanStatus,
    PlanType,
    PricingModel,
    ProductStatus,
    ProductType,
    TaxBehavior,
    VariantStatus,
)
from volmify_cli.errors import RuleError
from volmify_cli.inputs.contact_schema import ContactDoc
from volmify_cli.inputs.documents import DocModel, MarkedMap, Scalar
from volmify_cli.inputs.fields import (
    AccessDays,
    Amount,
    Bool,
    Date,
    DescriptionText,
    DownloadLimit,
    DurationMinutes,
    FileText,
    IncludedUnits,
    Int,
    IntervalCount,
    MaxPurchases,
    Metadata,
    Name,
    NameText,
    OfferPercent,
    Periods,
    ProfessionalTitle,
    Share,
    SizeBytes,
    SkuText,
    Slug,
    Str,
    Tier,
    TitleText,
    TrialDays,
    UnitText,
    UpToUnits,
    UsageLimit,
    WeightGrams,
    enum_field,
    text_rule,
)
from volmify_cli.inputs.outline_schema import CourseBody
from volmify_cli.inputs.price_map import PriceMap
from volmify_cli.inputs.seo_schema import Seo
from volmify_cli.rules import (
    check_country,
    check_currency_code,
    check_domain,
    normalize_coupon_code,
    normalize_email,
)
from volmify_cli.windows import check_window


def check_locale(value: str) -> str:
    """A locale key babel knows, written in its canonical BCP 47 form (`en-US`)."""
    from volmify_cli.l10n import canonical_key

    canonical = canonical_key(value)
    if canonical != value:
        raise RuleError(f"write the locale {value!r} as {canonical!r}")
    return value


def check_currency(value: str) -> str:
    from volmify_cli.money import is_currency

    check_currency_code(value)
    if not is_currency(value):
        raise RuleError(f"unknown currency {value!r}", "see `volmify currencies list`")
    return value


def check_known_country(value: str) -> str:
    from volmify_cli.reference.countries import COUNTRIES

    check_country(value)
    if value not in {row[0] for row in COUNTRIES}:
        raise RuleError(f"unknown country {value!r} (ISO 3166-1 alpha-2)")
    return value


LocaleKey = Annotated[Scalar, PlainValidator(text_rule(check_locale))]
Currency = Annotated[Scalar, PlainValidator(text_rule(check_currency))]
Country = Annotated[Scalar, PlainValidator(text_rule(check_known_country))]
Domain = Annotated[Scalar, PlainValidator(text_rule(check_domain))]
Email = Annotated[Scalar, PlainValidator(text_rule(normalize_email))]
CouponCode = Annotated[Scalar, PlainValidator(text_rule(normalize_coupon_code))]

MarketTypeE = Annotated[MarketType, PlainValidator(enum_field(MarketType))]
MarketStatusE = Annotated[MarketStatus, PlainValidator(enum_field(MarketStatus))]
AffiliationTypeE = Annotated[AffiliationType, PlainValidator(enum_field(AffiliationType))]
AffiliationStatusE = Annotated[AffiliationStatus, PlainValidator(enum_field(AffiliationStatus))]
ProductTypeE = Annotated[ProductType, PlainValidator(enum_field(ProductType))]
ProductStatusE = Annotated[ProductStatus, PlainValidator(enum_field(ProductStatus))]
DeliveryE = Annotated[DeliveryMode, PlainValidator(enum_field(DeliveryMode))]
VariantStatusE = Annotated[VariantStatus, PlainValidator(enum_field(VariantStatus))]
PlanTypeE = Annotated[PlanType, PlainValidator(enum_field(PlanType))]
PlanStatusE = Annotated[PlanStatus, PlainValidator(enum_field(PlanStatus))]
IntervalE = Annotated[BillingInterval, PlainValidator(enum_field(BillingInterval))]
PricingModelE = Annotated[PricingModel, PlainValidator(enum_field(PricingModel))]
TaxE = Annotated[TaxBehavior, PlainValidator(enum_field(TaxBehavior))]
DiscountTypeE = Annotated[DiscountType, PlainValidator(enum_field(DiscountType))]
DurationE = Annotated[DiscountDuration, PlainValidator(enum_field(DiscountDuration))]


def _short_form(field: str) -> BeforeValidator:
    """Accept `VALUE` as short for `{field: VALUE}` (a country, a coupon code, an org slug)."""

    def expand(value: Any) -> Any:
        if isinstance(value, Scalar):
            node = MarkedMap(value.line, value.column)
            node[Scalar(field, value.line, value.column, True)] = value
            return node
        return value

    return BeforeValidator(expand)


def _window(starts: dt.date | None, ends: dt.date | None) -> None:
    try:
        check_window(starts, ends)
    except RuleError as exc:
        raise ValueError(exc.reason) from None


# -- org, brands, markets, instructors -----------------------------------------------------------


class OrgDoc(DocModel):
    slug: Slug
    name: Name | None = None
    contact: ContactDoc | None = None


class BrandDoc(DocModel):
    slug: Slug
    name: NameText
    description: DescriptionText | None = None
    contact: ContactDoc | None = None
    seo: Seo | None = None


class CountryDoc(DocModel):
    country: Country
    locale: LocaleKey | None = None


class MarketDoc(DocModel):
    slug: Slug
    name: NameText
    type: MarketTypeE
    currency: Currency
    countries: list[Annotated[CountryDoc, _short_form("country")]]
    locales: Annotated[list[LocaleKey], Field(min_length=1)]
    brand: Slug | None = None
    domain: Domain | None = None
    default: Bool = False
    status: MarketStatusE = MarketStatus.ACTIVE


class InstructorDoc(DocModel):
    slug: Slug
    name: Name
    email: Email
    title: ProfessionalTitle | None = None
    share: Share | None = None
    type: AffiliationTypeE = AffiliationType.CONTRACTOR
    status: AffiliationStatusE = AffiliationStatus.ACTIVE
    contact: ContactDoc | None = None


# -- products, variants, plans, prices -------------------------------------------------------------


class AttributionDoc(DocModel):
    """An instructor (`share` defaults to the affiliation's default share when the attribution
    is new) or a brand recipient (one of the product's brands)."""

    instructor: Slug | None = None
    brand: Slug | None = None
    share: Share | None = None

    @model_validator(mode="after")
    def _one_recipient(self) -> AttributionDoc:
        if (self.instructor is None) == (self.brand is None):
            raise ValueError("an attribution names either an instructor or a brand")
        if self.brand is not None and self.share is None:
            raise ValueError("a brand attribution needs a share")
        return self


class DigitalDoc(DocModel):
    file: FileText | None = None
    size_bytes: SizeBytes | None = None
    download_limit: DownloadLimit | None = None


class PhysicalDoc(DocModel):
    sku: SkuText | None = None
    weight_grams: WeightGrams | None = None
    requires_shipping: Bool = True


class ServiceDoc(DocModel):
    duration_minutes: DurationMinutes | None = None
    delivery: DeliveryE = DeliveryMode.ONLINE


class PriceDoc(DocModel):
    """The long form of a price: `{amount, currency?, compare_at?, setup_fee?, tax?}`."""

    amount: Amount
    currency: Currency | None = None
    compare_at: Amount | None = None
    setup_fee: Amount | None = None
    tax: TaxE = TaxBehavior.INCLUSIVE


def _price_map(value: Any) -> PriceMap:
    if isinstance(value, PriceMap):
        return value
    if not isinstance(value, MarkedMap):
        raise ValueError("must be a mapping of market slug to amount")
    return PriceMap(value)


Prices = Annotated[PriceMap, PlainValidator(_price_map)]


class UsageTierDoc(DocModel):
    up_to: UpToUnits | None = None
    prices: Prices


# Keys only a plan of one type may hold (the rest are common to every plan).
PLAN_TYPE_KEYS: dict[PlanType, tuple[str, ...]] = {
    PlanType.ONE_TIME: ("access_days", "max_purchases", "gifting", "transferable"),
    PlanType.SUBSCRIPTION: ("interval", "interval_count", "trial_days"),
    PlanType.USAGE_BASED: ("unit", "model", "included_units", "interval", "usage_tiers"),
}


# The keys a plan of each type must not hold, in the order they are checked (the first set one
# is the message).
_NOT_FOR: dict[PlanType, tuple[str, ...]] = {
    plan_type: tuple(
        dict.fromkeys(key for keys in PLAN_TYPE_KEYS.values() for key in keys if key not in allowed)
    )
    for plan_type, allowed in PLAN_TYPE_KEYS.items()
}


class PlanDoc(DocModel):
    slug: Slug
    type: PlanTypeE
    tier: Tier
    name: NameText | None = None
    default: Bool = False
    featured: Bool = False
    status: PlanStatusE = PlanStatus.ACTIVE
    starts: Date | None = None
    ends: Date | None = None
    access_days: AccessDays | None = None
    max_purchases: MaxPurchases | None = None
    gifting: Bool | None = None
    transferable: Bool | None = None
    interval: IntervalE | None = None
    interval_count: IntervalCount | None = None
    trial_days: TrialDays | None = None
    unit: UnitText | None = None
    model: PricingModelE | None = None
    included_units: IncludedUnits | None = None
    usage_tiers: list[UsageTierDoc] | None = None
    metadata: Metadata | None = None
    prices: Prices
    rule_reads: ClassVar[frozenset[str] | None] = frozenset(
        ("type", "interval", "starts", "ends", *(k for ks in PLAN_TYPE_KEYS.values() for k in ks))
    )

    @model_validator(mode="after")
    def _type_keys(self) -> PlanDoc:
        values = self.__dict__
        for key in _NOT_FOR[self.type]:
            if values[key] is not None:
                owners = [t.value for t, k in PLAN_TYPE_KEYS.items() if key in k]
                raise ValueError(f"{key} is only for {' and '.join(owners)} plans")
        if self.type is PlanType.SUBSCRIPTION and self.interval is None:
            raise ValueError("a subscription plan needs an interval (day, week, month or year)")
        _window(self.starts, self.ends)
        return self


class VariantDoc(DocModel):
    slug: Slug
    name: NameText | None = None
    default: Bool | None = None
    status: VariantStatusE = VariantStatus.ACTIVE
    metadata: Metadata | None = None
    plans: list[PlanDoc]


TYPE_BLOCKS: dict[ProductType, str] = {
    ProductType.COURSE: "course",
    ProductType.DIGITAL: "digital",
    ProductType.PHYSICAL: "physical",
    ProductType.SERVICE: "service",
}


class ProductDoc(DocModel):
    slug: Slug
    type: ProductTypeE
    status: ProductStatusE = ProductStatus.DRAFT
    title: TitleText
    description: DescriptionText | None = None
    brands: list[Slug] = []
    attribution: list[AttributionDoc] = []
    course: CourseBody | None = None
    digital: DigitalDoc | None = None
    physical: PhysicalDoc | None = None
    service: ServiceDoc | None = None
    metadata: Metadata | None = None
    variants: list[VariantDoc]
    seo: Seo | None = None
    rule_reads: ClassVar[frozenset[str] | None] = frozenset(("type", *TYPE_BLOCKS.values()))

    @model_validator(mode="after")
    def _type_block(self) -> ProductDoc:
        for product_type, block in TYPE_BLOCKS.items():
            if product_type is not self.type and getattr(self, block) is not None:
                raise ValueError(f"{block}: is only for products of type {product_type.value}")
        return self


# -- collections, offers, promotions ---------------------------------------------------------------


class CollectionDoc(DocModel):
    slug: Slug
    name: NameText
    metadata: Metadata | None = None
    products: list[Slug]
    seo: Seo | None = None


class CouponDoc(DocModel):
    code: CouponCode
    usage_limit: UsageLimit | None = None
    starts: Date | None = None
    ends: Date | None = None
    rule_reads: ClassVar[frozenset[str] | None] = frozenset(("starts", "ends"))

    @model_validator(mode="after")
    def _dates(self) -> CouponDoc:
        _window(self.starts, self.ends)
        return self


class OfferDoc(DocModel):
    slug: Slug
    name: NameText | None = None
    type: DiscountTypeE
    percent: OfferPercent | None = None
    amount: Amount | None = None  # with currency: the short form of one amount
    currency: Currency | None = None
    amounts: dict[Currency, Amount] | None = None  # currency -> amount, one per currency
    applies: DurationE = DiscountDuration.ONCE
    periods: Periods | None = None
    starts: Date | None = None
    ends: Date | None = None
    usage_limit: UsageLimit | None = None
    active: Bool = True
    products: list[Slug] = []
    variants: list[Str] = []
    plans: list[Str] = []
    collections: list[Slug] = []
    markets: list[Slug] = []
    coupons: list[Annotated[CouponDoc, _short_form("code")]] = []

    @model_validator(mode="after")
    def _value(self) -> OfferDoc:
        short = self.amount is not None or self.currency is not None
        if self.type is DiscountType.PERCENTAGE:
            if self.percent is None or self.percent < 1:
                raise ValueError('a percentage offer needs percent (like "25%"), above 0')
            if short or self.amounts is not None:
                raise ValueError("a percentage offer takes percent, not amount(s) and currency")
        else:
            if short and self.amounts is not None:
                raise ValueError(
                    "a fixed_amount offer takes amount and currency (one currency) or amounts"
                    " (currency -> amount), not both"
                )
            if self.amounts is None and (self.amount is None or self.currency is None):
                raise ValueError(
                    "a fixed_amount offer needs amount and currency, or amounts"
                    ' (like {USD: "5.00", EUR: "4.50"})'
                )
            if self.amounts is not None and not self.amounts:
                raise ValueError("amounts must name at least one currency")
            if self.percent is not None:
                raise ValueError("a fixed_amount offer takes amount(s), not percent")
        if (self.applies is DiscountDuration.REPEATING) != (self.periods is not None):
            raise ValueError("periods is given exactly when applies is repeating")
        _window(self.starts, self.ends)
        return self


class PromotionDoc(DocModel):
    slug: Slug
    name: NameText
    offers: list[Slug]
    starts: Date | None = None
    ends: Date | None = None
    rule_reads: ClassVar[frozenset[str] | None] = frozenset(("starts", "ends"))

    @model_validator(mode="after")
    def _dates(self) -> PromotionDoc:
        _window(self.starts, self.ends)
        return self


class CatalogDoc(DocModel):
    """One file of a catalog. `locales` is required of the file set, not of every file (a
    catalog split over a directory names its locales once)."""

    version: Int
    kind: Str
    org: Annotated[OrgDoc, _short_form("slug")] | None = None
    locales: Annotated[list[LocaleKey], Field(min_length=1)] | None = None
    brands: list[BrandDoc] = []
    markets: list[MarketDoc] = []
    instructors: list[InstructorDoc] = []
    products: list[ProductDoc] = []
    collections: list[CollectionDoc] = []
    offers: list[OfferDoc] = []
    promotions: list[PromotionDoc] = []
