"""Reading Shopify and Medusa product CSVs as a catalog: one product per handle, one variant per
variant row, prices in exact minor units, every loss a warning naming FILE:LINE, every unreadable
row a problem (nothing converted), and a document the catalog reader accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import InvalidInputError, UsageError
from volmify_cli.exchange.catalog_files import validate_catalog
from volmify_cli.exchange.medusa_products import price_column, read_medusa_products
from volmify_cli.exchange.product_csv import (
    Conversion,
    ConvertOptions,
    catalog_document,
    catalog_text,
    markets,
)
from volmify_cli.exchange.shopify_products import html_text, read_shopify_products
from volmify_cli.exchange.yamlio import load_yaml_str

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "convert"
SHOPIFY = FIXTURES / "shopify-products.csv"
LEGACY = FIXTURES / "shopify-products-legacy.csv"
MEDUSA = FIXTURES / "medusa-products.csv"

NEW_HEADER = "Title,URL handle,Description,Vendor,Type,Status,SKU,Option1 name,Option1 value,Price,Compare-at price,Requires shipping,Weight value (grams),Product image URL"
OLD_HEADER = "Handle,Title,Body (HTML),Vendor,Type,Status,Variant SKU,Option1 Name,Option1 Value,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Grams,Image Src"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named as the user typed them: relative to the working directory."""
    monkeypatch.chdir(tmp_path)


def write(text: str, name: str = "products.csv") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def shopify(text: str, currency: str = "USD", **options: Any) -> Conversion:
    return read_shopify_products(write(text), ConvertOptions(currency=currency, **options))


def medusa(text: str, **options: Any) -> Conversion:
    return read_medusa_products(write(text), ConvertOptions(**options))


def document(conversion: Conversion, **options: Any) -> dict[str, Any]:
    return catalog_document(conversion, ConvertOptions(**options))


def product(doc: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(p for p in doc["products"] if p["slug"] == slug)


def prices(doc: dict[str, Any], slug: str) -> dict[str, Any]:
    """variant slug -> its plan's prices (None: no plan)."""
    return {
        v["slug"]: v["plans"][0]["prices"] if v["plans"] else None
        for v in product(doc, slug)["variants"]
    }


def warnings(conversion: Conversion) -> list[str]:
    return [str(note) for note in conversion.notes]


def warned(conversion: Conversion, line: int, *words: str) -> bool:
    return any(
        note.line == line and all(word in note.message for word in words)
        for note in conversion.notes
    )


def problems(error: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# -- Shopify -----------------------------------------------------------------------------------


def test_shopify_fixture_one_product_per_handle_one_variant_per_variant_row() -> None:
    conversion = read_shopify_products(SHOPIFY, ConvertOptions(currency="USD"))
    doc = document(conversion)
    assert [p["slug"] for p in doc["products"]] == [
        "data-viz-workshop",
        "python-foundations",
        "sql-pocket-guide",
        "sticker-pack",
        "surprise-study-box",
    ]
    course = product(doc, "python-foundations")
    assert (course["type"], course["status"], course["title"]) == (
        "course",
        "active",
        "Python Foundations",
    )
    assert course["brands"] == ["northwind-learning"]
    # the image-only row (line 4) is no variant; the first row's variant is the default
    assert [(v["slug"], v.get("name"), v.get("default")) for v in course["variants"]] == [
        ("live-cohort", "Live cohort", None),
        ("self-paced", "Self-paced", True),
    ]
    assert prices(doc, "python-foundations") == {
        "live-cohort": {"usd": "199.00"},  # its compare-at 149.00 is below the price: dropped
        "self-paced": {"usd": {"amount": "49.00", "compare_at": "79.00"}},
    }
    assert course["description"] == (
        "Learn Python from scratch, one small program at a time.\n\n- 12 modules\n"
        "- Quizzes & exercises"
    )
    assert doc["markets"] == [
        {
            "slug": "usd",
            "name": "US Dollar (USD)",
            "type": "custom",
            "currency": "USD",
            "countries": [],
            "locales": ["en-US"],
        }
    ]


def test_shopify_fixture_types_statuses_and_what_ships() -> None:
    doc = document(read_shopify_products(SHOPIFY, ConvertOptions(currency="USD")))
    kinds = {p["slug"]: (p["type"], p["status"]) for p in doc["products"]}
    assert kinds == {
        "data-viz-workshop": ("service", "archived"),
        "python-foundations": ("course", "active"),
        "sql-pocket-guide": ("digital", "draft"),
        "sticker-pack": ("physical", "active"),
        "surprise-study-box": ("physical", "active"),
    }
    assert product(doc, "sticker-pack")["physical"] == {"sku": "NWP-STK-01", "weight_grams": 40}
    assert prices(doc, "surprise-study-box") == {"standard": None}  # no price: no plan


def test_shopify_fixture_warns_with_file_and_line() -> None:
    conversion = read_shopify_products(SHOPIFY, ConvertOptions(currency="USD"))
    file = str(SHOPIFY)
    assert all(note.file == file for note in conversion.notes)
    assert warned(conversion, 3, "compare-at price 149.00 USD is below the price 199.00 USD")
    assert warned(conversion, 5, "SKU '3.65275E+11'", "mangled by a spreadsheet")
    assert warned(conversion, 9, "surprise-study-box/standard has no price")
    assert warned(conversion, 9, "product type 'Gift basket' has no volmify equivalent")
    assert warned(conversion, 1, "'Price / International'", "currency")
    assert warned(conversion, 1, "'Tags' is not converted")
    assert warned(conversion, 1, "'Product image URL' is not converted")
    assert not any(note.line == 4 for note in conversion.notes)  # the image row is no loss
    assert f"{file}:3: compare-at price" in "\n".join(warnings(conversion))


def test_legacy_fixture_reads_the_older_column_names() -> None:
    conversion = read_shopify_products(LEGACY, ConvertOptions(currency="EUR"))
    doc = document(conversion)
    course = product(doc, "ux-research-basics")
    assert course["type"] == "course"
    assert [(v["slug"], v["name"]) for v in course["variants"]] == [
        ("lifetime-english", "Lifetime / English"),
        ("lifetime-spanish", "Lifetime / Spanish"),
        ("one-year-english", "One year / English"),
    ]
    assert prices(doc, "ux-research-basics") == {
        "lifetime-english": {"eur": {"amount": "89.00", "compare_at": "120.00"}},
        "lifetime-spanish": {"eur": "89.00"},
        "one-year-english": {"eur": "59.00"},
    }
    assert product(doc, "career-coaching")["status"] == "draft"
    assert product(doc, "career-coaching")["type"] == "service"
    assert product(doc, "web-bootcamp-2019")["status"] == "archived"
    assert product(doc, "mentor-mug")["physical"] == {"sku": "BOS-MUG-01", "weight_grams": 350}
    assert warned(conversion, 4, "compare-at price 49.00 EUR is below the price 59.00 EUR")
    assert warned(conversion, 6, "SKU '4.01235E+12'", "mangled")
    assert warned(conversion, 6, "barcode '9.78123E+12'", "mangled")
    assert warned(conversion, 11, "handle 'Gift-Card-25' is not a volmify slug", "gift-card-25")
    assert warned(conversion, 11, "gift card")
    assert sum(len(p["variants"]) for p in doc["products"]) == 9  # the image row is none


def test_old_and_new_shopify_column_names_convert_alike() -> None:
    rows = (
        "{first}course-a,Course A,<p>Hello</p>,Acme,Course,active,A-1,Level,Basic,10.00,15.00,FALSE,0,https://cdn.example.com/a.png\n"
        "{next}course-a,,,,,,A-2,,Pro,25.00,,FALSE,0,\n"
        "{next}course-a,,,,,,,,,,,,,https://cdn.example.com/b.png\n"
    )
    new = NEW_HEADER + "\n" + rows.replace("{first}course-a,Course A", "Course A,course-a")
    new = new.replace("{next}course-a,", ",course-a")
    old = OLD_HEADER + "\n" + rows.replace("{first}", "").replace("{next}", "")
    new_text = catalog_text(shopify(new), ConvertOptions())
    old_text = catalog_text(shopify(old), ConvertOptions())
    assert new_text == old_text
    assert 'compare_at: "15.00"' in new_text and "slug: pro" in new_text


def test_shopify_needs_the_store_currency() -> None:
    with pytest.raises(UsageError, match="store's currency"):
        read_shopify_products(write(OLD_HEADER + "\n"), ConvertOptions())


@pytest.mark.parametrize(
    ("currency", "written", "minor"),
    [
        ("USD", "49", 4900),
        ("USD", "1,299.50", 129950),  # a thousands separator
        ("JPY", "1500.00", 1500),  # Shopify writes every currency with two decimals
        ("KWD", "14.5", 14500),  # three decimals
    ],
)
def test_amounts_are_exact_minor_units(currency: str, written: str, minor: int) -> None:
    conversion = shopify(f'{OLD_HEADER}\nbook,Book,,,E-book,active,,,,"{written}",,,,\n', currency)
    assert conversion.products["book"].variants[0].prices[0].amount == minor
    assert not any("price" in note.message for note in conversion.notes)


@pytest.mark.parametrize("written", ["49,00", "$49.00", "-5.00", "12.345"])
def test_an_amount_that_cannot_be_read_exactly_is_a_warning(written: str) -> None:
    conversion = shopify(f'{OLD_HEADER}\nbook,Book,,,E-book,active,,,,"{written}",,,,\n')
    assert conversion.products["book"].variants[0].prices == []
    assert warned(conversion, 2, f"price {written!r} is not converted")
    assert warned(conversion, 2, "book/standard has no price")


def test_options_that_repeat_get_distinct_slugs_and_a_default() -> None:
    conversion = shopify(
        f"{OLD_HEADER}\n"
        "kit,Kit,,,Kit,active,,Size,S,5.00,,TRUE,100,\n"
        "kit,,,,,,,,S,6.00,,TRUE,120,\n"
        "kit,,,,,,,,,7.00,,TRUE,,\n"
    )
    variants = conversion.products["kit"].variants
    assert [v.slug for v in variants] == ["s", "s-2", "variant-3"]
    doc = document(conversion)
    assert product(doc, "kit")["physical"] == {"weight_grams": 100}
    assert warned(conversion, 1, "1 weights are not kept")


def test_a_row_without_variant_data_is_skipped_with_a_warning() -> None:
    conversion = shopify(
        "Handle,Title,Variant Price,Variant Inventory Qty,Image Src\n"
        "mug,Mug,5.00,3,https://cdn.example.com/m.png\n"
        "mug,,,7,\n"
        "mug,,,,https://cdn.example.com/m2.png\n"
    )
    assert len(conversion.products["mug"].variants) == 1
    assert warned(conversion, 3, "no variant", "skipped")
    assert not any(note.line == 4 for note in conversion.notes)


def test_long_titles_are_cut_and_control_characters_become_spaces() -> None:
    title = "A" * 310
    conversion = shopify(
        f'Handle,Title,Variant Price\nlong,{title},1.00\ntab,"Tab\tand\nbreak",1\n'
    )
    assert conversion.products["long"].title == "A" * 300
    assert warned(conversion, 2, "title is 310 characters: cut to 300")
    assert conversion.products["tab"].title == "Tab and break"


def test_html_descriptions_become_plain_text() -> None:
    assert html_text("<h2>Intro</h2><p>One<br>two &amp; <em>three</em></p>") == (
        "Intro\n\nOne\ntwo & three"
    )


# -- Medusa ------------------------------------------------------------------------------------


def test_medusa_v2_fixture_prices_per_currency_and_region() -> None:
    conversion = read_medusa_products(MEDUSA, ConvertOptions())
    doc = document(conversion)
    assert {m["slug"]: (m["currency"], m["name"]) for m in doc["markets"]} == {
        "eur": ("EUR", "Euro (EUR)"),
        "japan": ("JPY", "Japan"),
        "usd": ("USD", "US Dollar (USD)"),
    }
    assert prices(doc, "design-systems-course") == {
        "self-paced": {"eur": "72.00", "japan": "11800", "usd": "79.00"},
        "with-mentor-reviews": {"eur": "139.00", "japan": "21800", "usd": "149.00"},
    }
    amounts = {
        p.market.key: p.amount
        for p in conversion.products["design-systems-course"].variants[0].prices
    }
    assert amounts == {"USD": 7900, "EUR": 7200, "Japan": 11800}  # JPY has no decimals
    assert product(doc, "design-systems-course")["status"] == "active"  # published
    assert product(doc, "portfolio-review")["status"] == "draft"
    assert prices(doc, "color-theory-notes") == {"default-variant": None}
    assert warned(conversion, 1, "'Variant Price HRK'", "unknown currency 'HRK'")
    assert warned(conversion, 4, "SKU '5.01234E+12'", "mangled")
    assert warned(conversion, 5, "status 'proposed'", "draft")
    assert warned(conversion, 6, "color-theory-notes/default-variant has no price")
    assert warned(conversion, 1, "'Product Thumbnail' is not converted")


def test_medusa_v1_layout() -> None:
    conversion = medusa(
        "Product Handle,Product Title,Product Status,Product Type,Variant Title,Variant SKU,"
        "Option 1 Name,Option 1 Value,Price EUR,Price Europe [EUR],Image 1 Url\n"
        "sql-course,SQL Course,published,Video course,Basic,SQL-B,Tier,Basic,30.00,28.50,\n"
        "sql-course,SQL Course,published,Video course,,SQL-P,Tier,Pro,60,,\n"
        "mentoring,Mentoring,rejected,Mentoring,One hour,,,,90.00,,https://cdn.example.com/x\n"
    )
    doc = document(conversion)
    course = product(doc, "sql-course")
    assert (course["type"], course["status"]) == ("course", "active")
    assert prices(doc, "sql-course") == {
        "basic": {"eur": "30.00", "europe": "28.50"},
        "pro": {"eur": "60.00"},  # named by its option value
    }
    assert [m["slug"] for m in doc["markets"]] == ["eur", "europe"]
    assert product(doc, "mentoring")["type"] == "service"
    assert warned(conversion, 4, "status 'rejected'", "draft")
    assert warned(conversion, 1, "'Image 1 Url' is not converted")


def test_medusa_v1_export_is_separated_by_semicolons() -> None:
    """Medusa 1 writes its product export with `;` between fields and CRLF line breaks."""
    rows = [
        "Product Handle;Product Title;Product Status;Variant Title;Variant SKU;Price EUR",
        "sql-course;SQL Course;published;Basic;SQL-B;30.00",
        'sql-course;SQL Course;published;"Pro; with mentoring";SQL-P;60',
    ]
    doc = document(medusa("\r\n".join(rows) + "\r\n"))
    course = product(doc, "sql-course")
    assert course["title"] == "SQL Course"
    assert [v["name"] for v in course["variants"]] == ["Basic", "Pro; with mentoring"]
    assert prices(doc, "sql-course") == {
        "basic": {"eur": "30.00"},
        "pro-with-mentoring": {"eur": "60.00"},
    }


@pytest.mark.parametrize(
    ("column", "parsed"),
    [
        ("Variant Price USD", ("USD", None)),
        ("variant price eur", ("EUR", None)),
        ("Variant Price [Europe] EUR", ("EUR", "Europe")),
        ("Price USD", ("USD", None)),
        ("Price North America [USD]", ("USD", "North America")),
        ("Variant Title", None),
    ],
)
def test_medusa_price_columns(column: str, parsed: tuple[str, str | None] | None) -> None:
    assert price_column(column) == parsed


# -- markets -----------------------------------------------------------------------------------


def test_market_option_sends_prices_to_an_existing_market() -> None:
    conversion = read_medusa_products(MEDUSA, ConvertOptions())
    options = ConvertOptions(markets={"usd": "us", "japan": "jp"})
    doc = catalog_document(conversion, options)
    assert [m["slug"] for m in doc["markets"]] == ["eur"]  # us and jp are the org's
    # an org's market may have another currency than the CSV meant: the file says which
    assert prices(doc, "figma-shortcuts-poster") == {
        "a2": {"eur": "16.50", "us": {"amount": "18.00", "currency": "USD"}}
    }
    assert prices(doc, "design-systems-course")["self-paced"] == {
        "eur": "72.00",
        "jp": {"amount": "11800", "currency": "JPY"},
        "us": {"amount": "79.00", "currency": "USD"},
    }
    assert [(m.slug, m.key.currency, m.defined) for m in markets(conversion, options)] == [
        ("eur", "EUR", True),
        ("jp", "JPY", False),
        ("us", "USD", False),
    ]


# -- problems: nothing is converted --------------------------------------------------------------


def test_a_missing_handle_column_is_a_problem_at_the_header() -> None:
    with pytest.raises(InvalidInputError) as error:
        shopify("Title,Variant Price\nBook,1.00\n")
    assert problems(error) == [
        "products.csv:1: Handle: missing column 'Handle' (or 'URL handle'): a product needs one"
    ]
    with pytest.raises(InvalidInputError) as error:
        medusa("Product Title,Variant Price USD\nBook,1.00\n")
    assert "missing column 'Product Handle'" in problems(error)[0]


def test_unreadable_rows_are_problems_naming_their_lines() -> None:
    with pytest.raises(InvalidInputError) as error:
        shopify(
            "Handle,Title,Variant Price\n"
            "book,Book,1.00\n"
            "book,Book\n"  # a field short
            ",Orphan,2.00\n"  # no handle
            "Book!,Shouted,3.00\n"  # gives the slug `book` of line 2
            "!!!,Nothing,4.00\n"  # gives no slug at all
        )
    assert problems(error) == [
        "products.csv:3: expected 3 fields, found 2",
        "products.csv:4: Handle: no handle: the row belongs to no product",
        "products.csv:5: Handle: handle 'Book!' gives the slug 'book' of the product at line 2",
        "products.csv:6: Handle: handle '!!!' gives no slug (a-z, 0-9, -)",
    ]


def test_bytes_that_are_not_utf8_and_an_empty_file_are_problems() -> None:
    Path("latin1.csv").write_bytes(b"Handle,Title,Variant Price\ncafe,Caf\xe9,1.00\n")
    with pytest.raises(InvalidInputError) as error:
        read_shopify_products(Path("latin1.csv"), ConvertOptions(currency="EUR"))
    assert problems(error) == ["latin1.csv:2:9: not UTF-8 text (byte 0xe9)"]
    with pytest.raises(InvalidInputError) as error:
        medusa("")
    assert problems(error) == ["products.csv: the file is empty (a header row is required)"]


def test_a_doubled_column_is_a_problem() -> None:
    with pytest.raises(InvalidInputError) as error:
        shopify("Handle,Title,Variant Price,Variant Price\nbook,Book,1.00,2.00\n")
    assert problems(error) == [
        "products.csv:1: Variant Price: column 'Variant Price' appears twice"
    ]


def test_a_byte_order_mark_and_crlf_lines_are_read() -> None:
    Path("bom.csv").write_bytes(b"\xef\xbb\xbfHandle,Title,Variant Price\r\nbook,Book,1.00\r\n")
    conversion = read_shopify_products(Path("bom.csv"), ConvertOptions(currency="USD"))
    assert conversion.products["book"].variants[0].prices[0].amount == 100


# -- the document ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "options"),
    [
        (SHOPIFY, ConvertOptions(currency="USD")),
        (LEGACY, ConvertOptions(currency="EUR", org="bright-owl", locale="de-DE")),
        (MEDUSA, ConvertOptions()),
    ],
)
def test_the_document_validates_and_is_deterministic(path: Path, options: ConvertOptions) -> None:
    reader = read_medusa_products if path == MEDUSA else read_shopify_products
    text = catalog_text(reader(path, options), options)
    assert text == catalog_text(reader(path, options), options)
    Path("catalog.yaml").write_text(text, encoding="utf-8")
    result = validate_catalog([Path("catalog.yaml")])
    assert result["counts"]["products"] == len(
        load_yaml_str(text, filename="catalog.yaml")["products"]
    )
    assert result["warnings"] == []
    head = load_yaml_str(text, filename="catalog.yaml")
    assert head["locales"] == [options.locale]
    assert head.get("org") == options.org


names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
)


@given(title=names, option=names, vendor=names, description=names)
def test_any_text_gives_a_valid_catalog(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    option: str,
    vendor: str,
    description: str,
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)  # CRLF lines: a CR or LF in a field is quoted
    writer.writerow(["Handle", "Title", "Body (HTML)", "Vendor", "Option1 Name", "Option1 Value",
                     "Variant Price"])  # fmt: skip
    writer.writerow(["item", title, description, vendor, "Kind", option, "3.00"])
    writer.writerow(["item", "", "", "", "", option, "4.00"])
    folder = tmp_path_factory.mktemp("any")
    source = folder / "products.csv"
    source.write_text(buffer.getvalue(), encoding="utf-8")
    options = ConvertOptions(currency="USD")
    target = folder / "catalog.yaml"
    target.write_text(catalog_text(read_shopify_products(source, options), options))
    assert validate_catalog([target])["counts"]["variants"] == 2
