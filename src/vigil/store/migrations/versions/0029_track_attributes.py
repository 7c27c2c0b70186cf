"""track attributes: vehicle type and colour, clothing colours, read from a track's best crop

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

#: The searched attributes: each a plain column with an index that leads with it.
SEARCHED = ("vehicle_type", "colour", "upper_colour", "lower_colour")


def upgrade() -> None:
    with op.batch_alter_table("analytics_tracks") as batch:
        batch.add_column(sa.Column("attributes", sa.JSON(), nullable=True))
        for name in SEARCHED:
            batch.add_column(sa.Column(name, sa.String(length=16), nullable=True))
    for name in SEARCHED:
        op.create_index(
            f"ix_analytics_tracks_{name}_started",
            "analytics_tracks",
            [name, "started_at"],
            unique=False,
        )


def downgrade() -> None:
    for name in reversed(SEARCHED):
        op.drop_index(f"ix_analytics_tracks_{name}_started", table_name="analytics_tracks")
    with op.batch_alter_table("analytics_tracks") as batch:
        for name in reversed(SEARCHED):
            batch.drop_column(name)
        batch.drop_column("attributes")
