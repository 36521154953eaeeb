"""review policy, inbox notices, spaced practice

Revision ID: 0002e
Revises: 0001
Create Date: 2026-11-26 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002e'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bulletin_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=16), nullable=True))

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['bulletin_versions.id'], name=op.f('fk_notifications_version_id_bulletin_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'version_id', 'kind', name=op.f('uq_notifications_user_id_version_id_kind'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_version_id'), ['version_id'], unique=False)

    op.create_table('practice_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('fact_key', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('lapses', sa.Integer(), nullable=False),
    sa.Column('last_item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('last_reviewed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_cards_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['bulletin_versions.id'], name=op.f('fk_practice_cards_version_id_bulletin_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_cards')),
    sa.UniqueConstraint('user_id', 'version_id', 'fact_key', name=op.f('uq_practice_cards_user_id_version_id_fact_key'))
    )
    with op.batch_alter_table('practice_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_cards_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_cards_version_id'), ['version_id'], unique=False)

    op.create_table('practice_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('fact_key', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['practice_cards.id'], name=op.f('fk_practice_reviews_card_id_practice_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_practice_reviews_item_id_items')),
    sa.ForeignKeyConstraint(['option_id'], ['item_options.id'], name=op.f('fk_practice_reviews_option_id_item_options')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_reviews_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['bulletin_versions.id'], name=op.f('fk_practice_reviews_version_id_bulletin_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_reviews'))
    )
    with op.batch_alter_table('practice_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_reviews_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_reviews_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_reviews_version_id'), ['version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('practice_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_reviews_version_id'))
        batch_op.drop_index(batch_op.f('ix_practice_reviews_user_id'))
        batch_op.drop_index(batch_op.f('ix_practice_reviews_card_id'))
    op.drop_table('practice_reviews')
    with op.batch_alter_table('practice_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_cards_version_id'))
        batch_op.drop_index(batch_op.f('ix_practice_cards_due'))
    op.drop_table('practice_cards')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_version_id'))
    op.drop_table('notifications')
    with op.batch_alter_table('bulletin_versions', schema=None) as batch_op:
        batch_op.drop_column('review')
