"""Login throttles and objection slots (security hardening, issue #12)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14 10:00:00

Written by hand after autogenerate: two small tables, no data to move. The old
``users.failed_logins`` and ``users.locked_until`` columns stay (unused) so that a
downgrade needs no data; a later migration may drop them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "throttles",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttles")),
    )
    op.create_table(
        "objection_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=45), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_slots")),
    )
    with op.batch_alter_table("objection_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objection_slots_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_objection_slots_client"), ["client"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("objection_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_slots_client"))
        batch_op.drop_index(batch_op.f("ix_objection_slots_at"))
    op.drop_table("objection_slots")
    op.drop_table("throttles")
