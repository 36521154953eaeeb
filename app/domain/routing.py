"""What a routing adapter must change so that a router's queues equal the stored eligibility.

Pure planning for adapters such as the Asterisk one (integrations/asterisk/ami.py): each skill
code is a queue of the same name, each agent an interface made from a template such as
``PJSIP/{external_id}``. The adapter reads the router's members and OneVoice's cleared
(agent, skill) pairs or outbox events; these functions say which memberships to add and
remove. No I/O here: plain frozen dataclasses in, plain data out.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ADD = "add"
REMOVE = "remove"
_INTERFACE = re.compile(r"^[!-~]{1,200}$")  # printable ASCII, no spaces: one AMI header value

# The router answers that leave the membership as wanted (Asterisk's app_queue texts).
ALREADY_DONE = {
    ADD: "Unable to add interface: Already there",
    REMOVE: "Unable to remove interface: Not there",
}


@dataclass(frozen=True, order=True)
class Change:
    """One membership to add to or remove from a queue."""

    action: str  # ADD | REMOVE
    queue: str
    interface: str


@dataclass(frozen=True)
class Member:
    """A queue member as the router reports it; only dynamic members can be removed."""

    queue: str
    interface: str
    dynamic: bool = True


@dataclass(frozen=True)
class Clearance:
    """An agent (its ``agent`` id: the external id, as in the API) cleared for a skill."""

    agent: str
    skill: str


@dataclass(frozen=True)
class OutboxEvent:
    """One change of an agent's eligibility for a skill, in outbox order (``seq``)."""

    seq: int
    agent: str
    skill: str
    cleared: bool


@dataclass(frozen=True)
class Plan:
    """The changes to send, and what cannot be done (with why) for the log."""

    changes: tuple[Change, ...]
    static: tuple[Member, ...] = ()  # not cleared, but configured statically in the router
    unusable: tuple[str, ...] = ()  # agent ids that make no valid interface


def check_template(template: str) -> str:
    """Return ``template`` when it has exactly one field, ``{external_id}``; else ValueError."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template)
                  if name is not None]
    except ValueError as error:
        raise ValueError(f"interface template {template!r} is not valid: {error}") from None
    if fields != [("external_id", "", None)]:
        raise ValueError(f"interface template {template!r} must contain {{external_id}} once "
                         "and no other field, e.g. 'PJSIP/{external_id}'")
    return template


def interface_for(agent: str, template: str) -> str | None:
    """The agent's interface from the template, or None when it would not be one AMI value."""
    interface = template.format(external_id=agent)
    return interface if _INTERFACE.match(interface) else None


def reconcile(members: Iterable[Member], cleared: Iterable[Clearance], *,
              queues: Iterable[str], template: str) -> Plan:
    """Changes that make the managed ``queues`` hold exactly the cleared agents.

    ``queues`` are the skill codes: a router queue with another name is never touched.
    Members not cleared are removed when dynamic, reported in ``static`` otherwise.
    """
    managed = set(queues)
    wanted, unusable = set(), set()
    for pair in cleared:
        interface = interface_for(pair.agent, template)
        if interface is None:
            unusable.add(pair.agent)
        elif pair.skill in managed:
            wanted.add((pair.skill, interface))
    present = {(m.queue, m.interface): m for m in members if m.queue in managed}
    changes = [Change(ADD, queue, interface) for queue, interface in wanted - set(present)]
    extra = [present[key] for key in set(present) - wanted]
    changes += [Change(REMOVE, m.queue, m.interface) for m in extra if m.dynamic]
    static = sorted((m for m in extra if not m.dynamic), key=lambda m: (m.queue, m.interface))
    return Plan(tuple(sorted(changes, key=_order)), tuple(static), tuple(sorted(unusable)))


def follow(pending: Sequence[Change], events: Sequence[OutboxEvent], *, template: str) -> Plan:
    """Changes for outbox ``events`` (in seq order) after the ``pending`` retries.

    Only the last word on each (queue, interface) counts: a retry an event overrides, or an
    add then a remove of the same membership, sends one change.
    """
    last: dict[tuple[str, str], Change] = {(c.queue, c.interface): c for c in pending}
    unusable = set()
    for event in sorted(events, key=lambda e: e.seq):
        interface = interface_for(event.agent, template)
        if interface is None:
            unusable.add(event.agent)
            continue
        last.pop((event.skill, interface), None)  # re-insert: keep the order of the last word
        last[(event.skill, interface)] = Change(ADD if event.cleared else REMOVE,
                                                event.skill, interface)
    return Plan(tuple(last.values()), (), tuple(sorted(unusable)))


def is_applied(change: Change, success: bool, message: str) -> bool:
    """Whether the router's answer leaves the membership as ``change`` wants it.

    Success, or the error that says it was so already ("Already there" for an add,
    "Not there" for a remove), counts; any other error means: retry on the next pass.
    """
    return success or message.strip() == ALREADY_DONE[change.action]


def _order(change: Change) -> tuple:
    # Removals first: an agent leaves the queues they lost before joining new ones.
    return (change.action != REMOVE, change.queue, change.interface)


def agent_of(interface: str, template: str) -> str | None:
    """The agent id an interface was made from with ``template`` (its inverse), or None."""
    prefix, _, suffix = template.partition("{external_id}")
    if len(interface) <= len(prefix) + len(suffix):
        return None
    if not (interface.startswith(prefix) and interface.endswith(suffix)):
        return None
    return interface[len(prefix):len(interface) - len(suffix)]


def answered_call(event: Mapping[str, str], template: str,
                  received_at: datetime) -> dict | None:
    """An AMI ``AgentConnect`` event as an answered-call row, or None when it names no agent.

    The queue is the call type; the member's interface gives the agent; the call id is the
    caller's channel id in that queue; the time is the event's ``Timestamp`` (manager.conf
    ``timestampevents = yes``), else when it was received.
    """
    agent = agent_of(str(event.get("Interface") or ""), template)
    queue, channel = event.get("Queue"), event.get("Uniqueid") or event.get("Linkedid")
    if not agent or not queue or not channel:
        return None
    try:
        at = datetime.fromtimestamp(float(event["Timestamp"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        at = received_at
    return {"call_id": f"asterisk:{channel}:{queue}", "agent": agent, "skill": str(queue),
            "answered_at": at.isoformat()}
