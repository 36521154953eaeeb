"""SCIM provisioning: a user's SCIM userName, modification times, a team's external id

``users.user_name`` keeps the userName an identity provider sent when it is not the
person's e-mail address (NULL: the userName is the e-mail). ``updated_at`` on users and
teams is SCIM's ``meta.lastModified`` (filterable, and the ETag's source);
``teams.external_id`` is a Group's ``externalId``; ``users.deleted_at`` marks a person removed
by a SCIM DELETE (kept inactive with their history, no longer a SCIM resource). Existing rows take their creation time
(users) or the migration's time (teams).

Revision ID: 0007c
Revises: 0006
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0007c'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    now = datetime.now(UTC).replace(tzinfo=None)
    op.add_column('users', sa.Column('user_name', sa.String(length=254), nullable=True))
    op.add_column('users', sa.Column('updated_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('deleted_at', sa.DateTime(), nullable=True))
    op.create_index('ix_users_user_name', 'users', ['user_name'], unique=True)
    # SCIM's most frequent question, ``userName eq "x"`` (case-insensitive), as an index seek.
    op.create_index('ix_users_scim_user_name', 'users',
                    [sa.text('lower(coalesce(user_name, email))')])
    op.add_column('teams', sa.Column('external_id', sa.String(length=128), nullable=True))
    op.add_column('teams', sa.Column('created_at', sa.DateTime(), nullable=True))
    op.add_column('teams', sa.Column('updated_at', sa.DateTime(), nullable=True))
    op.create_index('ix_teams_external_id', 'teams', ['external_id'], unique=True)
    users = sa.table('users', sa.column('created_at', sa.DateTime()),
                     sa.column('updated_at', sa.DateTime()))
    op.execute(users.update().values(updated_at=sa.func.coalesce(users.c.created_at, now)))
    teams = sa.table('teams', sa.column('created_at', sa.DateTime()),
                     sa.column('updated_at', sa.DateTime()))
    op.execute(teams.update().values(created_at=now, updated_at=now))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of ``users`` would have to drop the
    # table, and with foreign keys on that cascades into every table that references it.
    op.drop_index('ix_teams_external_id', table_name='teams')
    for column in ('updated_at', 'created_at', 'external_id'):
        op.drop_column('teams', column)
    op.drop_index('ix_users_scim_user_name', table_name='users')
    op.drop_index('ix_users_user_name', table_name='users')
    for column in ('deleted_at', 'updated_at', 'user_name'):
        op.drop_column('users', column)
