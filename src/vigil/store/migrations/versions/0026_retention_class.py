"""retention class per channel; evidence locks with a case number and an expiry

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.add_column(
            sa.Column(
                "retention_class",
                sa.String(length=16),
                nullable=False,
                server_default="standard",
            )
        )
    with op.batch_alter_table("recording_segments") as batch:
        batch.add_column(sa.Column("lock_case", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lock_expires_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recording_segments") as batch:
        batch.drop_column("lock_expires_at")
        batch.drop_column("lock_case")
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("retention_class")
