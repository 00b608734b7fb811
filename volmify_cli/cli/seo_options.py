"""The `--seo-*` options of `products update`, `orgs brands update` and `collections update`
(issue 21): one translation's SEO (the command's `--locale`), checked by the rule book in the
service (`services/seo.check_seo_change`), and the table column that shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from volmify_cli.cli import output

if TYPE_CHECKING:
    from volmify_cli.services.seo import SeoChange

PANEL = "SEO (in --locale)"
SeoTitleOpt = Annotated[
    str | None,
    typer.Option("--seo-title", help="Title search engines show (<= 60 characters; '' clears).",
                 rich_help_panel=PANEL, show_default=False),
]  # fmt: skip
SeoDescriptionOpt = Annotated[
    str | None,
    typer.Option("--seo-description", help="Meta description (<= 160 characters; '' clears).",
                 rich_help_panel=PANEL, show_default=False),
]  # fmt: skip
SeoCanonicalOpt = Annotated[
    str | None,
    typer.Option("--seo-canonical-url", help="Canonical URL (absolute https; '' clears).",
                 rich_help_panel=PANEL, show_default=False),
]  # fmt: skip
SeoRobotsOpt = Annotated[
    str | None,
    typer.Option("--seo-robots", help="Robots directives, e.g. 'noindex, nofollow' ('' clears).",
                 rich_help_panel=PANEL, show_default=False),
]  # fmt: skip
SeoImageOpt = Annotated[
    str | None,
    typer.Option("--seo-image", help="Image for link previews (absolute https; '' clears).",
                 rich_help_panel=PANEL, show_default=False),
]  # fmt: skip
ClearSeoOpt = Annotated[
    bool,
    typer.Option("--clear-seo", help="Remove the SEO of --locale (before any --seo-* given).",
                 rich_help_panel=PANEL),
]  # fmt: skip


def seo_change(
    title: str | None,
    description: str | None,
    canonical_url: str | None,
    robots: str | None,
    image: str | None,
    clear: bool,
) -> SeoChange:
    from volmify_cli.services.seo import SeoChange

    return SeoChange(title, description, canonical_url, robots, image, clear)


def _shown(row: Any) -> str:
    seo = row.get("seo") or {}
    return "; ".join(
        f"{locale}: " + ", ".join(f"{k}={v}" for k, v in values.items() if v is not None)
        for locale, values in seo.items()
    )


SEO_COLUMN = output.Column("seo", "SEO", display=_shown)
