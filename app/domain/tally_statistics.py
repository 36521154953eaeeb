"""Mean, median, variance and covariance of tallies: ``(value, count)`` or ``(x, y, count)``.

Reports aggregate in SQL (GROUP BY value) instead of loading one row per answer; these are
the textbook formulas over such tallies, with the n - 1 divisor of a sample.
"""

from __future__ import annotations

from collections.abc import Sequence


def weighted_mean(values: Sequence[tuple[float, int]]) -> float | None:
    """Mean of ``(value, count)`` tallies; None when there is nothing."""
    n = sum(c for _, c in values)
    return sum(v * c for v, c in values) / n if n else None


def sample_variance(values: Sequence[tuple[float, int]]) -> float | None:
    """Variance with the n - 1 divisor, as Moodle uses; None below two observations."""
    return sample_covariance([(v, v, c) for v, c in values])


def sample_covariance(pairs: Sequence[tuple[float, float, int]]) -> float | None:
    """Covariance of ``(x, y, count)`` tallies with the n - 1 divisor."""
    n = sum(c for *_, c in pairs)
    if n < 2:
        return None
    mx = sum(x * c for x, _, c in pairs) / n
    my = sum(y * c for _, y, c in pairs) / n
    return sum((x - mx) * (y - my) * c for x, y, c in pairs) / (n - 1)


def weighted_median(values: Sequence[tuple[float, int]]) -> float | None:
    """Median of ``(value, count)`` tallies (mean of the two middle values when n is even)."""
    ordered = sorted((v, c) for v, c in values if c > 0)
    n = sum(c for _, c in ordered)
    if not n:
        return None

    def nth(k: int) -> float:  # the k-th smallest value, 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        raise AssertionError("unreachable: k < n")

    return nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2
