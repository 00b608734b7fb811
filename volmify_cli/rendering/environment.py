"""The Jinja2 environment for course scaffolds and revenue statements.

Templates live in the repository's `templates/` (shipped in the wheel). Output is text we write
to files: HTML templates autoescape, YAML and Markdown templates do not (they escape their own
values with the `yaml_str` / `md` filters where needed).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from volmify_cli.resources import resource_dir

# JSON leaves these as they are, but YAML refuses DEL and C1 controls in a document and reads
# NEL, LS and PS as line breaks (folded away in a quoted scalar): written as \u escapes instead.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_str(value: Any) -> str:
    """A YAML double-quoted scalar: JSON string syntax is valid YAML and keeps the exact text."""
    text = json.dumps(str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# Markdown punctuation that could turn a name into markup: a link (`[x](javascript:…)`), raw
# HTML (`<script>`), emphasis, code, an entity; and `|`, which would end the table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def markdown_cell(value: Any) -> str:
    """Text shown as written inside Markdown (a table cell, a heading): special characters
    backslash-escaped (CommonMark), line breaks as spaces."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
    return re.sub(r"[\r\n\u2028\u2029]+", " ", text)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_dir("templates"))),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "html.j2")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_str"] = yaml_str
    env.filters["md"] = markdown_cell
    return env


def render_template(name: str, **context: Any) -> str:
    """Render `templates/<name>`. Raises jinja2's TemplateNotFound for an unknown name."""
    return environment().get_template(name).render(**context)


def template_names(prefix: str) -> list[str]:
    """Templates under a folder of `templates/`, e.g. `courses/`."""
    return sorted(name for name in environment().list_templates() if name.startswith(prefix))
