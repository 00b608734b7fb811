"""The report modules load neither SQLAlchemy nor the ORM models (start-up time, SPEC 7), and
the rule for which translation a label shows."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from volmify_cli.translation_choice import choose_translation


def test_the_report_modules_load_neither_sqlalchemy_nor_the_models_nor_babel() -> None:
    code = (
        "import sys, volmify_cli.cli.commands.revenue, volmify_cli.reports.revenue,"
        " volmify_cli.services.statements;"
        "print(sorted(m for m in sys.modules if m.startswith(('volmify_cli.models', 'sqlmodel',"
        " 'pydantic', 'babel', 'sqlalchemy'))))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


SHOWN_IN = {  # rows in en-US (the default), de-DE, de-CH, pt-PT and ar-EG
    None: "en-US",
    "en-US": "en-US",
    "de-AT": "de-DE",  # same language: CLDR's likely locale for German
    "de-CH": "de-CH",
    "pt-BR": "pt-PT",  # same language, the only one there
    "fr-FR": "en-US",  # no French: the default
    "ar-EG": "ar-EG",
}


@pytest.mark.parametrize(("locale", "shown"), SHOWN_IN.items())
def test_the_translation_shown_in_a_locale(locale: str | None, shown: str) -> None:
    @dataclass
    class Row:
        key: str
        is_default: bool

    rows = {key: Row(key, key == "en-US") for key in ("en-US", "de-DE", "de-CH", "pt-PT", "ar-EG")}
    assert choose_translation(rows, locale).key == shown
    assert choose_translation({}, locale) is None
