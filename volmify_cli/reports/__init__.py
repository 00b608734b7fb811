"""Reports: SQL aggregation over the ledger and progress tables, returned as typed rows."""
