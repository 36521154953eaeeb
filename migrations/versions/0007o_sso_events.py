"""sso events: the audit trail of sign-ins through OpenID Connect

Each sign-in through the identity provider, its refusal once the provider vouched for the
person (unknown, deactivated, no role...), and the role/team changes its claims made.

Revision ID: 0007o
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007o'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sso_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('subject', sa.String(length=512), nullable=False),
        sa.Column('outcome', sa.String(length=32), nullable=False),
        sa.Column('changes', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sso_events_at', 'sso_events', ['at'])
    op.create_index('ix_sso_events_user_id', 'sso_events', ['user_id'])


def downgrade():
    op.drop_index('ix_sso_events_user_id', table_name='sso_events')
    op.drop_index('ix_sso_events_at', table_name='sso_events')
    op.drop_table('sso_events')
