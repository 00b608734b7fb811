"""SEO metadata of products, brands and collections on the command line (issue 21).

The `--seo-*` options of `products update`, `orgs brands update` and `collections update`
become a `SeoChange`, checked by the rule book's SEO rules (the ones a catalog's `seo:` keys
are checked by); `seo_with` applies it to the entity's document (`seo:` by locale), which the
command's writer hands to the catalog's sync like any other field (`sync/seo.py`). `show`
reads an entity's SEO with `seo_of`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from sqlmodel import Session

from volmify_cli import rulebook as rb
from volmify_cli.db.bulk import Bulk
from volmify_cli.errors import ConflictError
from volmify_cli.inputs.seo_schema import SEO_FIELDS, SeoDoc, seo_document
from volmify_cli.models.orgs import Org
from volmify_cli.services import lookup
from volmify_cli.services.sync.seo import Owner, read_seo
from volmify_cli.services.sync.texts import text_map

SeoRead = dict[str, dict[str, str | None]]  # locale -> field -> value


@dataclass(frozen=True)
class SeoChange:
    """What a command sets of one translation's SEO: a value sets a field, an empty text
    clears it, None leaves it; `clear` removes all of it first."""

    title: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    robots: str | None = None
    image: str | None = None
    clear: bool = False

    def __bool__(self) -> bool:
        return self.clear or any(getattr(self, name) is not None for name in SEO_FIELDS)


def check_seo_change(change: SeoChange) -> SeoChange:
    """The change with each value checked (and kept as stored) by its rule. Raises
    RuleError."""
    checks: dict[str, Callable[[str], str]] = {
        "title": rb.SEO_TITLE.check,
        "description": rb.SEO_DESCRIPTION.check,
        "canonical_url": lambda v: rb.check_seo_url(rb.SEO_CANONICAL_URL, v),
        "robots": rb.check_robots,
        "image": lambda v: rb.check_seo_url(rb.SEO_IMAGE, v),
    }
    values: dict[str, Any] = {}
    for item in fields(change):
        value = getattr(change, item.name)
        if item.name in checks and isinstance(value, str) and value.strip():
            value = checks[item.name](value)
        elif isinstance(value, str):
            value = ""  # blank: clears the field
        values[item.name] = value
    return SeoChange(**values)


def seo_with(
    seo: Mapping[Any, SeoDoc] | None, locale: str, change: SeoChange
) -> dict[str, SeoDoc] | None:
    """An entity's `seo:` with `change` made to the SEO of `locale` (none left: no entry)."""
    current = {str(key): doc for key, doc in (seo or {}).items()}
    found = current.get(locale)
    values: dict[str, str | None] = {}
    if found is not None and not change.clear:
        values = dict(zip(SEO_FIELDS, found.values(), strict=True))
    for name in SEO_FIELDS:
        value = getattr(change, name)
        if value is not None:
            values[name] = value or None
    if any(values.values()):
        current[locale] = seo_document(values)
    else:
        current.pop(locale, None)
    return current or None


def changed_seo(
    session: Session,
    org: Org,
    *,
    what: str,
    slug: str,
    primary: Any,
    seo: Mapping[Any, SeoDoc] | None,
    locale: str | None,
    change: SeoChange,
) -> dict[str, SeoDoc] | None:
    """The entity's `seo:` with a command's checked `change` made in `locale` (default: the
    org's default locale). `primary`: the entity's title or name (TEXT), whose locales are its
    translations. Raises NotFoundError (a locale the org lacks), ConflictError (the entity
    has no translation in it)."""
    key = lookup.get_content_locale(session, org, locale)
    if key not in text_map(primary, org.default_locale_key):
        text = "title" if what == "product" else "name"
        raise ConflictError(
            f"{what} {slug!r} has no translation in {key} (SEO belongs to a translation)",
            f"give it a {text} in {key} first (--{text} ... --locale {key})",
        )
    return seo_with(seo, key, change)


def seo_of(session: Session, org: Org, owner: Owner, parent_id: Any) -> SeoRead:
    """One entity's SEO by locale, for `show`."""
    db = Bulk(session)
    hex_id = parent_id.hex if hasattr(parent_id, "hex") else str(parent_id)
    found = read_seo(db, org.id.hex, owner, hex_id).get(hex_id, {})
    return {
        locale: dict(zip(SEO_FIELDS, values, strict=True))
        for locale, (_id, values) in sorted(found.items())
    }
