"""The only PyYAML import. Loading (safe, event-based, with marks) and dumping YAML."""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml (C) when available: much faster, same results
    from yaml import CSafeDumper as SafeDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper  # type: ignore[assignment]


def dump_yaml(data: Any) -> str:
    """Plain YAML for `--format yaml`: block style, keys in the order given, Unicode kept."""
    return yaml.dump(
        data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
