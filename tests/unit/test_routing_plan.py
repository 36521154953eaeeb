"""Routing plans as tables: what to add to and remove from router queues (no app, no I/O)."""

from __future__ import annotations

import pytest

from app.domain.routing import (
    ADD,
    REMOVE,
    Change,
    Clearance,
    Member,
    OutboxEvent,
    check_template,
    follow,
    interface_for,
    is_applied,
    reconcile,
)

T = "PJSIP/{external_id}"
SKILLS = ("billing", "wibro", "wifi", "wired")


def add(queue, interface):
    return Change(ADD, queue, interface)


def remove(queue, interface):
    return Change(REMOVE, queue, interface)


def cleared(*pairs):
    return [Clearance(agent, skill) for agent, skill in pairs]


def members(*triples):
    return [Member(q, i, dynamic) for q, i, dynamic in triples]


@pytest.mark.parametrize(("current", "wanted", "changes", "static"), [
    pytest.param([], [], (), (), id="nothing-either-side"),
    pytest.param([], cleared(("A1", "wifi"), ("A1", "wibro")),
                 (add("wibro", "PJSIP/A1"), add("wifi", "PJSIP/A1")), (), id="empty-router"),
    pytest.param(members(("wifi", "PJSIP/A1", True)), cleared(("A1", "wifi")), (), (),
                 id="already-equal"),
    pytest.param(members(("wifi", "PJSIP/A1", True), ("wifi", "PJSIP/A9", True)),
                 cleared(("A1", "wifi"), ("A2", "wired")),
                 (remove("wifi", "PJSIP/A9"), add("wired", "PJSIP/A2")), (),
                 id="removals-before-additions"),
    pytest.param(members(("sales", "PJSIP/A9", True), ("wifi", "SIP/A1", True)),
                 cleared(("A1", "wifi")),
                 (remove("wifi", "SIP/A1"), add("wifi", "PJSIP/A1")), (),
                 id="unmanaged-queue-untouched-other-interface-replaced"),
    pytest.param(members(("wifi", "PJSIP/A9", False)), [], (),
                 (Member("wifi", "PJSIP/A9", False),), id="static-member-reported-not-removed"),
    pytest.param(members(("wifi", "PJSIP/A1", False)), cleared(("A1", "wifi")), (), (),
                 id="static-member-cleared-is-fine"),
    pytest.param([], cleared(("A1", "sales")), (), (), id="cleared-for-unknown-skill-ignored"),
    pytest.param(members(("wifi", "PJSIP/A1", True), ("wifi", "PJSIP/A1", True)), [],
                 (remove("wifi", "PJSIP/A1"),), (), id="duplicate-member-once"),
])
def test_reconcile(current, wanted, changes, static):
    plan = reconcile(current, wanted, queues=SKILLS, template=T)
    assert plan.changes == changes
    assert plan.static == static
    assert plan.unusable == ()


def test_reconcile_skips_agents_without_a_usable_interface():
    plan = reconcile([], cleared(("A 1", "wifi"), ("A2", "wifi")), queues=SKILLS, template=T)
    assert plan.changes == (add("wifi", "PJSIP/A2"),)
    assert plan.unusable == ("A 1",)


def event(seq, agent, skill, is_cleared):
    return OutboxEvent(seq, agent, skill, is_cleared)


@pytest.mark.parametrize(("pending", "events", "changes"), [
    pytest.param([], [], (), id="nothing"),
    pytest.param([], [event(1, "A1", "wifi", True)], (add("wifi", "PJSIP/A1"),), id="cleared"),
    pytest.param([], [event(1, "A1", "wifi", False)], (remove("wifi", "PJSIP/A1"),),
                 id="blocked"),
    pytest.param([], [event(1, "A1", "wifi", True), event(2, "A1", "wifi", False)],
                 (remove("wifi", "PJSIP/A1"),), id="last-word-wins"),
    pytest.param([], [event(2, "A1", "wifi", False), event(1, "A1", "wifi", True)],
                 (remove("wifi", "PJSIP/A1"),), id="by-seq-not-by-list-order"),
    pytest.param([add("wired", "PJSIP/A2")], [event(5, "A1", "wifi", True)],
                 (add("wired", "PJSIP/A2"), add("wifi", "PJSIP/A1")), id="retry-then-new"),
    pytest.param([add("wifi", "PJSIP/A1")], [event(5, "A1", "wifi", False)],
                 (remove("wifi", "PJSIP/A1"),), id="event-replaces-retry"),
    pytest.param([], [event(1, "A1", "wifi", True), event(2, "A2", "wifi", True),
                      event(3, "A1", "wifi", False)],
                 (add("wifi", "PJSIP/A2"), remove("wifi", "PJSIP/A1")),
                 id="order-of-last-word"),
])
def test_follow(pending, events, changes):
    plan = follow(pending, events, template=T)
    assert plan.changes == changes
    assert plan.unusable == ()


def test_follow_skips_agents_without_a_usable_interface():
    plan = follow([], [event(1, "bad\r\nAction: Originate", "wifi", True)], template=T)
    assert plan.changes == ()
    assert plan.unusable == ("bad\r\nAction: Originate",)


@pytest.mark.parametrize(("action", "success", "message", "applied"), [
    (ADD, True, "Added interface to queue", True),
    (ADD, False, "Unable to add interface: Already there", True),
    (ADD, False, "Unable to add interface to queue: No such queue", False),
    (ADD, False, "Unable to remove interface: Not there", False),
    (ADD, False, "Permission denied", False),
    (REMOVE, True, "Removed interface from queue", True),
    (REMOVE, False, "Unable to remove interface: Not there", True),
    (REMOVE, False, "Unable to remove interface: Not there ", True),
    (REMOVE, False, "Member not dynamic", False),
    (REMOVE, False, "Unable to add interface: Already there", False),
    (REMOVE, False, "", False),
])
def test_is_applied(action, success, message, applied):
    assert is_applied(Change(action, "wifi", "PJSIP/A1"), success, message) is applied


@pytest.mark.parametrize(("template", "agent", "interface"), [
    ("PJSIP/{external_id}", "A1", "PJSIP/A1"),
    ("SIP/{external_id}", "1001", "SIP/1001"),
    ("Local/{external_id}@agents", "A1", "Local/A1@agents"),
    ("PJSIP/{external_id}", "A 1", None),
    ("PJSIP/{external_id}", "A1\r\nAction: Logoff", None),
    ("PJSIP/{external_id}", "에이전트", None),
])
def test_interface_for(template, agent, interface):
    assert interface_for(agent, template) == interface


@pytest.mark.parametrize("template", [
    "PJSIP/{external_id}", "Local/{external_id}@from-queue/n", "{external_id}",
    "{{x}}/{external_id}",
])
def test_good_templates(template):
    assert check_template(template) == template


@pytest.mark.parametrize(("template", "says"), [
    ("PJSIP/A1", "must contain {external_id}"),
    ("PJSIP/{id}", "must contain {external_id}"),
    ("PJSIP/{external_id}/{external_id}", "once"),
    ("PJSIP/{external_id!r}", "no other field"),
    ("PJSIP/{external_id:>5}", "no other field"),
    ("PJSIP/{external_id", "is not valid"),
])
def test_bad_templates(template, says):
    with pytest.raises(ValueError, match="interface template") as error:
        check_template(template)
    assert says in str(error.value)


@pytest.mark.parametrize("interface, template, agent", [
    ("PJSIP/A1", "PJSIP/{external_id}", "A1"),
    ("Local/A1@agents", "Local/{external_id}@agents", "A1"),
    ("SIP/A1", "PJSIP/{external_id}", None),
    ("PJSIP/", "PJSIP/{external_id}", None),
    ("Local/A1@other", "Local/{external_id}@agents", None),
])
def test_agent_of_inverts_the_template(interface, template, agent):
    from app.domain.routing import agent_of

    assert agent_of(interface, template) == agent


def test_an_agent_connect_event_as_a_call():
    from datetime import UTC, datetime

    from app.domain.routing import answered_call

    received = datetime(2035, 3, 1, 9, 0, tzinfo=UTC)
    event = {"Queue": "wifi", "Uniqueid": "17.1", "Interface": "PJSIP/A1",
             "Timestamp": "2051222400.5"}
    assert answered_call(event, "PJSIP/{external_id}", received) == {
        "call_id": "asterisk:17.1:wifi", "agent": "A1", "skill": "wifi",
        "answered_at": "2035-01-01T00:00:00.500000+00:00"}
    no_time = {**event, "Timestamp": "soon"}
    assert answered_call(no_time, "PJSIP/{external_id}", received)["answered_at"] == \
        received.isoformat()
    assert answered_call({**event, "Interface": "SIP/x"}, "PJSIP/{external_id}", received) is None
    assert answered_call({**event, "Uniqueid": ""}, "PJSIP/{external_id}", received) is None
