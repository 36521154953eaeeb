"""manager reminders: the audit record of each reminder a manager sends an agent

One row per reminder (agent, bulletin version, who sent it, when, whether the e-mail went).
It is also what limits reminders to one per agent and version per
``ONEVOICE_REMINDER_INTERVAL_HOURS``. The agent's inbox notice is a ``notifications`` row of
kind ``reminder`` (the column already holds any kind).

Revision ID: 0007m
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007m'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'manager_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('mail', sa.String(length=16), nullable=False),
        sa.Column('mail_error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_manager_reminders_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['version_id'], ['bulletin_versions.id'],
                                name=op.f('fk_manager_reminders_version_id_bulletin_versions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'],
                                name=op.f('fk_manager_reminders_sent_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_manager_reminders')),
    )
    with op.batch_alter_table('manager_reminders', schema=None) as batch_op:
        batch_op.create_index('ix_manager_reminders_user_version_sent',
                              ['user_id', 'version_id', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_manager_reminders_version_id'), ['version_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_manager_reminders_sent_by_id'), ['sent_by_id'],
                              unique=False)


def downgrade():
    op.drop_table('manager_reminders')
