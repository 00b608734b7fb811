"""org/product: the catalog, as class-table inheritance (a base product and one type extension),
with variants, brand and instructor attribution, and collections.

A type extension carries the product's type in its key, `(org_id, product_id, product_type)`,
referencing the product's unique `(org_id, id, type)`: an extension that does not match its
product's type cannot exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, PrimaryKeyConstraint, String, Text, text
from sqlmodel import Field

from volmify_cli.enums import DeliveryMode, ProductStatus, ProductType, VariantStatus
from volmify_cli.models.base import (
    OrgChild,
    OrgOwned,
    OrgTranslation,
    Timestamps,
    catalog_managed_flag,
    check,
    child_org_id,
    enum_check,
    flag,
    metadata_field,
    one_default,
    org_id_field,
    share_check,
    slug_field,
    tenant_fk,
    text_field,
    translation_args,
    unique,
)


class OrgProduct(OrgOwned, table=True):
    __tablename__ = "org_product"

    slug: str = slug_field()
    type: str = Field(sa_type=String(20), nullable=False)
    status: str = Field(default=ProductStatus.DRAFT, sa_type=String(20), nullable=False)
    thumbnail_url: str | None = text_field(500, nullable=True, default=None)
    catalog_managed: bool = catalog_managed_flag()
    metadata_json: str | None = metadata_field()

    __table_args__ = (
        unique("org_id", "slug"),
        unique("org_id", "id", "type"),
        enum_check("type", ProductType),
        enum_check("status", ProductStatus),
    )


class OrgProductTranslation(OrgTranslation, table=True):
    __tablename__ = "org_product_translation"

    product_id: uuid.UUID = Field(nullable=False)
    title: str = text_field(300)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)
    seo_metadata_id: uuid.UUID | None = Field(default=None)

    __table_args__ = (
        *translation_args("org_product_translation", "product_id", "org_product"),
        tenant_fk(["seo_metadata_id"], "seo_metadata", ondelete="NO ACTION"),
    )


def product_extension_args(table: str, product_type: ProductType) -> tuple[Any, ...]:
    return (
        PrimaryKeyConstraint("org_id", "product_id"),
        ForeignKeyConstraint(
            ["org_id", "product_id", "product_type"],
            ["org_product.org_id", "org_product.id", "org_product.type"],
            ondelete="CASCADE",
        ),
        check("product_type_fixed", f"product_type = '{product_type.value}'"),
    )


def product_type_field(product_type: ProductType) -> Any:
    return Field(
        default=product_type.value,
        sa_type=String(20),
        nullable=False,
        sa_column_kwargs={"server_default": text(f"'{product_type.value}'")},
    )


class OrgProductDigital(Timestamps, table=True):
    __tablename__ = "org_product_digital"

    org_id: uuid.UUID = child_org_id()
    product_id: uuid.UUID = Field(nullable=False)
    product_type: str = product_type_field(ProductType.DIGITAL)
    file_url: str | None = text_field(500, nullable=True, default=None)
    file_size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    download_limit: int | None = Field(default=None)

    __table_args__ = (
        *product_extension_args("org_product_digital", ProductType.DIGITAL),
        check("file_size_non_negative", "file_size_bytes IS NULL OR file_size_bytes >= 0"),
        check("download_limit_min", "download_limit IS NULL OR download_limit >= 1"),
    )


class OrgProductPhysical(Timestamps, table=True):
    __tablename__ = "org_product_physical"

    org_id: uuid.UUID = child_org_id()
    product_id: uuid.UUID = Field(nullable=False)
    product_type: str = product_type_field(ProductType.PHYSICAL)
    sku: str | None = text_field(64, nullable=True, default=None)
    weight_grams: int | None = Field(default=None)
    requires_shipping: bool = flag(True)

    __table_args__ = (
        *product_extension_args("org_product_physical", ProductType.PHYSICAL),
        unique("org_id", "sku"),
        check("weight_non_negative", "weight_grams IS NULL OR weight_grams >= 0"),
    )


class OrgProductService(Timestamps, table=True):
    __tablename__ = "org_product_service"

    org_id: uuid.UUID = child_org_id()
    product_id: uuid.UUID = Field(nullable=False)
    product_type: str = product_type_field(ProductType.SERVICE)
    duration_minutes: int | None = Field(default=None)
    delivery_mode: str = Field(default=DeliveryMode.ONLINE, sa_type=String(20), nullable=False)

    __table_args__ = (
        *product_extension_args("org_product_service", ProductType.SERVICE),
        enum_check("delivery_mode", DeliveryMode),
        check("duration_positive", "duration_minutes IS NULL OR duration_minutes > 0"),
    )


class OrgProductVariant(OrgChild, table=True):
    """A variant of a product. No price here: prices live on payment plans."""

    __tablename__ = "org_product_variant"

    product_id: uuid.UUID = Field(nullable=False)
    slug: str = slug_field()
    is_default: bool = flag()
    sort_order: int = Field(default=0, nullable=False)
    status: str = Field(default=VariantStatus.ACTIVE, sa_type=String(20), nullable=False)
    metadata_json: str | None = metadata_field()

    __table_args__ = (
        tenant_fk(["product_id"], "org_product"),
        unique("org_id", "product_id", "slug"),
        unique("org_id", "product_id", "id"),  # an order item names its variant with its product
        one_default("org_product_variant", "org_id", "product_id"),
        enum_check("status", VariantStatus),
    )


class OrgProductVariantTranslation(OrgTranslation, table=True):
    __tablename__ = "org_product_variant_translation"

    variant_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args(
        "org_product_variant_translation", "variant_id", "org_product_variant"
    )


class OrgProductBrandAttribution(Timestamps, table=True):
    """A brand that markets a product; with `share_bp` > 0 it is also a revenue recipient."""

    __tablename__ = "org_product_brand_attribution"

    org_id: uuid.UUID = child_org_id()
    product_id: uuid.UUID = Field(nullable=False)
    brand_id: uuid.UUID = Field(nullable=False)
    is_primary: bool = flag()
    share_bp: int = Field(default=0, nullable=False)
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "product_id", "brand_id"),
        tenant_fk(["product_id"], "org_product"),
        tenant_fk(["brand_id"], "org_brand"),
        share_check(),
        one_default("org_product_brand_attribution", "org_id", "product_id", column="is_primary"),
    )


class OrgProductInstructorAttribution(Timestamps, table=True):
    """An instructor credited on a product with a revenue share. The instructor must be
    affiliated with the org: the key references the affiliation, not just the global profile."""

    __tablename__ = "org_product_instructor_attribution"

    org_id: uuid.UUID = org_id_field()
    product_id: uuid.UUID = Field(nullable=False)
    profile_id: uuid.UUID = Field(foreign_key="user_profile.id", nullable=False)
    share_bp: int = Field(default=0, nullable=False)
    is_primary: bool = flag()
    role: str | None = text_field(50, nullable=True, default=None)
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "product_id", "profile_id"),
        tenant_fk(["product_id"], "org_product"),
        tenant_fk(
            ["profile_id"], "org_instructor_affiliation", ("profile_id",), ondelete="NO ACTION"
        ),
        share_check(),
        one_default(
            "org_product_instructor_attribution", "org_id", "product_id", column="is_primary"
        ),
    )


class OrgProductCollection(OrgOwned, table=True):
    __tablename__ = "org_product_collection"

    slug: str = slug_field()
    is_active: bool = flag(True)
    catalog_managed: bool = catalog_managed_flag()
    metadata_json: str | None = metadata_field()

    __table_args__ = (unique("org_id", "slug"),)


class OrgProductCollectionTranslation(OrgTranslation, table=True):
    __tablename__ = "org_product_collection_translation"

    collection_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)
    seo_metadata_id: uuid.UUID | None = Field(default=None)  # migration 0023 (issue 21)

    __table_args__ = (
        *translation_args(
            "org_product_collection_translation", "collection_id", "org_product_collection"
        ),
        tenant_fk(["seo_metadata_id"], "seo_metadata", ondelete="NO ACTION"),
    )


class OrgProductCollectionProduct(Timestamps, table=True):
    __tablename__ = "org_product_collection_product"

    org_id: uuid.UUID = child_org_id()
    collection_id: uuid.UUID = Field(nullable=False)
    product_id: uuid.UUID = Field(nullable=False)
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "collection_id", "product_id"),
        tenant_fk(["collection_id"], "org_product_collection"),
        tenant_fk(["product_id"], "org_product"),
    )


class OrgCatalogFingerprint(Timestamps, table=True):
    """What the last catalog import read of one product, so that the next import of the same
    text can skip it: the digest of the product's text in the file and of everything its checks
    depend on (the file's org, locales, brands, markets and instructors, `--prune`, the schema
    revision), and what the product counts for the `N unchanged` line.

    A fingerprint only holds while nothing else wrote to the org: every write of any other
    command deletes the org's fingerprints in its own transaction (`db/fingerprints.py`), and an
    import writes them back last."""

    __tablename__ = "org_catalog_fingerprint"

    org_id: uuid.UUID = child_org_id(primary_key=True)
    product_id: uuid.UUID = Field(primary_key=True)
    text_digest: str = text_field(64)
    context_digest: str = text_field(64)
    counts: str = text_field(500)  # "attribution=2 plan=6 price=24 product=1 variant=2"
    instructors: str = Field(default="", sa_type=Text, nullable=False)  # referenced slugs

    __table_args__ = (tenant_fk(["product_id"], "org_product", ondelete="CASCADE"),)
