"""Each application's workflow state, kept with its row (the cycle's continue-as-new
checkpoint, so no workflow input carries every application); a cycle's stage due dates
and deadline extensions; a vote's series (a replaced result stays on record) and reason.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.JSON(), nullable=True))
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage_due", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("extensions", sa.JSON(), nullable=True))
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("series")
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_column("extensions")
        batch_op.drop_column("stage_due")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("state")
