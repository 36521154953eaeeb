"""server-side sessions, sign-in throttles and the security audit log

Sessions were signed cookies only, so a cookie copied before logout kept working. Each
sign-in now has a ``user_sessions`` row (the cookie holds a random id, the row its SHA-256)
that logout, deactivation, a password change or an admin ends. ``sign_in_throttles`` counts
failed sign-ins and bad API tokens per account and per address for every process at once;
``security_events`` is the audit log of both.

Revision ID: 0007s
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007s'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('user_agent', sa.String(length=300), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('end_reason', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_user_sessions_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'])
    op.create_table(
        'sign_in_throttles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=254), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('window_started_at', sa.DateTime(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_throttles')),
        sa.UniqueConstraint('scope', 'key', name=op.f('uq_sign_in_throttles_scope')),
    )
    op.create_table(
        'security_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('event', sa.String(length=48), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('details', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_security_events_user_id_users')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_security_events_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events')),
    )
    op.create_index(op.f('ix_security_events_at'), 'security_events', ['at'])
    op.create_index(op.f('ix_security_events_user_id'), 'security_events', ['user_id'])


def downgrade():
    op.drop_table('security_events')
    op.drop_table('sign_in_throttles')
    op.drop_table('user_sessions')
