"""Composing an attempt: which items to ask and in which order (rule 7).

A retake draws items the agent has not seen where the pool allows, so passing cannot come
from remembering one sitting's answers. All randomness comes from the ``rng`` passed in,
so a seed reproduces a draw exactly.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from app.domain.refusals import Refused


@dataclass(frozen=True)
class PoolItem:
    """An approved item that may be drawn."""

    item_id: int
    fact: str
    kind: str
    ordered: bool = False  # options in their natural order (amounts, dates): never shuffled


def _pick(
    candidates: list[int], seen: Collection[int], count: int, rng: random.Random
) -> list[int]:
    """Pick up to ``count`` of ``candidates``, unseen ones first, at random within each group."""
    unseen = [i for i in candidates if i not in seen]
    if len(unseen) >= count:
        return rng.sample(unseen, count)
    already = [i for i in candidates if i in seen]
    return unseen + rng.sample(already, min(count - len(unseen), len(already)))


def _items_by_fact(pool: Sequence[PoolItem]) -> dict[str, list[int]]:
    """Return the distinct item ids of each fact, sorted so the pool's load order never matters."""
    by_fact: dict[str, set[int]] = {}
    for item in pool:
        by_fact.setdefault(item.fact, set()).add(item.item_id)
    return {fact: sorted(ids) for fact, ids in by_fact.items()}


def draw_items(
    pool: Sequence[PoolItem],
    *,
    facts: Sequence[str],
    critical: Collection[str],
    seen: Collection[int],
    rng: random.Random,
    per_fact: int = 1,
) -> list[int]:
    """Return the item ids of a new attempt, in the order to ask them.

    Up to ``per_fact`` items for every fact in ``facts`` that has items in the pool (critical
    facts are covered even when not listed), preferring items not in ``seen``. ValueError
    names the critical facts without any item. Deterministic for a given ``rng`` state.
    """
    if per_fact < 1:
        raise ValueError(f"per_fact must be at least 1, got {per_fact}")
    by_fact = _items_by_fact(pool)
    uncovered = sorted(fact for fact in set(critical) if fact not in by_fact)
    if uncovered:
        raise Refused("critical_fact_not_drawable", facts=uncovered)
    wanted = list(dict.fromkeys([*facts, *sorted(set(critical) - set(facts))]))
    seen_ids = frozenset(seen)
    drawn: list[int] = []
    for fact in wanted:
        drawn += _pick(by_fact.get(fact, []), seen_ids, per_fact, rng)
    rng.shuffle(drawn)
    return drawn


def shuffle_options(option_ids: Sequence[int], rng: random.Random, *,
                    ordered: bool = False) -> list[int]:
    """Return ``option_ids`` in a random order drawn from ``rng`` (the input is not changed);
    ``ordered`` options (amounts, dates in their natural order) keep their order."""
    shuffled = list(option_ids)
    if not ordered:
        rng.shuffle(shuffled)
    return shuffled


def compose_attempt(
    pool: Sequence[PoolItem],
    options: Mapping[int, Sequence[int]],
    *,
    facts: Sequence[str],
    critical: Collection[str],
    seen: Collection[int],
    rng: random.Random,
) -> list[tuple[int, list[int]]]:
    """Return an attempt's questions: ``(item id, option ids in display order)`` in order.

    The items come from :func:`draw_items`, then each item's options (``options[item_id]``)
    are shuffled by :func:`shuffle_options` (an ``ordered`` item's amounts or dates keep their
    order, smallest first, as item-writing rules ask), all from the one ``rng``: a real
    attempt and a trainer's preview draw through this same function.
    """
    drawn = draw_items(pool, facts=facts, critical=critical, seen=seen, rng=rng)
    ordered = {item.item_id for item in pool if item.ordered}
    return [(item_id, shuffle_options(options[item_id], rng, ordered=item_id in ordered))
            for item_id in drawn]
