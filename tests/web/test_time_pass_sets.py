"""The time pass's set-based writes (app/services/certification/time_pass_writes.py).

tests/web/test_time_pass.py holds the pass equal to the per-agent path on generated centres
and kills a worker mid-pass; here: the events of many groups split over several statements
give the same result, and each agent's changes of one version sit together in the feed, in
call-type order (what fan-out reads as one message).
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import func, select

from app.core.extensions import db
from app.models import EligibilityEvent
from app.services.certification import time_pass, time_pass_writes
from tests.web.test_time_pass import LATER, assert_same, centre, reference, snapshot


def test_groups_split_over_many_statements_give_the_per_agent_result(ctx, monkeypatch):
    want = reference(2)
    centre(2)
    monkeypatch.setattr(time_pass_writes, "GROUPS_PER_STATEMENT", 3)
    done = time_pass.run(LATER, batch=40)
    assert_same(snapshot(), want)
    assert done.changes == want["changes"]


def test_an_agents_changes_of_one_version_are_together_in_skill_order(ctx):
    centre(1)
    before = db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0
    db.session.commit()
    done = time_pass.run(LATER, batch=50)
    e = EligibilityEvent
    rows = db.session.execute(select(e.seq, e.user_id, e.agent_version, e.skill)
                              .where(e.seq > before).order_by(e.seq)).all()
    assert len(rows) == done.changes > 50
    runs = [(key, [(r.seq, r.skill) for r in group])
            for key, group in groupby(rows, key=lambda r: (r.user_id, r.agent_version))]
    assert len({key for key, _ in runs}) == len(runs), "a version's changes are split"
    for _, changes in runs:
        assert [skill for _, skill in changes] == sorted(skill for _, skill in changes)
    assert any(len(changes) > 1 for _, changes in runs)
