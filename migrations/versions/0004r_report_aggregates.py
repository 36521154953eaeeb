"""report aggregates: readiness marks and cells, first attempts and gap counts

The manager board and the knowledge-gaps view read these instead of recounting 1.4 million
assignments and 5 million answers (docs/performance.md, B2). They are filled here from the
existing rows (the same code as `flask --app app reports rebuild`) and kept up to date by
app/derived/aggregates.py in the transactions that change what they count.

Revision ID: 0004r
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004r'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'readiness_marks',
        sa.Column('assignment_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('certified', sa.Boolean(), nullable=False),
        sa.Column('certified_until', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('certified_since', sa.DateTime(), nullable=True),
        sa.Column('one_span', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('assignment_id'),
    )
    op.create_index('ix_readiness_marks_user_id', 'readiness_marks', ['user_id'])
    op.create_index('ix_readiness_marks_due_at', 'readiness_marks', ['due_at'])
    op.create_index('ix_readiness_marks_cell', 'readiness_marks', ['team_id', 'version_id'])
    op.create_table(
        'readiness_cells',
        sa.Column('team_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('assigned', sa.Integer(), nullable=False),
        sa.Column('certified', sa.Integer(), nullable=False),
        sa.Column('as_of', sa.DateTime(), nullable=False),
        sa.Column('next_expiry', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('team_id', 'version_id'),
    )
    op.create_index('ix_readiness_cells_version_id', 'readiness_cells', ['version_id'])
    op.create_table(
        'gap_firsts',
        sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('correct', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('user_id', 'version_id'),
    )
    op.create_index('ix_gap_firsts_submitted_at', 'gap_firsts', ['submitted_at'])
    op.create_index('ix_gap_firsts_team', 'gap_firsts', ['team_id', 'submitted_at'])
    op.create_table(
        'gap_counts',
        sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('team_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('option_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('correct', sa.Boolean(), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('version_id', 'team_id', 'item_id', 'option_id', 'correct'),
    )
    from app.derived.aggregates_rebuild import rebuild

    rebuild(op.get_bind())


def downgrade():
    for table in ('gap_counts', 'gap_firsts', 'readiness_cells', 'readiness_marks'):
        op.drop_table(table)
