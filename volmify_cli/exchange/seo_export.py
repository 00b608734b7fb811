"""The `seo:` of products, brands and collections in a catalog export (issue 21): per locale,
the default locale first, the fields in the order a file writes them, unset ones left out; what
the import reads back unchanged."""

from __future__ import annotations

from typing import Any

from volmify_cli.db.bulk import Bulk
from volmify_cli.inputs.seo_schema import SEO_FIELDS
from volmify_cli.services.sync.seo import Owner, read_seo


def seo_docs(db: Bulk, org_id: str, owner: Owner, default_locale: str) -> dict[str, Any]:
    """parent id -> its `seo:` document (locale -> fields)."""
    docs: dict[str, Any] = {}
    for parent, by_locale in read_seo(db, org_id, owner).items():
        ordered = sorted(by_locale, key=lambda locale: (locale != default_locale, locale))
        docs[parent] = {
            locale: {
                name: value
                for name, value in zip(SEO_FIELDS, by_locale[locale][1], strict=True)
                if value is not None
            }
            for locale in ordered
        }
    return docs
