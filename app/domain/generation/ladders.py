"""Realistic wrong values ("perturbations") for dates, money, quantities and durations.

Each ladder returns candidates nearest first, written like the original (same currency sign
or unit, same spacing, thousands separators kept). Callers drop candidates equal to the key.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

QUANTITY_LADDER = (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 500)
DURATION_LADDERS = {  # unit family -> ladder
    "day": (1, 3, 7, 14, 30, 90, 180, 365),
    "week": (1, 2, 4, 8, 12),
    "month": (1, 3, 6, 12, 24, 36),
    "year": (1, 2, 3, 5, 10),
    "hour": (1, 2, 4, 8, 12, 24, 48, 72),
    "minute": (5, 10, 15, 30, 45, 60, 90, 120),
}
_DURATION_UNITS = {
    "day": "day", "days": "day", "일": "day", "week": "week", "weeks": "week", "주": "week",
    "month": "month", "months": "month", "개월": "month", "달": "month",
    "year": "year", "years": "year", "년": "year", "hour": "hour", "hours": "hour",
    "h": "hour", "시간": "hour", "minute": "minute", "minutes": "minute", "min": "minute",
    "mins": "minute", "분": "minute",
}
_AMOUNT = re.compile(r"^(?P<pre>\D*?)(?P<num>\d[\d,]*(?:\.\d+)?)(?P<gap>\s*)(?P<unit>\D*)$")
_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?$")
_KO_DATE = re.compile(r"^(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일$")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_EN_DATE = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")


def parse_date(text: str) -> date | None:
    """Read ``2010-09-01``, ``2010.9.1``, ``2010년 9월 1일`` or ``1 September 2010``."""
    text = text.strip()
    try:
        if m := _ISO.match(text) or _KO_DATE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _EN_DATE.match(text)) and m[2].capitalize() in _EN_MONTHS:
            return date(int(m[3]), _EN_MONTHS.index(m[2].capitalize()) + 1, int(m[1]))
    except ValueError:
        return None
    return None


def format_date(day: date, lang: str) -> str:
    """Write a date as a reader of ``lang`` expects: ``1 September 2010``, ``2010년 9월 1일``."""
    if lang.startswith("ko"):
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def _first_of_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def date_ladder(text: str, lang: str) -> list[str]:
    """Month boundaries (1st of the previous and next month) and a week either side."""
    day = parse_date(text)
    if day is None:
        return []
    near = [_first_of_month(day, -1), _first_of_month(day, 1),
            day - timedelta(days=7), day + timedelta(days=7)]
    return [format_date(d, lang) for d in near]


def _split_amount(text: str) -> tuple[re.Match, Decimal] | None:
    match = _AMOUNT.match(text.strip())
    if not match:
        return None
    try:
        return match, Decimal(match["num"].replace(",", ""))
    except InvalidOperation:
        return None


def _write_number(value: Decimal, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{value:,.{decimals}f}" if "," in like else f"{value:.{decimals}f}"


def _round_like(value: Decimal, like: str) -> Decimal:
    """Round to the precision the original shows, keeping two significant digits at least.

    ``33,000`` -> thousands, ``5,000`` -> hundreds, ``9.99`` -> cents.
    """
    digits = like.replace(",", "")
    if "." in digits:
        step = Decimal(1).scaleb(-len(digits.split(".")[1]))
    else:
        zeros = len(digits) - len(digits.rstrip("0"))
        step = Decimal(10) ** max(min(zeros, len(digits) - 2), 0)
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def money_ladder(text: str) -> list[str]:
    """Half, ±10 % and double the amount, rounded and written like the original."""
    split = _split_amount(text)
    if split is None:
        return []
    match, amount = split
    out = []
    for factor in ("0.9", "1.1", "0.5", "2"):
        value = _round_like(amount * Decimal(factor), match["num"])
        if value > 0:
            number = _write_number(value, match["num"])
            out.append(f"{match['pre']}{number}{match['gap']}{match['unit']}")
    return out


def _neighbours(number: Decimal, ladder: tuple[int, ...]) -> list[int]:
    """Ladder steps nearest ``number`` first, alternating below and above."""
    below = [n for n in ladder if n < number][::-1]
    above = [n for n in ladder if n > number]
    out: list[int] = []
    while below or above:
        out += [below.pop(0)] if below else []
        out += [above.pop(0)] if above else []
    return out


def _with_unit(n: int, match: re.Match) -> str:
    unit = match["unit"]
    if re.fullmatch(r"[a-z]{3,}", unit):  # English count noun: "1 day", "7 days"
        unit = unit.rstrip("s") if n == 1 else unit if unit.endswith("s") else unit + "s"
    return f"{match['pre']}{n}{match['gap']}{unit}"


def quantity_ladder(text: str) -> list[str]:
    """Neighbouring plan sizes (1, 2, 3, 5, 10, 20, ...) with the same unit."""
    split = _split_amount(text)
    if split is None:
        return []
    match, number = split
    return [_with_unit(n, match) for n in _neighbours(number, QUANTITY_LADDER)]


def duration_ladder(text: str) -> list[str]:
    """Neighbouring durations of the same unit: 7/14/30/90 days, 1/2/4/8 hours, ..."""
    split = _split_amount(text)
    if split is None:
        return []
    match, number = split
    family = _DURATION_UNITS.get(match["unit"].strip().casefold())
    if family is None:
        return []
    return [_with_unit(n, match) for n in _neighbours(number, DURATION_LADDERS[family])]


LADDERS = {
    "date": date_ladder,
    "money": lambda text, lang: money_ladder(text),
    "quantity": lambda text, lang: quantity_ladder(text),
    "duration": lambda text, lang: duration_ladder(text),
}
"""Fact type -> ``ladder(value, lang) -> [wrong value, ...]``."""
