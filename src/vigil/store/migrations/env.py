"""Alembic environment: always handed a live connection by ``vigil.store.migrate``."""

from __future__ import annotations

from alembic import context

from vigil.store.base import Base
from vigil.store.models import AuditRecord  # noqa: F401  (registers every table on Base.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
