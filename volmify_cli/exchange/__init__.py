"""Files in and out: safe YAML loading, document schemas, importers and exporters."""
