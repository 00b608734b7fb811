"""More lists stream (issue 22): `subscriptions list`, `courses lessons list`, `offers list`,
`offers coupons list`, `offers promotions list`, `courses list`, `instructors list`,
`collections list`, `orgs brands list`, `markets list`, `products variants list`, `orgs list`,
`orgs locales list`, `marketplace list`, `users sessions list`, `skills list`, `currencies list`
and `locales list` write every
row before their last is read from the database, as `sales list` does, with the same rows as
before; `payouts list --limit N` shows N payouts and says when more were left out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cli.test_user_sessions import sign_in
from tests.support import Cli
from volmify_cli.services import (
    brands,
    collections,
    coupons,
    courses,
    currencies,
    instructors,
    lesson_library,
    locales,
    marketplace,
    markets,
    offers,
    org_locales,
    org_reads,
    promotions,
    skill_reads,
    subscriptions,
    user_sessions,
    variants,
)

ACME = ("--org", "acme")
SIGNED_IN = "streamed-sessions@example.org"  # a user with two sessions (_two_of_each)

# (the command, the service module and its streaming reader, a field every row has)
LISTS = [
    (("subscriptions", "list"), subscriptions, "iter_subscriptions", "member"),
    (("courses", "lessons", "list"), lesson_library, "iter_lessons", "slug"),
    (("offers", "list"), offers, "iter_offers", "slug"),
    (("offers", "coupons", "list"), coupons, "iter_coupons", "code"),
    (("offers", "promotions", "list"), promotions, "iter_promotions", "slug"),
    (("courses", "list"), courses, "iter_courses", "slug"),
    (("instructors", "list"), instructors, "iter_instructors", "slug"),
    (("collections", "list"), collections, "iter_collections", "slug"),
    (("orgs", "brands", "list"), brands, "iter_brands", "slug"),
    (("markets", "list"), markets, "iter_markets", "name"),  # "us" is in "status"
    (("products", "variants", "list", "acme-hoodie"), variants, "iter_variants", "name"),
    (("orgs", "list"), org_reads, "iter_orgs", "slug"),
    (("orgs", "locales", "list"), org_locales, "iter_org_locales", "key"),
    (("marketplace", "list"), marketplace, "iter_marketplace", "product"),
    (("users", "sessions", "list", SIGNED_IN), user_sessions, "iter_sessions", "user_agent"),
    (("skills", "list"), skill_reads, "iter_skills", "skill"),
    (("currencies", "list"), currencies, "iter_currencies", "code"),
    (("locales", "list"), locales, "iter_locales", "key"),
]
UNSCOPED = {  # lists that take no --org
    ("orgs", "list"),
    ("marketplace", "list"),
    ("users", "sessions", "list", SIGNED_IN),
    ("skills", "list"),
    ("currencies", "list"),
    ("locales", "list"),
}


def _watched(rows: Iterator[dict[str, Any]], seen: list[str]) -> Iterator[dict[str, Any]]:
    """The rows, noting what stdout held when the last one was asked for."""
    previous = next(rows, None)
    for row in rows:
        yield previous  # type: ignore[misc]
        previous = row
    sys.stdout.flush()  # what was written so far (rows are flushed every few hundred)
    buffer = getattr(sys.stdout, "buffer", None)
    held = buffer.getvalue().decode() if buffer is not None else sys.stdout.getvalue()  # type: ignore[attr-defined]
    seen.append(held)
    if previous is not None:
        yield previous


def _two_of_each(demo: Cli) -> None:
    """The demo has one library lesson and one promotion and no session: a second lesson and
    promotion, a user signed in twice; a last skill whose slug is no other skill's parent."""
    if len(demo.json("courses", "lessons", "list", *ACME)) < 2:
        demo.ok("courses", "lessons", "create", "zz-streamed-lesson", "--title", "Streamed",
                "--type", "text", "--minutes", "3", *ACME)  # fmt: skip
    if len(demo.json("offers", "promotions", "list", *ACME)) < 2:
        demo.ok("offers", "promotions", "create", "zz-streamed-promotion", "--name", "Streamed",
                *ACME)  # fmt: skip
    if demo.run("users", "sessions", "list", SIGNED_IN).exit_code != 0:
        demo.ok("users", "create", SIGNED_IN, "--name", "Streamed sessions")
        assert demo.db_url is not None
        for age in (2, 1):  # user agents Agent/2, Agent/1
            sign_in(demo.db_url, SIGNED_IN, age=age, lifetime=30)
    if "zz-streamed-skill" not in demo.ok("skills", "list", "--format", "csv").stdout:
        demo.ok("skills", "create", "zz-streamed-skill", "--name", "Streamed")


# a table prints a page at a time (tests/cli/test_stream_first_row.py): these lists fit one
@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_more_lists_stream(demo: Cli, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _two_of_each(demo)
    for listed, module, reader, field in LISTS:
        args = listed if listed in UNSCOPED else (*listed, *ACME)
        every = demo.json(*args)
        assert len(every) > 1, args
        seen: list[str] = []
        real = getattr(module, reader)
        with monkeypatch.context() as patch:
            patch.setattr(
                module, reader, lambda *a, real=real, seen=seen, **k: _watched(real(*a, **k), seen)
            )
            shown = demo.ok(*args, "--format", fmt).stdout
        keys = [str(row[field]) for row in every]
        # when the last row was asked for, every row before it was out already
        assert [key in seen[0] for key in keys] == [True] * (len(keys) - 1) + [False], args
        assert all(key in shown for key in keys), args


def test_payouts_list_limit(demo: Cli) -> None:
    for amount in ("10.00", "20.00", "30.00")[len(demo.json("payouts", "list", *ACME)) :]:
        demo.ok("payouts", "record", "jane-doe", "--amount", amount, "--currency", "EUR",
                *ACME)  # fmt: skip
    every = demo.json("payouts", "list", *ACME)
    assert len(every) >= 3
    cut = demo.ok("payouts", "list", *ACME, "--format", "json", "--limit", "2")
    assert demo.json("payouts", "list", *ACME, "--limit", "2") == every[:2]
    assert "more were left out" in cut.stderr
    whole = demo.ok("payouts", "list", *ACME, "--format", "json", "--limit", str(len(every)))
    assert "left out" not in whole.stderr
    demo.fails(2, "payouts", "list", *ACME, "--limit", "0")


def test_streamed_lists_cut_at_limit(demo: Cli) -> None:
    """--limit N shows the first N rows of the whole list and says when more were left out,
    as before the lists streamed; `marketplace list --currency` cuts after leaving out the
    listings not priced in it."""
    _two_of_each(demo)
    no_limit = {("courses", "lessons", "list"), ("users", "sessions", "list", SIGNED_IN)}
    cut_lists = [listed for listed, *_ in LISTS if listed not in no_limit]
    for listed in [*cut_lists, ("marketplace", "list", "--currency", "EUR")]:
        args = listed if listed in UNSCOPED or listed[0] == "marketplace" else (*listed, *ACME)
        every = demo.json(*args)
        assert len(every) > 1, args
        cut = demo.ok(*args, "--format", "json", "--limit", str(len(every) - 1))
        assert json.loads(cut.stdout) == every[:-1], args
        assert "more were left out" in cut.stderr, args
        whole = demo.ok(*args, "--format", "json", "--limit", str(len(every)))
        assert json.loads(whole.stdout) == every, args
        assert "left out" not in whole.stderr, args
