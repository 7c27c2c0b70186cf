"""Channel filing fields (builder, purpose, legal basis, filing number) and mounting

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mount_height", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("tilt", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("builder_unit", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("purpose", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("legal_basis", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("filing_number", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        for name in (
            "filing_number",
            "legal_basis",
            "purpose",
            "builder_unit",
            "tilt",
            "mount_height",
        ):
            batch_op.drop_column(name)
