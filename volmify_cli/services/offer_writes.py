"""One offer with its targets and coupons, read and written by `offers create/update/delete`
and `offers coupons add/remove` through the catalog's own path: the offer is read into the
catalog reader's input (`OfferDoc`: value, window, limit, names, targets as addresses, coupons),
changed as asked, and handed to the catalog's sync (`sync.offers.sync_offers`) and the one bulk
writer. Only that offer's rows are read. `offers promotions create/delete` likewise, with
`PromotionDoc` and `sync.offers.sync_promotions`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from volmify_cli.enums import DiscountDuration, DiscountType
from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.catalog_schema import CouponDoc, OfferDoc, PromotionDoc
from volmify_cli.models.orgs import Org
from volmify_cli.money import format_amount
from volmify_cli.services.offer_targets import TargetIds, target_addresses
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.commands import EntityRows
from volmify_cli.services.sync.offers import TARGETS, sync_offers, sync_promotions
from volmify_cli.services.sync.texts import stored_text
from volmify_cli.windows import end_date, start_date

_OWN = (
    *(table for _field, table, _kind in TARGETS),
    t.DISCOUNT_AMOUNT,
    t.DISCOUNT_TR,
    t.COUPON,
)
_WRITTEN = tuple(table for table in t.ORDER if table is t.DISCOUNT or table in _OWN)


class OfferRows(EntityRows):
    """One offer of the org as the catalog reader would have it, and its rewrite."""

    table, parent_column = t.DISCOUNT, "discount_id"

    def __init__(self, session: Session, org: Org, slug: str) -> None:
        super().__init__(session, org, slug)
        self.ctx = self.context(_OWN)
        self.amounts: dict[str, int] = {}  # a fixed-amount offer's: currency -> minor units
        self.doc = self._read(self.row_id) if self.row_id is not None else None

    def _read(self, offer_id: str) -> OfferDoc:
        ctx = self.ctx
        found = ctx.rows(t.DISCOUNT).existing[(self.slug,)][1]
        kind, percent, duration, periods, starts, ends, limit, active = found
        amounts = ctx.rows(t.DISCOUNT_AMOUNT)
        self.amounts = {
            key[1]: amounts.existing[key][1][0] for key in amounts.children_of((offer_id,))
        }
        stored = TargetIds()
        for field, table, _kind in TARGETS:
            keys = ctx.rows(table).children_of((offer_id,))
            stored.of(field).update(uuid.UUID(hex=key[1]) for key in keys)
        targets = self.know(stored)
        coupons = ctx.rows(t.COUPON)
        return offer_document(
            slug=self.slug,
            name=stored_text(ctx.rows(t.DISCOUNT_TR), offer_id) or None,
            type=DiscountType(kind),
            percent=percent,
            amounts=amount_texts(self.amounts) if kind == DiscountType.FIXED_AMOUNT else None,
            applies=DiscountDuration(duration),
            periods=periods,
            starts=start_date(starts),
            ends=end_date(ends),
            usage_limit=limit,
            active=bool(active),
            **targets,
            coupons=[
                coupon_document(
                    code=data[1],
                    usage_limit=data[2],
                    starts=start_date(data[3]),
                    ends=end_date(data[4]),
                )
                for _key, (_id, data) in sorted(coupons.existing.items())
            ],
        )

    def know(self, targets: TargetIds) -> dict[str, list[str]]:
        """The addresses of `targets` by document field (`products`, `plans`, ...), sorted;
        the sync learns their ids."""
        addresses = target_addresses(self.session, self.org.id, targets)
        fields: dict[str, list[str]] = {}
        for field, _table, kind in TARGETS:
            ids = self.ctx.id_map(kind)
            for target_id, address in addresses[field].items():
                ids[_key(kind, address)] = target_id.hex
            fields[field] = sorted(addresses[field].values())
        return fields

    def write(self, doc: OfferDoc, amounts: Mapping[str, int] | None = None) -> None:
        """Make the offer what `doc` says (`amounts`: a fixed-amount offer's new amounts,
        currency -> minor units; None keeps the stored ones); only what differs from the
        stored rows is written."""
        self.doc, ctx = doc, self.ctx
        if amounts is not None:
            self.amounts = dict(amounts)
        ctx.catalog.offer_amounts[self.slug] = (
            self.amounts if doc.type is DiscountType.FIXED_AMOUNT else {}
        )
        ctx.catalog.offers = {self.slug: Entry("", "", doc)}
        sync_offers(ctx)
        self.write_tables(_WRITTEN)


class PromotionRows(EntityRows):
    """A promotion of the org (created or deleted by a command: it is not read back)."""

    table, parent_column = t.PROMOTION, "promotion_id"

    def __init__(self, session: Session, org: Org, slug: str) -> None:
        super().__init__(session, org, slug)
        self.ctx = self.context()

    def write(self, doc: PromotionDoc, offers: Mapping[str, uuid.UUID]) -> None:
        """Write the promotion `doc` says; `offers`: the ids of the offers it groups."""
        ctx = self.ctx
        ctx.id_map("offer").update({slug: offer_id.hex for slug, offer_id in offers.items()})
        ctx.catalog.promotions = {self.slug: Entry("", "", doc)}
        sync_promotions(ctx)
        self.write_tables((t.PROMOTION, t.PROMOTION_TR, t.PROMOTION_DISCOUNT))


def promotion_document(**fields: Any) -> PromotionDoc:
    return PromotionDoc.model_construct(**fields)


def _key(kind: str, address: str) -> Any:
    """The sync's key of a target address (`PRODUCT/VARIANT/PLAN` as a tuple)."""
    return tuple(address.split("/")) if kind in ("variant", "plan") else address


def amount_texts(amounts: Mapping[str, int]) -> dict[str, str]:
    """A fixed-amount offer's amounts as a document writes them: currency -> decimal text,
    by currency code."""
    return {code: format_amount(amounts[code], code) for code in sorted(amounts)}


def offer_document(**fields: Any) -> OfferDoc:
    """An offer's document from values already checked against the rules (by a command, or
    stored): built without validation, and without a position in a file."""
    return OfferDoc.model_construct(**fields)


def coupon_document(**fields: Any) -> CouponDoc:
    return CouponDoc.model_construct(**fields)


def with_coupons(doc: OfferDoc, coupons: Mapping[str, CouponDoc]) -> OfferDoc:
    """The offer's document with its coupons replaced by `coupons` (by normalized code)."""
    return doc.model_copy(update={"coupons": [coupons[code] for code in sorted(coupons)]})
