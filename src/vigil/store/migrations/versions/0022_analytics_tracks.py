"""analytics tracks: the live pipeline's tracked objects per channel

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_tracks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("first_box", sa.JSON(), nullable=False),
        sa.Column("last_box", sa.JSON(), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("crop_path", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_tracks")),
    )
    op.create_index(
        "ix_analytics_tracks_channel_started",
        "analytics_tracks",
        ["channel_id", "started_at"],
        unique=False,
    )
    op.create_index(
        "ix_analytics_tracks_started_at", "analytics_tracks", ["started_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_tracks_started_at", table_name="analytics_tracks")
    op.drop_index("ix_analytics_tracks_channel_started", table_name="analytics_tracks")
    op.drop_table("analytics_tracks")
