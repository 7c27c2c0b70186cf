"""Channels by organisation, device and status, and by device and status: the resource tree's
counts read from the indexes alone; updated_at indexed for the counts' fingerprint

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
        "ix_channels_organisation_device_status",
        "channels",
        ["organisation_id", "device_id", "status"],
        unique=False,
    )
    op.create_index("ix_channels_device_status", "channels", ["device_id", "status"], unique=False)
    op.create_index("ix_channels_updated_at", "channels", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_channels_updated_at", table_name="channels")
    op.drop_index("ix_channels_device_status", table_name="channels")
    op.drop_index("ix_channels_organisation_device_status", table_name="channels")
