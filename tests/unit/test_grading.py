"""Grading (rule 4) as a table: score floors, pass mark, critical facts, unanswered items."""

from __future__ import annotations

import pytest

from app.domain.grading import FactResult, GradableItem, grade


def items(*facts: str) -> list[GradableItem]:
    """One item per fact given; item n has id n and correct option 100 + n."""
    return [GradableItem(n, fact, frozenset({100 + n})) for n, fact in enumerate(facts, 1)]


def right(*ids: int) -> dict[int, int]:
    return {n: 100 + n for n in ids}


def wrong(*ids: int) -> dict[int, int]:
    return {n: 999 for n in ids}


FIVE = items("f-login", "f-bundle", "f-date", "f-plan", "f-price")
TEN = items(*(f"f-{n}" for n in range(1, 11)))
THREE = items("a", "b", "c")


@pytest.mark.parametrize(
    ("quiz", "answers", "pass_mark", "critical", "score", "passed", "missed"),
    [
        pytest.param(FIVE, right(1, 2, 3, 4, 5), 80, (), 100, True, (), id="all-right"),
        pytest.param(FIVE, {}, 80, (), 0, False, (), id="nothing-answered"),
        pytest.param(FIVE, right(1, 2, 3, 4), 80, (), 80, True, (), id="exactly-at-mark"),
        pytest.param(TEN, right(*range(1, 9)), 80, (), 80, True, (), id="exactly-at-mark-of-ten"),
        pytest.param(TEN, right(*range(1, 8)), 80, (), 70, False, (), id="one-below-mark"),
        pytest.param(FIVE, right(1, 2, 3), 80, (), 60, False, (), id="below-mark"),
        pytest.param(THREE, right(1, 2), 67, (), 66, False, (), id="two-thirds-floors-to-66"),
        pytest.param(THREE, right(1, 2), 66, (), 66, True, (), id="two-thirds-meets-66"),
        pytest.param(
            items(*"abcdefghij" * 100),
            right(*range(1, 800)),
            80,
            (),
            79,
            False,
            (),
            id="79.9-percent-never-passes-80",
        ),
        pytest.param(
            FIVE,
            right(2, 3, 4, 5),
            80,
            ("f-login",),
            80,
            False,
            ("f-login",),
            id="critical-wrong-fails-at-mark",
        ),
        pytest.param(
            FIVE,
            right(1, 2, 3, 4),
            80,
            ("f-login",),
            80,
            True,
            (),
            id="critical-right-passes",
        ),
        pytest.param(
            FIVE,
            {**right(2, 3, 4, 5), 1: None},
            80,
            ("f-login", "f-bundle"),
            80,
            False,
            ("f-login",),
            id="critical-unanswered-is-wrong",
        ),
        pytest.param(
            FIVE,
            {**right(3, 4, 5), **wrong(1, 2)},
            0,
            ("f-bundle", "f-login"),
            60,
            False,
            ("f-login", "f-bundle"),
            id="missed-critical-in-quiz-order",
        ),
        pytest.param(
            FIVE,
            right(1, 2, 3, 4, 5),
            80,
            ("f-gone",),
            100,
            False,
            ("f-gone",),
            id="critical-fact-not-asked-counts-as-missed",
        ),
        pytest.param(FIVE, wrong(1, 2, 3, 4, 5), 0, (), 0, True, (), id="zero-mark"),
        pytest.param(FIVE, right(1, 2, 3, 4), 100, (), 80, False, (), id="hundred-mark"),
        pytest.param(
            FIVE,
            {**right(1, 2, 3, 4, 5), 77: 177},
            80,
            (),
            100,
            True,
            (),
            id="answers-to-other-items-ignored",
        ),
    ],
)
def test_grade(quiz, answers, pass_mark, critical, score, passed, missed):
    result = grade(quiz, answers, pass_mark=pass_mark, critical_facts=critical)
    assert (result.score, result.passed, result.missed_critical) == (score, passed, missed)
    assert result.total == len(quiz)
    assert result.correct == sum(result.item_correct.values())


def test_critical_wrong_with_everything_else_right_cannot_pass():
    quiz = items(*(f"f-{n}" for n in range(1, 101)))  # 99 % possible with one wrong
    result = grade(quiz, right(*range(2, 101)), pass_mark=80, critical_facts={"f-1"})
    assert result.score == 99 and not result.passed and result.missed_critical == ("f-1",)


def test_fact_results_need_every_item_of_the_fact():
    quiz = items("f-login", "f-bundle", "f-login", "f-date", "f-bundle")
    result = grade(quiz, {**right(1, 2, 4, 5), 3: None}, pass_mark=80, critical_facts=())
    assert result.facts == (
        FactResult("f-login", False),
        FactResult("f-bundle", True),
        FactResult("f-date", True),
    )
    assert dict(result.item_correct) == {1: True, 2: True, 3: False, 4: True, 5: True}
    assert (result.correct, result.total, result.score) == (4, 5, 80)


def test_any_of_several_correct_options_counts():
    quiz = [GradableItem(1, "f-plan", frozenset({11, 12}))]
    assert grade(quiz, {1: 12}, pass_mark=80, critical_facts=()).passed


def test_grade_is_frozen():
    result = grade(FIVE, right(1), pass_mark=80, critical_facts=())
    with pytest.raises(TypeError):
        result.item_correct[1] = False  # type: ignore[index]
    with pytest.raises(AttributeError):
        result.score = 100  # type: ignore[misc]


@pytest.mark.parametrize(
    ("quiz", "pass_mark", "message"),
    [
        pytest.param([], 80, "without items", id="no-items"),
        pytest.param(FIVE, 101, "pass_mark", id="mark-above-100"),
        pytest.param(FIVE, -1, "pass_mark", id="negative-mark"),
        pytest.param([*FIVE, FIVE[0]], 80, "item 1 appears twice", id="duplicate-item"),
        pytest.param(
            [GradableItem(7, "f", frozenset())],
            80,
            "item 7 has no correct option",
            id="no-correct-option",
        ),
    ],
)
def test_grade_rejects(quiz, pass_mark, message):
    with pytest.raises(ValueError, match=message):
        grade(quiz, {}, pass_mark=pass_mark, critical_facts=())
