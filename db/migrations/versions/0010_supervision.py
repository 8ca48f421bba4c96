"""Supervision and review quality: reviewer appointments, training and discipline,
irregularity records, panel draws and winners' follow-up tasks.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02 07:07:27

Generated from the models and reviewed by hand (issue #16): six new tables, nothing else
changes. `panel_draws.seed` is an int4 (seeds are drawn below 2**31).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "irregularities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_path", sa.String(length=300), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_irregularities_cycle_id_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irregularities")),
        sa.UniqueConstraint("cycle_id", "number", name=op.f("uq_irregularities_cycle_id_number")),
    )
    with op.batch_alter_table("irregularities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_irregularities_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "reviewer_appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("term_from", sa.Date(), nullable=False),
        sa.Column("term_until", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["reviewers.id"],
            name=op.f("fk_reviewer_appointments_reviewer_id_reviewers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer_appointments")),
    )
    with op.batch_alter_table("reviewer_appointments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reviewer_appointments_reviewer_id"), ["reviewer_id"], unique=False
        )

    op.create_table(
        "reviewer_discipline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["reviewers.id"],
            name=op.f("fk_reviewer_discipline_reviewer_id_reviewers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer_discipline")),
    )
    with op.batch_alter_table("reviewer_discipline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reviewer_discipline_reviewer_id"), ["reviewer_id"], unique=False
        )

    op.create_table(
        "reviewer_trainings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["reviewers.id"],
            name=op.f("fk_reviewer_trainings_reviewer_id_reviewers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer_trainings")),
    )
    with op.batch_alter_table("reviewer_trainings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reviewer_trainings_reviewer_id"), ["reviewer_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("honor_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("report_path", sa.String(length=300), nullable=True),
        sa.Column("report_sha256", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_notified", sa.Boolean(), nullable=False),
        sa.Column("evaluation", sa.String(length=20), nullable=True),
        sa.Column("evaluation_note", sa.Text(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["honor_id"], ["honors.id"], name=op.f("fk_follow_ups_honor_id_honors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("honor_id", "number", name=op.f("uq_follow_ups_honor_id_number")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_honor_id"), ["honor_id"], unique=False)

    op.create_table(
        "panel_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("pool", sa.JSON(), nullable=False),
        sa.Column("drawn", sa.JSON(), nullable=False),
        sa.Column("leader", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("members", sa.JSON(), nullable=True),
        sa.Column("adopted_leader", sa.String(length=50), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("drawn_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_panel_draws_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_panel_draws_cycle_id_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_draws")),
    )
    with op.batch_alter_table("panel_draws", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_panel_draws_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_panel_draws_cycle_id"), ["cycle_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("panel_draws", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_draws_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_panel_draws_application_id"))

    op.drop_table("panel_draws")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_honor_id"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("reviewer_trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewer_trainings_reviewer_id"))

    op.drop_table("reviewer_trainings")
    with op.batch_alter_table("reviewer_discipline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewer_discipline_reviewer_id"))

    op.drop_table("reviewer_discipline")
    with op.batch_alter_table("reviewer_appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewer_appointments_reviewer_id"))

    op.drop_table("reviewer_appointments")
    with op.batch_alter_table("irregularities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_irregularities_cycle_id"))

    op.drop_table("irregularities")
