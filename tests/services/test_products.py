"""Products: created with their type extension, title, default variant and brand in one go;
listed, shown with fallbacks, updated, archived, and deleted only when no history refers to them."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import default_variant, make_plan
from tests.services.catalog_world import World, add_enrollment, add_order, add_subscription, build
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, UsageError
from volmify_cli.models.courses import OrgProductCourse
from volmify_cli.models.plans import OrgProductVariantPaymentPlan as Plan
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductPhysical,
    OrgProductTranslation,
    OrgProductVariant,
)
from volmify_cli.services import products
from volmify_cli.services.offers import create_offer


@pytest.fixture
def world(session: Session) -> World:
    return build(session)


def test_create_makes_the_extension_default_variant_and_primary_brand(
    session: Session, world: World
) -> None:
    record = products.create_product(
        session,
        org="acme",
        slug="python-101",
        type="course",
        title="Python 101",
        brand="acme-academy",
        details={"level": "intermediate", "difficulty": 4},
    )
    assert (record["type"], record["status"], record["title"]) == ("course", "draft", "Python 101")
    assert [(v["slug"], v["is_default"]) for v in record["variants"]] == [("standard", True)]
    assert [(b["slug"], b["is_primary"], b["share_bp"]) for b in record["brands"]] == [
        ("acme-academy", True, 0)
    ]
    course = session.exec(
        select(OrgProductCourse).where(OrgProductCourse.org_id == world.acme.id)
    ).one()
    assert (course.level, course.difficulty) == ("intermediate", 4)
    assert record["details"] == {
        "level": "intermediate",
        "difficulty": 4,
        "estimated_minutes": None,
    }


@pytest.mark.parametrize(
    ("kind", "details", "expected"),
    [
        (
            "digital",
            {"file_url": "s3://f.pdf", "file_size_bytes": 10, "download_limit": 3},
            {"file_url": "s3://f.pdf", "file_size_bytes": 10, "download_limit": 3},
        ),
        (
            "physical",
            {"sku": "BK-1", "weight_grams": 350, "requires_shipping": False},
            {"sku": "BK-1", "weight_grams": 350, "requires_shipping": False},
        ),
        (
            "service",
            {"duration_minutes": 60, "delivery_mode": "in-person"},
            {"duration_minutes": 60, "delivery_mode": "in_person"},
        ),
    ],
)
def test_each_type_gets_its_own_extension(
    session: Session,
    world: World,
    kind: str,
    details: dict[str, object],
    expected: dict[str, object],
) -> None:
    record = products.create_product(
        session,
        org="acme",
        slug="thing",
        type=kind,
        title="Thing",
        details=details,  # type: ignore[arg-type]
    )
    assert record["details"] == expected


def test_a_detail_of_another_type_is_a_usage_error(session: Session, world: World) -> None:
    with pytest.raises(UsageError, match="sku applies to physical products only, not to a course"):
        products.create_product(
            session, org="acme", slug="p", type="course", title="P", details={"sku": "X"}
        )
    assert session.exec(select(OrgProduct).where(OrgProduct.slug == "p")).first() is None


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"difficulty": 11}, "difficulty must be at most 10, not 11"),
        ({"level": "guru"}, "course level 'guru' is not one of"),
    ],
)
def test_course_details_out_of_range(
    session: Session, world: World, details: dict[str, object], message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        products.create_product(
            session,
            org="acme",
            slug="p",
            type="course",
            title="P",
            details=details,  # type: ignore[arg-type]
        )


def test_duplicate_slug_and_sku_are_conflicts(session: Session, world: World) -> None:
    products.create_product(
        session, org="acme", slug="book", type="physical", title="Book", details={"sku": "B-1"}
    )
    with pytest.raises(ConflictError, match="product 'book' already exists in org acme"):
        products.create_product(session, org="acme", slug="book", type="course", title="Again")
    with pytest.raises(ConflictError, match="sku 'B-1' is already used"):
        products.create_product(
            session, org="acme", slug="book-2", type="physical", title="B", details={"sku": "B-1"}
        )
    assert len(session.exec(select(OrgProductPhysical)).all()) == 1  # only acme has one


def test_another_orgs_brand_is_not_found_in_this_org(session: Session, world: World) -> None:
    with pytest.raises(NotFoundError, match="brand 'globex-brand' not found in org acme"):
        products.create_product(
            session, org="acme", slug="p", type="course", title="P", brand="globex-brand"
        )


def test_a_title_locale_must_be_one_of_the_orgs(session: Session, world: World) -> None:
    with pytest.raises(RuleError, match="locale 'fr-FR' is not one of org acme's locales"):
        products.create_product(
            session, org="acme", slug="p", type="course", title="P", locale="fr-FR"
        )


def test_show_picks_the_display_locale_with_fallback(session: Session, world: World) -> None:
    products.create_product(session, org="acme", slug="p", type="course", title="Cooking")
    products.update_product(session, org="acme", slug="p", title="Kochen", locale="de-DE")
    assert products.show_product(session, org="acme", slug="p", locale="de-DE")["title"] == "Kochen"
    assert products.show_product(session, org="acme", slug="p", locale="de-AT")["title"] == "Kochen"
    assert (
        products.show_product(session, org="acme", slug="p", locale="fr-FR")["title"] == "Cooking"
    )
    shown = products.show_product(session, org="acme", slug="p", locale="en-US")
    assert shown["titles"] == {"en-US": "Cooking", "de-DE": "Kochen"}
    default = session.exec(
        select(OrgProductTranslation).where(OrgProductTranslation.is_default)
    ).all()
    assert [row.locale_key for row in default if row.title in ("Cooking", "Kochen")] == ["en-US"]


def test_show_has_plans_with_tiers_and_prices(session: Session, world: World) -> None:
    products.create_product(session, org="acme", slug="p", type="course", title="P")
    product = session.exec(select(OrgProduct).where(OrgProduct.slug == "p")).one()
    make_plan(session, default_variant(session, product), "vip", tier=3, prices=[(world.kw, 15250)])
    plan = products.show_product(session, org="acme", slug="p")["plans"][0]
    assert (plan["plan"], plan["tier"]) == ("p/standard/vip", 3)
    assert plan["prices"] == [
        {
            "market": "kw",
            "currency": "KWD",
            "amount_minor": 15250,
            "amount": "15.250",
            "compare_at_minor": None,
            "compare_at": None,
            "setup_fee_minor": None,
            "setup_fee": None,
        }
    ]


def test_list_filters_by_type_and_status_within_the_org(session: Session, world: World) -> None:
    products.create_product(
        session, org="acme", slug="a", type="course", title="A", status="active"
    )
    products.create_product(session, org="acme", slug="b", type="digital", title="B")
    products.create_product(session, org="acme", slug="c", type="course", title="C")
    assert [p["slug"] for p in products.list_products(session, org="acme")] == ["a", "b", "c"]
    assert [p["slug"] for p in products.list_products(session, org="acme", type="course")] == [
        "a",
        "c",
    ]
    assert [p["slug"] for p in products.list_products(session, org="acme", status="draft")] == [
        "b",
        "c",
    ]
    assert [p["slug"] for p in products.list_products(session, org="globex")] == ["globex-course"]
    assert len(products.list_products(session, org="acme", limit=1)) == 2  # one more: "cut"


def test_update_details_must_match_the_type(session: Session, world: World) -> None:
    products.create_product(session, org="acme", slug="p", type="service", title="P")
    updated = products.update_product(
        session, org="acme", slug="p", details={"duration_minutes": 90}, status="active"
    )
    assert updated["details"]["duration_minutes"] == 90 and updated["status"] == "active"
    with pytest.raises(UsageError, match="level applies to course products only"):
        products.update_product(session, org="acme", slug="p", details={"level": "expert"})


def test_update_sets_course_settings_thumbnail_and_texts_in_one_locale(
    session: Session, world: World
) -> None:
    products.create_product(
        session, org="acme", slug="p", type="course", title="P", description="About P"
    )
    updated = products.update_product(
        session,
        org="acme",
        slug="p",
        details={"level": "advanced", "estimated_minutes": 90},
        thumbnail_url="https://cdn.example/p.png",
    )
    assert updated["details"] == {"level": "advanced", "difficulty": 1, "estimated_minutes": 90}
    assert updated["thumbnail_url"] == "https://cdn.example/p.png"
    cleared = products.update_product(
        session, org="acme", slug="p", thumbnail_url=" ", description=""
    )
    assert (cleared["thumbnail_url"], cleared["description"], cleared["title"]) == (None, None, "P")
    assert cleared["details"]["level"] == "advanced"


def test_archive_keeps_the_product(session: Session, world: World) -> None:
    products.create_product(session, org="acme", slug="p", type="course", title="P")
    assert products.archive_product(session, org="acme", slug="p")["status"] == "archived"


def test_delete_removes_variants_and_plans(session: Session, world: World) -> None:
    products.create_product(session, org="acme", slug="p", type="course", title="P")
    product = session.exec(select(OrgProduct).where(OrgProduct.slug == "p")).one()
    make_plan(session, default_variant(session, product), "basic", prices=[(world.us, 100)])
    variant_id = default_variant(session, product).id
    products.delete_product(session, org="acme", slug="p")
    session.expire_all()
    assert session.exec(select(OrgProduct).where(OrgProduct.slug == "p")).first() is None
    assert (
        session.exec(select(OrgProductVariant).where(OrgProductVariant.id == variant_id)).all()
        == []
    )
    assert session.exec(select(Plan).where(Plan.variant_id == variant_id)).all() == []


@pytest.mark.parametrize("history", ["order", "subscription", "enrollment"])
def test_delete_is_refused_when_history_refers_to_it(
    session: Session, world: World, history: str
) -> None:
    products.create_product(session, org="acme", slug="p", type="course", title="P")
    product = session.exec(select(OrgProduct).where(OrgProduct.slug == "p")).one()
    make_plan(session, default_variant(session, product), "basic", prices=[(world.us, 100)])
    if history == "order":
        add_order(session, world.acme, "p/basic", world.us)
        message = r"product 'p' has 1 order\(s\) and cannot be deleted"
    elif history == "subscription":
        add_subscription(session, world.acme, "p/basic")
        message = r"held by 1 member subscription\(s\)"
    else:
        add_enrollment(session, world.acme, product, "learner@example.org")
        message = r"1 course enrollment\(s\)"
    with pytest.raises(ConflictError, match=message) as caught:
        products.delete_product(session, org="acme", slug="p")
    assert caught.value.hint and "volmify products archive p" in caught.value.hint
    assert session.exec(select(OrgProduct).where(OrgProduct.slug == "p")).one()


def test_delete_is_refused_when_it_is_an_offers_only_target(session: Session, world: World) -> None:
    products.create_product(session, org="acme", slug="p", type="course", title="P")
    products.create_product(session, org="acme", slug="q", type="course", title="Q")
    create_offer(
        session, org="acme", slug="only-p", type="percentage", percent="10", products=["p"]
    )
    create_offer(
        session, org="acme", slug="p-and-q", type="percentage", percent="5", products=["p", "q"]
    )
    with pytest.raises(ConflictError, match="only target of offer\\(s\\) 'only-p'"):
        products.delete_product(session, org="acme", slug="p")
    products.delete_product(session, org="acme", slug="q")  # p-and-q keeps p: fine
