"""The audit trail refuses DELETE as well as UPDATE; signed checkpoints of its head.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00

Written by hand (issue #12 item 6). `audit_entries` already refuses UPDATE (0002); it now
refuses DELETE too, and on PostgreSQL TRUNCATE (which fires no row trigger). The new
`audit_checkpoints` table is guarded the same way. A database owner can still drop the
triggers: the checkpoint file outside the database is what catches that (SECURITY.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (trigger name, table, event) on both dialects.
_GUARDS = (
    ("audit_entries_no_delete", "audit_entries", "DELETE"),
    ("audit_checkpoints_no_update", "audit_checkpoints", "UPDATE"),
    ("audit_checkpoints_no_delete", "audit_checkpoints", "DELETE"),
)
# PostgreSQL only: TRUNCATE bypasses row triggers.
_PG_TRUNCATE_GUARDS = (
    ("audit_entries_no_truncate", "audit_entries"),
    ("audit_checkpoints_no_truncate", "audit_checkpoints"),
)
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("head_mac", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checkpoints_head_id"), ["head_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for name, table, event in _GUARDS:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
            )
        for name, table in _PG_TRUNCATE_GUARDS:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
            )
    else:
        for name, table, event in _GUARDS:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    guards = [(name, table) for name, table, _ in _GUARDS]
    if postgresql:
        guards += list(_PG_TRUNCATE_GUARDS)
    for name, table in guards:
        on_table = f" ON {table}" if postgresql else ""
        op.execute(f"DROP TRIGGER IF EXISTS {name}{on_table}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")

    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checkpoints_head_id"))
    op.drop_table("audit_checkpoints")
