"""translations: a bulletin can be the same change as another in another language

``bulletin_versions.translation_of`` keeps the front matter's ``translation_of`` (the slug of
the original); ``pair_version_id`` the original version a published translation was checked
against, whose requirement its quiz certifies.

Revision ID: 0009b
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009b'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table rebuild on SQLite, where the foreign key is the model's
    # only: SQLite cannot add one to an existing table without copying it).
    op.add_column('bulletin_versions', sa.Column('translation_of', sa.String(length=80),
                                                 nullable=True))
    op.add_column('bulletin_versions', sa.Column('pair_version_id', sa.Integer(),
                                                 nullable=True))
    op.create_index('ix_bulletin_versions_translation_of', 'bulletin_versions',
                    ['translation_of'])
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key('fk_bulletin_versions_pair_version', 'bulletin_versions',
                              'bulletin_versions', ['pair_version_id'], ['id'],
                              ondelete='SET NULL')


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_bulletin_versions_pair_version', 'bulletin_versions',
                           type_='foreignkey')
    op.drop_index('ix_bulletin_versions_translation_of', 'bulletin_versions')
    with op.batch_alter_table('bulletin_versions') as batch:
        batch.drop_column('pair_version_id')
        batch.drop_column('translation_of')
