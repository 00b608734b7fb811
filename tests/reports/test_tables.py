"""The reports' lightweight table clauses name real columns with the models' types, and a
report command does not import the ORM models (start-up time, SPEC 7)."""

from __future__ import annotations

import subprocess
import sys

from volmify_cli.models import load_all
from volmify_cli.models.base import metadata
from volmify_cli.reports.tables import ALL


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


def test_the_report_modules_do_not_import_the_models() -> None:
    code = (
        "import sys, volmify_cli.reports.revenue, volmify_cli.services.statements,"
        " volmify_cli.rendering.revenue;"
        "print(sorted(m for m in sys.modules if m.startswith('volmify_cli.models.')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
