"""GIS layers: admin areas, key areas, roads, intersections and buildings as GeoJSON

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gis_features",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "admin_area",
                "key_area",
                "road",
                "intersection",
                "building",
                name="layerkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("organisation_id", sa.String(length=20), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_gis_features_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gis_features")),
    )
    with op.batch_alter_table("gis_features", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gis_features_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_gis_features_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("gis_features", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gis_features_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_gis_features_kind"))
    op.drop_table("gis_features")
