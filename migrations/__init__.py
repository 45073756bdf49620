"""Alembic environment and revisions; applied by `silta db upgrade` and at every start."""
