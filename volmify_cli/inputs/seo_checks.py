"""The cross-field rule of an entity's `seo:` (issue 21): SEO belongs to a translation, so its
locales are among those of the entity's primary text (a product's title, a brand's or a
collection's name). Asked by the catalog's checks (so `catalog validate` says it too) and by
the sync (`services/sync/seo.py`) for what commands write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from volmify_cli.inputs.documents import Problems
from volmify_cli.inputs.seo_schema import SeoDoc


def no_translation(kind: str, key: str, locale: str) -> str:
    text = "title" if kind == "product" else "name"
    return (
        f"{kind} {key!r} has no translation in {locale} (SEO belongs to a translation:"
        f" give its {text} in {locale} first)"
    )


def check_seo_locales(
    problems: Problems,
    file: str | None,
    path: str,
    seo: Mapping[Any, SeoDoc] | None,
    primary: Any,
    default_locale: str,
    *,
    kind: str,
    key: str,
) -> None:
    """Each locale of `seo` must be one of `primary`'s (a TEXT: a plain string is the
    default locale's)."""
    if not seo:
        return
    locales = {str(k) for k in primary} if isinstance(primary, dict) else {default_locale}
    for locale, doc in seo.items():
        if str(locale) not in locales:
            where = f"{path}.seo.{locale}" if path else f"seo.{locale}"
            problems.add(doc, where, no_translation(kind, key, str(locale)), filename=file)
