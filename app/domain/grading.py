"""Grading one attempt (rule 4): score, per-fact results and the pass decision.

The server is the only grader (rule 9): this function sees the correct options, the agent's
answers never do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

DEFAULT_PASS_MARK = 80
"""Percent needed to pass when a bulletin does not set ``pass_mark``."""


@dataclass(frozen=True)
class GradableItem:
    """One drawn item of an attempt with the option ids that count as correct."""

    item_id: int
    fact: str
    correct_option_ids: frozenset[int]


@dataclass(frozen=True)
class FactResult:
    """Whether the agent got a fact right in this attempt."""

    fact: str
    correct: bool


@dataclass(frozen=True)
class Grade:
    """The result of grading an attempt."""

    score: int  # percent, 0..100, rounded down so 79.9 never passes an 80 mark
    correct: int
    total: int
    passed: bool
    # In first-appearance order; a fact is correct iff every item on it was answered correctly.
    facts: tuple[FactResult, ...]
    item_correct: Mapping[int, bool]  # read-only, per item id
    missed_critical: tuple[str, ...]


def _check(items: Sequence[GradableItem], pass_mark: int) -> None:
    if not items:
        raise ValueError("cannot grade an attempt without items")
    if not 0 <= pass_mark <= 100:
        raise ValueError(f"pass_mark must be a percent between 0 and 100, got {pass_mark}")
    seen: set[int] = set()
    for item in items:
        if item.item_id in seen:
            raise ValueError(f"item {item.item_id} appears twice in the attempt")
        if not item.correct_option_ids:
            raise ValueError(f"item {item.item_id} has no correct option")
        seen.add(item.item_id)


def _fact_results(
    items: Sequence[GradableItem], item_correct: Mapping[int, bool]
) -> tuple[FactResult, ...]:
    by_fact: dict[str, bool] = {}
    for item in items:
        by_fact[item.fact] = by_fact.get(item.fact, True) and item_correct[item.item_id]
    return tuple(FactResult(fact, ok) for fact, ok in by_fact.items())


def grade(
    items: Sequence[GradableItem],
    answers: Mapping[int, int | None],
    *,
    pass_mark: int,
    critical_facts: Collection[str],
) -> Grade:
    """Grade ``answers`` (item id -> chosen option id) against ``items`` (rule 4).

    Unanswered items are wrong. Passed iff the floored percent reaches ``pass_mark`` and every
    critical fact was answered correctly; a critical fact with no item in the attempt counts
    as missed, since it was not answered correctly in that attempt.
    """
    _check(items, pass_mark)
    item_correct = {
        item.item_id: answers.get(item.item_id) in item.correct_option_ids for item in items
    }
    facts = _fact_results(items, item_correct)
    right = {f.fact for f in facts if f.correct}
    asked = [f.fact for f in facts]
    missed = [fact for fact in asked if fact in critical_facts and fact not in right]
    missed += sorted(set(critical_facts) - set(asked))
    correct = sum(item_correct.values())
    score = correct * 100 // len(items)
    return Grade(
        score=score,
        correct=correct,
        total=len(items),
        passed=score >= pass_mark and not missed,
        facts=facts,
        item_correct=MappingProxyType(item_correct),
        missed_critical=tuple(missed),
    )
