"""Names for report rows, and the org and creator (an instructor or a brand) a report is about,
read with plain SQL through the report's driver connection (no ORM models, no SQLAlchemy:
start-up time, SPEC 7)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from volmify_cli.db.direct import DirectReader
from volmify_cli.enums import ProfileType, RecipientKind
from volmify_cli.errors import NotFoundError, UsageError
from volmify_cli.rules import check_line
from volmify_cli.translation_choice import choose_translation


@dataclass(frozen=True)
class OrgRef:
    id: Any  # as the driver gives it (see volmify_cli.db.direct)
    slug: str
    name: str
    timezone: str = "UTC"  # its days: report periods, months, closed periods


class Translation(NamedTuple):
    locale_key: str
    is_default: bool
    text: str | None


def find_org(reader: DirectReader, slug: str) -> OrgRef:
    """Raises NotFoundError (the same message as the org lookups), RuleError (a slug holding a
    control character, as `services.lookup`)."""
    check_line(slug)
    row = reader.first("SELECT id, name, timezone FROM org WHERE slug = ?", [slug])
    if row is None:
        raise NotFoundError(f"organization {slug!r} not found", "see `volmify orgs list`")
    return OrgRef(row[0], slug, row[1], row[2])


def find_instructor(reader: DirectReader, slug: str) -> tuple[Any, str]:
    """The id and display name of an instructor profile. Raises NotFoundError, RuleError."""
    check_line(slug)
    row = reader.first(
        "SELECT id, display_name FROM user_profile WHERE slug = ? AND type = ?",
        [slug, ProfileType.INSTRUCTOR.value],
    )
    if row is None:
        raise NotFoundError(f"instructor {slug!r} not found", "see `volmify instructors list`")
    return row[0], row[1]


CREATORS = (RecipientKind.INSTRUCTOR.value, RecipientKind.BRAND.value)


class Creator(NamedTuple):
    """An instructor (profile id) or a brand (brand id) of one org."""

    kind: str
    profile_id: Any
    brand_id: Any
    slug: str
    name: str

    @property
    def column(self) -> str:
        """The column of a split, payout or running total that names this creator."""
        return "profile_id" if self.kind == RecipientKind.INSTRUCTOR.value else "brand_id"

    @property
    def id(self) -> Any:
        return self.profile_id if self.kind == RecipientKind.INSTRUCTOR.value else self.brand_id

    @property
    def key(self) -> tuple[str, Any, Any]:
        """(kind, profile id, brand id): how a split, payout or running total names it."""
        return self.kind, self.profile_id, self.brand_id


def find_creator(
    reader: DirectReader,
    org: OrgRef,
    name: str,
    locale: str | None = None,
    *,
    instructor_first: bool = False,
) -> Creator:
    """An instructor (by its global slug) or one of the org's brands (named in `locale`).
    `instructor:SLUG` or `brand:SLUG` says which when a brand and an instructor share a slug;
    a bare SLUG they share is an error, or with `instructor_first` the instructor (what the
    reports and statements named before they took brands: a script keeps its meaning).
    Raises NotFoundError, UsageError (ambiguous), RuleError (a control character)."""
    check_line(name)
    kind, _, slug = name.partition(":") if ":" in name else ("", "", name)
    if kind not in ("", *CREATORS):
        raise UsageError(f"{name!r}: write SLUG, instructor:SLUG or brand:SLUG")
    found: list[Creator] = []
    if kind in ("", RecipientKind.INSTRUCTOR.value):
        row = reader.first(
            "SELECT id, display_name FROM user_profile WHERE slug = ? AND type = ?",
            [slug, ProfileType.INSTRUCTOR.value],
        )
        if row is not None:
            found.append(Creator(RecipientKind.INSTRUCTOR.value, row[0], None, slug, row[1]))
    if kind in ("", RecipientKind.BRAND.value):
        row = reader.first("SELECT id FROM org_brand WHERE org_id = ? AND slug = ?", [org.id, slug])
        if row is not None:
            label = brand_names(reader, org, [row[0]], locale)[row[0]][1]
            found.append(Creator(RecipientKind.BRAND.value, None, row[0], slug, label))
    if not found:
        raise NotFoundError(
            f"no instructor or brand {slug!r} in org {org.slug}",
            "see `volmify instructors list` and `volmify orgs brands list`",
        )
    if len(found) > 1 and not instructor_first:
        raise UsageError(
            f"{slug!r} is both an instructor and a brand of org {org.slug}",
            f"write instructor:{slug} or brand:{slug}",
        )
    return found[0]


def profile_names(reader: DirectReader, ids: Iterable[Any]) -> dict[Any, tuple[str, str]]:
    rows = reader.rows_in(
        "SELECT id, slug, display_name FROM user_profile WHERE id IN ({})", [], ids
    )
    return {pid: (slug, name) for pid, slug, name in rows}


class _Named(NamedTuple):
    """Org-owned rows with a slug and a translated name: their table, the translation table,
    its column naming the parent row, and the translated field."""

    table: str
    texts: str
    parent: str
    field: str


BRANDS = _Named("org_brand", "org_brand_translation", "brand_id", "name")
PRODUCTS = _Named("org_product", "org_product_translation", "product_id", "title")
MARKETS = _Named("org_market", "org_market_translation", "market_id", "name")


def _names(
    reader: DirectReader, org: OrgRef | None, ids: Iterable[Any], named: _Named, locale: str | None
) -> dict[Any, tuple[str, str]]:
    """Slug and translated name of org-owned rows (in `locale`, with the usual fallback)."""
    wanted = list(ids)
    if not wanted or org is None:
        return {}
    table, texts, parent, field = named
    slugs = reader.rows_in(
        f"SELECT id, slug FROM {table} WHERE org_id = ? AND id IN ({{}})", [org.id], wanted
    )
    found: dict[Any, dict[str, Translation]] = {}
    for rid, locale_key, is_default, text in reader.rows_in(
        f"SELECT {parent}, locale_key, is_default, {field} FROM {texts}"
        f" WHERE org_id = ? AND {parent} IN ({{}})",
        [org.id],
        wanted,
    ):
        found.setdefault(rid, {})[locale_key] = Translation(locale_key, bool(is_default), text)
    names = {}
    for rid, slug in slugs:
        chosen = choose_translation(found.get(rid, {}), locale)
        names[rid] = (slug, (chosen.text if chosen is not None else None) or slug)
    return names


def month_label(month: str, locale: str | None) -> str:
    """`2026-03` as `March 2026` in the display locale (English without loading babel)."""
    year, number = int(month[:4]), int(month[5:7])
    if locale is None or locale.split("-")[0] == "en":
        import calendar

        return f"{calendar.month_name[number]} {year}"
    from volmify_cli.l10n import format_month

    return format_month(year, number, locale)


def brand_names(
    reader: DirectReader, org: OrgRef | None, ids: Iterable[Any], locale: str | None
) -> dict[Any, tuple[str, str]]:
    return _names(reader, org, ids, BRANDS, locale)


def product_names(
    reader: DirectReader, org: OrgRef | None, ids: Iterable[Any], locale: str | None
) -> dict[Any, tuple[str, str]]:
    return _names(reader, org, ids, PRODUCTS, locale)


def market_names(
    reader: DirectReader, org: OrgRef | None, ids: Iterable[Any], locale: str | None
) -> dict[Any, tuple[str, str]]:
    return _names(reader, org, ids, MARKETS, locale)
