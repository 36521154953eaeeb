"""Item analysis against small datasets worked out by hand (the arithmetic is in the comments).

Every item scores 1 (right) or 0 (wrong or unanswered); variances and covariances use the
n - 1 divisor, as Moodle's quiz statistics do.
"""

from __future__ import annotations

import math
import statistics

import pytest

from app.domain.item_analysis import (
    MIN_SAMPLE,
    Flag,
    ItemKey,
    ItemStatistics,
    OptionKey,
    PairTally,
    Response,
    ScoreCell,
    Tallies,
    TotalCell,
    analyse,
    cronbach_alpha,
    item_flags,
    item_statistics,
    max_covariance,
    tally,
)
from app.domain.tally_statistics import (
    sample_covariance,
    sample_variance,
    weighted_mean,
    weighted_median,
)

# --- fixture 1: 5 attempts x 3 items, one item per fact --------------------------------------
#
#   attempt | item 1 (fact a) | item 2 (fact b) | item 3 (fact c) | total T
#   A1      | 1  option 11    | 1  option 21    | 1  option 31    | 3
#   A2      | 1  option 11    | 1  option 21    | 0  option 32    | 2
#   A3      | 1  option 11    | 0  option 22    | 1  option 31    | 2
#   A4      | 0  option 12    | 1  option 21    | 0  option 33    | 1
#   A5      | 0  (no answer)  | 0  option 22    | 0  option 32    | 0
#
# Keys: 11, 21 and 31 are correct. Item 1 also offers 13 and 14, which nobody chose.
FIVE = [
    [(1, "a", 11, True), (2, "b", 21, True), (3, "c", 31, True)],
    [(1, "a", 11, True), (2, "b", 21, True), (3, "c", 32, False)],
    [(1, "a", 11, True), (2, "b", 22, False), (3, "c", 31, True)],
    [(1, "a", 12, False), (2, "b", 21, True), (3, "c", 33, False)],
    [(1, "a", None, False), (2, "b", 22, False), (3, "c", 32, False)],
]
KEYS = [
    ItemKey(1, (OptionKey(11, True, "WiBro ID"), OptionKey(12, False, "bundle ID"),
                OptionKey(13, False, "e-mail"), OptionKey(14, False, "PIN"))),
    ItemKey(2, (OptionKey(21, True, "no"), OptionKey(22, False, "yes"))),
    ItemKey(3, (OptionKey(31, True, "2010-09-01"), OptionKey(32, False, "2010-08-30"),
                OptionKey(33, False, "2010-10-01"))),
]


def responses(rows) -> list[list[Response]]:
    return [[Response(*answer) for answer in attempt] for attempt in rows]


@pytest.fixture(scope="module")
def five():
    return analyse(KEYS, tally(responses(FIVE)))


# Item 1: x = [1,1,1,0,0], rest X = T - x = [2,1,1,1,0].
#   mean x = 3/5 = 0.6 -> facility 60 %
#   var x = (3 * 0.4^2 + 2 * 0.6^2) / 4 = (0.48 + 0.72) / 4 = 0.3 -> sd = sqrt(0.3) = 54.77 %
#   mean X = 5/5 = 1; var X = (1 + 0 + 0 + 0 + 1) / 4 = 0.5
#   cov = (0.4*1 + 0.4*0 + 0.4*0 - 0.6*0 + (-0.6)(-1)) / 4 = 1.0 / 4 = 0.25
#   D = 0.25 / sqrt(0.3 * 0.5) = 0.25 / 0.3873 = 0.6455 -> 64.55 %
#   C_max: x sorted [0,0,1,1,1] with X sorted [0,1,1,1,2]:
#     (-0.6)(-1) + (-0.6)(0) + 0.4*0 + 0.4*0 + 0.4*1 = 1.0 -> 0.25 -> efficiency 100 %
# Item 2: x = [1,1,0,1,0], X = [2,1,2,0,0]; mean x 0.6, var x 0.3; mean X 1, var X 4/4 = 1
#   cov = (0.4*1 + 0.4*0 - 0.6*1 + 0.4*(-1) + (-0.6)(-1)) / 4 = 0 -> D = 0 %
#   C_max: [0,0,1,1,1] with [0,0,1,2,2]: 0.6 + 0.6 + 0 + 0.4 + 0.4 = 2.0 -> 0.5 -> 0 %
# Item 3: x = [1,0,1,0,0], X = [2,2,1,1,0]; mean x 0.4, var x 0.3; mean X 1.2,
#   var X = (0.64 + 0.64 + 0.04 + 0.04 + 1.44) / 4 = 2.8 / 4 = 0.7
#   cov = (0.6*0.8 - 0.4*0.8 + 0.6*(-0.2) + (-0.4)(-0.2) + (-0.4)(-1.2)) / 4
#       = (0.48 - 0.32 - 0.12 + 0.08 + 0.48) / 4 = 0.6 / 4 = 0.15
#   D = 0.15 / sqrt(0.3 * 0.7) = 0.15 / 0.45826 = 0.32733 -> 32.73 %
#   C_max: [0,0,0,1,1] with [0,1,1,2,2]: 0.48 + 0.08 + 0.08 + 0.48 + 0.48 = 1.6 -> 0.4
#   efficiency = 0.15 / 0.4 = 37.5 %
@pytest.mark.parametrize(("index", "facility", "sd", "discrimination", "efficiency"), [
    (0, 60.0, 100 * math.sqrt(0.3), 100 * 0.25 / math.sqrt(0.15), 100.0),
    (1, 60.0, 100 * math.sqrt(0.3), 0.0, 0.0),
    (2, 40.0, 100 * math.sqrt(0.3), 100 * 0.15 / math.sqrt(0.21), 37.5),
], ids=["item-1", "item-2", "item-3"])
def test_item_statistics_by_hand(five, index, facility, sd, discrimination, efficiency):
    item = five.items[index]
    assert item.n == 5
    assert item.facility == pytest.approx(facility)
    assert item.sd == pytest.approx(sd)  # 54.77 % for all three
    assert item.discrimination == pytest.approx(discrimination, abs=1e-9)
    assert item.efficiency == pytest.approx(efficiency, abs=1e-9)


def test_discrimination_matches_the_statistics_module(five):
    # Independent check with Python's own statistics.correlation (Pearson).
    x = [1, 0, 1, 0, 0]
    rest = [2, 2, 1, 1, 0]
    assert five.items[2].discrimination == pytest.approx(100 * statistics.correlation(x, rest))
    assert five.items[2].sd == pytest.approx(100 * statistics.stdev(x))


# Option shares (of the 5 attempts that saw the item) and the unanswered remainder.
@pytest.mark.parametrize(("index", "shares", "unanswered"), [
    (0, {11: 0.6, 12: 0.2, 13: 0.0, 14: 0.0}, 0.2),  # A5 left item 1 blank
    (1, {21: 0.6, 22: 0.4}, 0.0),
    (2, {31: 0.4, 32: 0.4, 33: 0.2}, 0.0),
], ids=["item-1", "item-2", "item-3"])
def test_option_shares(five, index, shares, unanswered):
    item = five.items[index]
    assert item.shares == pytest.approx(shares)
    assert item.unanswered == pytest.approx(unanswered)


@pytest.mark.parametrize(("index", "codes"), [
    (0, [("weak_distractor", 13), ("weak_distractor", 14), ("small_sample", None)]),
    (1, [("low_efficiency", None), ("small_sample", None)]),  # efficiency 0 % < 15 %
    (2, [("small_sample", None)]),  # efficiency 37.5 %, every wrong option >= 20 %
], ids=["item-1", "item-2", "item-3"])
def test_item_flags_of_the_fixture(five, index, codes):
    assert [(f.code, f.option) for f in five.items[index].flags] == codes


def test_weak_distractor_message_names_the_option(five):
    message = five.items[0].flags[0].message
    assert "'e-mail'" in message and "0.0 %" in message


# Totals T = [3,2,2,1,0] of 3 items: percent [100, 66.67, 66.67, 33.33, 0].
#   mean = 266.67 / 5 = 53.33 %; median = 66.67 %
#   var T = (1.4^2 + 0.4^2 + 0.4^2 + 0.6^2 + 1.6^2) / 4 = 5.2 / 4 = 1.3
#   sd = sqrt(1.3) / 3 * 100 = 38.01 %
# Alpha, K = 3 facts: each var x_i = 0.3, sum 0.9; var T = 1.3
#   alpha = 3/2 * (1 - 0.9 / 1.3) = 1.5 * 0.4 / 1.3 = 6/13 = 0.4615
#   (pairwise: cov(1,2) = 0.05, cov(1,3) = 0.2, cov(2,3) = -0.05; 0.9 + 2 * 0.2 = 1.3)
def test_quiz_statistics_by_hand(five):
    quiz = five.quiz
    assert quiz.attempts == 5
    assert quiz.mean == pytest.approx(800 / 15)
    assert quiz.median == pytest.approx(200 / 3)
    assert quiz.sd == pytest.approx(100 * math.sqrt(1.3) / 3)
    assert quiz.sd == pytest.approx(statistics.stdev([100, 200 / 3, 200 / 3, 100 / 3, 0]))
    assert quiz.alpha == pytest.approx(6 / 13)
    assert [w.code for w in five.warnings] == ["small_sample"]  # 5 < 30 attempts


def test_alpha_matches_the_textbook_formula_on_complete_data():
    items = [[1, 1, 1, 0, 0], [1, 1, 0, 1, 0], [1, 0, 1, 0, 0]]
    totals = [sum(col) for col in zip(*items, strict=True)]
    k = len(items)
    textbook = k / (k - 1) * (1 - sum(statistics.variance(i) for i in items)
                              / statistics.variance(totals))
    pairs = tally(responses(FIVE)).pairs
    assert cronbach_alpha(pairs) == (pytest.approx(textbook), None)


# --- fixture 2: negative discrimination ------------------------------------------------------
#   attempt | item 1 | item 2 | T
#   B1..B2  | 1      | 0      | 1
#   B3..B4  | 0      | 1      | 1
# Item 1: x = [1,1,0,0], rest = item 2 = [0,0,1,1]: r = -1 -> D = -100 %;
#   cov = (0.5*(-0.5) * 4) / 3 = -1/3; C_max pairs sorted [0,0,1,1] with [0,0,1,1] -> +1/3
#   efficiency = -100 %.
# Every total is 1: var T = 0, so alpha is undefined.
OPPOSED = [
    [(1, "a", 11, True), (2, "b", 22, False)],
    [(1, "a", 11, True), (2, "b", 22, False)],
    [(1, "a", 12, False), (2, "b", 21, True)],
    [(1, "a", 12, False), (2, "b", 21, True)],
]


def test_negative_discrimination_is_flagged():
    keys = [ItemKey(1, (OptionKey(11, True), OptionKey(12, False))),
            ItemKey(2, (OptionKey(21, True), OptionKey(22, False)))]
    result = analyse(keys, tally(responses(OPPOSED)), min_sample=4)
    first = result.items[0]
    assert first.discrimination == pytest.approx(-100.0)
    assert first.efficiency == pytest.approx(-100.0)
    assert [f.code for f in first.flags] == ["negative_discrimination", "low_efficiency"]
    assert result.quiz.alpha is None
    assert [(w.code, w.message) for w in result.warnings] == [
        ("alpha_unavailable", "alpha is undefined: every attempt had the same total score")]


# --- fixture 3: random draws, so facts are the slots (pairwise-complete alpha) ---------------
#   attempt | fact a: item p | fact b: item q or r | T
#   C1      | p 1            | q 1                 | 2
#   C2      | p 1            | r 0                 | 1
#   C3      | p 0            | q 0                 | 0
#   C4      | p 0            | r 0                 | 0
#   C5      | p 1            | (fact b not asked)  | 1
# q and r never meet in one attempt, so item-level covariances do not exist; per fact:
#   slot a over C1..C5 = [1,1,0,0,1]: mean 0.6, var = (3*0.16 + 2*0.36) / 4 = 0.3
#   slot b over C1..C4 = [1,0,0,0]:   mean 0.25, var = (0.5625 + 3*0.0625) / 3 = 0.25
#   cov(a,b) over C1..C4: a = [1,1,0,0] mean 0.5, b mean 0.25:
#     (0.5*0.75 + 0.5*(-0.25) + (-0.5)(-0.25) + (-0.5)(-0.25)) / 3 = 0.5 / 3 = 1/6
#   alpha = 2 * (1 - (0.3 + 0.25) / (0.3 + 0.25 + 2/6)) = 2 * (1 - 33/53) = 40/53 = 0.7547
DRAWN = [
    [(1, "a", 11, True), (2, "b", 21, True)],
    [(1, "a", 11, True), (3, "b", 32, False)],
    [(1, "a", 12, False), (2, "b", 22, False)],
    [(1, "a", 12, False), (3, "b", 32, False)],
    [(1, "a", 11, True)],
]


def test_alpha_over_facts_with_pairwise_complete_attempts():
    pairs = tally(responses(DRAWN)).pairs
    assert {(p.a, p.b): p.n for p in pairs} == {("a", "a"): 5, ("a", "b"): 4, ("b", "b"): 4}
    alpha, why_not = cronbach_alpha(pairs)
    assert why_not is None and alpha == pytest.approx(40 / 53)


def test_item_counts_only_attempts_where_it_appeared():
    keys = [ItemKey(3, (OptionKey(31, True), OptionKey(32, False)))]
    (item,) = analyse(keys, tally(responses(DRAWN))).items
    # r (item 3) was asked in C2 and C4 only, both wrong, option 32.
    assert (item.n, item.facility, item.shares) == (2, 0.0, {31: 0.0, 32: 1.0})
    assert item.discrimination is None and item.efficiency is None  # no spread on the item
    assert item.sd == 0.0


@pytest.mark.parametrize(("pairs", "reason"), [
    ([PairTally("a", "a", 3, 2, 2, 2, 2, 2)], "at least two facts"),
    ([PairTally("a", "a", 3, 2, 2, 2, 2, 2), PairTally("b", "b", 3, 1, 1, 1, 1, 1)],
     "facts a and b asked together"),
    ([PairTally("a", "a", 3, 2, 2, 2, 2, 2), PairTally("b", "b", 1, 1, 1, 1, 1, 1),
      PairTally("a", "b", 1, 1, 1, 1, 1, 1)], "fact b asked in at least two attempts"),
], ids=["one-fact", "never-together", "one-attempt"])
def test_alpha_says_why_it_is_undefined(pairs, reason):
    alpha, why_not = cronbach_alpha(pairs)
    assert alpha is None and reason in why_not


# --- flag thresholds ------------------------------------------------------------------------


def stats(n=40, discrimination=30.0, efficiency=50.0, shares=None) -> ItemStatistics:
    return ItemStatistics(1, n, 50.0, 50.0, discrimination, efficiency,
                          shares or {1: 0.5, 2: 0.25, 3: 0.25}, 0.0, ())


KEY = ItemKey(1, (OptionKey(1, True, "right"), OptionKey(2, False, "old"),
                  OptionKey(3, False, "other")))


@pytest.mark.parametrize(("kwargs", "codes"), [
    ({}, []),
    ({"discrimination": -0.1}, ["negative_discrimination"]),
    ({"discrimination": 0.0}, []),
    ({"discrimination": None, "efficiency": None}, []),
    ({"efficiency": 15.0}, []),
    ({"efficiency": 14.99}, ["low_efficiency"]),
    ({"shares": {1: 0.9, 2: 0.05, 3: 0.05}}, []),
    ({"shares": {1: 0.91, 2: 0.0499, 3: 0.0401}}, ["weak_distractor", "weak_distractor"]),
    ({"shares": {1: 0.01, 2: 0.5, 3: 0.49}}, []),  # the key is never a "distractor"
    ({"n": MIN_SAMPLE}, []),
    ({"n": MIN_SAMPLE - 1}, ["small_sample"]),
    ({"n": 0, "shares": {1: None, 2: None, 3: None}, "discrimination": None,
      "efficiency": None}, ["small_sample"]),
], ids=["healthy", "negative", "zero", "undefined", "efficiency-at-15", "efficiency-under-15",
        "distractor-at-5", "distractors-under-5", "key-rarely-chosen", "sample-at-30",
        "sample-under-30", "never-asked"])
def test_flag_thresholds(kwargs, codes):
    assert [f.code for f in item_flags(stats(**kwargs), KEY)] == codes


def test_flag_carries_the_option_id():
    flags = item_flags(stats(shares={1: 0.96, 2: 0.04, 3: 0.0}), KEY)
    assert flags == (
        Flag("weak_distractor", "wrong option 'old' was chosen by 4.0 % of attempts (under "
                                "5 %): it does not distract", 2),
        Flag("weak_distractor", "wrong option 'other' was chosen by 0.0 % of attempts (under "
                                "5 %): it does not distract", 3),
    )


# --- the tally formulas ---------------------------------------------------------------------


@pytest.mark.parametrize(("values", "mean", "variance", "median"), [
    ([], None, None, None),
    ([(4.0, 1)], 4.0, None, 4.0),
    ([(1, 1), (3, 1), (2, 1)], 2.0, 1.0, 2),
    ([(1, 2), (5, 2)], 3.0, 16 / 3, 3.0),  # [1,1,5,5]: var = 4*4 / 3
    ([(0, 3), (10, 1)], 2.5, 25.0, 0),  # [0,0,0,10]: var = (3*6.25 + 56.25) / 3 = 25
    ([(7, 0), (2, 2)], 2.0, 0.0, 2),  # a zero count is no observation
], ids=["empty", "one", "odd", "even", "skewed", "zero-count"])
def test_tally_moments(values, mean, variance, median):
    assert weighted_mean(values) == (pytest.approx(mean) if mean is not None else None)
    assert sample_variance(values) == (pytest.approx(variance) if variance is not None
                                       else None)
    assert weighted_median(values) == median


@pytest.mark.parametrize(("pairs", "cov", "c_max"), [
    # (0,1), (1,0): cov = ((-0.5)(0.5) + (0.5)(-0.5)) / 1 = -0.5; sorted pairing (0,0), (1,1): +0.5
    ([(0, 1, 1), (1, 0, 1)], -0.5, 0.5),
    # x = [0,0,1], y = [2,0,1]: mean x 1/3, mean y 1; cov = ((-1/3)(1) + (-1/3)(-1) + 0) / 2 = 0
    # sorted: (0,0), (0,1), (1,2): ((-1/3)(-1) + 0 + (2/3)(1)) / 2 = 0.5
    ([(0, 2, 1), (0, 0, 1), (1, 1, 1)], 0.0, 0.5),
    ([(1, 1, 1)], None, None),
], ids=["reversed", "unrelated", "one-pair"])
def test_covariance_and_its_maximum(pairs, cov, c_max):
    def expected(v):
        return pytest.approx(v, abs=1e-12) if v is not None else None

    assert sample_covariance(pairs) == expected(cov)
    assert max_covariance(pairs) == expected(c_max)


def test_cells_with_counts_equal_the_expanded_data():
    # Item 3 of fixture 1 as tallies: (score, total, count)
    cells = [ScoreCell(0, 0, 1), ScoreCell(0, 1, 1), ScoreCell(0, 2, 1), ScoreCell(1, 2, 1),
             ScoreCell(1, 3, 1)]
    doubled = [ScoreCell(c.score, c.total, 2) for c in cells]
    key = KEYS[2]
    once = item_statistics(key, cells, {31: 2, 32: 2, 33: 1})
    twice = item_statistics(key, doubled, {31: 4, 32: 4, 33: 2})
    assert once.discrimination == pytest.approx(100 * 0.15 / math.sqrt(0.21))
    assert twice.facility == once.facility and twice.shares == once.shares
    assert twice.n == 10


def test_quiz_scores_use_each_attempts_own_item_count():
    result = analyse([], Tallies({}, {}, [TotalCell(1, 2, 1), TotalCell(2, 3, 1)], []))
    # 1/2 = 50 %, 2/3 = 66.67 %: mean 58.33 %, median 58.33 %
    assert result.quiz.mean == pytest.approx(175 / 3)
    assert result.quiz.median == pytest.approx(175 / 3)


def test_no_attempts():
    result = analyse(KEYS, tally([]))
    assert result.quiz.attempts == 0 and result.quiz.mean is None and result.quiz.alpha is None
    assert [w.code for w in result.warnings] == ["no_attempts"]
    assert all(i.n == 0 and i.facility is None for i in result.items)
    assert all(s is None for s in result.items[0].shares.values())
