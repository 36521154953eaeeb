"""Texts composed from parts equal the texts encoded whole (issue #19).

The time pass composes each served eligibility document from the agent's fields and the
JSON text of its states (encoded once per distinct set of states), and fan-out places the
stored document's text into each agent_eligibility.updated body without decoding it. Both
must give byte for byte what encoding the whole object gives: generated documents with
Korean names, quotes, missing teams, cleared/blocked/due states, inactive agents.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.derived.eligibility_documents import build_document, compose, serialise, states_part
from app.domain import webhooks as rules

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
NAMES = ["Ana Lima", "김민지", 'Jo "JJ" O\'Neil', "Zoë \\ back", ""]


@dataclass
class State:
    cleared: bool
    valid_until: datetime | None
    missing: list
    upcoming: list


def _entry(rng) -> dict:
    return {"bulletin": rng.choice(["refunds", "환불-정책", "b\"q"]), "version": rng.randint(1, 9),
            "due": (AT + timedelta(days=rng.randint(-9, 9))).isoformat(),
            "title": rng.choice(["Refunds", "새 규정", ""]), "expired": rng.random() < 0.3}


def _states(rng) -> list[tuple[str, State]]:
    codes = sorted(rng.sample(["billing", "refunds", "sales", "tech", "해지"], rng.randint(0, 4)))
    return [(code, State(cleared := rng.random() < 0.5,
                         rng.choice([None, AT + timedelta(days=30)]) if cleared else None,
                         [] if cleared else [_entry(rng) for _ in range(rng.randint(0, 3))],
                         [_entry(rng) for _ in range(rng.randint(0, 2))]))
            for code in codes]


@pytest.mark.parametrize("seed", range(200))
def test_a_composed_document_is_the_serialised_one(seed):
    rng = random.Random(seed)
    fields = {"agent": rng.choice(["A-1", "직원-7", "17"]), "name": rng.choice(NAMES),
              "team": rng.choice([None, "north", "남부"]), "active": rng.random() < 0.8,
              "version": rng.randint(0, 500)}
    states = _states(rng)
    whole = serialise(build_document(**fields, states=states))
    assert compose(**fields, states=states_part(states, fields["active"])) == whole


@pytest.mark.parametrize("seed", range(200))
def test_an_eligibility_body_from_the_stored_text_is_the_encoded_one(seed):
    rng = random.Random(seed)
    agent = rng.choice(["A-1", "직원-7", "17"])
    document_text, _ = serialise(build_document(
        agent=agent, name=rng.choice(NAMES), team="north", active=True,
        version=rng.randint(1, 9), states=_states(rng)))
    at = AT + timedelta(seconds=rng.randint(0, 10_000))
    changed = tuple(rules.EligibilityChange(i, 7, 3, skill, rng.random() < 0.5,
                                            rng.choice(["gate_reached", "time", "새"]), at)
                    for i, skill in enumerate(sorted(rng.sample(["a", "b", "c", "해"], 2))))
    change_set = rules.ChangeSet(7, 3, at, changed)
    data = rules.eligibility_update(agent, change_set, json.loads(document_text))
    assert (rules.eligibility_body(agent, change_set, document_text)
            == rules.encode_body("agent_eligibility.updated", at, data))
