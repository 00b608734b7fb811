"""The type extension of a payment plan (one-time, subscription, usage-based): exactly one row,
matching the plan's type. `PlanOptions` names its fields as the command line does."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlmodel import Session, select

from volmify_cli import rulebook
from volmify_cli.enums import BillingInterval, PlanType, PricingModel, enum_value
from volmify_cli.errors import UsageError
from volmify_cli.models.plans import (
    OrgProductVariantPaymentPlan,
    OrgProductVariantPaymentPlanOneTime,
    OrgProductVariantPaymentPlanSubscription,
    OrgProductVariantPaymentPlanUsageBased,
)


class PlanOptions(TypedDict, total=False):
    duration_days: int  # one-time: access for N days (none: lifetime)
    max_purchases: int
    interval: str  # subscription and usage-based
    interval_count: int
    trial_days: int
    unit: str  # usage-based
    included_units: int
    pricing_model: str


Extension = (
    OrgProductVariantPaymentPlanOneTime
    | OrgProductVariantPaymentPlanSubscription
    | OrgProductVariantPaymentPlanUsageBased
)

MODELS: dict[PlanType, type[Extension]] = {
    PlanType.ONE_TIME: OrgProductVariantPaymentPlanOneTime,
    PlanType.SUBSCRIPTION: OrgProductVariantPaymentPlanSubscription,
    PlanType.USAGE_BASED: OrgProductVariantPaymentPlanUsageBased,
}

# option -> column, per plan type
COLUMNS: dict[PlanType, dict[str, str]] = {
    PlanType.ONE_TIME: {
        "duration_days": "access_duration_days",
        "max_purchases": "max_purchases_per_user",
    },
    PlanType.SUBSCRIPTION: {
        "interval": "interval",
        "interval_count": "interval_count",
        "trial_days": "trial_days",
    },
    PlanType.USAGE_BASED: {
        "unit": "unit_name",
        "included_units": "included_units",
        "pricing_model": "pricing_model",
        "interval": "interval",
    },
}
DEFAULT_UNIT = "unit"


def _label(plan_type: PlanType) -> str:
    return plan_type.value.replace("_", "-")


# The rule of each extension column a command sets (the catalog's documents read the same).
_RULES: dict[str, rulebook.TextRule | rulebook.WholeRule] = {
    "unit_name": rulebook.UNIT,
    "access_duration_days": rulebook.ACCESS_DAYS,
    "max_purchases_per_user": rulebook.MAX_PURCHASES,
    "interval_count": rulebook.INTERVAL_COUNT,
    "trial_days": rulebook.TRIAL_DAYS,
    "included_units": rulebook.INCLUDED_UNITS,
}


def check_options(plan_type: PlanType, options: PlanOptions) -> dict[str, Any]:
    """The extension's column values, validated. Raises UsageError for an option of another
    plan type, RuleError for a value out of range."""
    columns = COLUMNS[plan_type]
    values: dict[str, Any] = {}
    for option, value in options.items():
        if value is None:
            continue
        if option not in columns:
            owners = [_label(t) for t, cols in COLUMNS.items() if option in cols]
            raise UsageError(
                f"--{option.replace('_', '-')} applies to {' and '.join(owners)} plans only, "
                f"not to a {_label(plan_type)} plan"
            )
        values[columns[option]] = value
    if "interval" in values:
        values["interval"] = enum_value(BillingInterval, values["interval"], "interval").value
    if "pricing_model" in values:
        values["pricing_model"] = enum_value(
            PricingModel, values["pricing_model"], "pricing model"
        ).value
    for column, rule in _RULES.items():
        if column in values:
            values[column] = rule.check(values[column])
    return values


# extension column -> the catalog document's key (`inputs.catalog_schema.PlanDoc`)
_DOCUMENT_KEYS = {
    "access_duration_days": "access_days",
    "max_purchases_per_user": "max_purchases",
    "interval": "interval",
    "interval_count": "interval_count",
    "trial_days": "trial_days",
    "unit_name": "unit",
    "included_units": "included_units",
    "pricing_model": "model",
}


def document_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Checked extension values (`check_options`) as the catalog document's keys."""
    fields = {_DOCUMENT_KEYS[column]: value for column, value in values.items()}
    if "interval" in fields:
        fields["interval"] = BillingInterval(fields["interval"])
    if "model" in fields:
        fields["model"] = PricingModel(fields["model"])
    return fields


def get_extension(session: Session, plan: OrgProductVariantPaymentPlan) -> Extension | None:
    model: Any = MODELS[PlanType(plan.type)]
    row: Extension | None = session.exec(
        select(model).where(model.org_id == plan.org_id, model.plan_id == plan.id)
    ).first()
    return row


def read_options(session: Session, plan: OrgProductVariantPaymentPlan) -> dict[str, Any]:
    """The extension's fields under their option names (None kept: a stable shape)."""
    row = get_extension(session, plan)
    return {
        option: getattr(row, column) if row is not None else None
        for option, column in COLUMNS[PlanType(plan.type)].items()
    }
