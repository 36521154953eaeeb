"""The rules an agent reads before starting a quiz: how many questions, how many must be
right, and how many attempts are left today (rules 4 and 7, stated up front).

"80 % of 4 questions" hides that all 4 must be right; the pass mark in points does not. The
score is floored (app/domain/grading.py), so ``correct * 100 // n >= mark`` holds exactly
when ``correct * 100 >= mark * n``: the points needed are ``ceil(mark * n / 100)``, and never
fewer than the critical facts asked, which must all be right.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.gating import start_of_local_day, to_utc


@dataclass(frozen=True)
class PassRequirement:
    """What passing an attempt takes, in questions rather than percent."""

    questions: int
    needed: int  # questions that must be right
    critical: int  # critical facts asked; each must be right whatever the score

    @property
    def every_question(self) -> bool:
        """True when no question may be wrong."""
        return self.needed == self.questions


def pass_requirement(pass_mark: int, questions: int, critical: int) -> PassRequirement:
    """Return the questions to get right out of ``questions`` at ``pass_mark`` percent when
    ``critical`` of them ask critical facts (rule 4)."""
    if not 0 <= pass_mark <= 100:
        raise ValueError(f"pass_mark must be a percent between 0 and 100, got {pass_mark}")
    if questions < 1:
        raise ValueError(f"an attempt asks at least one question, got {questions}")
    if not 0 <= critical <= questions:
        raise ValueError(f"critical facts asked must be between 0 and {questions}, "
                         f"got {critical}")
    by_score = -(-pass_mark * questions // 100)
    return PassRequirement(questions, max(by_score, critical), critical)


def question_count(items_per_fact: Mapping[str, int], *, facts: Sequence[str],
                   critical: Collection[str], per_fact: int = 1) -> int:
    """How many questions an attempt asks: what ``draw.draw_items`` draws from a pool with
    ``items_per_fact`` approved items on each fact (a test compares the two)."""
    wanted = dict.fromkeys([*facts, *sorted(set(critical) - set(facts))])
    return sum(min(per_fact, items_per_fact.get(fact, 0)) for fact in wanted)


def attempts_left_today(started_at: Collection[datetime], now: datetime, *, daily_cap: int,
                        tz: str, unlocked_at: datetime | None = None) -> int:
    """Attempts the agent may still start today (local day in ``tz``) under the daily cap;
    attempts started before a manager's ``unlocked_at`` are forgiven (rule 7)."""
    if daily_cap < 1:
        raise ValueError(f"daily_cap must be at least 1, got {daily_cap}")
    now = to_utc(now, "now")
    since = start_of_local_day(now, tz)
    if unlocked_at is not None:
        since = max(since, to_utc(unlocked_at, "unlocked_at"))
    used = sum(1 for started in started_at if since <= started)
    return max(daily_cap - used, 0)
