"""Item analysis as Moodle's quiz statistics compute it, over score tallies.

Moodle Docs, "Quiz statistics calculations" (developer docs): facility index, standard
deviation, discrimination index (correlation of the item score with the rest of the test),
discriminative efficiency (covariance over the largest covariance the two marginal
distributions allow) and the coefficient of internal consistency (Cronbach's alpha). Every
item scores 0 or 1 (unanswered = 0), so "percent of the maximum mark" is simply percent.

The inputs are tallies that SQL can aggregate (GROUP BY), so a report never loads one row per
answer; ``tally`` builds the same tallies from raw attempts (tests, small data). Alpha is
computed over *facts* (Moodle's slots: each attempt draws one of the fact's items), from
pairwise-complete covariances; see docs/item-analysis.md.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

from app.domain.tally_statistics import (
    sample_covariance,
    sample_variance,
    weighted_mean,
    weighted_median,
)

MIN_SAMPLE = 30
"""Attempts an item (or the quiz) needs before its statistics can be judged."""
MIN_EFFICIENCY = 15.0
"""Discriminative efficiency (percent) under which an item is flagged."""
MIN_DISTRACTOR_SHARE = 0.05
"""A wrong option chosen by fewer than this share of attempts does not distract."""
_TINY = 1e-12


@dataclass(frozen=True)
class ScoreCell:
    """``count`` attempts scored ``score`` on an item and ``total`` on the whole attempt."""

    score: float
    total: float
    count: int


@dataclass(frozen=True)
class TotalCell:
    """``count`` attempts got ``correct`` of the ``asked`` items right."""

    correct: float
    asked: int
    count: int


@dataclass(frozen=True)
class PairTally:
    """Sums over the attempts that asked both slots ``a`` and ``b`` (``a == b``: one slot)."""

    a: Hashable
    b: Hashable
    n: int
    sum_a: float
    sum_b: float
    sum_aa: float
    sum_bb: float
    sum_ab: float


@dataclass(frozen=True)
class Tallies:
    """Everything the analysis reads. ``options``: item -> option id (None = no answer) -> count."""

    options: Mapping[int, Mapping[int | None, int]]
    cells: Mapping[int, Sequence[ScoreCell]]
    totals: Sequence[TotalCell]
    pairs: Sequence[PairTally]


@dataclass(frozen=True)
class Response:
    """One drawn item of one attempt, as graded: the slot is the item's fact."""

    item: int
    slot: Hashable
    option: int | None
    correct: bool


@dataclass(frozen=True)
class OptionKey:
    """An option of an item: its id, whether it is the key, its text (for messages)."""

    id: int
    correct: bool
    text: str = ""


@dataclass(frozen=True)
class ItemKey:
    """An item to report on, with its options."""

    item: int
    options: tuple[OptionKey, ...]


@dataclass(frozen=True)
class Flag:
    """Something a trainer should look at; ``option`` names the option it is about."""

    code: str
    message: str
    option: int | None = None


@dataclass(frozen=True)
class ItemStatistics:
    """Moodle's item statistics, in percent; None where undefined (too few or no spread)."""

    item: int
    n: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    shares: Mapping[int, float | None]  # option id -> share of the n attempts (0..1)
    unanswered: float | None
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class QuizStatistics:
    """The quiz's attempts and their percent scores; alpha is a coefficient (Moodle CIC/100)."""

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None


@dataclass(frozen=True)
class Analysis:
    """The whole report: quiz statistics, per-item statistics, warnings."""

    quiz: QuizStatistics
    items: tuple[ItemStatistics, ...]
    warnings: tuple[Flag, ...]


# --- Moodle's C_max ------------------------------------------------------------------------


def max_covariance(pairs: Sequence[tuple[float, float, int]]) -> float | None:
    """The covariance if x and y were sorted independently and paired in order (Moodle C_max).

    That is the largest covariance any pairing of the same two sets of values can reach.
    """
    pairs = [p for p in pairs if p[2] > 0]
    if sum(c for *_, c in pairs) < 2:
        return None
    xs = sorted((x, c) for x, _, c in pairs)
    ys = sorted((y, c) for _, y, c in pairs)
    paired, i, j = [], 0, 0
    left_x, left_y = xs[0][1], ys[0][1]
    while i < len(xs) and j < len(ys):
        take = min(left_x, left_y)
        paired.append((xs[i][0], ys[j][0], take))
        left_x, left_y = left_x - take, left_y - take
        if not left_x and (i := i + 1) < len(xs):
            left_x = xs[i][1]
        if not left_y and (j := j + 1) < len(ys):
            left_y = ys[j][1]
    return sample_covariance(paired)


# --- per item -----------------------------------------------------------------------------


def _percent(value: float | None) -> float | None:
    return None if value is None else 100 * value


def item_statistics(key: ItemKey, cells: Sequence[ScoreCell],
                    options: Mapping[int | None, int], *, min_sample: int = MIN_SAMPLE
                    ) -> ItemStatistics:
    """Facility, SD, discrimination and efficiency of one item, its option shares and flags.

    ``cells`` tally (item score, attempt total); the rest-of-test score is total - score.
    """
    pairs = [(c.score, c.total - c.score, c.count) for c in cells if c.count > 0]
    n = sum(c for *_, c in pairs)
    var_x = sample_variance([(x, c) for x, _, c in pairs])
    var_rest = sample_variance([(r, c) for _, r, c in pairs])
    cov = sample_covariance(pairs)
    spread = var_x is not None and var_x > _TINY and var_rest > _TINY
    c_max = max_covariance(pairs) if spread else None
    shares = {o.id: (options.get(o.id, 0) / n if n else None) for o in key.options}
    stats = ItemStatistics(
        item=key.item, n=n,
        facility=_percent(weighted_mean([(x, c) for x, _, c in pairs])),
        sd=_percent(math.sqrt(var_x) if var_x is not None else None),
        discrimination=_percent(cov / math.sqrt(var_x * var_rest) if spread else None),
        efficiency=_percent(cov / c_max if c_max and c_max > _TINY else None),
        shares=shares, unanswered=options.get(None, 0) / n if n else None, flags=(),
    )
    return replace(stats, flags=item_flags(stats, key, min_sample=min_sample))


def item_flags(stats: ItemStatistics, key: ItemKey, *,
               min_sample: int = MIN_SAMPLE) -> tuple[Flag, ...]:
    """Negative discrimination, efficiency under 15 %, wrong options chosen by under 5 %,
    fewer than ``min_sample`` attempts."""
    flags = []
    if stats.discrimination is not None and stats.discrimination < 0:
        flags.append(Flag("negative_discrimination", (
            f"discrimination index {stats.discrimination:.1f} % is negative: agents who did "
            "better on the rest of the quiz got this item wrong more often")))
    if stats.efficiency is not None and stats.efficiency < MIN_EFFICIENCY:
        flags.append(Flag("low_efficiency", (
            f"discriminative efficiency {stats.efficiency:.1f} % is below "
            f"{MIN_EFFICIENCY:g} %")))
    for option in key.options:
        share = stats.shares.get(option.id)
        if not option.correct and share is not None and share < MIN_DISTRACTOR_SHARE:
            flags.append(Flag("weak_distractor", (
                f"wrong option '{option.text or option.id}' was chosen by {100 * share:.1f} % "
                f"of attempts (under {100 * MIN_DISTRACTOR_SHARE:g} %): it does not "
                "distract"), option.id))
    if stats.n < min_sample:
        flags.append(Flag("small_sample", (
            f"only {stats.n} attempts asked this item: at least {min_sample} are needed to "
            "judge it")))
    return tuple(flags)


# --- per quiz -----------------------------------------------------------------------------


def quiz_scores(totals: Sequence[TotalCell]) -> tuple[int, float | None, float | None,
                                                       float | None]:
    """Attempts, mean, median and SD (n - 1) of the attempts' percent scores."""
    scores = [(100 * t.correct / t.asked, t.count) for t in totals if t.asked and t.count > 0]
    variance = sample_variance(scores)
    return (sum(c for _, c in scores), weighted_mean(scores), weighted_median(scores),
            math.sqrt(variance) if variance is not None else None)


def cronbach_alpha(pairs: Sequence[PairTally]) -> tuple[float | None, str | None]:
    """Cronbach's alpha over slots from pairwise-complete covariances, or (None, why).

    alpha = K / (K - 1) * (1 - sum(var_i) / (sum(var_i) + 2 * sum_{i<j} cov_ij)); with
    complete data the denominator is exactly the variance of the total score.
    """
    cov = {}
    for p in pairs:
        if p.n >= 2:
            cov[frozenset((p.a, p.b))] = (p.sum_ab - p.sum_a * p.sum_b / p.n) / (p.n - 1)
    slots = sorted({p.a for p in pairs if p.a == p.b}, key=str)
    if len(slots) < 2:
        return None, "alpha needs at least two facts asked in the analysed attempts"
    alone = [s for s in slots if frozenset((s,)) not in cov]
    if alone:
        return None, f"alpha needs fact {alone[0]} asked in at least two attempts"
    apart = [(a, b) for i, a in enumerate(slots) for b in slots[i + 1:]
             if frozenset((a, b)) not in cov]
    if apart:
        return None, (f"alpha needs facts {apart[0][0]} and {apart[0][1]} asked together "
                      "in at least two attempts")
    variances = sum(cov[frozenset((s,))] for s in slots)
    total = variances + 2 * sum(cov[frozenset((a, b))] for i, a in enumerate(slots)
                                for b in slots[i + 1:])
    if total <= _TINY:
        return None, "alpha is undefined: every attempt had the same total score"
    k = len(slots)
    return k / (k - 1) * (1 - variances / total), None


# --- the report ---------------------------------------------------------------------------


def analyse(items: Sequence[ItemKey], tallies: Tallies, *,
            min_sample: int = MIN_SAMPLE) -> Analysis:
    """Quiz and item statistics with flags, and warnings about what cannot be judged."""
    attempts, mean, median, sd = quiz_scores(tallies.totals)
    alpha, why_not = cronbach_alpha(tallies.pairs)
    warnings = []
    if not attempts:
        warnings.append(Flag("no_attempts", "no graded attempt to analyse yet"))
    elif attempts < min_sample:
        warnings.append(Flag("small_sample", (
            f"only {attempts} attempts: at least {min_sample} are needed before these "
            "statistics can be trusted")))
    if attempts and why_not:
        warnings.append(Flag("alpha_unavailable", why_not))
    return Analysis(
        quiz=QuizStatistics(attempts, mean, median, sd, alpha),
        items=tuple(item_statistics(k, tallies.cells.get(k.item, ()),
                                    tallies.options.get(k.item, {}), min_sample=min_sample)
                    for k in items),
        warnings=tuple(warnings),
    )


def tally(attempts: Sequence[Sequence[Response]]) -> Tallies:
    """The tallies of raw graded attempts (what the SQL of the report aggregates)."""
    options: dict[int, dict[int | None, int]] = {}
    cells: dict[tuple[int, int, float], int] = {}
    totals: dict[tuple[float, int], int] = {}
    sums: dict[tuple[Hashable, Hashable], list[float]] = {}
    for responses in attempts:
        slots: dict[Hashable, float] = {}
        for r in responses:
            slots[r.slot] = slots.get(r.slot, 0) + int(r.correct)
        total = sum(slots.values())
        _bump(totals, (total, len(responses)))
        for r in responses:
            _bump(options.setdefault(r.item, {}), r.option)
            _bump(cells, (r.item, int(r.correct), total))
        _add_pair_sums(sums, slots)
    by_item: dict[int, list[ScoreCell]] = {}
    for (item, score, total), count in sorted(cells.items()):
        by_item.setdefault(item, []).append(ScoreCell(score, total, count))
    return Tallies(
        options=options, cells=by_item,
        totals=[TotalCell(c, a, n) for (c, a), n in sorted(totals.items())],
        pairs=[PairTally(a, b, int(s[0]), *s[1:]) for (a, b), s in sums.items()],
    )


def _bump(counts: dict, key) -> None:
    counts[key] = counts.get(key, 0) + 1


def _add_pair_sums(sums: dict, slots: Mapping[Hashable, float]) -> None:
    """Add one attempt to the sums of every pair of its slots (n, a, b, a², b², ab)."""
    ordered = sorted(slots, key=str)
    for i, a in enumerate(ordered):
        for b in ordered[i:]:
            row = sums.setdefault((a, b), [0, 0, 0, 0, 0, 0])
            x, y = slots[a], slots[b]
            for n, value in enumerate((1, x, y, x * x, y * y, x * y)):
                row[n] += value
