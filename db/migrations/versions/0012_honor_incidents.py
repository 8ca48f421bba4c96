"""Every incident the office reports on an honor (§6(6)), major or not, in the register:
the to-do's "check the accident's social impact" task is done once one is reported.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "honor_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("honor_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("major_adverse_impact", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["honor_id"], ["honors.id"], name=op.f("fk_honor_incidents_honor_id_honors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honor_incidents")),
        sa.UniqueConstraint(
            "honor_id", "number", name=op.f("uq_honor_incidents_honor_id_number")
        ),
    )
    with op.batch_alter_table("honor_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_honor_incidents_honor_id"), ["honor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("honor_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_honor_incidents_honor_id"))
    op.drop_table("honor_incidents")
