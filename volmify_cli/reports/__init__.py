"""Reports: SQL aggregation into typed rows (revenue, learning progress)."""
