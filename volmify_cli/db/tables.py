"""Core access to mapped tables, for set-based SQL (reports, bulk checks) that mypy can check:
`table_of(OrgOrder).c.ordered_at` is a typed Column where `OrgOrder.ordered_at` reads as a
datetime to the type checker."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table


def table_of(model: type[Any]) -> Table:
    return cast(Table, model.__table__)
