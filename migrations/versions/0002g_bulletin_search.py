"""bulletin_search: the agent knowledge base's full-text index

SQLite: an FTS5 virtual table with the trigram tokenizer (substring search in any script,
Korean included). PostgreSQL: a plain table with a pg_trgm GIN index over title and body.
Published versions already in the database are indexed here, so search works right after
the upgrade.

Revision ID: 0002g
Revises: 0001
Create Date: 2026-11-27 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002g'
down_revision = '0001'
branch_labels = None
depends_on = None

COLUMNS = ("slug", "version", "fact", "title", "body")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE bulletin_search USING fts5("
                   "slug UNINDEXED, version UNINDEXED, fact UNINDEXED, title, body, "
                   "tokenize='trigram')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_table(
            'bulletin_search',
            sa.Column('slug', sa.String(length=80), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False),
            sa.Column('fact', sa.String(length=64), nullable=True),
            sa.Column('title', sa.Text(), nullable=False),
            sa.Column('body', sa.Text(), nullable=False),
        )
        op.create_index('ix_bulletin_search_slug_version', 'bulletin_search',
                        ['slug', 'version'])
        op.execute("CREATE INDEX ix_bulletin_search_trgm ON bulletin_search "
                   "USING gin ((title || ' ' || body) gin_trgm_ops)")
    _index_published(bind)


def _index_published(bind) -> None:
    """Index every version published before this revision (new ones are indexed on publish)."""
    from app.domain.bulletin.format import parse_bulletin
    from app.domain.bulletin.types import ContentError, Fact
    from app.domain.markup import plain_text
    from app.domain.search_text import index_entries

    versions = bind.execute(sa.text(
        "SELECT v.id, v.number, v.title, v.source, b.slug FROM bulletin_versions v "
        "JOIN bulletins b ON b.id = v.bulletin_id WHERE v.status = 'published'")).all()
    table = sa.table('bulletin_search', *(sa.column(name) for name in COLUMNS))
    for version_id, number, title, source, slug in versions:
        facts = [Fact(key=key, label=label, value=value, old_value=old)
                 for key, label, value, old in bind.execute(sa.text(
                     "SELECT key, label, value, old_value FROM facts WHERE version_id = :v "
                     "ORDER BY position"), {"v": version_id})]
        try:
            body = plain_text(parse_bulletin(source, slug).body)
        except ContentError:
            body = ""
        rows = [{"slug": slug, "version": number, "fact": e.fact, "title": e.title,
                 "body": e.body} for e in index_entries(title, body, facts)]
        if rows:
            bind.execute(table.insert(), rows)


def downgrade():
    op.execute("DROP TABLE bulletin_search")
