"""The inbox pass in bounded batches (issue #19): the same notices as one transaction, and a
pass stopped after any batch is finished by the next one with nothing doubled.

Generated centres (benchmarks/data.py: thousands of assignments, certified and not, due at
scattered instants) go through a timeline of passes; the notices (who, which version, which
kind, created and read when) are compared with the unbatched pass's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models.engagement import Notification
from app.queries import inbox
from tests.web.test_time_pass import AT, centre, empty_database

TIMELINE = [AT - timedelta(days=20), AT, AT + timedelta(days=2), AT + timedelta(days=12),
            AT + timedelta(days=40)]


def notices() -> set[tuple]:
    db.session.commit()
    n = Notification
    return set(db.session.execute(select(n.user_id, n.version_id, n.kind, n.created_at,
                                         n.read_at)).all())


def timeline(batch: int) -> tuple[list[int], set[tuple]]:
    created = [inbox.generate(at, batch=batch) for at in TIMELINE]
    return created, notices()


@pytest.fixture
def reference(ctx):
    centre(1)
    result = timeline(10**9)
    empty_database()
    assert sum(result[0]) > 50, "the generated centre must call for notices"
    return result


@pytest.mark.parametrize("batch", [1, 37, 2000])
def test_batches_give_the_notices_of_one_transaction(reference, batch):
    centre(1)
    assert timeline(batch) == reference


def test_a_pass_stopped_after_a_batch_is_finished_by_the_next(reference):
    centre(1)
    created = []
    for at in TIMELINE:
        with unit_of_work():  # exactly what one batch of a pass commits before it stops
            first = inbox._generate(inbox._candidates(at, 0, 25), at)
        created.append(first + inbox.generate(at, batch=25))
    assert (created, notices()) == reference
    rows = db.session.scalar(select(func.count()).select_from(Notification))
    assert rows == len(reference[1])  # nothing stored twice
