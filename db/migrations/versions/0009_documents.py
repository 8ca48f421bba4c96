"""The archive of generated documents (档案); a notice may carry one; score comments per
category; the digest of the site review report the applicant confirmed.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 08:00:00

Written by hand (issue #15 items 5–6). The bytes live in the row (`content`), with their
SHA-256 digest and size.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("honor_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=10), nullable=True),
        sa.Column("award", sa.String(length=20), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_documents_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_documents_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["honor_id"], ["honors.id"], name=op.f("fk_documents_honor_id_honors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("key", name=op.f("uq_documents_key")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_honor_id"), ["honor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_sha256"), ["sha256"], unique=False)
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notices_document_id_documents"), "documents", ["document_id"], ["id"]
        )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comments", sa.JSON(), nullable=True))
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_report_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("site_report_sha256")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_column("comments")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notices_document_id_documents"), type_="foreignkey")
        batch_op.drop_column("document_id")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_sha256"))
        batch_op.drop_index(batch_op.f("ix_documents_honor_id"))
        batch_op.drop_index(batch_op.f("ix_documents_application_id"))
        batch_op.drop_index(batch_op.f("ix_documents_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_documents_kind"))
    op.drop_table("documents")
