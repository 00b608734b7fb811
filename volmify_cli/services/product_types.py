"""The type extension of a product (class-table inheritance): exactly one row, matching the
product's type, created in the same transaction as the product (written by the catalog's
sync: `services/product_writes`).

`ProductDetails` carries the extension's fields as a person gives them; a field of another type
is a usage error naming the field and the type it belongs to.
"""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from sqlmodel import Session, select

from volmify_cli import rulebook
from volmify_cli.enums import CourseLevel, DeliveryMode, ProductType, parse_enum
from volmify_cli.errors import ConflictError, RuleError, UsageError
from volmify_cli.models.courses import OrgProductCourse
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import (
    OrgProductDigital,
    OrgProductPhysical,
    OrgProductService,
)


class ProductDetails(TypedDict, total=False):
    level: str
    difficulty: int
    estimated_minutes: int
    file_url: str
    file_size_bytes: int
    download_limit: int
    sku: str
    weight_grams: int
    requires_shipping: bool
    duration_minutes: int
    delivery_mode: str


Extension = OrgProductCourse | OrgProductDigital | OrgProductPhysical | OrgProductService

MODELS: dict[ProductType, type[Extension]] = {
    ProductType.COURSE: OrgProductCourse,
    ProductType.DIGITAL: OrgProductDigital,
    ProductType.PHYSICAL: OrgProductPhysical,
    ProductType.SERVICE: OrgProductService,
}

FIELDS: dict[ProductType, tuple[str, ...]] = {
    ProductType.COURSE: ("level", "difficulty", "estimated_minutes"),
    ProductType.DIGITAL: ("file_url", "file_size_bytes", "download_limit"),
    ProductType.PHYSICAL: ("sku", "weight_grams", "requires_shipping"),
    ProductType.SERVICE: ("duration_minutes", "delivery_mode"),
}
_OWNER = {field: kind for kind, fields in FIELDS.items() for field in fields}


# The rule of each extension column a command sets (the catalog's documents read the same).
_RULES: dict[str, rulebook.TextRule | rulebook.WholeRule] = {
    "difficulty": rulebook.DIFFICULTY,
    "estimated_minutes": rulebook.MINUTES,
    "file_size_bytes": rulebook.SIZE_BYTES,
    "download_limit": rulebook.DOWNLOAD_LIMIT,
    "weight_grams": rulebook.WEIGHT_GRAMS,
    "duration_minutes": rulebook.DURATION_MINUTES,
    "sku": rulebook.SKU,
    "file_url": rulebook.FILE_URL,
}


def check_details(product_type: ProductType, details: ProductDetails) -> dict[str, Any]:
    """The extension's column values from `details`, validated. Raises UsageError for a field
    of another product type, RuleError for a value out of range."""
    values: dict[str, Any] = {}
    for field, value in details.items():
        if value is None:
            continue
        owner = _OWNER.get(field)
        if owner is None:
            raise UsageError(f"unknown product detail {field!r}")
        if owner is not product_type:
            label = field.replace("_", " ")
            raise UsageError(
                f"{label} applies to {owner.value} products only, not to a {product_type.value}"
            )
        values[field] = value
    if "level" in values:
        try:
            values["level"] = parse_enum(CourseLevel, str(values["level"])).value
        except ValueError as exc:
            raise RuleError(f"course level {exc}") from None
    if "delivery_mode" in values:
        try:
            values["delivery_mode"] = parse_enum(DeliveryMode, str(values["delivery_mode"])).value
        except ValueError as exc:
            raise RuleError(f"delivery mode {exc}") from None
    for field, rule in _RULES.items():
        if field in values:
            values[field] = rule.check(values[field])
    return values


def check_sku_free(
    session: Session, org: Org, sku: str, product_id: uuid.UUID | None = None
) -> None:
    taken = session.exec(
        select(OrgProductPhysical).where(
            OrgProductPhysical.org_id == org.id, OrgProductPhysical.sku == sku
        )
    ).first()
    if taken is not None and taken.product_id != product_id:
        raise ConflictError(f"sku {sku!r} is already used by another product in org {org.slug}")


def get_extension(
    session: Session, org_id: uuid.UUID, product_id: uuid.UUID, product_type: ProductType
) -> Extension | None:
    model: Any = MODELS[product_type]
    row: Extension | None = session.exec(
        select(model).where(model.org_id == org_id, model.product_id == product_id)
    ).first()
    return row


def read_details(row: Extension | None, product_type: ProductType) -> dict[str, Any]:
    """The extension's fields as a JSON-ready mapping (None values kept: a stable shape)."""
    return {field: getattr(row, field) if row else None for field in FIELDS[product_type]}
