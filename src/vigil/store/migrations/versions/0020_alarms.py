"""alarms: the alarm centre's alarms and linkage rules

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=True),
        sa.Column("device_id", sa.String(length=20), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("snapshot_path", sa.String(length=512), nullable=True),
        sa.Column("clip_start", UTCDateTime(), nullable=True),
        sa.Column("clip_end", UTCDateTime(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_note", sa.String(length=500), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closed_note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
    )
    op.create_index("ix_alarms_at", "alarms", ["at"], unique=False)
    op.create_index("ix_alarms_kind", "alarms", ["kind"], unique=False)
    op.create_index("ix_alarms_device_id", "alarms", ["device_id"], unique=False)
    op.create_index("ix_alarms_state_id", "alarms", ["state", "id"], unique=False)
    op.create_index("ix_alarms_channel_at", "alarms", ["channel_id", "at"], unique=False)
    op.create_table(
        "alarm_linkages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_linkages")),
    )


def downgrade() -> None:
    op.drop_table("alarm_linkages")
    op.drop_index("ix_alarms_channel_at", table_name="alarms")
    op.drop_index("ix_alarms_state_id", table_name="alarms")
    op.drop_index("ix_alarms_device_id", table_name="alarms")
    op.drop_index("ix_alarms_kind", table_name="alarms")
    op.drop_index("ix_alarms_at", table_name="alarms")
    op.drop_table("alarms")
