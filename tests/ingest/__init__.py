"""The ingest tests (a package: its files import each other by relative imports, named as mypy names
them)."""
