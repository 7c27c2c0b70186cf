"""Filing records of systems (devices and cascade platforms)

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "system_filings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=20), nullable=True),
        sa.Column("platform_id", sa.Integer(), nullable=True),
        sa.Column("owner_unit", sa.String(length=128), nullable=True),
        sa.Column("builder_unit", sa.String(length=128), nullable=True),
        sa.Column("maintainer_unit", sa.String(length=128), nullable=True),
        sa.Column("purpose", sa.String(length=255), nullable=True),
        sa.Column("legal_basis", sa.String(length=255), nullable=True),
        sa.Column("filing_number", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(device_id IS NULL) <> (platform_id IS NULL)",
            name=op.f("ck_system_filings_one_system"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_system_filings_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_system_filings_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_system_filings")),
        sa.UniqueConstraint("device_id", name=op.f("uq_system_filings_device_id")),
        sa.UniqueConstraint("platform_id", name=op.f("uq_system_filings_platform_id")),
    )


def downgrade() -> None:
    op.drop_table("system_filings")
