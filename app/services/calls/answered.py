"""Answered calls from the routing system: recorded all-or-nothing, each judged once.

A call is judged when it is recorded, from the records as they stood at ``answered_at``
(app/domain/compliance.py): the agent's certifications and the requirements published by
then. The agent's team, call types and activity are their current ones (the directory is not
historised), as in the eligibility audit. A call answered by an agent who was not cleared is
a violation: it is stored with what was missing and announced by a ``call.violation`` webhook
in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, insert, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import compliance
from app.domain.calls import CallRow, parse_csv, validate_rows
from app.domain.directory import RawRow, RowError
from app.domain.eligibility import Agent
from app.domain.eligibility import Certification as CertRecord
from app.domain.gating import time_zone
from app.domain.webhooks import iso
from app.models import Call, Certification, Skill, Team, User, agent_skills, utcnow
from app.queries.audit import published_requirements
from app.services.accounts.directory import CHUNK, InvalidRows
from app.services.certification.eligibility import load_requirements
from app.services.integration.outbox import record

MAX_ROWS = 10_000  # calls in one API request: larger reports come as several


@dataclass(frozen=True)
class Recorded:
    """What a report of calls did: calls added, calls already known, violations among them."""

    accepted: int
    duplicates: int
    violations: int

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates}


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def retention_days() -> int:
    """How long raw call records are kept (ONEVOICE_CALL_RETENTION_DAYS)."""
    return int(current_app.config.get("ONEVOICE_CALL_RETENTION_DAYS") or 90)


def _agents(external_ids: set[str]) -> dict[str, tuple[int, int | None]]:
    found = {}
    for chunk in _chunks(sorted(external_ids)):
        found.update({ext: (uid, team) for ext, uid, team in db.session.execute(
            select(User.external_id, User.id, User.team_id)
            .where(User.external_id.in_(chunk), User.role == "agent"))})
    return found


def _known_calls(call_ids: list[str]) -> dict[str, tuple[str, str, datetime]]:
    known = {}
    for chunk in _chunks(call_ids):
        known.update({cid: (ext, code, at) for cid, ext, code, at in db.session.execute(
            select(Call.call_id, User.external_id, Skill.code, Call.answered_at)
            .join(User, Call.user_id == User.id).join(Skill, Call.skill_id == Skill.id)
            .where(Call.call_id.in_(chunk)))})
    return known


def _check_references(rows: list[CallRow]) -> tuple[dict, dict, list[RowError]]:
    agents = _agents({r.agent for r in rows})
    skills = dict(db.session.execute(select(Skill.code, Skill.id)).all())
    errors = []
    for r in rows:
        if r.agent not in agents:
            errors.append(RowError(r.row, "agent", "call_agent_unknown",
                                   {"value": repr(r.agent)}))
        if r.skill not in skills:
            errors.append(RowError(r.row, "skill", "call_skill_unknown",
                                   {"code": repr(r.skill), "choices": sorted(skills)}))
    return agents, skills, errors


def _split_known(rows: list[CallRow]) -> tuple[list[CallRow], int, list[RowError]]:
    """New rows, how many repeat a recorded call, and rows that contradict a recorded one."""
    known = _known_calls([r.call_id for r in rows])
    fresh, repeats, errors = [], 0, []
    for r in rows:
        before = known.get(r.call_id)
        if before is None:
            fresh.append(r)
        elif before == (r.agent, r.skill, r.answered_at):
            repeats += 1
        else:
            errors.append(RowError(r.row, "call_id", "call_recorded_differently", {
                "value": repr(r.call_id), "agent": before[0], "skill": before[1],
                "when": iso(before[2])}))
    return fresh, repeats, errors


def record_calls(raw_rows: Sequence[RawRow], *, source: str,
                 now: datetime | None = None) -> Recorded:
    """Record answered calls all-or-nothing (InvalidRows naming every problem); idempotent by
    ``call_id``: a call sent again with the same values counts as a duplicate."""
    now = now or utcnow()
    rows, errors = validate_rows(raw_rows, now)
    with unit_of_work():
        agents, skills, reference_errors = _check_references(rows)
        fresh, repeats, known_errors = _split_known(rows)
        errors = sorted(errors + reference_errors + known_errors, key=lambda e: e.row)
        if errors:
            raise InvalidRows(errors)
        verdicts = judge([(agents[r.agent][0], r.skill, r.answered_at) for r in fresh])
        _insert(fresh, verdicts, agents, skills, source, now)
    return Recorded(len(fresh), repeats, sum(not v.cleared for v in verdicts))


def import_csv(text: str, *, now: datetime | None = None) -> Recorded:
    """Record the calls of a CSV export (columns call_id, agent, skill, answered_at)."""
    rows, errors = parse_csv(text)
    if errors:
        raise InvalidRows(errors)
    return record_calls(rows, source="csv", now=now)


def _insert(rows: list[CallRow], verdicts: list[compliance.Verdict], agents: dict,
            skills: dict, source: str, now: datetime) -> None:
    tz = time_zone(current_app.config["ONEVOICE_TIMEZONE"])
    values = [{
        "call_id": r.call_id, "user_id": agents[r.agent][0], "skill_id": skills[r.skill],
        "team_id": agents[r.agent][1], "answered_at": r.answered_at,
        "local_day": r.answered_at.astimezone(tz).date(), "source": source,
        "received_at": now, "cleared": v.cleared, "reason": v.reason,
        "missing_requirements": missing_ids(v),
    } for r, v in zip(rows, verdicts, strict=True)]
    for chunk in _chunks(values, 2000):
        db.session.execute(insert(Call), list(chunk))
    teams = dict(db.session.execute(select(Team.id, Team.code)).all())
    for value, row, verdict in zip(values, rows, verdicts, strict=True):
        if not verdict.cleared:
            record("call.violation", violation_payload(
                row.call_id, row.agent, row.skill, row.answered_at,
                teams.get(value["team_id"]), verdict.reason, missing_json(verdict)))


def missing_ids(verdict: compliance.Verdict) -> list[int]:
    """What a verdict lacked, as stored: the requirements' ids."""
    return [m.requirement_id for m in verdict.missing]


def missing_json(verdict: compliance.Verdict) -> list[dict]:
    """What a verdict lacked, as served: bulletin, version, due time and title."""
    return [{"bulletin": m.bulletin, "version": m.version, "due": iso(m.due),
             "title": m.title} for m in verdict.missing]


def violation_payload(call_id, agent, skill, answered_at, team, reason, missing) -> dict:
    """``call.violation``: the call, the agent's team, and why they were not cleared."""
    return {"call_id": call_id, "agent": agent, "skill": skill,
            "answered_at": iso(answered_at), "team": team, "reason": reason,
            "missing": missing}


# --- judging --------------------------------------------------------------------------------


def _agent_views(user_ids: list[int]) -> dict[int, Agent]:
    teams, skills = {}, defaultdict(set)
    for chunk in _chunks(user_ids):
        teams.update({uid: (active, code) for uid, active, code in db.session.execute(
            select(User.id, User.active, Team.code).outerjoin(Team, User.team_id == Team.id)
            .where(User.id.in_(chunk)))})
        for uid, code in db.session.execute(
                select(agent_skills.c.user_id, Skill.code)
                .join(Skill, agent_skills.c.skill_id == Skill.id)
                .where(agent_skills.c.user_id.in_(chunk))):
            skills[uid].add(code)
    return {uid: Agent(bool(active), team, frozenset(skills[uid]))
            for uid, (active, team) in teams.items()}


def _certifications(user_ids: list[int]) -> dict[int, list[CertRecord]]:
    certs = defaultdict(list)
    for chunk in _chunks(user_ids):
        for uid, version, passed, until in db.session.execute(
                select(Certification.user_id, Certification.version_id,
                       Certification.passed_at, Certification.valid_until)
                .where(Certification.user_id.in_(chunk))):
            certs[uid].append(CertRecord(version, passed, until))
    return certs


def judge(calls: list[tuple[int, str, datetime]]) -> list[compliance.Verdict]:
    """The verdict of each ``(user_id, skill, answered_at)``, in order: the requirements and
    certifications are read once, and each agent and call type judged once per stretch."""
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for index, (uid, skill, _) in enumerate(calls):
        groups[(uid, skill)].append(index)
    user_ids = sorted({uid for uid, _ in groups})
    agents, certs = _agent_views(user_ids), _certifications(user_ids)
    by_skill: dict[str, list] = defaultdict(list)
    for published in published_requirements(load_requirements()):
        by_skill[published.requirement.skill].append(published)
    verdicts: list[compliance.Verdict] = [compliance.CLEARED] * len(calls)
    for (uid, skill), indexes in groups.items():
        judged = compliance.judge_calls(agents[uid], skill, by_skill[skill], certs[uid],
                                        [calls[i][2] for i in indexes])
        for index, verdict in zip(indexes, judged, strict=True):
            verdicts[index] = verdict
    return verdicts


def recheck(start: datetime, end: datetime) -> tuple[int, int]:
    """Judge again the calls answered in [start, end); return (calls, verdicts changed).

    For records that arrived late (certifications imported from another system, a fixed
    directory). No webhook is sent for a changed verdict.
    """
    with unit_of_work():
        stored = db.session.execute(
            select(Call.id, Call.user_id, Skill.code, Call.answered_at, Call.cleared,
                   Call.reason, Call.missing_requirements)
            .join(Skill, Call.skill_id == Skill.id)
            .where(Call.answered_at >= start, Call.answered_at < end).order_by(Call.id)).all()
        verdicts = judge([(s.user_id, s.code, s.answered_at) for s in stored])
        changed = [{"id": s.id, "cleared": v.cleared, "reason": v.reason,
                    "missing_requirements": missing_ids(v)}
                   for s, v in zip(stored, verdicts, strict=True)
                   if (s.cleared, s.reason, s.missing_requirements or [])
                   != (v.cleared, v.reason, missing_ids(v))]
        for chunk in _chunks(changed, 2000):
            db.session.execute(update(Call), list(chunk))
    return len(stored), len(changed)


def prune_calls(at: datetime | None = None) -> int:
    """The worker's job: delete calls answered before the retention window; return how many."""
    cutoff = (at or utcnow()) - timedelta(days=retention_days())
    with unit_of_work():
        return db.session.execute(delete(Call).where(Call.answered_at < cutoff)).rowcount or 0
