"""privacy masks: polygons per channel (and per preset), some permanent

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_masks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.Column("preset", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_privacy_masks_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_masks")),
    )
    op.create_index(
        op.f("ix_privacy_masks_channel_id"), "privacy_masks", ["channel_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_privacy_masks_channel_id"), table_name="privacy_masks")
    op.drop_table("privacy_masks")
