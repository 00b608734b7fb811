"""Metadata as stored: one JSON text per entity (`metadata_json`), keys sorted, so two equal
mappings are the same text (compared as text by the catalog's sync, written as they are) and
an export writes them back in one order. No metadata is NULL, never `{}`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def stored(metadata: Mapping[Any, Any] | None) -> str | None:
    """The column's text for a mapping (None when it is empty)."""
    if not metadata:
        return None
    pairs = {str(key): str(value) for key, value in metadata.items()}
    return json.dumps(pairs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read(text: str | None) -> dict[str, str]:
    """The mapping a column holds (empty for NULL)."""
    if not text:
        return {}
    loaded = json.loads(text)
    return {str(key): str(value) for key, value in loaded.items()}
