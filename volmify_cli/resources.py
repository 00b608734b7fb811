"""Where the shipped data directories are: inside the wheel, or at the repository root.

Files force-included into the wheel (`templates/`, `fixtures/`) are not there under
`pip install -e`, so both places are looked up through this one function.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The directory `templates` or `fixtures`. Raises FileNotFoundError when neither exists."""
    for candidate in (PACKAGE / "_data" / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"volmify's {name}/ directory is missing from this installation")
