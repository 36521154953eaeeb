"""A staged instant's events written to the change feed before it, released at it.

Shortly before a known instant (``ONEVOICE_TIME_PASS_PUBLISH_SECONDS``) the worker writes
the staged agents' events to the feed, held by a release; the feed ends before them until
the release (one UPDATE at the instant), and the webhook fan-out until every stage of the
release is applied. What is stored in the end must be the per-agent recomputation's, on the
generated centres of test_time_pass.py, with an agent recomputed before the release (its held
events withdrawn) or after it (its stage applied first), the requirements changed before the
release (every held event withdrawn), and an agent renamed between the release and the apply.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import EligibilityEvent, Requirement, User, utcnow
from app.models.eligibility import eligibility_documents as documents_table
from app.models.time_pass_stages import staged_agents, staged_releases
from app.models.webhooks import WebhookDelivery
from app.queries.feed_end import fan_out_end
from app.services.certification import time_pass, time_pass_ahead
from app.services.certification.eligibility import recompute
from app.services.integration import feed, webhooks
from app.services.integration.webhook_endpoints import create_endpoint
from tests.web.test_time_pass import AT, LATER, _events, assert_same, centre, snapshot
from tests.web.test_time_pass_ahead import (
    _late_certificate,
    _one_instant,
    assert_feed_order,
    documents_match_rows,
    leftovers,
    reference_with,
    stepped,
)

INSTANT = AT + timedelta(days=3)  # _one_instant's
AHEAD = 45 * 86400


def raw_end() -> int:
    db.session.commit()
    return db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0


def feed_end() -> int:
    db.session.commit()
    return feed.last_seq()


def held_events(user_id: int | None = None) -> int:
    e = EligibilityEvent
    query = select(func.count()).select_from(e).where(e.release_id.in_(
        select(staged_releases.c.id).where(staged_releases.c.released.is_(False))))
    if user_id is not None:
        query = query.where(e.user_id == user_id)
    db.session.commit()
    return db.session.scalar(query)


def published_ahead() -> int:
    """Stage and publish the whole centre's one instant a second before it."""
    time_pass_ahead.stage(AT, seconds=AHEAD)
    return time_pass_ahead.publish(INSTANT - timedelta(seconds=1), seconds=10).changes


@pytest.mark.parametrize("seed", [1, 2])
def test_published_ahead_equals_the_per_agent_path(ctx, seed):
    want = reference_with(seed)
    centre(seed)
    changes, applied = stepped(publish=True)
    assert_same(snapshot(), want)
    assert changes == want["changes"]
    assert applied > 0 and leftovers() == 0
    assert time_pass.run(LATER).changes == 0
    assert feed_end() == raw_end(), "nothing is held once every instant passed"
    assert_feed_order()


def test_the_feed_ends_before_held_events_until_their_instant(ctx):
    centre(1)
    _one_instant()
    before = raw_end()
    changes = published_ahead()
    assert changes > 0 and raw_end() == before + changes, "written to the table ahead"
    assert feed_end() == before, "but the feed ends before them"
    assert fan_out_end(raw_end()) == before
    stamps = set(db.session.scalars(select(EligibilityEvent.at)
                                    .where(EligibilityEvent.seq > before)))
    assert stamps == {INSTANT}, "the events carry their instant as at"

    assert time_pass_ahead.release_due(INSTANT - timedelta(seconds=1)) == 0, "not yet"
    assert time_pass_ahead.release_due(INSTANT) == 1
    assert feed_end() == before + changes, "released at the instant: the feed shows them"
    assert fan_out_end(raw_end()) == before, "the webhooks wait for the documents"

    done = time_pass.run(INSTANT)
    assert done.staged > 0 and done.changes == 0, "applied, nothing recorded twice"
    assert fan_out_end(raw_end()) == raw_end() == before + changes
    assert leftovers() == 0


def test_the_pass_never_evaluates_an_agent_whose_events_are_held(ctx):
    """A pass at the instant before the release was seen (another worker published late)
    leaves the published agents to their stage: the result is the per-agent one."""
    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    changes = published_ahead()
    with unit_of_work() as session:  # as if published after this pass's release step
        session.execute(update(staged_releases).values(at=INSTANT + timedelta(seconds=5)))
    first = time_pass.run(INSTANT)
    assert first.changes == 0 and first.staged == 0, "the held agents are left alone"
    done = time_pass.run(LATER)
    assert changes + done.changes == want["changes"]
    assert_same(snapshot(), want)


def test_a_recompute_before_the_release_withdraws_its_agents_held_events(ctx):
    want = reference_with(1, _late_certificate)
    centre(1)
    time_pass_ahead.stage(AT - timedelta(seconds=2), seconds=AHEAD)
    changes = time_pass_ahead.publish(AT - timedelta(seconds=2), seconds=AHEAD).changes
    user_id = db.session.scalar(select(func.min(User.id)).where(
        User.role == "agent", User.eligibility_check_at.is_not(None)))
    assert held_events(user_id) > 0
    withdrawn = held_events()
    _late_certificate()  # recomputes that agent at AT - 1 s
    assert held_events(user_id) == 0, "its held events are withdrawn"
    withdrawn -= held_events()
    done_changes, _ = stepped(publish=True)
    assert_same(snapshot(), want)
    assert changes - withdrawn + done_changes == want["changes"]
    assert_feed_order()


def test_a_recompute_after_the_release_applies_its_stage_first(ctx):
    """A lookup at the instant recomputes an agent whose events the feed shows but whose
    stage is not applied yet: it starts from the stage (no version used twice, no change
    recorded twice)."""
    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    changes = published_ahead()
    time_pass_ahead.release_due(INSTANT)
    with unit_of_work() as session:
        user = session.scalars(select(User).where(User.role == "agent")
                               .join(staged_agents, staged_agents.c.user_id == User.id)
                               .where(staged_agents.c.bump).order_by(User.id)).first()
        base = user.eligibility_version or 0
        assert recompute([user], cause="time", at=INSTANT) == 0
    db.session.expire_all()
    assert db.session.get(User, user.id).eligibility_version == base + 1
    done = time_pass.run(LATER)
    assert changes + done.changes == want["changes"]
    assert_same(snapshot(), want)
    assert_feed_order()
    assert leftovers() == 0


def _regate_through_the_service_layer() -> None:
    """Requirements re-gated as the services do it (ORM rows, so the flush sees them)."""
    with unit_of_work() as session:
        for requirement in session.scalars(select(Requirement).where(Requirement.id % 3 == 0)):
            requirement.gate_at = AT + timedelta(days=2, hours=5)


def test_requirements_changed_before_the_release_withdraw_every_held_event(ctx):
    want = reference_with(1, _regate_through_the_service_layer)
    centre(1)
    time_pass_ahead.stage(AT - timedelta(seconds=2), seconds=AHEAD)
    time_pass_ahead.publish(AT - timedelta(seconds=2), seconds=AHEAD)
    assert held_events() > 0
    before = raw_end()
    _regate_through_the_service_layer()
    assert held_events() == 0 and leftovers() == 0, "withdrawn with their stages"
    assert raw_end() < before and feed_end() == raw_end()
    changes, _ = stepped(publish=True)
    assert_same(snapshot(), want)
    assert_feed_order()


def test_an_agent_renamed_between_the_release_and_the_apply(ctx):
    """The events stand (they name no one); the served document is built from the row, and
    the agent is evaluated again at once (nothing changes: no event)."""
    centre(1)
    _one_instant()
    published_ahead()
    time_pass_ahead.release_due(INSTANT)
    with unit_of_work() as session:
        renamed = session.scalars(select(User).join(
            staged_agents, staged_agents.c.user_id == User.id).order_by(User.id)).first()
        renamed.name = "Renamed Person"
    before = _events()
    done = time_pass.run(INSTANT)
    assert done.changes == 0 and _events() == before
    assert "Renamed Person" in documents_match_rows()[renamed.id]
    assert leftovers() == 0
    assert_feed_order()


def test_webhooks_wait_for_the_applied_documents(ctx):
    centre(1)
    _one_instant()
    with unit_of_work():
        create_endpoint("https://receiver.example/hook", ["agent_eligibility.updated"])
    webhooks.fan_out()
    made = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
    published_ahead()
    assert webhooks.fan_out() == 0, "held"
    time_pass_ahead.release_due(INSTANT)
    assert webhooks.fan_out() == 0, "released, not applied: the documents are the old ones"
    time_pass.run(INSTANT)
    assert webhooks.fan_out() > 0
    versions = dict(db.session.execute(select(User.id, User.eligibility_version)).all())
    served = dict(db.session.execute(
        select(documents_table.c.user_id, documents_table.c.body)).all())
    sent = db.session.execute(
        select(WebhookDelivery.body, WebhookDelivery.user_id, WebhookDelivery.agent_version)
        .order_by(WebhookDelivery.id).offset(made)).all()
    assert sent
    for body, user_id, version in sent:
        assert version == versions[user_id]
        assert served[user_id] in body, "the document as applied at the instant"


def test_a_release_a_recompute_emptied_is_finished_by_the_next_pass(ctx):
    """Every agent of a release recomputed after it (their stages applied one by one): the
    next pass forgets the release, so the webhook fan-out is not held behind it."""
    centre(1)
    _one_instant()
    published_ahead()
    time_pass_ahead.release_due(INSTANT)
    with unit_of_work() as session:
        agents = session.scalars(select(User).join(
            staged_agents, staged_agents.c.user_id == User.id)).all()
        recompute(agents, cause="time", at=INSTANT)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(staged_agents)) == 0
    assert fan_out_end(raw_end()) < raw_end(), "the emptied release still holds the fan-out"
    time_pass.run(INSTANT)
    assert fan_out_end(raw_end()) == raw_end() and leftovers() == 0
    assert_feed_order()


def test_a_release_written_from_old_requirements_is_withdrawn_at_its_instant(ctx):
    """Requirements changed where the flush does not see it (or while the release was being
    written): at the instant its events are withdrawn, not shown; the pass does the work."""
    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    published_ahead()
    with unit_of_work() as session:  # a digest change that moves no agent's result
        session.execute(update(Requirement).where(Requirement.id == session.scalar(
            select(func.max(Requirement.id)))).values(gate_at=Requirement.gate_at))
        session.execute(update(staged_agents).values(fingerprint="old requirements"))
    before = raw_end()
    assert time_pass_ahead.release_due(INSTANT) == 0
    assert raw_end() < before and held_events() == 0
    time_pass.run(LATER)
    assert_same(snapshot(), want)
    assert leftovers() == 0


def test_a_feed_reader_releases_a_due_release_the_worker_has_not(ctx):
    """The worker is late (or stopped): a read of the feed after the instant releases the
    held events itself, as a lookup applies a due change itself."""
    centre(1)
    _one_instant()
    before = raw_end()
    changes = published_ahead()
    # an admin sees every team (a manager, the first other user on some engines, does not)
    viewer = db.session.scalar(select(User).where(User.role == "admin")) or User(role="admin")
    with unit_of_work() as session:  # (the generated centre's clock is not the wall clock)
        session.execute(update(staged_releases).values(at=utcnow() + timedelta(days=1)))
    assert feed.changes(viewer, before).changes == [], "before the instant"
    with unit_of_work() as session:  # the instant has passed: shown by the next read
        session.execute(update(staged_releases).values(at=utcnow() - timedelta(seconds=1)))
    shown = feed.changes(viewer, before, limit=changes + 5).changes
    assert len(shown) == changes and {c["at"] for c in shown} == {INSTANT.isoformat()}
