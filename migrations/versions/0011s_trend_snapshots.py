"""trend snapshots: the readiness trend's counts per team at each closed week's end

The board's weekly readiness trend reads these for the weeks that have ended and counts only
the current week from the marks (docs/performance.md, "Weekly snapshots"). The table starts
empty: the worker (or `flask --app app reports snapshot-weeks`) writes the closed weeks; until
then the trend counts every week from the marks, as before.

Revision ID: 0011s
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011s'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'trend_snapshots',
        sa.Column('team_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('week_end', sa.DateTime(), nullable=False),
        sa.Column('assigned', sa.Integer(), nullable=False),
        sa.Column('certified', sa.Integer(), nullable=False),
        sa.Column('written_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('team_id', 'week_end'),
    )
    op.create_index('ix_trend_snapshots_week_end', 'trend_snapshots', ['week_end'])


def downgrade():
    op.drop_index('ix_trend_snapshots_week_end', table_name='trend_snapshots')
    op.drop_table('trend_snapshots')
