"""Compliance of answered calls: the verdict rule, and judging many calls at once (frozen clock)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.audit import PublishedRequirement
from app.domain.calls import parse_csv, parse_instant, validate_rows
from app.domain.compliance import (
    CLEARED,
    INACTIVE,
    MISSING,
    NOT_HELD,
    change_points,
    judge,
    judge_calls,
    share,
)
from app.domain.directory import RawRow
from app.domain.eligibility import Agent, Certification, Requirement

T0 = datetime(2035, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)
AGENT = Agent(active=True, team="care", skills=frozenset({"wifi", "wibro"}))


def requirement(rid=1, *, skill="wifi", gate=5, retired=None, published=1, teams=(),
                accepts=(10,)) -> PublishedRequirement:
    return PublishedRequirement(
        Requirement(id=rid, bulletin=f"b{rid}", version=1, skill=skill, gate_at=T0 + gate * DAY,
                    accepts=frozenset(accepts), teams=frozenset(teams),
                    retired_at=None if retired is None else T0 + retired * DAY),
        T0 + published * DAY)


def cert(version=10, passed=3, until=None) -> Certification:
    return Certification(version, T0 + passed * DAY, None if until is None else T0 + until * DAY)


@pytest.mark.parametrize("case, agent, skill, reqs, certs, day, expected", [
    ("before the gate", AGENT, "wifi", [requirement()], [], 4, (True, None)),
    ("at the gate, not certified", AGENT, "wifi", [requirement()], [], 5, (False, MISSING)),
    ("certified before the gate", AGENT, "wifi", [requirement()], [cert()], 6, (True, None)),
    ("certified after the call", AGENT, "wifi", [requirement()], [cert(passed=7)], 6,
     (False, MISSING)),
    ("certification expired", AGENT, "wifi", [requirement()], [cert(until=6)], 6,
     (False, MISSING)),
    ("a past gate published after the call", AGENT, "wifi",
     [requirement(gate=1, published=8)], [], 6, (True, None)),
    ("retired before the call", AGENT, "wifi", [requirement(retired=6)], [], 6, (True, None)),
    ("another team's requirement", AGENT, "wifi", [requirement(teams=("sales",))], [], 6,
     (True, None)),
    ("another call type's requirement", AGENT, "wifi", [requirement(skill="wibro")], [], 6,
     (True, None)),
    ("call type not held", AGENT, "billing", [], [], 6, (False, NOT_HELD)),
    ("inactive agent", Agent(False, "care", frozenset({"wifi"})), "wifi", [], [], 6,
     (False, INACTIVE)),
])
def test_judge(case, agent, skill, reqs, certs, day, expected):
    verdict = judge(agent, skill, reqs, certs, T0 + day * DAY)
    assert (verdict.cleared, verdict.reason) == expected, case
    if verdict.reason == MISSING:
        assert [m.bulletin for m in verdict.missing] == ["b1"]
    else:
        assert verdict.missing == ()


def test_change_points_are_sorted_once_each():
    points = change_points([requirement(gate=5, published=1, retired=9)],
                           [cert(passed=3, until=9), cert(passed=5)])
    assert points == [T0 + d * DAY for d in (1, 3, 5, 9)]


def _random_case(rng: random.Random):
    reqs = [requirement(rid, skill=rng.choice(["wifi", "wibro"]), gate=rng.randint(0, 20),
                        published=rng.randint(0, 20),
                        retired=rng.choice([None, rng.randint(5, 30)]),
                        teams=rng.choice([(), ("care",), ("sales",)]),
                        accepts=(10 + rid, 20 + rid))
            for rid in range(rng.randint(0, 4))]
    certs = [cert(rng.choice([11, 12, 13, 21, 22, 99]), passed=rng.randint(0, 25),
                  until=rng.choice([None, rng.randint(5, 35)])) for _ in range(rng.randint(0, 5))]
    agent = Agent(rng.random() > 0.1, rng.choice(["care", "sales"]),
                  frozenset(rng.sample(["wifi", "wibro"], rng.randint(0, 2))))
    # instants on and between the change points, where an off-by-one would show
    times = [T0 + timedelta(hours=rng.randint(0, 40 * 24)) for _ in range(25)]
    times += [p for p in change_points(reqs, certs)]
    times += [p - timedelta(microseconds=1) for p in change_points(reqs, certs)]
    return agent, reqs, certs, sorted(times, key=lambda _: rng.random())


@pytest.mark.parametrize("seed", range(300))
def test_judging_many_calls_equals_judging_each(seed):
    rng = random.Random(seed)
    agent, reqs, certs, times = _random_case(rng)
    skill = rng.choice(["wifi", "wibro", "billing"])
    assert judge_calls(agent, skill, reqs, certs, times) == [
        judge(agent, skill, reqs, certs, at) for at in times]


def test_share():
    assert share(0, 0) is None
    assert share(3, 4) == 0.75
    assert CLEARED.cleared and CLEARED.reason is None


NOW = datetime(2035, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize("values, field, message", [
    ({"agent": "A1", "skill": "wifi", "answered_at": "2035-03-09T10:00:00Z"}, "call_id",
     "'call_id' is required"),
    ({"call_id": "c1", "skill": "wifi", "answered_at": "2035-03-09T10:00:00Z"}, "agent",
     "'agent' is required"),
    ({"call_id": "c1", "agent": "A1", "answered_at": "2035-03-09T10:00:00Z"}, "skill",
     "'skill' is required"),
    ({"call_id": "c1", "agent": "A1", "skill": "wifi"}, "answered_at",
     "'answered_at' is required"),
    ({"call_id": "c1", "agent": "A1", "skill": "wifi", "answered_at": "2035-03-09T10:00:00"},
     "answered_at", "not an RFC 3339 date and time with an offset"),
    ({"call_id": "c1", "agent": "A1", "skill": "wifi", "answered_at": "yesterday"},
     "answered_at", "not an RFC 3339"),
    ({"call_id": "c1", "agent": "A1", "skill": "wifi", "answered_at": "2035-03-11T00:00:00Z"},
     "answered_at", "is in the future"),
    ({"call_id": "c" * 129, "agent": "A1", "skill": "wifi",
      "answered_at": "2035-03-09T10:00:00Z"}, "call_id", "longer than 128 characters"),
    ({"call_id": "c\x01", "agent": "A1", "skill": "wifi",
      "answered_at": "2035-03-09T10:00:00Z"}, "call_id", "1 to 128 printable"),
    ({"call_id": 7, "agent": "A1", "skill": "wifi", "answered_at": "2035-03-09T10:00:00Z"},
     "call_id", "must be a string"),
    ({"call_id": "c1", "agent": "A1", "skill": "wifi", "answered_at": "2035-03-09T10:00:00Z",
      "queue": "q"}, "queue", "unknown field 'queue'"),
])
def test_rows_name_what_is_wrong(values, field, message):
    rows, errors = validate_rows([RawRow(0, values)], NOW)
    assert rows == []
    assert [(e.row, e.field) for e in errors] == [(0, field)]
    assert message in errors[0].message


def test_a_call_id_twice_is_the_later_rows_problem():
    row = {"call_id": "c1", "agent": "A1", "skill": "wifi", "answered_at": "2035-03-09T10:00Z"}
    rows, errors = validate_rows([RawRow(0, row), RawRow(1, dict(row))], NOW)
    assert [r.row for r in rows] == [0]
    assert [(e.row, e.field, e.message) for e in errors] == [
        (1, "call_id", "call_id 'c1' is also in row 0")]


def test_a_call_a_few_minutes_ahead_is_clock_skew():
    row = {"call_id": "c1", "agent": "A1", "skill": "wifi",
           "answered_at": "2035-03-10T09:04:00+09:00"}
    rows, errors = validate_rows([RawRow(0, row)], NOW)
    assert errors == [] and rows[0].answered_at == datetime(2035, 3, 10, 0, 4, tzinfo=UTC)


@pytest.mark.parametrize("text, expected", [
    ("2035-03-09T10:00:00Z", datetime(2035, 3, 9, 10, tzinfo=UTC)),
    ("2035-03-09T19:00:00+09:00", datetime(2035, 3, 9, 10, tzinfo=UTC)),
    ("2035-03-09 10:00:00z", datetime(2035, 3, 9, 10, tzinfo=UTC)),
    ("2035-03-09", None), ("2035-03-09T10:00", None), ("", None), ("soon", None),
])
def test_parse_instant(text, expected):
    assert parse_instant(text) == expected


def test_csv_rows_are_numbered_as_in_the_file():
    text = ("\ufeffcall_id,agent,skill,answered_at\n"
            "c1,A1,wifi,2035-03-09T10:00:00Z\n\n"
            "c2,A2,wifi\n")
    rows, errors = parse_csv(text)
    assert [r.row for r in rows] == [2]
    assert [(e.row, e.message) for e in errors] == [(4, "expected 4 cells, found 3")]


def test_csv_header_problems():
    rows, errors = parse_csv("call_id,agent,when\n")
    assert rows == []
    assert {(e.field, e.message) for e in errors} == {
        ("skill", "column 'skill' is missing"), ("answered_at", "column 'answered_at' is missing"),
        ("when", "unknown column 'when'; expected call_id, agent, skill, answered_at")}
