"""The worker's set-based time pass: gates reached and certifications expired, in batches.

Every agent carries ``eligibility_check_at``, the next instant at which time alone could
change their eligibility (``rules.next_change_at``). When instants pass, :func:`run` claims
the due agents a batch at a time (``ONEVOICE_TIME_PASS_BATCH``, default 2,000), in order of
that instant, and for each batch, in ONE transaction:

1. reads the batch's agents, call types, certifications and stored states in four
   statements (the requirements are read once per pass, again only when they changed);
2. evaluates each agent AT ITS OWN DUE INSTANT with ``app.domain.situations``: once per
   distinct (call type, team, active, accepted certifications, instant), not once per agent;
3. writes set-based, a statement per GROUP of agents sharing a result, not per agent
   (``time_pass_writes``): each distinct new state of a call type in one ``UPDATE … WHERE
   user_id IN (…)`` (and every held state's ``updated_at``), the agents' versions and next
   instants, the served eligibility documents of the agents that changed (composed from the
   new states), the ``certification.expired`` outbox messages and, last, the change-feed
   events as ``INSERT … SELECT`` from the agents' rows (under the event writers' lock on
   PostgreSQL).

The result is what ``eligibility.recompute(cause="time", at=<due instant>)`` stores for each
agent (tests/web/test_time_pass.py compares them on generated centres). An agent whose
next instant has also passed is due again and is taken by a later batch, so an agent two
instants behind gets two sets of events, each with its own ``at``.

Resumable: an agent's events, states and next instant commit together, so after a crash
the agents of the batch that was being written are still due and the next pass does them;
no event is lost and none is recorded twice. Several workers share a pass: on PostgreSQL
each claims its batch with ``FOR UPDATE SKIP LOCKED``; on SQLite one writer runs at a time.
The report aggregates need no write: what they count does not change with time (a
readiness cell past its ``next_expiry`` is recounted by ``aggregates.refresh_expired``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import User, utcnow
from app.models.time_pass_stages import staged_agents
from app.services.certification import time_pass_ahead as ahead
from app.services.certification.time_pass_reads import (
    DEFAULT_BATCH,
    Pass,
    agents_due,
    batch_size,
    evaluate,
    next_due,
)

__all__ = ["DEFAULT_BATCH", "Pass", "batch_size", "next_due", "run"]


def run(now: datetime | None = None, *, batch: int | None = None,
        after_batch=None) -> Pass:
    """Apply every time-driven change due at ``now`` (default: the clock); returns the tally.

    The events written to the feed ahead of these instants are released, and what was
    staged ahead for them is applied first (``time_pass_ahead``); the agents left (none
    staged, or their stage no longer holds) are evaluated here.
    ``after_batch(pass_)`` is called after each committed batch (the benchmark's progress).
    """
    done = Pass(now or utcnow())
    size = batch or batch_size()
    ahead.release_due(done.now)
    ahead.apply_due(done, size, after_batch)
    while True:
        with unit_of_work():
            claimed = _one_batch(done, size)
        if not claimed:
            break
        if after_batch:
            after_batch(done)
    ahead.clear_passed(done.now)
    db.session.expire_all()  # rows were written past the identity map
    return done


def _one_batch(done: Pass, size: int) -> int:
    s = staged_agents  # an agent whose events the feed holds or shows is its stage's
    agents = agents_due(User.eligibility_check_at <= done.now,
                        ~exists().where(s.c.user_id == User.id, s.c.release_id.is_not(None)),
                        size=size)
    if not agents:
        return 0
    writes = evaluate(done, agents)
    writes.flush(db.session.connection())
    done.changes += writes.changes
    done.agents += len(agents)
    done.batches += 1
    return len(agents)
