"""trend snapshots: the readiness trend's counts per team at each closed week's end

The board's weekly readiness trend reads these for the weeks that have ended and counts only
the current week from the marks (docs/performance.md, "Weekly snapshots"). The table starts
empty: the worker (or `flask --app app reports snapshot-weeks`) writes the closed weeks; until
then the trend counts every week from the marks, as before. Four indexes on
``readiness_marks`` let the trend find the few marks that changed since a week's start.

Revision ID: 0011s
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011s'
down_revision = '0010'
branch_labels = None
depends_on = None

# the marks whose instants fall between a week's start and a trend point, found by index
MARK_INDEXES = (
    ('ix_readiness_marks_team_created', ['team_id', 'created_at']),
    ('ix_readiness_marks_team_since', ['team_id', 'certified_since']),
    ('ix_readiness_marks_team_until', ['team_id', 'certified_until']),
    ('ix_readiness_marks_team_span', ['team_id', 'one_span', 'certified']),
)


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
    for name, columns in MARK_INDEXES:
        op.create_index(name, 'readiness_marks', columns)


def downgrade():
    for name, _columns in MARK_INDEXES:
        op.drop_index(name, table_name='readiness_marks')
    op.drop_index('ix_trend_snapshots_week_end', table_name='trend_snapshots')
    op.drop_table('trend_snapshots')
