"""Alembic migrations shipped inside the package and run through `volmify db`."""
