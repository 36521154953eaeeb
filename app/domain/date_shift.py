"""Moving a text's calendar dates by a number of days (the demo lives now, see
app/services/demo.py).

The demo's bulletins and quiz files tell a story dated 2010. To show a live countdown the
demo moves every date they state by the same number of days, in the three forms they are
written in: ``2010-09-01``, ``1 September 2010`` and ``2010년 9월 1일``. Moving every form by
the same days keeps the bulletin, its facts, its quiz items and its translation consistent
(a perturbed wrong date stays exactly as far from the right one).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ENGLISH = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
_KOREAN = re.compile(r"(\d{4})년 (\d{1,2})월 (\d{1,2})일")


def _iso(match: re.Match, days: int) -> str:
    day = date(int(match[1]), int(match[2]), int(match[3])) + timedelta(days=days)
    return day.isoformat()


def _english(match: re.Match, days: int) -> str:
    day = date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1])) + timedelta(days=days)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _korean(match: re.Match, days: int) -> str:
    day = date(int(match[1]), int(match[2]), int(match[3])) + timedelta(days=days)
    return f"{day.year}년 {day.month}월 {day.day}일"


def shift_dates(text: str, days: int) -> str:
    """Return ``text`` with every date it states moved by ``days`` (negative: earlier).

    A string that looks like a date but is not one (``2010-13-45``) is a ValueError naming it.
    """
    out = text
    for pattern, render in ((_ISO, _iso), (_ENGLISH, _english), (_KOREAN, _korean)):
        out = pattern.sub(lambda m, r=render: _checked(r, m, days), out)
    return out


def _checked(render, match: re.Match, days: int) -> str:
    try:
        return render(match, days)
    except ValueError:
        raise ValueError(f"not a calendar date: {match[0]!r}") from None
