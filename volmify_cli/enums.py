"""The enumerations of the domain (DOMAIN.md). Pure Python, importable without the database stack:
file validation (`catalog validate`) uses them with no database at all.

Values are written with underscores in files, JSON and the database; the command line accepts
hyphens too (`parse_enum`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class TextDirection(StrEnum):
    LTR = "ltr"
    RTL = "rtl"


class ProfileType(StrEnum):
    MAIN = "main"
    INSTRUCTOR = "instructor"


class OrgStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class MemberRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    INSTRUCTOR = "instructor"
    MEMBER = "member"


class MemberStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"


class MarketType(StrEnum):
    SINGLE_COUNTRY = "single_country"
    MULTI_REGION = "multi_region"
    LINGUISTIC = "linguistic"
    ECONOMIC = "economic"
    CUSTOM = "custom"


class MarketStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class AffiliationType(StrEnum):
    OWNER = "owner"
    EMPLOYEE = "employee"
    CONTRACTOR = "contractor"
    PARTNER = "partner"
    GUEST = "guest"


class AffiliationStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ENDED = "ended"


class ProductType(StrEnum):
    COURSE = "course"
    DIGITAL = "digital"
    PHYSICAL = "physical"
    SERVICE = "service"


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class VariantStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class DeliveryMode(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class PlanType(StrEnum):
    ONE_TIME = "one_time"
    SUBSCRIPTION = "subscription"
    USAGE_BASED = "usage_based"


class PlanStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ARCHIVED = "archived"


class BillingInterval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class UsageType(StrEnum):
    METERED = "metered"
    LICENSED = "licensed"


class PricingModel(StrEnum):
    PER_UNIT = "per_unit"
    TIERED = "tiered"
    VOLUME = "volume"


class TaxBehavior(StrEnum):
    INCLUSIVE = "inclusive"
    EXCLUSIVE = "exclusive"


class SubscriptionStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    EXPIRED = "expired"


class DiscountType(StrEnum):
    PERCENTAGE = "percentage"
    FIXED_AMOUNT = "fixed_amount"


class DiscountDuration(StrEnum):
    ONCE = "once"
    REPEATING = "repeating"
    FOREVER = "forever"


class CourseLevel(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class LessonType(StrEnum):
    VIDEO = "video"
    TEXT = "text"
    QUIZ = "quiz"
    ASSIGNMENT = "assignment"
    INTERACTIVE = "interactive"


class SkillKind(StrEnum):
    TAUGHT = "taught"
    PREREQUISITE = "prerequisite"


class ProgressStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class RecipientKind(StrEnum):
    INSTRUCTOR = "instructor"
    BRAND = "brand"
    ORG = "org"


class EntryKind(StrEnum):
    """A ledger entry: a sale as recorded, a refund of it, or, when `sales import --update`
    replaces an order, the reversal of what its earlier version held and the correction that
    records it again (SPEC 5: the ledger is append-only)."""

    SALE = "sale"
    REFUND = "refund"
    REVERSAL = "reversal"
    CORRECTION = "correction"


class CloseAction(StrEnum):
    """What finance did to the ledger's lock date: closed a period, or reopened one."""

    CLOSE = "close"
    REOPEN = "reopen"


class OrderStatus(StrEnum):
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class ListingStatus(StrEnum):
    DRAFT = "draft"
    LISTED = "listed"
    DELISTED = "delisted"


def parse_enum(cls: type[E], value: str) -> E:
    """Read an enumeration value as a person may type it: `one-time`, `one_time`, `ONE_TIME`.

    Raises ValueError naming the accepted values.
    """
    normalised = value.strip().lower().replace("-", "_")
    try:
        return cls(normalised)
    except ValueError:
        raise ValueError(f"{value!r} is not one of: {accepted_values(cls)}") from None


def accepted_values(cls: type[StrEnum]) -> str:
    """The values of an enumeration as messages list them, as files and JSON write them."""
    return ", ".join(member.value for member in cls)


def enum_value(cls: type[E], value: str | E, what: str) -> E:
    """An enumeration value given to a service (`one-time` or `one_time`), as the command
    line's option parser reads it. Raises UsageError (exit 2, a bad option value) naming the
    accepted values."""
    if isinstance(value, cls):
        return value
    try:
        return parse_enum(cls, str(value))
    except ValueError as exc:
        from volmify_cli.errors import UsageError

        raise UsageError(f"{what} {exc}") from None
