"""feed releases: a staged gate's events written to the feed before its instant, held

The worker writes the events of a known instant to the change feed shortly before it, held
by a release row; at the instant one UPDATE releases them (docs/performance.md, B5
"released at the instant").

Revision ID: 0013r
Revises: 0012a
"""
import sqlalchemy as sa
from alembic import op

revision = '0013r'
down_revision = '0012a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staged_releases',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('token', sa.Integer(), nullable=False),
        sa.Column('released', sa.Boolean(), nullable=False),
        sa.Column('first_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_staged_releases_token', 'staged_releases', ['token'])
    with op.batch_alter_table('staged_agents') as batch:
        batch.add_column(sa.Column('release_id', sa.Integer(), nullable=True))
        batch.create_index('ix_staged_agents_release', ['release_id'])
    op.add_column('eligibility_events', sa.Column('release_id', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('eligibility_events', 'release_id')
    with op.batch_alter_table('staged_agents') as batch:
        batch.drop_index('ix_staged_agents_release')
        batch.drop_column('release_id')
    op.drop_index('ix_staged_releases_token', 'staged_releases')
    op.drop_table('staged_releases')
