"""merge the parallel 0009 revisions into one head

Revision ID: 0010
Revises: 0009b, 0009w
"""

revision = '0010'
down_revision = ('0009b', '0009w')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
