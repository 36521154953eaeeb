"""draft history: who edited a draft and when, an edit counter, and discarded drafts

A draft version now records who created it, who last edited it and when, and a revision
counter that every save of its source increments: an edit form carries the revision it was
loaded with, and a save from a stale form is refused instead of overwriting another
trainer's text. Discarding a draft deletes its version row (published versions are never
deleted) and records the fact in ``bulletin_events``, the bulletin's history, which is keyed
by slug so that it outlives a discarded first version.

Revision ID: 0007v
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007v'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bulletin_versions') as batch:
        batch.add_column(sa.Column('revision', sa.Integer(), nullable=False,
                                   server_default='1'))
        batch.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('edited_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
        batch.create_foreign_key('fk_bulletin_versions_created_by', 'users',
                                 ['created_by_id'], ['id'], ondelete='SET NULL')
        batch.create_foreign_key('fk_bulletin_versions_edited_by', 'users',
                                 ['edited_by_id'], ['id'], ondelete='SET NULL')
    op.create_table(
        'bulletin_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_bulletin_events_slug', 'bulletin_events', ['slug'])


def downgrade():
    op.drop_index('ix_bulletin_events_slug', table_name='bulletin_events')
    op.drop_table('bulletin_events')
    with op.batch_alter_table('bulletin_versions') as batch:
        batch.drop_constraint('fk_bulletin_versions_edited_by', type_='foreignkey')
        batch.drop_constraint('fk_bulletin_versions_created_by', type_='foreignkey')
        batch.drop_column('edited_at')
        batch.drop_column('edited_by_id')
        batch.drop_column('created_by_id')
        batch.drop_column('revision')
