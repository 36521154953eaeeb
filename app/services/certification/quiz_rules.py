"""The rules of a bulletin's quiz as one agent reads them before starting: questions, points
needed, critical facts, time limit, attempts left today and when a retake opens (rules 4, 7).

The pure rules are app/domain/quiz_rules.py and app/domain/retakes.py; this module gathers
their inputs for several versions at once (three queries, whatever the number of versions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from app.core.extensions import db
from app.domain import quiz_rules, retakes
from app.models import Assignment, Attempt, BulletinVersion, Fact, Item, User, utcnow
from app.services.certification.attempts import retake_rule
from app.services.content.translations import same_change


@dataclass(frozen=True)
class QuizRules:
    """What one agent needs to know before starting the quiz of one version."""

    questions: int
    pass_mark: int  # percent
    needed: int  # questions to get right (0 when the quiz has no approved items yet)
    critical_facts: tuple[str, ...]  # fact ids that must be right, in the bulletin's order
    critical_labels: tuple[str, ...]
    time_limit_minutes: int | None
    cooldown_minutes: int
    daily_cap: int
    attempts_left_today: int
    retry_at: datetime | None  # None: a new attempt may start now
    retry_reason: str | None  # retakes.COOLDOWN | retakes.DAILY_CAP
    retry_in_seconds: int | None  # from the moment asked to retry_at, rounded up

    @property
    def every_question(self) -> bool:
        """True when every question asked must be right."""
        return self.questions > 0 and self.needed == self.questions


def rules_for(user: User, versions: Sequence[BulletinVersion],
              at: datetime | None = None) -> dict[int, QuizRules]:
    """The quiz rules of each of ``versions`` for ``user`` at ``at``, by version id."""
    at = at or utcnow()
    ids = [v.id for v in versions]
    if not ids:
        return {}
    counts, facts = _pools(ids)
    groups = same_change(versions)  # one change in two languages: one set of attempts
    every = sorted(set().union(*groups.values()))
    past = _attempts(user.id, every)
    unlocks = dict(db.session.execute(
        select(Assignment.version_id, Assignment.unlocked_at)
        .where(Assignment.user_id == user.id, Assignment.version_id.in_(every))).all())
    return {v.id: _rules(v, counts.get(v.id, {}), facts.get(v.id, []),
                         sorted((p for g in groups[v.id] for p in past.get(g, [])),
                                key=lambda p: p.started_at),
                         _latest(unlocks.get(g) for g in groups[v.id]), at) for v in versions}


def _latest(moments) -> datetime | None:
    found = [m for m in moments if m is not None]
    return max(found) if found else None


def _pools(ids: list[int]) -> tuple[dict, dict]:
    """Approved items per fact, and the facts (key, label, critical) in order, per version."""
    counts: dict[int, dict[str, int]] = {}
    for vid, key, n in db.session.execute(
            select(Item.version_id, Fact.key, func.count(Item.id))
            .join(Fact, Fact.id == Item.fact_id)
            .where(Item.version_id.in_(ids), Item.status == "approved")
            .group_by(Item.version_id, Fact.key)):
        counts.setdefault(vid, {})[key] = n
    facts: dict[int, list[tuple[str, str]]] = {}
    for vid, key, label in db.session.execute(
            select(Fact.version_id, Fact.key, Fact.label)
            .where(Fact.version_id.in_(ids)).order_by(Fact.version_id, Fact.position)):
        facts.setdefault(vid, []).append((key, label))
    return counts, facts


def _attempts(user_id: int, ids: list[int]) -> dict[int, list[retakes.PastAttempt]]:
    out: dict[int, list[retakes.PastAttempt]] = {}
    for vid, started, submitted, passed in db.session.execute(
            select(Attempt.version_id, Attempt.started_at, Attempt.submitted_at, Attempt.passed)
            .where(Attempt.user_id == user_id, Attempt.version_id.in_(ids))):
        out.setdefault(vid, []).append(retakes.PastAttempt(started, submitted, passed))
    return out


def _rules(version: BulletinVersion, counts: dict[str, int], facts: list[tuple[str, str]],
           past: list[retakes.PastAttempt], unlocked_at: datetime | None,
           at: datetime) -> QuizRules:
    config = current_app.config
    critical = set(version.critical or ())
    keys = [key for key, _ in facts]
    questions = quiz_rules.question_count(counts, facts=keys, critical=critical)
    asked_critical = [(k, label) for k, label in facts if k in critical and counts.get(k)]
    mark = version.pass_mark or config["ONEVOICE_PASS_MARK"]  # as grading reads it
    needed = quiz_rules.pass_requirement(mark, questions, len(asked_critical)).needed \
        if questions else 0
    cap = config["ONEVOICE_RETAKE_DAILY_CAP"]
    status = retake_rule(past, at, unlocked_at)
    left = quiz_rules.attempts_left_today(
        [p.started_at for p in past], at, daily_cap=cap, tz=config["ONEVOICE_TIMEZONE"],
        unlocked_at=unlocked_at)
    return QuizRules(
        questions=questions, pass_mark=mark, needed=needed,
        critical_facts=tuple(k for k, _ in asked_critical),
        critical_labels=tuple(label for _, label in asked_critical),
        time_limit_minutes=version.time_limit_minutes,
        cooldown_minutes=config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"], daily_cap=cap,
        attempts_left_today=left, retry_at=status.retry_at, retry_reason=status.reason,
        retry_in_seconds=-int((at - status.retry_at).total_seconds() // 1)
        if status.retry_at else None,
    )


def rules_document(rules: QuizRules) -> dict:
    """The rules as the API's ``/me/assignments`` states them (product.md section 7)."""
    return {
        "questions": rules.questions,
        "pass_mark": rules.pass_mark,
        "points_needed": rules.needed,
        "critical_facts": list(rules.critical_facts),
        "time_limit_minutes": rules.time_limit_minutes,
        "attempts_left_today": rules.attempts_left_today,
        "retry_at": rules.retry_at.isoformat() if rules.retry_at else None,
        "retry_reason": rules.retry_reason,
    }
