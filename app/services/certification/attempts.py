"""Quiz attempts: start, autosave, submit and grade exactly once (rules 4, 7 and 9)."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import draw, gating, grading, retakes
from app.domain.generation.option_order import options_in_natural_order
from app.domain.refusals import Refused
from app.errors import Conflict, NotFound, ServiceError, TooMany
from app.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Certification,
    Item,
    ItemOption,
    User,
    utcnow,
)
from app.queries.eligibility_view import eligibility_document
from app.services.certification.assignments import valid_certification
from app.services.certification.eligibility import recompute
from app.services.content import translations
from app.services.content.bulletins import latest_version
from app.services.integration.outbox import passed_payload, record


def _settings():
    config = current_app.config
    return config["ONEVOICE_TIMEZONE"], config["ONEVOICE_PASS_MARK"]


def own_attempt(user: User, attempt_id: int, *, lock: bool = False) -> Attempt:
    """The user's own attempt; another agent's (or a missing) one is NotFound."""
    query = select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id)
    if lock:
        query = query.with_for_update(of=Attempt)
    attempt = db.session.scalar(query.execution_options(populate_existing=lock))
    if attempt is None:
        raise NotFound("no_attempt", field="attempt", id=attempt_id)
    return attempt


def start(user: User, slug: str, at: datetime | None = None,
          rng: random.Random | None = None) -> Attempt:
    """Start (or resume) the agent's attempt on the newest published version of ``slug``.

    ``rng`` draws the items (a seeded one replays a draw: the demo's histories); by default
    every draw is seeded from the system's randomness.
    """
    at = at or utcnow()
    version = latest_version(slug, published=True)
    with unit_of_work():  # grade a timed-out attempt for good, even if a check below refuses
        _open_attempt(user, version.id, at)
    try:
        with unit_of_work():
            attempt = _open_attempt(user, version.id, at)
            if attempt is None:
                _check_certified(user, translations.original_current(version), at)
                _check_retake(user, version, at)
                attempt = _new_attempt(user, version, at, rng)
        return attempt
    except Conflict as refused:
        if refused.code != "attempt_in_progress":
            raise
        return _open_attempt(user, version.id, at) or _raise(refused)


def _raise(error: Exception):
    raise error


def _check_certified(user: User, version, at: datetime) -> None:
    cert = valid_certification(user, version, at)
    if cert is not None:
        if cert.valid_until:
            raise Conflict("already_certified_until", slug=version.slug,
                           day=f"{cert.valid_until:%Y-%m-%d}")
        raise Conflict("already_certified", slug=version.slug)


def _open_attempt(user: User, version_id: int, at: datetime) -> Attempt | None:
    attempt = db.session.scalar(select(Attempt).where(
        Attempt.user_id == user.id, Attempt.version_id == version_id,
        Attempt.status == "in_progress",
    ))
    if attempt is not None and attempt.deadline_at and attempt.deadline_at <= at:
        _grade(attempt, attempt.deadline_at)  # time ran out: saved answers are submitted
        return None
    return attempt


def retake_history(user_id: int, version_id: int, version_ids: set[int] | None = None
                   ) -> tuple[list[retakes.PastAttempt], datetime | None]:
    """The agent's attempts on a version (or on every version of ``version_ids``: the same
    change in its languages), and when a manager last unlocked it (if ever)."""
    ids = sorted(version_ids or {version_id})
    past = db.session.scalars(select(Attempt).where(
        Attempt.user_id == user_id, Attempt.version_id.in_(ids)
    ).order_by(Attempt.started_at)).all()
    unlock = db.session.scalar(select(func.max(Assignment.unlocked_at)).where(
        Assignment.user_id == user_id, Assignment.version_id.in_(ids)
    ))
    return [retakes.PastAttempt(a.started_at, a.submitted_at, a.passed) for a in past], unlock


def retake_rule(past: list[retakes.PastAttempt], at: datetime,
                unlocked_at: datetime | None) -> retakes.RetakeStatus:
    """Rule 7 with the organisation's cooldown, daily cap and time zone."""
    config = current_app.config
    return retakes.retake_status(
        past, at, cooldown=timedelta(minutes=config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"]),
        daily_cap=config["ONEVOICE_RETAKE_DAILY_CAP"], tz=config["ONEVOICE_TIMEZONE"],
        unlocked_at=unlocked_at,
    )


def _check_retake(user: User, version, at: datetime) -> None:
    tz = current_app.config["ONEVOICE_TIMEZONE"]
    group = translations.same_change([version])[version.id]  # rule 7 across languages
    past, unlocked_at = retake_history(user.id, version.id, group)
    status = retake_rule(past, at, unlocked_at)
    if not status.allowed:
        local = status.retry_at.astimezone(gating.time_zone(tz))
        code = "retake_cooldown" if status.reason == "cooldown" else "retake_daily_cap"
        raise TooMany(code, when=f"{local:%Y-%m-%d %H:%M}", tz=tz,
                      details={"retry_at": status.retry_at.isoformat(), "reason": status.reason})


def _new_attempt(user: User, version, at: datetime,
                 rng: random.Random | None = None) -> Attempt:
    pool = [i for i in version.items if i.status == "approved"]
    if not pool:
        raise Conflict("no_items_to_ask", slug=version.slug)
    seen = set(db.session.scalars(
        select(AttemptItem.item_id).join(Attempt).where(
            Attempt.user_id == user.id, Attempt.version_id == version.id)
    ))
    rng = rng or random.Random(secrets.randbits(64))
    try:
        drawn = compose(version, pool, seen, rng)
    except Refused as error:
        raise Conflict.of(error.problem) from None
    limit = version.time_limit_minutes
    attempt = Attempt(user_id=user.id, version_id=version.id, started_at=at,
                      deadline_at=at + timedelta(minutes=limit) if limit else None)
    attempt.items = [AttemptItem(item_id=item_id, position=n, option_order=order)
                     for n, (item_id, order) in enumerate(drawn)]
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:  # a parallel start won: resume that one
        raise Conflict("attempt_in_progress") from None
    return attempt


def compose(version, pool: list[Item], seen, rng: random.Random) -> list[tuple[int, list[int]]]:
    """The questions of an attempt on ``version`` from its approved ``pool`` (item id and
    option order each): the draw of every real attempt and of the trainer's preview."""
    return draw.compose_attempt(
        [draw.PoolItem(i.id, i.fact.key, i.kind, ordered=options_in_natural_order(i.options))
         for i in pool],
        {i.id: [o.id for o in i.options] for i in pool},
        facts=[f.key for f in version.facts], critical=version.critical or (),
        seen=seen, rng=rng)


def save_answer(user: User, attempt_id: int, item_id: int, option_id: int | None,
                seq: int | None = None, at: datetime | None = None) -> Answer:
    """Autosave one answer; a save older than the stored one (by ``seq``) changes nothing."""
    at = at or utcnow()
    with unit_of_work():
        attempt = own_attempt(user, attempt_id, lock=True)
        if _still_open(attempt, at):
            return _store_answer(attempt, item_id, option_id, seq, at)
    # Raised only now, so the grading of the timed-out attempt is committed, not rolled back.
    raise Conflict("attempt_timed_out", id=attempt_id)


def _store_answer(attempt: Attempt, item_id: int, option_id: int | None, seq: int | None,
                  at: datetime) -> Answer:
    entry = next((ai for ai in attempt.items if ai.item_id == item_id), None)
    if entry is None:
        raise ServiceError("item_not_in_attempt", field="item", item=item_id,
                           attempt=attempt.id)
    if option_id is not None and option_id not in entry.option_order:
        raise ServiceError("option_not_in_item", field="option", option=option_id,
                           item=item_id)
    answer = db.session.get(Answer, (attempt.id, item_id))
    if answer is None:
        answer = Answer(attempt_id=attempt.id, item_id=item_id, seq=0)
        db.session.add(answer)
    if seq is not None and seq < answer.seq:
        return answer  # a late save must not overwrite a newer one
    answer.option_id, answer.saved_at = option_id, at
    answer.seq = seq if seq is not None else answer.seq + 1
    return answer


def _still_open(attempt: Attempt, at: datetime) -> bool:
    """False once time ran out, after grading the saved answers; Conflict when submitted."""
    if attempt.status != "in_progress":
        raise Conflict("attempt_final", id=attempt.id, status=attempt.status)
    if attempt.deadline_at and attempt.deadline_at <= at:
        _grade(attempt, attempt.deadline_at)
        return False
    return True


def answers_of(attempt: Attempt) -> dict[int, Answer]:
    """The saved answers of an attempt by item id."""
    rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    return {a.item_id: a for a in rows}


def submit(user: User, attempt_id: int, at: datetime | None = None) -> dict:
    """Grade the attempt once; later calls return the same result (idempotent)."""
    at = at or utcnow()
    with unit_of_work():
        attempt = own_attempt(user, attempt_id, lock=True)
        if attempt.result is None:
            when = min(at, attempt.deadline_at) if attempt.deadline_at else at
            _grade(attempt, when)
    return attempt.result


def _grade(attempt: Attempt, at: datetime) -> None:
    version = attempt.version
    _, default_mark = _settings()
    items = [ai.item for ai in attempt.items]
    correct_ids = _correct_options([i.id for i in items])
    saved = answers_of(attempt)
    result = grading.grade(
        [grading.GradableItem(i.id, i.fact.key, correct_ids.get(i.id, frozenset())) for i in items],
        {item_id: a.option_id for item_id, a in saved.items()},
        pass_mark=version.pass_mark or default_mark, critical_facts=version.critical or (),
    )
    for item_id, answer in saved.items():
        answer.correct = result.item_correct.get(item_id, False)
    attempt.status, attempt.submitted_at = "submitted", at
    attempt.score, attempt.passed = result.score, result.passed
    if result.passed:
        db.session.add(Certification(
            user_id=attempt.user_id, version_id=translations.credited_version(version),
            attempt_id=attempt.id, passed_at=at,
            valid_until=gating.valid_until(at, _recertify_days(version)),
        ))
        db.session.flush()
    user = db.session.get(User, attempt.user_id)
    recompute([user], cause="certification_passed" if result.passed else "attempt_failed", at=at)
    if result.passed:
        record("certification.passed", passed_payload(user, attempt))
    attempt.result = _result_document(attempt, result, user)


def _recertify_days(version) -> int | None:
    return version.recertify_after_days or current_app.config["ONEVOICE_RECERTIFY_AFTER_DAYS"]


def _correct_options(item_ids: list[int]) -> dict[int, frozenset[int]]:
    rows = db.session.execute(
        select(ItemOption.item_id, ItemOption.id)
        .where(ItemOption.item_id.in_(item_ids), ItemOption.correct.is_(True))
    ).all()
    found: dict[int, set[int]] = {}
    for item_id, option_id in rows:
        found.setdefault(item_id, set()).add(option_id)
    return {k: frozenset(v) for k, v in found.items()}


def _result_document(attempt: Attempt, result: grading.Grade, user: User) -> dict:
    return {
        "attempt": attempt.id,
        "bulletin": attempt.version.slug,
        "version": attempt.version.number,
        "score": result.score,
        "passed": result.passed,
        "correct": result.correct,
        "total": result.total,
        "facts": [{"fact": f.fact, "correct": f.correct} for f in result.facts],
        "missed_critical": list(result.missed_critical),
        "eligibility": eligibility_document(user),
    }


def item_for_agent(entry: AttemptItem) -> dict:
    """An item as an agent may see it before grading: no key, no explanation, no source."""
    return agent_view_of_item(entry.item, entry.option_order)


def agent_view_of_item(item: Item, option_order: list[int] | None = None) -> dict:
    """Stem and option texts with opaque ids, in the attempt's order (or stored order)."""
    options = {o.id: o for o in item.options}
    order = option_order if option_order is not None else list(options)
    return {
        "id": item.id,
        "stem": item.stem,
        "kind": item.kind,
        "options": [{"id": oid, "text": options[oid].text} for oid in order if oid in options],
    }

