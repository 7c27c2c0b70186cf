"""access policy: channel sensitivity, user clearance, access windows per role or user

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sensitivity", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("clearance", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "access_windows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.Column("days", sa.String(length=7), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_access_windows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_windows")),
    )
    op.create_index(op.f("ix_access_windows_user_id"), "access_windows", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_access_windows_user_id"), table_name="access_windows")
    op.drop_table("access_windows")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("clearance")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("sensitivity")
