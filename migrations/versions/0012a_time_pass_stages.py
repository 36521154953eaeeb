"""time pass stages: the writes of a known future instant, computed ahead of it

The worker evaluates the agents whose next time-driven change is near and keeps what it
will write in these tables; at the instant, a few set-based statements move it into the
live tables (docs/performance.md, B5 "ahead of time"). The tables are empty between
instants.

Revision ID: 0012a
Revises: 0011s
"""
import sqlalchemy as sa
from alembic import op

revision = '0012a'
down_revision = '0011s'
branch_labels = None
depends_on = None

CHILDREN = ('staged_states', 'staged_events', 'staged_outbox')


def upgrade():
    op.create_table(
        'staged_agents',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=128), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('bump', sa.Boolean(), nullable=False),
        sa.Column('next_check_at', sa.DateTime(), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('etag', sa.String(length=32), nullable=True),
        sa.Column('batch', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
        sqlite_autoincrement=True,  # a dropped stage's id is never given to another
    )
    op.create_index('ix_staged_agents_at', 'staged_agents', ['at'])
    op.create_index('ix_staged_agents_batch', 'staged_agents', ['batch'])
    op.create_table(
        'staged_states',
        sa.Column('stage_id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('op', sa.String(length=1), nullable=False),
        sa.Column('cleared', sa.Boolean(), nullable=True),
        sa.Column('valid_until', sa.DateTime(), nullable=True),
        sa.Column('missing', sa.Text(), nullable=True),
        sa.Column('upcoming', sa.Text(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'staged_events',
        sa.Column('stage_id', sa.Integer(), nullable=False),
        sa.Column('skill', sa.String(length=64), nullable=False),
        sa.Column('cleared', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=64), nullable=False),
        sa.Column('details', sa.Text(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'staged_outbox',
        sa.Column('stage_id', sa.Integer(), nullable=False),
        sa.Column('skill', sa.String(length=64), nullable=False),
        sa.Column('type', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    for table in CHILDREN:
        short = table.removeprefix('staged_')
        op.create_index(f'ix_staged_{short}_stage', table, ['stage_id'])
        op.create_index(f'ix_staged_{short}_at', table, ['at'])


def downgrade():
    for table in CHILDREN:
        op.drop_table(table)
    op.drop_table('staged_agents')
