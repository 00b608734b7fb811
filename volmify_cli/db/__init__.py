"""Database layer: URLs, engines, column types, naming convention, session scope."""
