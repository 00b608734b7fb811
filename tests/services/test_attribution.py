"""Attribution rules: affiliated instructors only, the affiliation share is only the default of
a new attribution, brand recipients are the product's brands, shares total at most 100%, one
primary per kind."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import make_product
from tests.services.catalog_world import World, build
from volmify_cli.enums import AffiliationStatus
from volmify_cli.errors import NotFoundError, RuleError, UsageError
from volmify_cli.models.orgs import OrgInstructorAffiliation
from volmify_cli.services.attribution import attribute


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    make_product(session, w.acme, "p")
    return w


def shares(record: dict[str, object], kind: str) -> dict[str, tuple[int, bool]]:
    return {r["slug"]: (r["share_bp"], r["is_primary"]) for r in record[kind]}  # type: ignore[attr-defined]


def test_a_new_instructor_takes_the_affiliation_default_share(
    session: Session, world: World
) -> None:
    record = attribute(session, org="acme", product="p", instructor="jane-doe")
    assert shares(record, "instructors") == {"jane-doe": (3000, True)}  # first one is primary
    assert (record["org_share_bp"], record["org_share"]) == (7000, "70%")


def test_the_affiliation_default_does_not_touch_an_existing_attribution(
    session: Session, world: World
) -> None:
    attribute(session, org="acme", product="p", instructor="jane-doe", share_bp=4050)
    affiliation = session.exec(
        select(OrgInstructorAffiliation).where(OrgInstructorAffiliation.profile_id == world.jane.id)
    ).one()
    affiliation.default_share_bp = 1000
    session.add(affiliation)
    session.flush()
    record = attribute(session, org="acme", product="p", instructor="jane-doe", primary=True)
    assert shares(record, "instructors") == {"jane-doe": (4050, True)}
    assert record["instructors"][0]["share"] == "40.5%"


def test_an_unaffiliated_instructor_is_an_error_with_a_hint(session: Session, world: World) -> None:
    with pytest.raises(
        RuleError, match="instructor 'ann-lee' is not affiliated with org acme"
    ) as e:
        attribute(session, org="acme", product="p", instructor="ann-lee", share_bp=1000)
    assert e.value.hint == "run `volmify instructors affiliate ann-lee --org acme`"


def test_an_ended_affiliation_cannot_be_attributed(session: Session, world: World) -> None:
    affiliation = session.exec(
        select(OrgInstructorAffiliation).where(OrgInstructorAffiliation.profile_id == world.max.id)
    ).one()
    affiliation.status = AffiliationStatus.ENDED
    session.add(affiliation)
    session.flush()
    with pytest.raises(RuleError, match="affiliation with org acme has ended"):
        attribute(session, org="acme", product="p", instructor="max-roe")


def test_a_brand_not_yet_on_the_product_is_added_to_its_brands(
    session: Session, world: World
) -> None:
    record = attribute(session, org="acme", product="p", brand="acme-press", share_bp=1000)
    assert shares(record, "brands") == {"acme-press": (1000, True)}
    record = attribute(session, org="acme", product="p", brand="acme-academy", primary=True)
    assert shares(record, "brands") == {"acme-academy": (0, True), "acme-press": (1000, False)}
    assert [b["slug"] for b in record["brands"]] == ["acme-academy", "acme-press"]


def test_shares_over_100_percent_are_refused_and_nothing_changes(
    session: Session, world: World
) -> None:
    attribute(session, org="acme", product="p", instructor="jane-doe", share_bp=6000)
    attribute(session, org="acme", product="p", brand="acme-academy", share_bp=3000)
    with pytest.raises(RuleError, match="would total 110%, over 100%"):
        attribute(session, org="acme", product="p", instructor="max-roe", share_bp=2000)
    with pytest.raises(RuleError, match=r"would total 100\.01%"):
        attribute(session, org="acme", product="p", brand="acme-academy", share_bp=4001)
    record = attribute(session, org="acme", product="p", brand="acme-academy", share_bp=4000)
    assert record["total_share_bp"] == 10000 and record["org_share_bp"] == 0
    assert shares(record, "instructors") == {"jane-doe": (6000, True)}


def test_one_primary_instructor_per_product(session: Session, world: World) -> None:
    attribute(session, org="acme", product="p", instructor="jane-doe")
    record = attribute(session, org="acme", product="p", instructor="max-roe", share_bp=500)
    assert shares(record, "instructors") == {"jane-doe": (3000, True), "max-roe": (500, False)}
    record = attribute(session, org="acme", product="p", instructor="max-roe", primary=True)
    assert shares(record, "instructors") == {"jane-doe": (3000, False), "max-roe": (500, True)}


def test_a_share_outside_0_to_100_percent_gets_the_rule_books_words(
    session: Session, world: World
) -> None:
    for share in (-1, 10_001):
        with pytest.raises(RuleError, match=f"share {share} basis points is outside 0..10000"):
            attribute(session, org="acme", product="p", instructor="jane-doe", share_bp=share)
    assert attribute(session, org="acme", product="p", instructor="jane-doe")["instructors"]


def test_a_role_is_kept_when_the_share_changes(session: Session, world: World) -> None:
    attribute(session, org="acme", product="p", instructor="jane-doe", role="co-author")
    record = attribute(session, org="acme", product="p", instructor="jane-doe", share_bp=1200)
    assert [(i["slug"], i["share_bp"], i["role"]) for i in record["instructors"]] == [
        ("jane-doe", 1200, "co-author")
    ]


def test_remove(session: Session, world: World) -> None:
    attribute(session, org="acme", product="p", instructor="jane-doe")
    attribute(session, org="acme", product="p", instructor="max-roe", share_bp=100)
    record = attribute(session, org="acme", product="p", instructor="jane-doe", remove=True)
    assert shares(record, "instructors") == {"max-roe": (100, True)}  # the next one is primary
    record = attribute(session, org="acme", product="p", instructor="max-roe", remove=True)
    assert record["instructors"] == []
    with pytest.raises(NotFoundError, match="instructor 'jane-doe' is not attributed"):
        attribute(session, org="acme", product="p", instructor="jane-doe", remove=True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of --instructor"),
        ({"instructor": "jane-doe", "brand": "acme-press"}, "exactly one of --instructor"),
        ({"instructor": "jane-doe", "remove": True, "share_bp": 10}, "--remove takes no"),
    ],
)
def test_usage_errors(
    session: Session, world: World, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        attribute(session, org="acme", product="p", **kwargs)  # type: ignore[arg-type]


def test_other_orgs_are_not_found(session: Session, world: World) -> None:
    with pytest.raises(NotFoundError, match="brand 'globex-brand' not found in org acme"):
        attribute(session, org="acme", product="p", brand="globex-brand")
    with pytest.raises(NotFoundError, match="product 'globex-course' not found in org acme"):
        attribute(session, org="acme", product="globex-course", brand="acme-press")
