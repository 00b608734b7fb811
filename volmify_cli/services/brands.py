"""Brands of an organization, with their name and description translated per org locale."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.models.orgs import Org, OrgBrand, OrgBrandTranslation
from volmify_cli.rulebook import DESCRIPTION, NAME
from volmify_cli.rules import check_slug
from volmify_cli.services.brand_writes import BrandRows, brand_document
from volmify_cli.services.lookup import get_brand, get_org
from volmify_cli.services.seo import SeoChange, SeoRead, changed_seo, check_seo_change, seo_of
from volmify_cli.services.sync.seo import BRAND as BRAND_SEO
from volmify_cli.services.sync.texts import text_map
from volmify_cli.translation_choice import choose_translation


class BrandText(TypedDict):
    name: str
    description: str | None


class BrandRead(TypedDict):
    slug: str
    name: str | None
    description: str | None
    is_active: bool
    created_at: dt.datetime


class BrandDetail(BrandRead):
    translations: dict[str, BrandText]
    seo: SeoRead


def _translations(
    session: Session, org: Org, brand_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, OrgBrandTranslation]]:
    grouped: dict[uuid.UUID, dict[str, OrgBrandTranslation]] = {bid: {} for bid in brand_ids}
    if brand_ids:
        query = select(OrgBrandTranslation).where(
            OrgBrandTranslation.org_id == org.id,
            col(OrgBrandTranslation.brand_id).in_(brand_ids),
        )
        for row in session.exec(query):
            grouped[row.brand_id][row.locale_key] = row
    return grouped


def _read(brand: OrgBrand, texts: dict[str, OrgBrandTranslation], locale: str | None) -> BrandRead:
    chosen = choose_translation(texts, locale)
    return BrandRead(
        slug=brand.slug,
        name=chosen.name if chosen is not None else None,
        description=chosen.description if chosen is not None else None,
        is_active=brand.is_active,
        created_at=brand.created_at,
    )


def _detail(session: Session, org: Org, brand: OrgBrand, locale: str | None) -> BrandDetail:
    texts = _translations(session, org, [brand.id])[brand.id]
    ordered = sorted(texts.values(), key=lambda row: (not row.is_default, row.locale_key))
    return BrandDetail(
        **_read(brand, texts, locale),
        translations={
            row.locale_key: BrandText(name=row.name, description=row.description) for row in ordered
        },
        seo=seo_of(session, org, BRAND_SEO, brand.id),
    )


def list_brands(
    session: Session, *, org_slug: str, locale: str | None = None, limit: int | None = None
) -> list[BrandRead]:
    """The org's brands by slug, all at once (see `iter_brands`)."""
    return list(iter_brands(session, org_slug=org_slug, locale=locale, limit=limit))


READ_BATCH = 1000  # brands per fetch: each batch's translations in one query


def iter_brands(
    session: Session, *, org_slug: str, locale: str | None = None, limit: int | None = None
) -> Iterator[BrandRead]:
    """The org's brands by slug, named in `locale` (falling back to the default translation),
    streamed from the database in batches (`limit + 1` of them with a limit). Raises
    NotFoundError for an unknown org (before the first row)."""
    org = get_org(session, org_slug)
    query = select(OrgBrand).where(OrgBrand.org_id == org.id).order_by(col(OrgBrand.slug))
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (
        read for batch in found.partitions() for read in _brand_rows(session, org, batch, locale)
    )


def _brand_rows(
    session: Session, org: Org, brands: Sequence[OrgBrand], locale: str | None
) -> list[BrandRead]:
    texts = _translations(session, org, [brand.id for brand in brands])
    return [_read(brand, texts[brand.id], locale) for brand in brands]


def show_brand(
    session: Session, *, org_slug: str, slug: str, locale: str | None = None
) -> BrandDetail:
    """Raises NotFoundError ("brand 'x' not found in org acme")."""
    org = get_org(session, org_slug)
    return _detail(session, org, get_brand(session, org, slug), locale)


def _text_locale(session: Session, org: Org, locale: str | None) -> str:
    from volmify_cli.services.org_locales import require_org_locales

    return require_org_locales(session, org, [locale or org.default_locale_key])[0]


def _description(text: str | None) -> str | None:
    """Free text (tabs and line breaks allowed, no other control character), as long as a
    file's description may be; empty clears it."""
    return DESCRIPTION.check(text, required=False) or None if text is not None else None


def _texts(
    rows: BrandRows, locale: str, name: str | None, description: str | None
) -> dict[str, Any]:
    """The brand's names and descriptions by locale with those of `locale` set (an empty
    description removes that locale's): the document's `name` and `description`."""
    doc = rows.doc
    names = text_map(doc.name, locale) if doc is not None else {}
    descriptions = text_map(doc.description, locale) if doc is not None else {}
    if locale not in names and name is None:
        raise RuleError(f"brand {rows.slug!r} has no text in {locale} yet", "pass --name as well")
    if name is not None:
        names[locale] = NAME.check(name)
    if description is not None:
        text = _description(description)
        if text is None:
            descriptions.pop(locale, None)
        else:
            descriptions[locale] = text
    return {"name": names, "description": descriptions or None}


def create_brand(
    session: Session,
    *,
    org_slug: str,
    slug: str,
    name: str,
    description: str | None = None,
    locale: str | None = None,
) -> BrandDetail:
    """Create a brand with its name (and description) in `locale` (default: the org's default
    locale). Raises NotFoundError, RuleError (slug, name, a locale the org does not have),
    LocaleError, ConflictError (slug taken in this org)."""
    org = get_org(session, org_slug)
    check_slug(slug, "brand slug")
    name = NAME.check(name)
    text_locale = _text_locale(session, org, locale)
    rows = BrandRows(session, org, slug)
    if rows.doc is not None:
        raise ConflictError(f"brand {slug!r} already exists in org {org.slug}")
    rows.write(brand_document(slug=slug, **_texts(rows, text_locale, name, description)))
    return _detail(session, org, get_brand(session, org, slug), text_locale)


def update_brand(
    session: Session,
    *,
    org_slug: str,
    slug: str,
    name: str | None = None,
    description: str | None = None,
    locale: str | None = None,
    active: bool | None = None,
    seo: SeoChange | None = None,
) -> BrandDetail:
    """Change a brand's name/description and SEO in `locale` (default: the org's default
    locale; a new translation needs a name) and its active flag. Raises NotFoundError,
    RuleError, LocaleError, ConflictError (SEO in a locale the brand has no name in)."""
    org = get_org(session, org_slug)
    get_brand(session, org, slug)
    text_locale = _text_locale(session, org, locale)
    rows = BrandRows(session, org, slug)
    assert rows.doc is not None
    doc = rows.doc
    if name is not None or description is not None:
        doc = doc.model_copy(update=_texts(rows, text_locale, name, description))
    if seo:
        change = check_seo_change(seo)
        doc = doc.model_copy(update={"seo": changed_seo(
            session, org, what="brand", slug=slug, primary=doc.name, seo=doc.seo,
            locale=locale, change=change,
        )})  # fmt: skip
    if active is not None:
        rows.active = (active,)
    rows.write(doc)
    return _detail(session, org, get_brand(session, org, slug), text_locale)


def delete_brand(session: Session, *, org_slug: str, slug: str) -> dict[str, int]:
    """Delete a brand with its translations and product attributions; returns how many rows
    went with it, per table. Raises NotFoundError, ConflictError (markets deploy it, or revenue
    was allocated to it)."""
    from volmify_cli.services.references import describe_counts, referencing_counts

    org = get_org(session, org_slug)
    brand = get_brand(session, org, slug)
    key = {"org_id": org.id, "id": brand.id}
    blocking = referencing_counts(session, table="org_brand", key=key, cascade=False)
    if blocking:
        raise ConflictError(
            f"brand {slug!r} is used by {describe_counts(blocking)} in org {org.slug}",
            "remove it from those markets first; a brand that earned revenue cannot be deleted",
        )
    from volmify_cli.services.contacts import drop_unlinked, org_contact_ids

    removed = referencing_counts(session, table="org_brand", key=key, cascade=True)
    contacts = org_contact_ids(session, org.id)  # global rows: the cascade leaves them
    BrandRows(session, org, slug).delete()
    drop_unlinked(session, contacts)
    return removed
