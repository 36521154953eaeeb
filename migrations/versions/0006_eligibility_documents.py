"""eligibility documents: the routing system's lookup reads one stored row

``GET /api/v1/agents/{id}/eligibility`` used to build each agent's document from the stored
states on every request (decode their JSON, build, encode, hash): 1.6 ms of CPU more than a
bare authenticated endpoint (docs/performance.md, B1). The document and its ETag are now
stored per agent, filled here from the existing rows (the same code as `flask --app app
reports rebuild`) and kept exact by app/derived/eligibility_documents.py in the transactions
that change them.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'eligibility_documents',
        sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('etag', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    from app.derived.eligibility_documents import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_table('eligibility_documents')
