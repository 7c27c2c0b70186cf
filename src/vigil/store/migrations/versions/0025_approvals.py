"""approvals: requests to export, unmask or share video, their decisions and grants

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("channel_id", sa.String(length=20), nullable=False),
        sa.Column("range_start", UTCDateTime(), nullable=True),
        sa.Column("range_end", UTCDateTime(), nullable=True),
        sa.Column("purpose", sa.String(length=255), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=True),
        sa.Column("requester", sa.String(length=64), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoke_note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    op.create_index("ix_approvals_state_id", "approvals", ["state", "id"], unique=False)
    op.create_index("ix_approvals_requester_id", "approvals", ["requester_id", "id"], unique=False)
    op.create_index(op.f("ix_approvals_channel_id"), "approvals", ["channel_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_approvals_channel_id"), table_name="approvals")
    op.drop_index("ix_approvals_requester_id", table_name="approvals")
    op.drop_index("ix_approvals_state_id", table_name="approvals")
    op.drop_table("approvals")
