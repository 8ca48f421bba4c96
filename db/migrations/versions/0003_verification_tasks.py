"""Verification tasks: the departments asked to check an application (§4(1)).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 15:07:55.664853
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('verification_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=50), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_verification_tasks_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_tasks')),
    sa.UniqueConstraint('application_id', 'department', name=op.f('uq_verification_tasks_application_id_department'))
    )
    with op.batch_alter_table('verification_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_tasks_application_id'), ['application_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('verification_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_tasks_application_id'))

    op.drop_table('verification_tasks')
