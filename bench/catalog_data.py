"""The large benchmark catalog (SPEC 7), generated deterministically in the canonical form that
`catalog export` writes, so `export` of the imported catalog gives back the same bytes.

10,000 products, 20,000 variants, 60,000 plans, 240,000 market prices (about 21 MB, 21.3e6 bytes).
"""

from __future__ import annotations

import random
from typing import Any

from volmify_cli.exchange.yaml_writer import dump

MARKETS = (  # slug, currency, countries, amount scale (minor digits)
    ("eu", "EUR", ["DE", "ES", "FR"], 2),
    ("jp", "JPY", ["JP"], 0),
    ("kw", "KWD", ["KW"], 3),
    ("us", "USD", ["US"], 2),
)
WORDS = [
    "python",
    "data",
    "rust",
    "cloud",
    "design",
    "music",
    "photo",
    "garden",
    "finance",
    "writing",
    "chess",
    "yoga",
    "cooking",
    "history",
    "physics",
    "algebra",
    "drawing",
    "guitar",
    "spanish",
    "marketing",
]
TYPES = ("digital", "physical", "service")


def _amount(rng: random.Random, digits: int) -> str:
    whole = rng.randrange(5, 500)
    if digits == 0:
        return str(whole * 100)
    return f"{whole}.{rng.randrange(10**digits):0{digits}d}"


def _prices(rng: random.Random) -> dict[str, Any]:
    prices: dict[str, Any] = {}
    for slug, _currency, _countries, digits in MARKETS:
        amount = _amount(rng, digits)
        if rng.random() < 0.1:
            whole, _, frac = amount.partition(".")
            compare = str(int(whole) + 10) + ("." + frac if frac else "")
            prices[slug] = {"amount": amount, "compare_at": compare}
        else:
            prices[slug] = amount
    return prices


def _plans(rng: random.Random) -> list[dict[str, Any]]:
    return [
        {"slug": "basic", "type": "one_time", "tier": 1, "default": True, "prices": _prices(rng)},
        {
            "slug": "monthly",
            "type": "subscription",
            "tier": 2,
            "interval": "month",
            "trial_days": 14,
            "prices": _prices(rng),
        },
        {
            "slug": "yearly",
            "type": "subscription",
            "tier": 3,
            "featured": True,
            "interval": "year",
            "prices": _prices(rng),
        },
    ]


def _product(rng: random.Random, index: int, brands: int, instructors: int) -> dict[str, Any]:
    word = WORDS[index % len(WORDS)]
    slug = f"{word}-{index:05d}"
    kind = TYPES[index % len(TYPES)]
    title: Any = f"{word.title()} {index}"
    if index % 2 == 0:
        title = {"en-US": title, "de-DE": f"{word.title()} {index} (Deutsch)"}
    product: dict[str, Any] = {
        "slug": slug,
        "type": kind,
        "status": "active",
        "title": title,
        "description": f"Everything about {word}, part {index}.",
        "brands": [f"brand-{index % brands:02d}"],
        "attribution": [
            {"instructor": f"instructor-{index % instructors:03d}", "share": "30%"},
            {"brand": f"brand-{index % brands:02d}", "share": "10%"},
        ],
    }
    if kind == "physical":
        product["physical"] = {"sku": f"SKU-{index:05d}", "weight_grams": 100 + index % 900}
    elif kind == "service":
        product["service"] = {"duration_minutes": 30 + (index % 4) * 15}
    else:
        product["digital"] = {"file": f"files/{slug}.zip", "size_bytes": 1000 * (index + 1)}
    product["variants"] = [
        {"slug": "deluxe", "name": "Deluxe edition", "plans": _plans(rng)},
        {"slug": "standard", "default": True, "plans": _plans(rng)},
    ]
    return product


def catalog(products: int = 10_000, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    brands, instructors = 20, 200
    return {
        "version": 1,
        "kind": "catalog",
        "org": {"slug": "bench", "name": "Bench Learning"},
        "locales": ["en-US", "de-DE"],
        "brands": [{"slug": f"brand-{i:02d}", "name": f"Brand {i}"} for i in range(brands)],
        "markets": [
            {
                "slug": slug,
                "name": slug.upper(),
                "type": "single_country" if len(countries) == 1 else "multi_region",
                "currency": currency,
                "countries": countries,
                "locales": ["en-US"],
                **({"default": True} if slug == "us" else {}),
            }
            for slug, currency, countries, _digits in MARKETS
        ],
        "instructors": [
            {
                "slug": f"instructor-{i:03d}",
                "name": f"Instructor {i}",
                "email": f"instructor-{i:03d}@bench.example",
                "share": "30%",
            }
            for i in range(instructors)
        ],
        "products": sorted(
            (_product(rng, i, brands, instructors) for i in range(products)),
            key=lambda p: p["slug"],
        ),
    }


def catalog_text(products: int = 10_000) -> str:
    return dump(catalog(products))
