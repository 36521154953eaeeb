"""Moving a text's dates (the demo's calendar), as a table."""

from __future__ import annotations

import pytest

from app.domain.date_shift import shift_dates


@pytest.mark.parametrize(("text", "days", "expected"), [
    ("effective: 2010-09-01", 10, "effective: 2010-09-11"),
    ("deadline: 2010-08-30\n", 5, "deadline: 2010-09-04\n"),
    ("From 1 September 2010, log in", 30, "From 1 October 2010, log in"),
    ("25 August 2010 or 1 October 2010", -1, "24 August 2010 or 30 September 2010"),
    ("2010년 9월 1일부터", 122, "2011년 1월 1일부터"),
    ("2010년 11월 29일, 고객이", 2, "2010년 12월 1일, 고객이"),
    ("2010-12-31 and 31 December 2010 and 2010년 12월 31일", 1,
     "2011-01-01 and 1 January 2011 and 2011년 1월 1일"),
    ("2010-09-01", 5943, "2026-12-09"),
    ("no dates here, 2 hours, 10,000원, 50 GB", 400, "no dates here, 2 hours, 10,000원, 50 GB"),
    ("1 September 2010", 0, "1 September 2010"),
])
def test_every_form_moves_by_the_same_days(text, days, expected):
    assert shift_dates(text, days) == expected


def test_a_shift_keeps_distinct_dates_distinct_and_is_reversible():
    text = "25 August 2010, 1 September 2010, 2010-09-01, 2010년 9월 1일"
    assert shift_dates(shift_dates(text, 5936), -5936) == text


def test_a_false_date_is_named():
    with pytest.raises(ValueError, match="2010-13-45"):
        shift_dates("on 2010-13-45", 3)
