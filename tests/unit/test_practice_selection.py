"""Which facts an agent practises and which cards come today, as tables on a frozen clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.practice import (
    DAILY_ITEMS,
    FactRef,
    PracticeCard,
    choose_item,
    facts_to_practise,
    remaining_today,
    select_for_today,
)

NOW = datetime(2030, 3, 5, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
DAY_ENDS = datetime(2030, 3, 5, 15, 0, tzinfo=UTC)  # next Seoul midnight
H = timedelta(hours=1)


def card(card_id: int, *, due: datetime = NOW - H, r: float = 0.9, askable: bool = True,
         fact: str = "f", bulletin: str = "b") -> PracticeCard:
    return PracticeCard(card_id=card_id, bulletin=bulletin, version=1, fact=fact, due=due,
                        retrievability=r, askable=askable)


@pytest.mark.parametrize(("facts", "expected"), [
    ([], []),
    ([FactRef("a", False), FactRef("b", True), FactRef("c", True)], ["b", "c"]),
    ([FactRef("a", False), FactRef("b", False)], ["a", "b"]),  # none critical: all of them
    ([FactRef("a", True)], ["a"]),
])
def test_facts_to_practise(facts, expected):
    assert facts_to_practise(facts) == expected


@pytest.mark.parametrize(("answered", "per_day", "left"), [
    (0, 3, 3), (1, 3, 2), (3, 3, 0), (5, 3, 0), (0, 1, 1),
])
def test_remaining_today(answered, per_day, left):
    assert remaining_today(answered, per_day) == left


def test_remaining_today_refuses_negative_numbers():
    with pytest.raises(ValueError):
        remaining_today(-1)


CASES = {
    "nothing due": ([card(1, due=DAY_ENDS + H)], 0, []),
    "due later today counts": ([card(1, due=DAY_ENDS - H)], 0, [1]),
    "due at the end of the day is tomorrow's": ([card(1, due=DAY_ENDS)], 0, []),
    "weakest first": ([card(1, r=0.9), card(2, r=0.4), card(3, r=0.7)], 0, [2, 3, 1]),
    "at most three": ([card(i, r=i / 10) for i in range(1, 6)], 0, [1, 2, 3]),
    "budget used in part": ([card(i, r=i / 10) for i in range(1, 6)], 2, [1]),
    "budget used up": ([card(1)], 3, []),
    "not askable is skipped": ([card(1, r=0.1, askable=False), card(2, r=0.8)], 0, [2]),
    "ties go to the earlier due": ([card(1, due=NOW - H), card(2, due=NOW - 5 * H)], 0, [2, 1]),
    "full ties are stable": ([card(2, fact="x"), card(1, fact="x")], 0, [1, 2]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_select_for_today(name):
    cards, answered, expected = CASES[name]
    chosen = select_for_today(cards, day_ends=DAY_ENDS, answered_today=answered)
    assert [c.card_id for c in chosen] == expected


def test_select_for_today_ignores_input_order():
    cards = [card(i, r=(i * 7 % 5) / 10) for i in range(1, 8)]
    forward = select_for_today(cards, day_ends=DAY_ENDS, answered_today=0)
    backward = select_for_today(list(reversed(cards)), day_ends=DAY_ENDS, answered_today=0)
    assert forward == backward and len(forward) == DAILY_ITEMS


@pytest.mark.parametrize(("items", "last", "allowed"), [
    ([], None, {None}),
    ([5], None, {5}),
    ([5], 5, {5}),  # the only item comes again
    ([5, 6], 5, {6}),
    ([5, 6, 7], 6, {5, 7}),
    ([5, 6], None, {5, 6}),
])
def test_choose_item(items, last, allowed):
    for seed in range(20):
        assert choose_item(items, last, random.Random(seed)) in allowed


def test_choose_item_is_deterministic_for_a_seed():
    picks = {choose_item([1, 2, 3, 4], None, random.Random(42)) for _ in range(5)}
    assert len(picks) == 1
