"""The shared SQLModel schema, one module per domain.

A command imports only the domains it uses; `load_all()` imports every module, for migrations,
schema checks and anything that writes across domains.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

DOMAINS = (
    "core",
    "orgs",
    "markets",
    "products",
    "plans",
    "offers",
    "courses",
    "learning",
    "sales",
    "platform",
)


def load_all() -> MetaData:
    """Import every model module and return the complete metadata."""
    for domain in DOMAINS:
        importlib.import_module(f"volmify_cli.models.{domain}")
    from volmify_cli.models.base import metadata

    return metadata
