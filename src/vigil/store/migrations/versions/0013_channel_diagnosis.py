"""availability: per-channel diagnosis state (baseline, threshold overrides, preset) and
reference views per preset

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_diagnosis",
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("baseline", sa.Text(), nullable=False),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.Column("preset", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_diagnosis")),
    )
    op.create_table(
        "channel_references",
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("preset", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("picture", sa.LargeBinary(), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", "preset", name=op.f("pk_channel_references")),
    )


def downgrade() -> None:
    op.drop_table("channel_references")
    op.drop_table("channel_diagnosis")
