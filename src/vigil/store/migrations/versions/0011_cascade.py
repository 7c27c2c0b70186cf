"""cascade: what Vigil needs to register to upper platforms, and what it shares with each

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("platforms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password", sa.String(length=128), nullable=True))
        batch_op.add_column(
            sa.Column("register_expires", sa.Integer(), nullable=False, server_default="3600")
        )
        batch_op.add_column(
            sa.Column("keepalive_interval", sa.Integer(), nullable=False, server_default="60")
        )
        batch_op.add_column(
            sa.Column("keepalive_missed", sa.Integer(), nullable=False, server_default="3")
        )
        batch_op.add_column(
            sa.Column("charset", sa.String(length=16), nullable=False, server_default="GB2312")
        )
        batch_op.add_column(
            sa.Column("edition", sa.String(length=8), nullable=False, server_default="2016")
        )
        batch_op.add_column(
            sa.Column("items_per_message", sa.Integer(), nullable=False, server_default="20")
        )
        batch_op.add_column(sa.Column("local_sip_id", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("share_all", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_platforms_created_by_users"),
            "users",
            ["created_by"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "platform_shares",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=20), nullable=False),
        sa.Column("outward_id", sa.String(length=20), nullable=True),
        sa.Column("parent_group_id", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name=op.f("fk_platform_shares_platform_id_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_shares")),
        sa.UniqueConstraint(
            "platform_id", "kind", "target_id", name=op.f("uq_platform_shares_platform_id")
        ),
    )
    with op.batch_alter_table("platform_shares", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_platform_shares_platform_id"), ["platform_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("platform_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_shares_platform_id"))
    op.drop_table("platform_shares")
    with op.batch_alter_table("platforms", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_platforms_created_by_users"), type_="foreignkey")
        for column in (
            "created_by",
            "share_all",
            "local_sip_id",
            "items_per_message",
            "edition",
            "charset",
            "keepalive_missed",
            "keepalive_interval",
            "register_expires",
            "password",
        ):
            batch_op.drop_column(column)
