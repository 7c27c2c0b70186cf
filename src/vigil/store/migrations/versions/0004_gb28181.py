"""GB/T 28181 registrations, device status history, alarms and positions

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gb_registrations",
        sa.Column("device_id", sa.String(length=20), nullable=False),
        sa.Column("sip_password", sa.String(length=128), nullable=True),
        sa.Column("contact", sa.String(length=255), nullable=True),
        sa.Column("registered_at", UTCDateTime(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_gb_registrations_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_gb_registrations")),
    )
    op.create_table(
        "device_status_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_status_events_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_status_events")),
    )
    with op.batch_alter_table("device_status_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_status_events_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_device_status_events_device_id"), ["device_id"], unique=False
        )
    op.create_table(
        "device_alarms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("method", sa.Integer(), nullable=True),
        sa.Column("alarm_type", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_alarms_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_alarms")),
    )
    with op.batch_alter_table("device_alarms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_alarms_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_device_alarms_device_id"), ["device_id"], unique=False)
    op.create_table(
        "device_positions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("speed", sa.Float(), nullable=True),
        sa.Column("direction", sa.Float(), nullable=True),
        sa.Column("altitude", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_positions_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_positions")),
    )
    with op.batch_alter_table("device_positions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_positions_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_device_positions_device_id"), ["device_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("device_positions")
    op.drop_table("device_alarms")
    op.drop_table("device_status_events")
    op.drop_table("gb_registrations")
