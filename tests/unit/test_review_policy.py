"""The review policy as a table: what a graded attempt reveals, on a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.bulletin.front_matter import REVIEWS
from app.domain.review_policy import DEFAULT_POLICY, POLICIES, daily_cap_used, decide

SEOUL = "Asia/Seoul"
NOW = datetime(2030, 3, 5, 3, 0, tzinfo=UTC)  # 12:00 on 5 March in Seoul
SEOUL_MIDNIGHT = datetime(2030, 3, 4, 15, 0, tzinfo=UTC)  # 00:00 on 5 March in Seoul


@pytest.mark.parametrize(("policy", "passed", "cap_used", "key", "explanation"), [
    (None, True, False, True, True),
    (None, False, False, False, False),
    (None, False, True, False, False),
    ("after_pass", True, False, True, True),
    ("after_pass", False, True, False, False),
    ("after_pass", False, False, False, False),
    ("after_cap", True, False, True, True),
    ("after_cap", False, True, True, True),
    ("after_cap", False, False, False, False),
    ("always", False, False, True, True),
    ("always", True, False, True, True),
    ("never", True, False, False, False),
    ("never", False, True, False, False),
])
def test_what_a_graded_attempt_reveals(policy, passed, cap_used, key, explanation):
    review = decide(policy, passed=passed, cap_used=cap_used)
    assert (review.show_key, review.show_explanation) == (key, explanation)
    assert review.policy == (policy or DEFAULT_POLICY)


@pytest.mark.parametrize("policy", [None, *POLICIES])
@pytest.mark.parametrize(("passed", "cap_used"), [(True, False), (False, False), (False, True)])
def test_an_explanation_is_shown_exactly_when_the_key_is(policy, passed, cap_used):
    review = decide(policy, passed=passed, cap_used=cap_used)
    assert review.show_explanation is review.show_key


def test_the_policies_are_the_bulletin_formats():
    assert set(POLICIES) == set(REVIEWS)


def test_an_unknown_policy_is_named():
    with pytest.raises(ValueError, match="'sometimes'"):
        decide("sometimes", passed=True, cap_used=False)


def _at(hours: float) -> datetime:
    return SEOUL_MIDNIGHT + timedelta(hours=hours)


@pytest.mark.parametrize(("started", "cap", "unlocked_at", "used"), [
    ([], 3, None, False),
    ([_at(1), _at(2)], 3, None, False),
    ([_at(1), _at(2), _at(3)], 3, None, True),
    ([_at(1), _at(2), _at(3), _at(4)], 3, None, True),
    # yesterday's attempts (Seoul day) do not count, even within 24 hours of now
    ([_at(-1), _at(-2), _at(1)], 3, None, False),
    ([_at(0), _at(1), _at(2)], 3, None, True),  # local midnight belongs to today
    ([_at(1)], 1, None, True),
    # a manager's unlock: attempts started before it are forgiven
    ([_at(1), _at(2), _at(3)], 3, _at(3.5), False),
    ([_at(1), _at(2), _at(3)], 3, _at(2.5), False),
    ([_at(4), _at(5), _at(6)], 3, _at(3.5), True),
])
def test_daily_cap_used(started, cap, unlocked_at, used):
    now = _at(8)
    assert daily_cap_used(started, now, daily_cap=cap, tz=SEOUL, unlocked_at=unlocked_at) is used


def test_daily_cap_used_needs_a_cap_and_aware_times():
    with pytest.raises(ValueError, match="daily_cap"):
        daily_cap_used([], NOW, daily_cap=0, tz=SEOUL)
    with pytest.raises(ValueError, match="naive"):
        daily_cap_used([], NOW.replace(tzinfo=None), daily_cap=3, tz=SEOUL)
