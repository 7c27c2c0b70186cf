"""Channels by organisation and status: the resource tree's counts read from the index

Revision ID: 0019
Revises: 0018
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_channels_organisation_status", "channels", ["organisation_id", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_channels_organisation_status", table_name="channels")
