"""eligibility clearance index: the staffing counts read an index, not 8 KB rows

The board's staffing per call type counts, per skill, the stored eligibility rows of the
agents in scope and how many are cleared. Each row carries the JSON lists of what is missing,
which in a centre where few agents are cleared are kilobytes long, so reading ``cleared``
from the table touched a page per row (0.3 s for 52,000 rows, docs/performance.md B2). Two
indexes: one covers that count; one, led by ``cleared``, finds the cleared agents whose
clearance may change, without reading the others' rows.

Revision ID: 0005
Revises: 0004r
"""
from alembic import op

revision = '0005'
down_revision = '0004r'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_eligibility_states_clearance', 'eligibility_states',
                    ['user_id', 'skill_id', 'cleared', 'valid_until'])
    op.create_index('ix_eligibility_states_cleared', 'eligibility_states', ['cleared', 'user_id'])


def downgrade():
    op.drop_index('ix_eligibility_states_cleared', table_name='eligibility_states')
    op.drop_index('ix_eligibility_states_clearance', table_name='eligibility_states')
