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

COLUMNS = [
    ("mount_height", sa.Float()),
    ("tilt", sa.Float()),
    ("builder_unit", sa.String(length=128)),
    ("purpose", sa.String(length=255)),
    ("legal_basis", sa.String(length=255)),
    ("filing_number", sa.String(length=64)),
]


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
