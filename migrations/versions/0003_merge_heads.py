"""merge the parallel 0002 revisions into one head

Revision ID: 0003
Revises: 0002a, 0002b, 0002e, 0002g
"""

revision = '0003'
down_revision = ('0002a', '0002b', '0002e', '0002g')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
