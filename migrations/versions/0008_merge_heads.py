"""merge the parallel 0007 revisions into one head

Revision ID: 0008
Revises: 0007c, 0007k, 0007m, 0007o, 0007p, 0007s, 0007u, 0007v
"""

revision = '0008'
down_revision = ('0007c', '0007k', '0007m', '0007o', '0007p', '0007s', '0007u', '0007v')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
