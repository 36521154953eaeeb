"""answered calls: the routing system reports them, OneVoice judges each against eligibility

Revision ID: 0007k
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007k'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.String(length=128), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.Column('local_day', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('cleared', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=True),
        sa.Column('missing', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['skill_id'], ['skills.id']),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('call_id'),
    )
    op.create_index('ix_calls_answered_at', 'calls', ['answered_at'])
    op.create_index('ix_calls_skill_id', 'calls', ['skill_id'])
    op.create_index('ix_calls_day_team', 'calls', ['local_day', 'team_id'])
    op.create_index('ix_calls_user_answered', 'calls', ['user_id', 'answered_at'])


def downgrade():
    op.drop_table('calls')
