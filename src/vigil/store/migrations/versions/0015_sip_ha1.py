"""Device digest secrets as HA1 and their realm, not clear-text passwords

Revision ID: 0015
Revises: 0014

A migration cannot convert the existing clear-text passwords: HA1 = MD5(device ID:realm:password)
needs the realm, which is the node's VIGIL_SIP_DOMAIN setting, not something in the database.
So this revision only adds the columns; every start converts the rows still holding clear text
(``DevicePasswords.convert_clear_text``) and empties ``sip_password``, which nothing writes any
more. Downgrading drops the HA1 values: devices with a password of their own then need it set
again (HA1 cannot be turned back into the password).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gb_registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sip_ha1", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sip_realm", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gb_registrations", schema=None) as batch_op:
        batch_op.drop_column("sip_realm")
        batch_op.drop_column("sip_ha1")
