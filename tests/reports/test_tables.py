"""The reports' lightweight table clauses name real columns with the models' types, and a
report command does not import the ORM models (start-up time, SPEC 7)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from volmify_cli.models import load_all
from volmify_cli.models.base import metadata
from volmify_cli.reports.tables import ALL
from volmify_cli.translation_choice import choose_translation


def test_every_light_column_exists_in_the_schema_with_the_same_type() -> None:
    load_all()
    for light in ALL:
        real = metadata.tables[light.name]
        for column in light.columns:
            assert column.name in real.columns, f"{light.name}.{column.name}"
            expected = type(real.columns[column.name].type)
            assert isinstance(column.type, expected) or issubclass(expected, type(column.type)), (
                f"{light.name}.{column.name}: {column.type!r} vs {real.columns[column.name].type!r}"
            )


def test_a_report_does_not_load_the_orm_models_sqlmodel_or_babel() -> None:
    code = (
        "import sys, volmify_cli.cli.commands.revenue, volmify_cli.reports.revenue,"
        " volmify_cli.services.statements;"
        "print(sorted(m for m in sys.modules if m.startswith(('volmify_cli.models', 'sqlmodel',"
        " 'pydantic', 'babel', 'sqlalchemy.orm'))))"
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
