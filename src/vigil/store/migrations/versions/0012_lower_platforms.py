"""lower platforms: which platform imported a virtual group or a device

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = ("virtual_groups", "devices")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("platform_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_platform_id_platforms"),
                "platforms",
                ["platform_id"],
                ["id"],
                ondelete="CASCADE",
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_platform_id"), ["platform_id"])


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_platform_id"))
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_platform_id_platforms"), type_="foreignkey"
            )
            batch_op.drop_column("platform_id")
