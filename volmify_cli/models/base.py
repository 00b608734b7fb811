"""The declarative base and the helpers that make every table keep DOMAIN.md's rules.

Org-owned tables carry `org_id` in their primary key and in every unique constraint and foreign
key to another org-owned table (`tenant_fk`), so a cross-organization reference is impossible
even through raw SQL. Ranges are named CHECK constraints; enumerations are VARCHAR columns with a
named CHECK (portable, and a new value is a reviewed migration rather than an ALTER TYPE).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from volmify_cli.db.naming import make_metadata, shorten
from volmify_cli.db.types import UTCDateTime, utcnow
from volmify_cli.ids import uuid7

volmify_registry = registry(metadata=make_metadata())
metadata = volmify_registry.metadata


class Base(SQLModel, registry=volmify_registry):
    """Every volmify table derives from this base, which carries the naming convention.

    Pydantic builds a model's validators lazily (`defer_build`): table rows are not validated
    on construction anyway, and building 74 validators up front would cost every command a
    quarter of a second of start-up.
    """

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


class Timestamps(Base):
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


# Roots and children (physical design; DOMAIN rule 1 holds either way).
#
# A *root* is an org-owned table whose rows reach `org` only through their own
# `org_id -> org.id ON DELETE CASCADE` key (org_product, org_market, org_locale, ...).
# A *child* has a cascading composite tenant FK `(org_id, parent_id) -> parent(org_id, id)` to an
# org-owned parent: the parent's row already proves that the org exists, and deleting the org
# cascades through the parent, so the child carries no FK of its own to `org` (`OrgChild`,
# `child_org_id`). That FK would only cost one trigger per written row: on PostgreSQL the FK
# triggers are most of a catalog import's write time.
#
# A table that could be a child stays a root when it holds a NO ACTION tenant FK to a table the
# org's cascade reaches sooner. PostgreSQL fires cascades level by level (every org-level cascade
# first, then what those deletes cascade to, ...) and checks a NO ACTION reference when the level
# after its target's delete runs; the referencing row must be gone by then, i.e. it must be
# deleted on the target's level or earlier. So translations (NO ACTION to org_locale, a root),
# order items, instructor attributions and market locales/countries keep their own org FK.
# A nullable parent reference carries no tenant (a library lesson has no owning course): such a
# table stays a root. A NO ACTION tenant FK that is DEFERRABLE INITIALLY DEFERRED is checked at
# commit, after every cascade, and pins nothing: market prices (the largest table of a catalog)
# defer their reference to org_market and are children of their plan, one FK trigger fewer per
# price (1.2 s of a large catalog's first import on PostgreSQL); lesson placements defer
# theirs to lessons, since a course's own lessons go with the course, sooner in its cascade.
# tests/db/test_org_fks.py computes the rule from the metadata and holds every table to it.


def org_id_field(*, primary_key: bool = False) -> Any:
    """`org_id` of a root: NOT NULL, FK to org, ON DELETE CASCADE."""
    if primary_key:
        return Field(primary_key=True, foreign_key="org.id", ondelete="CASCADE")
    return Field(foreign_key="org.id", ondelete="CASCADE", nullable=False)


def child_org_id(*, primary_key: bool = False) -> Any:
    """`org_id` of a child: NOT NULL, no FK of its own (its cascading tenant FK to its parent
    carries the tenant; see the note above)."""
    if primary_key:
        return Field(primary_key=True)
    return Field(nullable=False)


class OrgOwned(Timestamps):
    """An org-owned root row: `(org_id, id)` is its primary key, `org_id` references org."""

    org_id: uuid.UUID = org_id_field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)


class OrgChild(Timestamps):
    """An org-owned child row: `(org_id, id)` is its primary key; the table must declare a
    cascading `tenant_fk` to its org-owned parent, which carries the tenant to org."""

    org_id: uuid.UUID = child_org_id(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)


class GlobalRow(Timestamps):
    """A global row (no tenant): `id` is its primary key."""

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)


def slug_field(**kwargs: Any) -> Any:
    return Field(sa_type=String(120), nullable=False, **kwargs)


def text_field(length: int = 200, *, nullable: bool = False, **kwargs: Any) -> Any:
    return Field(sa_type=String(length), nullable=nullable, **kwargs)


def flag(default: bool = False) -> Any:
    """A NOT NULL boolean with a server default (DOMAIN rule 6: no tri-state flags)."""
    return Field(
        default=default,
        nullable=False,
        sa_column_kwargs={"server_default": text("true" if default else "false")},
    )


def catalog_managed_flag() -> Any:
    """Whether the catalog manages a top-level entity (brand, market, product, collection,
    offer, promotion, instructor affiliation): set when a catalog import creates it or finds it
    in its files; entities made by commands stay unmanaged. `catalog import --prune` deletes
    only managed entities the files no longer name (`--prune-unmanaged`: the others too)."""
    return flag(False)


def metadata_field() -> Any:
    """An entity's `metadata:` mapping as JSON text (volmify_cli/metadata.py), NULL for none."""
    return Field(default=None, sa_type=Text, nullable=True)


def utc_field(*, nullable: bool = True, **kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, **kwargs)


def tenant_fk(
    columns: Sequence[str],
    table: str,
    remote: Sequence[str] = ("id",),
    *,
    ondelete: str = "CASCADE",
    deferred: bool = False,
) -> ForeignKeyConstraint:
    """A composite foreign key that always includes the tenant: (org_id, *columns).

    `ondelete` is CASCADE (a child that cannot live without its parent) or NO ACTION (the
    reference refuses the delete; checked at the end of the statement, so a cascade that removes
    both rows at once, such as deleting an organization, still works; RESTRICT would not).
    SET NULL is never used here: it would null `org_id` too.

    `deferred` (NO ACTION only): DEFERRABLE INITIALLY DEFERRED, checked when the transaction
    commits, after every cascade of the org's delete (see "Roots and children" above).
    """
    if ondelete not in ("CASCADE", "NO ACTION"):
        raise ValueError(f"ON DELETE {ondelete} is not allowed on a composite tenant key")
    if deferred and ondelete != "NO ACTION":
        raise ValueError("only a NO ACTION tenant key is deferred")
    return ForeignKeyConstraint(
        ["org_id", *columns],
        [f"{table}.org_id", *(f"{table}.{c}" for c in remote)],
        ondelete="CASCADE" if ondelete == "CASCADE" else None,
        deferrable=True if deferred else None,
        initially="DEFERRED" if deferred else None,
    )


def check(name: str, condition: str) -> CheckConstraint:
    return CheckConstraint(condition, name=name)


def one_of(column: str, values: Iterable[str] | type[StrEnum]) -> str:
    """The condition that `column` holds one of `values`, written as equalities joined by OR,
    never as `IN (...)`: SQLite builds the lookup table of an IN list anew for every row it
    checks (2 us a row, against 0.05 us for the equalities: 10% of a large sales import, whose
    every line writes five rows with such a CHECK). The two are the same condition, NULL
    included (neither refuses a NULL: NOT NULL does). Migration 0031 rewrote the old ones."""
    return " OR ".join(
        f"{column} = '{v}'" for v in (v.value if isinstance(v, StrEnum) else v for v in values)
    )


def enum_check(column: str, values: Iterable[str] | type[StrEnum]) -> CheckConstraint:
    return CheckConstraint(one_of(column, values), name=f"{column}_valid")


def share_check(column: str = "share_bp") -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0 AND {column} <= 10000", name=f"{column}_range")


def non_negative(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0", name=f"{column}_non_negative")


def unique(*columns: str) -> UniqueConstraint:
    return UniqueConstraint(*columns)


def partial_unique(name: str, *columns: str, where: str) -> Index:
    """Unique among the rows where `where` holds: a partial unique index on both databases."""
    condition = text(where)
    return Index(name, *columns, unique=True, sqlite_where=condition, postgresql_where=condition)


def one_default(table: str, *scope: str, column: str = "is_default") -> Index:
    """At most one row with the flag set per scope."""
    return partial_unique(
        shorten(f"uq_{table}_one_{column.removeprefix('is_')}"), *scope, where=column
    )


LOCALE_KEY = 35  # BCP 47 keys are short; 35 is the RFC 5646 recommended minimum buffer


def locale_field(**kwargs: Any) -> Any:
    return Field(sa_type=String(LOCALE_KEY), nullable=False, **kwargs)


def currency_field(*, nullable: bool = False) -> Any:
    return Field(sa_type=String(3), foreign_key="currency.code", nullable=nullable)


class OrgTranslation(Timestamps):
    """A translation row of an org-owned parent: keyed by (org_id, <parent>_id, locale_key).

    The locale must be one of the org's locales (composite FK to org_locale); at most one row per
    parent is the default translation (partial unique index).
    """

    org_id: uuid.UUID = org_id_field()
    locale_key: str = locale_field()
    is_default: bool = flag()


def translation_args(table: str, parent_column: str, parent_table: str) -> tuple[Any, ...]:
    return (
        PrimaryKeyConstraint("org_id", parent_column, "locale_key"),
        tenant_fk([parent_column], parent_table, ondelete="CASCADE"),
        tenant_fk(["locale_key"], "org_locale", ("locale_key",), ondelete="NO ACTION"),
        one_default(table, "org_id", parent_column),
    )


class GlobalTranslation(Timestamps):
    """A translation row of a global parent: keyed by (<parent>_id, locale_key)."""

    locale_key: str = locale_field(foreign_key="locale.key")
    is_default: bool = flag()


def global_translation_args(table: str, parent_column: str, parent_table: str) -> tuple[Any, ...]:
    return (
        PrimaryKeyConstraint(parent_column, "locale_key"),
        ForeignKeyConstraint([parent_column], [f"{parent_table}.id"], ondelete="CASCADE"),
        one_default(table, parent_column),
    )
