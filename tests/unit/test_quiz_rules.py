"""The rules stated before an attempt, as tables on a frozen clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.draw import PoolItem, draw_items
from app.domain.grading import GradableItem, grade
from app.domain.quiz_rules import (
    attempts_left_today,
    pass_requirement,
    question_count,
)

SEOUL = "Asia/Seoul"
SEOUL_MIDNIGHT = datetime(2030, 3, 4, 15, 0, tzinfo=UTC)  # 00:00 on 5 March in Seoul
NOW = SEOUL_MIDNIGHT + timedelta(hours=12)


@pytest.mark.parametrize(("mark", "questions", "critical", "needed", "every"), [
    (80, 4, 2, 4, True),    # the case: 80 % of 4 means all 4
    (80, 4, 0, 4, True),    # 3 of 4 is 75 %
    (80, 5, 0, 4, False),   # 4 of 5 is exactly 80 %
    (80, 5, 5, 5, True),    # every fact critical
    (75, 4, 0, 3, False),
    (100, 3, 0, 3, True),
    (0, 3, 0, 0, False),
    (0, 3, 1, 1, False),    # no mark, but the critical fact must be right
    (50, 1, 0, 1, True),
    (80, 10, 0, 8, False),
    (81, 10, 0, 9, False),  # 8 of 10 floors to 80 %: not enough for 81
])
def test_points_needed(mark, questions, critical, needed, every):
    rule = pass_requirement(mark, questions, critical)
    assert (rule.needed, rule.questions, rule.critical, rule.every_question) == (
        needed, questions, critical, every)


@pytest.mark.parametrize(("mark", "questions"), [(m, n) for m in (0, 33, 50, 67, 80, 99, 100)
                                                 for n in range(1, 13)])
def test_points_needed_agree_with_grading(mark, questions):
    """Exactly ``needed`` right answers pass and one fewer fails, as the grader decides."""
    needed = pass_requirement(mark, questions, 0).needed
    items = [GradableItem(i, f"f{i}", frozenset({1})) for i in range(questions)]
    def passes(right: int) -> bool:
        answers = {i: (1 if i < right else 2) for i in range(questions)}
        return grade(items, answers, pass_mark=mark, critical_facts=()).passed
    assert passes(needed)
    if needed:
        assert not passes(needed - 1)


@pytest.mark.parametrize(("args", "message"), [
    ((101, 4, 0), "between 0 and 100"),
    ((-1, 4, 0), "between 0 and 100"),
    ((80, 0, 0), "at least one question"),
    ((80, 4, 5), "between 0 and 4"),
    ((80, 4, -1), "between 0 and 4"),
])
def test_bad_input_is_named(args, message):
    with pytest.raises(ValueError, match=message):
        pass_requirement(*args)


@pytest.mark.parametrize("seed", range(40))
def test_question_count_is_what_the_draw_draws(seed):
    rng = random.Random(seed)
    facts = [f"f{n}" for n in range(rng.randint(1, 6))]
    pool = [PoolItem(100 * n + k, fact, "choice") for n, fact in enumerate(facts)
            for k in range(rng.randint(0, 3))]
    listed = rng.sample(facts, rng.randint(1, len(facts)))
    critical = [f for f in facts if rng.random() < 0.3 and any(p.fact == f for p in pool)]
    per_fact = rng.randint(1, 3)
    counts: dict[str, int] = {}
    for item in pool:
        counts[item.fact] = counts.get(item.fact, 0) + 1
    drawn = draw_items(pool, facts=listed, critical=critical, seen=(), rng=rng, per_fact=per_fact)
    assert question_count(counts, facts=listed, critical=critical, per_fact=per_fact) == len(drawn)


def _at(hours: float) -> datetime:
    return SEOUL_MIDNIGHT + timedelta(hours=hours)


@pytest.mark.parametrize(("started", "cap", "unlocked_at", "left"), [
    ([], 3, None, 3),
    ([_at(1)], 3, None, 2),
    ([_at(1), _at(2), _at(3)], 3, None, 0),
    ([_at(1), _at(2), _at(3), _at(4)], 3, None, 0),   # never negative
    ([_at(-1), _at(-5), _at(1)], 3, None, 2),         # yesterday (Seoul) does not count
    ([_at(0)], 1, None, 0),                           # local midnight belongs to today
    ([_at(1), _at(2), _at(3)], 3, _at(4), 3),         # a manager's unlock forgives them
    ([_at(1), _at(5)], 3, _at(4), 2),
])
def test_attempts_left_today(started, cap, unlocked_at, left):
    assert attempts_left_today(started, NOW, daily_cap=cap, tz=SEOUL,
                               unlocked_at=unlocked_at) == left


def test_attempts_left_today_names_a_bad_cap():
    with pytest.raises(ValueError, match="daily_cap"):
        attempts_left_today([], NOW, daily_cap=0, tz=SEOUL)
