"""audit Merkle log: each record's leaf hash, and the signed tree heads

Revision ID: 0023
Revises: 0022

Existing records get their leaf hash here, SHA-256(0x00 ‖ canonical record), from the same
canonical bytes the hash chain covers (``vigil.governance.audit_chain.canonical``, written out
here as it was at this revision: a migration does not change when the code does, and the store
does not import governance).
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import RowMapping

from vigil.store.types import UTCDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_FIELDS = ("seq", "actor", "action", "resource", "channel_id", "source", "outcome", "detail")
_records = sa.table(
    "audit_records",
    sa.column("at", UTCDateTime()),
    sa.column("leaf_hash", sa.String()),
    *(sa.column(name) for name in _FIELDS),
)


def _canonical(row: RowMapping) -> bytes:
    fields = {name: row[name] for name in _FIELDS}
    fields["at"] = row["at"].isoformat(timespec="microseconds")
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _backfill() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_records).order_by(_records.c.seq)).mappings().all()
    for row in rows:
        leaf = hashlib.sha256(b"\x00" + _canonical(row)).hexdigest()
        connection.execute(
            _records.update().where(_records.c.seq == row["seq"]).values(leaf_hash=leaf)
        )


def upgrade() -> None:
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leaf_hash", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.alter_column("leaf_hash", existing_type=sa.String(length=64), nullable=False)
    op.create_table(
        "audit_tree_heads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_tree_heads")),
    )
    op.create_index(op.f("ix_audit_tree_heads_size"), "audit_tree_heads", ["size"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_tree_heads_size"), table_name="audit_tree_heads")
    op.drop_table("audit_tree_heads")
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.drop_column("leaf_hash")
