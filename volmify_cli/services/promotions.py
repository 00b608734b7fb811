"""Promotions: campaigns that group offers (a spring sale with a site-wide discount and a coupon
for newsletter readers), with an optional window of inclusive UTC dates."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError
from volmify_cli.models.offers import (
    OrgDiscount,
    OrgPromotion,
    OrgPromotionDiscount,
    OrgPromotionTranslation,
)
from volmify_cli.models.orgs import Org
from volmify_cli.rulebook import NAME
from volmify_cli.rules import check_slug
from volmify_cli.services import lookup
from volmify_cli.services.offer_writes import PromotionRows, promotion_document
from volmify_cli.services.translations import texts_for
from volmify_cli.windows import check_window, dates_from_window


class PromotionRead(TypedDict):
    slug: str
    name: str | None
    starts: dt.date | None
    ends: dt.date | None
    is_active: bool
    offers: list[str]


def _read(
    session: Session, org: Org, promotions: Sequence[OrgPromotion], locale: str | None
) -> list[PromotionRead]:
    ids = [p.id for p in promotions]
    names = texts_for(
        session,
        OrgPromotionTranslation,
        org_id=org.id,
        parent_field="promotion_id",
        parent_ids=ids,
        field="name",
        locale=locale,
    )
    offers: dict[uuid.UUID, list[str]] = {}
    if ids:
        for promotion_id, slug in session.exec(
            select(OrgPromotionDiscount.promotion_id, OrgDiscount.slug)
            .join(
                OrgDiscount,
                (col(OrgDiscount.org_id) == col(OrgPromotionDiscount.org_id))
                & (col(OrgDiscount.id) == col(OrgPromotionDiscount.discount_id)),
            )
            .where(
                OrgPromotionDiscount.org_id == org.id,
                col(OrgPromotionDiscount.promotion_id).in_(ids),
            )
            .order_by(col(OrgDiscount.slug))
        ):
            offers.setdefault(promotion_id, []).append(slug)
    result = []
    for p in promotions:
        starts, ends = dates_from_window(p.starts_at, p.ends_at)
        result.append(
            PromotionRead(
                slug=p.slug,
                name=names.get(p.id),
                starts=starts,
                ends=ends,
                is_active=p.is_active,
                offers=offers.get(p.id, []),
            )
        )
    return result


def create_promotion(
    session: Session,
    *,
    org: str,
    slug: str,
    name: str,
    offers: Sequence[str] = (),
    starts: dt.date | None = None,
    ends: dt.date | None = None,
) -> PromotionRead:
    """Create a promotion grouping offers. Raises RuleError (bad slug, empty name, a window
    ending before it starts), NotFoundError (an offer not in the org), ConflictError (slug
    taken)."""
    the_org = lookup.get_org(session, org)
    check_slug(slug, "promotion slug")
    text = NAME.check(name)
    check_window(starts, ends)
    chosen = {s: lookup.get_offer(session, the_org, s).id for s in dict.fromkeys(offers)}
    rows = PromotionRows(session, the_org, slug)
    if rows.row_id is not None:
        raise ConflictError(f"promotion {slug!r} already exists in org {the_org.slug}")
    doc = promotion_document(
        slug=slug,
        name={the_org.default_locale_key: text},
        offers=list(chosen),
        starts=starts,
        ends=ends,
    )
    rows.write(doc, chosen)
    return _read(session, the_org, [lookup.get_promotion(session, the_org, slug)], None)[0]


def list_promotions(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> list[PromotionRead]:
    """The org's promotions by slug, all at once (see `iter_promotions`)."""
    return list(iter_promotions(session, org=org, locale=locale, limit=limit))


READ_BATCH = 1000  # promotions per fetch: each batch's names and offers in a few queries


def iter_promotions(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> Iterator[PromotionRead]:
    """The org's promotions by slug, streamed from the database in batches (`limit + 1` of
    them with a limit). Raises NotFoundError (before the first row)."""
    the_org = lookup.get_org(session, org)
    query = (
        select(OrgPromotion)
        .where(OrgPromotion.org_id == the_org.id)
        .order_by(col(OrgPromotion.slug))
    )
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (read for batch in found.partitions() for read in _read(session, the_org, batch, locale))


def show_promotion(
    session: Session, *, org: str, slug: str, locale: str | None = None
) -> PromotionRead:
    the_org = lookup.get_org(session, org)
    return _read(session, the_org, [lookup.get_promotion(session, the_org, slug)], locale)[0]


def delete_promotion(session: Session, *, org: str, slug: str) -> None:
    """Delete a promotion; its offers stay."""
    the_org = lookup.get_org(session, org)
    lookup.get_promotion(session, the_org, slug)
    PromotionRows(session, the_org, slug).delete()
