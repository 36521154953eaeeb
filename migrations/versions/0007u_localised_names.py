"""localised names: skills (call types) and teams named in the reader's language

An agent reading Korean saw call types as codes ("wifi") or English names. ``names`` holds
the other languages' names as JSON (``{"ko": "와이파이"}``); ``name`` stays the default.

Revision ID: 0007u
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007u'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('skills') as batch:
        batch.add_column(sa.Column('names', sa.Text(), nullable=True))
    with op.batch_alter_table('teams') as batch:
        batch.add_column(sa.Column('names', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('teams') as batch:
        batch.drop_column('names')
    with op.batch_alter_table('skills') as batch:
        batch.drop_column('names')
