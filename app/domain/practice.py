"""Reinforcement after certification: which facts an agent practises, and which today.

A certified agent keeps one practice card per practised fact of each bulletin version in
force for them. The scheduler (FSRS, outside the domain) says when each card is due and how
likely the agent still recalls the fact (its *retrievability*); this module only chooses:

- which facts of a version are practised: its critical facts, or every fact when the version
  marks none critical (so every certified bulletin is reinforced);
- which cards are served today: cards due before the end of the local day, most likely
  forgotten first, at most ``DAILY_ITEMS`` answered per local day;
- which approved item of a fact to ask: another one than last time, where the pool allows.

Practice never changes a certification: it feeds the scheduler and the gap reports only.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

DAILY_ITEMS = 3
"""Practice items an agent answers per local day at most."""


@dataclass(frozen=True)
class FactRef:
    """A fact of a bulletin version, as far as choosing practice goes."""

    key: str
    critical: bool


@dataclass(frozen=True)
class PracticeCard:
    """One agent's practice card on one fact of one bulletin version."""

    card_id: int
    bulletin: str
    version: int
    fact: str
    due: datetime
    retrievability: float  # 0..1: the scheduler's estimate that the agent still recalls it
    # False when the version is no longer in force for the agent (retired, certification
    # lapsed) or the fact has no approved item left to ask: such a card is never served.
    askable: bool = True


def facts_to_practise(facts: Iterable[FactRef]) -> list[str]:
    """Return the keys of the facts worth practising: the critical ones, else all of them."""
    facts = list(facts)
    critical = [f.key for f in facts if f.critical]
    return critical or [f.key for f in facts]


def remaining_today(answered_today: int, per_day: int = DAILY_ITEMS) -> int:
    """Return how many practice items the agent may still answer today."""
    if per_day < 0 or answered_today < 0:
        raise ValueError("per_day and answered_today must not be negative")
    return max(0, per_day - answered_today)


def _order(card: PracticeCard) -> tuple:
    return (card.retrievability, card.due, card.bulletin, card.version, card.fact, card.card_id)


def select_for_today(cards: Iterable[PracticeCard], *, day_ends: datetime,
                     answered_today: int, per_day: int = DAILY_ITEMS) -> list[PracticeCard]:
    """Return the cards to serve now: askable, due before ``day_ends``, weakest first.

    "Weakest" is the lowest retrievability; ties go to the card due first, then to a stable
    order, so the same inputs always give the same list. At most the day's remaining budget.
    """
    budget = remaining_today(answered_today, per_day)
    due = [c for c in cards if c.askable and c.due < day_ends]
    return sorted(due, key=_order)[:budget]


def choose_item(item_ids: Sequence[int], last_item_id: int | None,
                rng: random.Random) -> int | None:
    """Return the item to ask about a fact: not the one asked last time, when another exists.

    None when the fact has no item. ``rng`` decides among the candidates.
    """
    pool = sorted(set(item_ids))
    if not pool:
        return None
    fresh = [i for i in pool if i != last_item_id] or pool
    return rng.choice(fresh)
