"""The use cases: keyword-only functions, session first, no printing, no CLI imports.

Services flush but never commit: the caller's session scope commits once or rolls back.
"""
