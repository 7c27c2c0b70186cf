"""availability: video faults and work orders

Revision ID: 0010
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_faults",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("evidence_path", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_faults")),
    )
    with op.batch_alter_table("video_faults", schema=None) as batch_op:
        batch_op.create_index(
            "ix_video_faults_channel_opened", ["channel_id", "opened_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_video_faults_closed_at"), ["closed_at"], unique=False)
    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fault_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("assignee", sa.String(length=128), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fault_id"],
            ["video_faults.id"],
            name=op.f("fk_work_orders_fault_id_video_faults"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("fault_id", name=op.f("uq_work_orders_fault_id")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_orders_channel_id"), ["channel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_closed_at"), ["closed_at"], unique=False)


def downgrade() -> None:
    op.drop_table("work_orders")
    op.drop_table("video_faults")
