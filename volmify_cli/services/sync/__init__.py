"""Per-entity synchronisation of a catalog import with the database (set-based, bulk)."""
