"""Tab completion of values: the choices an option names (`--format table|json|...`, `--by`,
`--sort`) and the slugs the database holds (orgs, markets, products, plans, creators, courses),
never file names where a file makes no sense.

Completion runs the program on every Tab, so it must be quick: the slugs are read through the
driver-level reader (no SQLAlchemy, as `volmify --help`), the org from `--org`, VOLMIFY_ORG or
`orgs use`; anything that goes wrong (no database yet, no org) completes nothing, silently."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Completer = Callable[[Any, Any, str], list[str]]

# option or argument name -> (SQL listing the slugs, whether it takes the org's slug)
SLUGS: dict[str, tuple[str, bool]] = {
    "org": ("SELECT slug FROM org ORDER BY slug", False),
    "market": (
        "SELECT m.slug FROM org_market m JOIN org o ON o.id = m.org_id WHERE o.slug = ?"
        " ORDER BY m.slug",
        True,
    ),
    "product": (
        "SELECT p.slug FROM org_product p JOIN org o ON o.id = p.org_id WHERE o.slug = ?"
        " ORDER BY p.slug",
        True,
    ),
    "course": (
        "SELECT p.slug FROM org_product p JOIN org o ON o.id = p.org_id"
        " WHERE o.slug = ? AND p.type = 'course' ORDER BY p.slug",
        True,
    ),
    "plan": (
        "SELECT p.slug || '/' || v.slug || '/' || pl.slug"
        " FROM org_product_variant_payment_plan pl"
        " JOIN org_product_variant v ON v.org_id = pl.org_id AND v.id = pl.variant_id"
        " JOIN org_product p ON p.org_id = v.org_id AND p.id = v.product_id"
        " JOIN org o ON o.id = pl.org_id WHERE o.slug = ? ORDER BY 1",
        True,
    ),
    "creator": (
        "SELECT u.slug FROM org_instructor_affiliation a"
        " JOIN user_profile u ON u.id = a.profile_id JOIN org o ON o.id = a.org_id"
        " WHERE o.slug = ?"
        " UNION SELECT b.slug FROM org_brand b JOIN org o ON o.id = b.org_id WHERE o.slug = ?"
        " ORDER BY 1",
        True,
    ),
    "skill": ("SELECT slug FROM skill ORDER BY slug", False),  # global: no org
}


def choices(words: list[str]) -> Completer:
    def complete(_ctx: Any, _param: Any, incomplete: str) -> list[str]:
        return [word for word in words if word.startswith(incomplete)]

    return complete


def slugs(kind: str) -> Completer:
    sql, scoped = SLUGS[kind]

    def complete(ctx: Any, _param: Any, incomplete: str) -> list[str]:
        try:
            found = _read(ctx, sql, scoped)
        except Exception:  # no database, no org, an old schema: nothing to offer
            return []
        return [slug for slug in found if slug.startswith(incomplete)]

    return complete


def _read(ctx: Any, sql: str, scoped: bool) -> list[str]:
    from volmify_cli.cli.context import AppContext
    from volmify_cli.db import direct

    root = ctx.find_root()
    state = AppContext(db=root.params.get("db"), org=root.params.get("org"))
    reader = direct.connect(state.database())
    if reader is None:
        return []
    try:
        params: tuple[str, ...] = ()
        if scoped:
            org = ctx.params.get("org") or state.org_slug(None)
            params = (org,) * sql.count("?")
        return [str(row[0]) for row in reader.rows(sql, params)]
    finally:
        reader.close()


def completer_for(name: str, metavar: str | None) -> Completer | None:
    """What completes a parameter named `name` (an option's long flag, or an argument), or
    None: its choices when its metavar lists them (`a|b|c`), else the slugs of its kind."""
    if metavar and "|" in metavar:
        return choices(metavar.split("|"))
    if name in SLUGS:
        return slugs(name)
    return None
