"""The only Jinja2 import: templates from `templates/`, with l10n filters."""
