"""analytics_rules: each channel's analytics rules (zones, lines), versioned

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_rules",
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_analytics_rules_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_analytics_rules")),
    )


def downgrade() -> None:
    op.drop_table("analytics_rules")
