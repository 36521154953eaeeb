"""Spaced practice after certification, scheduled per agent and fact with FSRS.

A certified agent gets one card per practised fact (app/domain/practice.py chooses which) of
every bulletin version in force for them. The certifying attempt is the card's first review
(Good when the fact was answered right in it, else Again), so the first practice comes a few
days after passing. Each day up to three due cards are served, weakest first; each answer is
graded here, fed to the scheduler (Good when right, Again when wrong) and recorded in
``practice_reviews``. Practice never changes a certification or eligibility.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from fsrs import Card, Rating, Scheduler
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app import rules_sql
from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import draw, gating, review_policy
from app.domain import practice as rules
from app.domain.generation.option_order import options_in_natural_order
from app.errors import Conflict, NotFound, ServiceError
from app.models import (
    Assignment,
    Attempt,
    BulletinVersion,
    Certification,
    Fact,
    Item,
    ItemOption,
    User,
    utcnow,
)
from app.models.engagement import PracticeCard, PracticeReview
from app.queries.inbox import in_force_clause
from app.services.certification.attempts import agent_view_of_item

# Practice is daily: no same-day learning steps, and no fuzz, so a schedule can be explained.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def _targets(user: User, at: datetime) -> dict[int, tuple[BulletinVersion, Certification]]:
    """Versions in force for the agent that a valid certification satisfies, with the latest
    such certification: version id -> (version, certification)."""
    cv = aliased(BulletinVersion)
    rows = db.session.execute(
        select(BulletinVersion, Certification)
        .select_from(Assignment)
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .join(cv, rules_sql.accepts(cv))
        .join(Certification, and_(Certification.version_id == cv.id,
                                  Certification.user_id == Assignment.user_id))
        .where(Assignment.user_id == user.id, BulletinVersion.status == "published",
               in_force_clause(at), rules_sql.held_at(at))
    ).all()
    targets: dict[int, tuple[BulletinVersion, Certification]] = {}
    for version, cert in rows:
        known = targets.get(version.id)
        if known is None or cert.passed_at > known[1].passed_at:
            targets[version.id] = (version, cert)
    return targets


def _wanted(targets: dict) -> list[tuple[int, str]]:
    """(version id, fact key) of every fact to practise in the target versions."""
    facts: dict[int, list[rules.FactRef]] = defaultdict(list)
    for version_id, key, critical in db.session.execute(
        select(Fact.version_id, Fact.key, Fact.critical)
        .where(Fact.version_id.in_(list(targets))).order_by(Fact.position)
    ):
        facts[version_id].append(rules.FactRef(key, bool(critical)))
    return [(vid, key) for vid in targets for key in rules.facts_to_practise(facts[vid])]


def _cards(user: User) -> dict[tuple[int, str], PracticeCard]:
    rows = db.session.scalars(select(PracticeCard).where(PracticeCard.user_id == user.id))
    return {(c.version_id, c.fact_key): c for c in rows}


def sync_cards(user: User, at: datetime | None = None, targets: dict | None = None) -> int:
    """Create the agent's missing cards (idempotent); writes only when some are missing."""
    at = at or utcnow()
    targets = _targets(user, at) if targets is None else targets
    if not targets or not set(_wanted(targets)) - set(_cards(user)):
        return 0
    try:
        with unit_of_work():
            cards = _cards(user)  # again, inside the write transaction
            missing = [w for w in _wanted(targets) if w not in cards]
            for version_id, key in missing:
                db.session.add(_new_card(user, targets[version_id], key, cards))
            return len(missing)
    except IntegrityError:  # a parallel request created them (PostgreSQL)
        return 0


def _new_card(user: User, target, key: str, cards) -> PracticeCard:
    """A card carried over from the same fact of an earlier version of the lineage (a minor
    change), or seeded with the certifying attempt as its first review."""
    version, cert = target
    earlier = [c for (vid, k), c in cards.items() if k == key
               and c.version.lineage_id == version.lineage_id and c.version.number < version.number]
    if earlier:
        previous = max(earlier, key=lambda c: c.version.number)
        return PracticeCard(user_id=user.id, version_id=version.id, fact_key=key,
                            state=dict(previous.state), due=previous.due,
                            reviews=previous.reviews, lapses=previous.lapses,
                            last_item_id=None, last_reviewed_at=previous.last_reviewed_at)
    rating = Rating.Good if _answered_right(cert, key) else Rating.Again
    card, _ = SCHEDULER.review_card(Card(card_id=0, due=cert.passed_at), rating, cert.passed_at)
    return PracticeCard(user_id=user.id, version_id=version.id, fact_key=key,
                        state=card.to_dict(), due=card.due, reviews=0, lapses=0)


def _answered_right(cert: Certification, key: str) -> bool:
    result = db.session.scalar(select(Attempt.result).where(Attempt.id == cert.attempt_id)) \
        if cert.attempt_id else None
    facts = {f["fact"]: f["correct"] for f in (result or {}).get("facts", [])}
    return facts.get(key, True)  # not asked: the certification vouches for it


@dataclass(frozen=True)
class Served:
    """A practice question served today: the card, its fact and the item without a key."""

    card: PracticeCard
    fact_label: str
    title: str
    item: dict  # agent_view_of_item: stem and shuffled options with opaque ids


def today(user: User, at: datetime | None = None) -> list[Served]:
    """Up to three due practice questions for today, most likely forgotten first."""
    at = at or utcnow()
    targets = _targets(user, at)
    if not targets:
        return []
    sync_cards(user, at, targets)
    return _serve(user, at, targets)


def _serve(user: User, at: datetime, targets: dict) -> list[Served]:
    cards = [c for c in _cards(user).values() if c.version_id in targets]
    pools = _pools([c.version_id for c in cards])
    candidates = [rules.PracticeCard(
        card_id=c.id, bulletin=c.version.slug, version=c.version.number, fact=c.fact_key,
        due=c.due, askable=bool(pools.get((c.version_id, c.fact_key))),
        retrievability=SCHEDULER.get_card_retrievability(Card.from_dict(c.state), at),
    ) for c in cards]
    tz = current_app.config["ONEVOICE_TIMEZONE"]
    chosen = rules.select_for_today(candidates, day_ends=gating.next_local_midnight(at, tz),
                                    answered_today=answered_today(user, at))
    by_id = {c.id: c for c in cards}
    return [_question(by_id[c.card_id], pools[(by_id[c.card_id].version_id, c.fact)])
            for c in chosen]


def _pools(version_ids: list[int]) -> dict[tuple[int, str], list[Item]]:
    pools: dict[tuple[int, str], list[Item]] = defaultdict(list)
    if version_ids:
        for item in db.session.scalars(
            select(Item).where(Item.version_id.in_(set(version_ids)), Item.status == "approved")
        ):
            pools[(item.version_id, item.fact.key)].append(item)
    return pools


def _rng(card: PracticeCard) -> random.Random:
    """The same question and order for a card until it is answered; unguessable without the
    server's secret."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"practice:{card.id}:{card.reviews}".encode(), hashlib.sha256)
    return random.Random(int.from_bytes(digest.digest()[:8], "big"))


def _question(card: PracticeCard, pool: list[Item]) -> Served:
    rng = _rng(card)
    item_id = rules.choose_item([i.id for i in pool], card.last_item_id, rng)
    item = next(i for i in pool if i.id == item_id)
    order = draw.shuffle_options([o.id for o in item.options], rng,  # amounts, dates: in order
                                 ordered=options_in_natural_order(item.options))
    return Served(card, item.fact.label, card.version.title, agent_view_of_item(item, order))


def answered_today(user: User, at: datetime) -> int:
    """Practice answers the agent gave since local midnight."""
    since = gating.start_of_local_day(at, current_app.config["ONEVOICE_TIMEZONE"])
    return db.session.scalar(select(func.count(PracticeReview.id)).where(
        PracticeReview.user_id == user.id, PracticeReview.answered_at >= since,
        PracticeReview.answered_at <= at)) or 0


def answer(user: User, card_id: int, item_id: int | None, option_id: int | None,
           at: datetime | None = None) -> PracticeReview:
    """Grade a practice answer on the server and reschedule the card; never touches a
    certification. Conflict when the card is not served now (answered, or not due)."""
    at = at or utcnow()
    if item_id is None:
        raise ServiceError("practice_item_required", field="item")
    if option_id is None:
        raise ServiceError("practice_option_required", field="option")
    with unit_of_work():
        card = db.session.scalar(select(PracticeCard).where(
            PracticeCard.id == card_id, PracticeCard.user_id == user.id
        ).with_for_update(of=PracticeCard))
        if card is None:
            raise NotFound("no_practice_card", field="card", id=card_id)
        served = next((s for s in _serve(user, at, _targets(user, at))
                       if s.card.id == card.id), None)
        if served is None or served.item["id"] != item_id:
            raise Conflict("practice_question_closed")
        if option_id not in {o["id"] for o in served.item["options"]}:
            raise ServiceError("option_not_in_item", field="option", option=option_id,
                               item=item_id)
        return _record(user, card, item_id, option_id, at)


def _record(user: User, card: PracticeCard, item_id: int, option_id: int,
            at: datetime) -> PracticeReview:
    correct = db.session.scalar(select(ItemOption.correct).where(
        ItemOption.id == option_id, ItemOption.item_id == item_id)) is True
    rating = Rating.Good if correct else Rating.Again
    scheduled, _ = SCHEDULER.review_card(Card.from_dict(card.state), rating, at)
    card.state, card.due = scheduled.to_dict(), scheduled.due
    card.reviews, card.lapses = card.reviews + 1, card.lapses + (0 if correct else 1)
    card.last_item_id, card.last_reviewed_at = item_id, at
    review = PracticeReview(user_id=user.id, card_id=card.id, version_id=card.version_id,
                            fact_key=card.fact_key, item_id=item_id, option_id=option_id,
                            correct=correct, rating=int(rating), answered_at=at)
    db.session.add(review)
    db.session.flush()
    return review


def answer_feedback(user: User, review_id: int) -> dict:
    """What the agent sees after a practice answer: right or wrong, the answer and why, as
    the bulletin's review policy allows (``never`` keeps both back, as after a quiz)."""
    review = db.session.scalar(select(PracticeReview).where(
        PracticeReview.id == review_id, PracticeReview.user_id == user.id))
    if review is None:
        raise NotFound("no_practice_answer", field="answered", id=review_id)
    item = db.session.get(Item, review.item_id)
    version = db.session.get(BulletinVersion, review.version_id)
    reveal = review_policy.decide(version.review, passed=True, cap_used=False).show_key
    return {
        "correct": review.correct, "fact_label": item.fact.label, "stem": item.stem,
        "chosen": next((o.text for o in item.options if o.id == review.option_id), None),
        "answer": [o.text for o in item.options if o.correct] if reveal else None,
        "explanation": item.explanation if reveal else None,
        "bulletin": version.slug, "fact": review.fact_key, "due": review_due(review),
    }


def review_due(review: PracticeReview) -> datetime | None:
    """When the reviewed card comes back."""
    return db.session.scalar(select(PracticeCard.due).where(PracticeCard.id == review.card_id))
