"""channel shares: a channel's live video lent to another department under an approval

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_shares",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.String(length=20), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=255), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=True),
        sa.Column("shared_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_channel_shares_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_channel_shares_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approvals.id"],
            name=op.f("fk_channel_shares_approval_id_approvals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_shares")),
    )
    op.create_index(
        op.f("ix_channel_shares_channel_id"), "channel_shares", ["channel_id"], unique=False
    )
    op.create_index(
        op.f("ix_channel_shares_organisation_id"),
        "channel_shares",
        ["organisation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_channel_shares_organisation_id"), table_name="channel_shares")
    op.drop_index(op.f("ix_channel_shares_channel_id"), table_name="channel_shares")
    op.drop_table("channel_shares")
