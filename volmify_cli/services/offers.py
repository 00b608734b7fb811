"""Offers (discounts): a percentage or a fixed amount (one per currency), a window of inclusive
UTC dates, an optional usage limit, targets, and coupons. An offer without coupons is automatic
(it applies to everyone in its window); a coupon makes it redeemable by code."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from volmify_cli.enums import DiscountDuration, DiscountType, enum_value
from volmify_cli.errors import ConflictError, UsageError
from volmify_cli.models.offers import (
    OrgCoupon,
    OrgDiscount,
    OrgDiscountTranslation,
    OrgPromotion,
    OrgPromotionDiscount,
)
from volmify_cli.models.orgs import Org
from volmify_cli.money import format_percent
from volmify_cli.rulebook import NAME, OFFER_PERCENT, PERIODS, USAGE_LIMIT
from volmify_cli.rules import check_slug
from volmify_cli.services import history, lookup
from volmify_cli.services.coupons import CouponInput, new_coupons
from volmify_cli.services.offer_amounts import (
    AMOUNT_FORMS,
    OfferAmountRead,
    amounts_from_options,
    amounts_read,
    changed_amounts,
    load_amounts,
)
from volmify_cli.services.offer_targets import (
    TargetsRead,
    load_targets,
    read_targets,
    resolve_targets,
)
from volmify_cli.services.offer_writes import (
    OfferRows,
    amount_texts,
    offer_document,
    with_coupons,
)
from volmify_cli.services.sync.texts import text_map
from volmify_cli.services.translations import texts_for
from volmify_cli.windows import check_window, dates_from_window


class OfferRead(TypedDict):
    slug: str
    name: str | None
    type: str
    percent_bp: int | None
    percent: str | None
    # the one amount of a fixed-amount offer in a single currency; None with several
    amount_minor: int | None
    amount: str | None
    currency: str | None
    amounts: list[OfferAmountRead]  # a fixed-amount offer's, by currency code
    duration: str
    periods: int | None
    starts: dt.date | None
    ends: dt.date | None
    usage_limit: int | None
    redemptions: int
    is_active: bool
    automatic: bool
    coupons: list[str]
    targets: TargetsRead
    promotions: list[str]


def read_offers(
    session: Session, org: Org, offers: Sequence[OrgDiscount], locale: str | None = None
) -> list[OfferRead]:
    """Offers with their coupons, targets, promotions and redemption counts (batched)."""
    ids = [o.id for o in offers]
    names = texts_for(
        session,
        OrgDiscountTranslation,
        org_id=org.id,
        parent_field="discount_id",
        parent_ids=ids,
        field="name",
        locale=locale,
    )
    coupons: dict[uuid.UUID, list[str]] = {}
    promotions: dict[uuid.UUID, list[str]] = {}
    if ids:
        for offer_id, code in session.exec(
            select(OrgCoupon.discount_id, OrgCoupon.code)
            .where(OrgCoupon.org_id == org.id, col(OrgCoupon.discount_id).in_(ids))
            .order_by(col(OrgCoupon.code_normalized))
        ):
            coupons.setdefault(offer_id, []).append(code)
        for offer_id, slug in session.exec(
            select(OrgPromotionDiscount.discount_id, OrgPromotion.slug)
            .join(
                OrgPromotion,
                (col(OrgPromotion.org_id) == col(OrgPromotionDiscount.org_id))
                & (col(OrgPromotion.id) == col(OrgPromotionDiscount.promotion_id)),
            )
            .where(
                OrgPromotionDiscount.org_id == org.id,
                col(OrgPromotionDiscount.discount_id).in_(ids),
            )
            .order_by(col(OrgPromotion.slug))
        ):
            promotions.setdefault(offer_id, []).append(slug)
    targets = read_targets(session, org.id, load_targets(session, org.id, ids))
    used = history.redemptions_by_offer(session, org.id, ids)
    amounts = load_amounts(session, org.id, ids)
    result = []
    for o in offers:
        starts, ends = dates_from_window(o.starts_at, o.ends_at)
        shown = amounts_read(amounts.get(o.id, {}))
        one = shown[0] if len(shown) == 1 else None
        result.append(
            OfferRead(
                slug=o.slug,
                name=names.get(o.id),
                type=o.type,
                percent_bp=o.percent_bp,
                percent=format_percent(o.percent_bp) if o.percent_bp is not None else None,
                amount_minor=one["amount_minor"] if one else None,
                amount=one["amount"] if one else None,
                currency=one["currency"] if one else None,
                amounts=shown,
                duration=o.duration,
                periods=o.duration_periods,
                starts=starts,
                ends=ends,
                usage_limit=o.usage_limit,
                redemptions=used.get(o.id, 0),
                is_active=o.is_active,
                automatic=not coupons.get(o.id),
                coupons=coupons.get(o.id, []),
                targets=targets[o.id],
                promotions=promotions.get(o.id, []),
            )
        )
    return result


def _value(
    kind: DiscountType, percent: str | None, amounts: Sequence[str], currency: str | None
) -> tuple[int | None, dict[str, int]]:
    """(percent_bp, amounts by currency) of an offer. Raises UsageError for options of the
    other type or a fixed amount without a currency, RuleError for a value it cannot use."""
    if kind is DiscountType.PERCENTAGE:
        if amounts or currency is not None:
            raise UsageError("a percentage offer takes --percent, not --amount/--currency")
        if percent is None:
            raise UsageError("a percentage offer needs --percent PCT")
        return OFFER_PERCENT.parse(percent), {}
    if percent is not None:
        raise UsageError("a fixed-amount offer takes --amount, not --percent")
    if not amounts:
        raise UsageError(f"a fixed-amount offer needs {AMOUNT_FORMS}")
    return None, amounts_from_options(amounts, currency)


def _written(amount: str | Sequence[str] | None) -> list[str]:
    """`--amount` as given: one text, or each of several."""
    if amount is None:
        return []
    return [amount] if isinstance(amount, str) else list(amount)


def _periods(duration: DiscountDuration, periods: int | None) -> int | None:
    if duration is DiscountDuration.REPEATING:
        if periods is None:
            raise UsageError("--duration repeating needs --periods N")
        return PERIODS.check(periods)
    if periods is not None:
        raise UsageError("--periods applies to --duration repeating only")
    return None


def create_offer(
    session: Session,
    *,
    org: str,
    slug: str,
    type: DiscountType | str,
    percent: str | None = None,
    amount: str | Sequence[str] | None = None,
    currency: str | None = None,
    starts: dt.date | None = None,
    ends: dt.date | None = None,
    products: Sequence[str] = (),
    variants: Sequence[str] = (),
    plans: Sequence[str] = (),
    collections: Sequence[str] = (),
    markets: Sequence[str] = (),
    coupons: Sequence[CouponInput] = (),
    usage_limit: int | None = None,
    duration: DiscountDuration | str = DiscountDuration.ONCE,
    periods: int | None = None,
    name: str | None = None,
    active: bool = True,
) -> OfferRead:
    """Create an offer with its targets and coupons. A fixed amount is `amount` as
    `AMOUNT:CURRENCY`, once per currency, or one `AMOUNT` with `currency`. Raises UsageError
    (options of the other type, an amount without a currency or two in one currency),
    RuleError (bad slug or currency, window ending before it starts, values out of range),
    NotFoundError (a target or market not in the org), ConflictError (slug or a coupon code
    taken)."""
    the_org = lookup.get_org(session, org)
    check_slug(slug, "offer slug")
    kind = enum_value(DiscountType, type, "offer type")
    percent_bp, amounts = _value(kind, percent, _written(amount), currency)
    how_long = enum_value(DiscountDuration, duration, "duration")
    n_periods = _periods(how_long, periods)
    if usage_limit is not None:
        USAGE_LIMIT.check(usage_limit)
    check_window(starts, ends)
    targets = resolve_targets(
        session,
        the_org,
        products=products,
        variants=variants,
        plans=plans,
        collections=collections,
        markets=markets,
    )
    rows = OfferRows(session, the_org, slug)
    if rows.doc is not None:
        raise ConflictError(f"offer {slug!r} already exists in org {the_org.slug}")
    added = new_coupons(session, the_org, coupons)
    doc = offer_document(
        slug=slug,
        name={the_org.default_locale_key: NAME.check(name)} if name is not None else None,
        type=kind,
        percent=percent_bp,
        amounts=amount_texts(amounts) if kind is DiscountType.FIXED_AMOUNT else None,
        applies=how_long,
        periods=n_periods,
        starts=starts,
        ends=ends,
        usage_limit=usage_limit,
        active=active,
        **rows.know(targets),
        coupons=[],
    )
    rows.write(with_coupons(doc, added), amounts)
    return read_offers(session, the_org, [lookup.get_offer(session, the_org, slug)])[0]


def list_offers(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> list[OfferRead]:
    """The org's offers by slug, all at once (see `iter_offers`)."""
    return list(iter_offers(session, org=org, locale=locale, limit=limit))


READ_BATCH = 1000  # offers per fetch: each batch's amounts, targets and coupons in a few queries


def iter_offers(
    session: Session, *, org: str, locale: str | None = None, limit: int | None = None
) -> Iterator[OfferRead]:
    """The org's offers by slug, streamed from the database in batches (`limit + 1` of them
    with a limit). Raises NotFoundError (before the first row)."""
    the_org = lookup.get_org(session, org)
    query = (
        select(OrgDiscount).where(OrgDiscount.org_id == the_org.id).order_by(col(OrgDiscount.slug))
    )
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    batches = found.partitions()
    return (read for batch in batches for read in read_offers(session, the_org, batch, locale))


def show_offer(session: Session, *, org: str, slug: str, locale: str | None = None) -> OfferRead:
    the_org = lookup.get_org(session, org)
    return read_offers(session, the_org, [lookup.get_offer(session, the_org, slug)], locale)[0]


def update_offer(
    session: Session,
    *,
    org: str,
    slug: str,
    name: str | None = None,
    starts: dt.date | None = None,
    ends: dt.date | None = None,
    usage_limit: int | None = None,
    active: bool | None = None,
    amount: Sequence[str] = (),
    currency: str | None = None,
    remove_amounts: Sequence[str] = (),
) -> OfferRead:
    """Rename an offer, move its window (dates given replace that end of it), change its usage
    limit, (de)activate it, or change a fixed-amount offer's amounts: `amount` (as for
    `create_offer`) adds or replaces the amount in its currency, `remove_amounts` (currency
    codes) removes those. Raises NotFoundError (also: no amount in a currency to remove),
    UsageError (amounts for a percentage offer), RuleError (a value refused; no amount left)."""
    the_org = lookup.get_org(session, org)
    lookup.get_offer(session, the_org, slug)
    rows = OfferRows(session, the_org, slug)
    doc = rows.doc
    assert doc is not None
    amounts = None
    if amount or currency is not None or remove_amounts:
        if doc.type is not DiscountType.FIXED_AMOUNT:
            raise UsageError(
                f"offer {slug!r} is a percentage offer: it has no amounts",
                "--amount and --remove-amount change a fixed-amount offer",
            )
        amounts = changed_amounts(slug, rows.amounts, amount, currency, remove_amounts)
    fields: dict[str, Any] = {
        "starts": starts if starts is not None else doc.starts,
        "ends": ends if ends is not None else doc.ends,
    }
    check_window(fields["starts"], fields["ends"])
    if usage_limit is not None:
        fields["usage_limit"] = USAGE_LIMIT.check(usage_limit)
    if active is not None:
        fields["active"] = active
    if name is not None:
        key = the_org.default_locale_key
        fields["name"] = {**text_map(doc.name, key), key: NAME.check(name)}
    if amounts is not None:
        fields["amounts"] = amount_texts(amounts)
    rows.write(doc.model_copy(update=fields), amounts)
    return read_offers(session, the_org, [lookup.get_offer(session, the_org, slug)])[0]


def delete_offer(session: Session, *, org: str, slug: str) -> None:
    """Delete an offer with its targets and coupons. Raises ConflictError when recorded orders
    redeemed one of its coupons (deactivate it instead)."""
    the_org = lookup.get_org(session, org)
    offer = lookup.get_offer(session, the_org, slug)
    used = history.redemptions_by_offer(session, the_org.id, [offer.id]).get(offer.id, 0)
    if used:
        raise ConflictError(
            f"offer {slug!r} has coupons redeemed by {used} order(s) and cannot be deleted",
            f"deactivate it instead: `volmify offers update {slug} --inactive`",
        )
    OfferRows(session, the_org, slug).delete()
