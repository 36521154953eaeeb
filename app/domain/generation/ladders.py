"""Realistic wrong values ("perturbations") for dates, money, quantities and durations.

Each ladder returns candidates nearest first, written like the original (same currency sign
or unit, same spacing, thousands separators kept). Callers drop candidates equal to the key.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DURATION_LADDERS = {  # unit family -> ladder
    "day": (1, 2, 3, 5, 7, 10, 14, 30, 60, 90, 180, 365),
    "week": (1, 2, 4, 8, 12),
    "month": (1, 2, 3, 6, 12, 18, 24, 36),
    "year": (1, 2, 3, 5, 10),
    "hour": (1, 2, 3, 4, 6, 8, 12, 24, 48, 72),
    "minute": (5, 10, 15, 20, 30, 45, 60, 90, 120),
}
WORKING_DAYS = (1, 2, 3, 5, 7, 10, 14, 15, 20, 30)
WORKING_DAY_UNITS = frozenset(("working day", "working days", "business day", "business days",
                               "영업일"))
CONTRACT_MONTHS = (12, 24, 36)
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


def _same_day(day: date, months: int) -> date | None:
    first = _first_of_month(day, months)
    try:
        return first.replace(day=day.day)
    except ValueError:  # 31 March has no 31 April
        return None


def date_ladder(text: str, lang: str) -> list[str]:
    """The same day of the previous and next month (the 1st for a key on the 1st), then a
    week either side: never a key alone off the 1st among 1sts ("4 March" beside "1 March")."""
    day = parse_date(text)
    if day is None:
        return []
    near = [_same_day(day, -1), _same_day(day, 1),
            day - timedelta(days=7), day + timedelta(days=7)]
    return [format_date(d, lang) for d in near if d is not None]


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


PRICE_STEPS = (1100, 1000, 550, 500)


def _price_step(amount: Decimal) -> int | None:
    """The price grid a whole amount of 1,000 or more sits on (1,100 for ₩16,500)."""
    if amount < 1000 or amount != amount.to_integral_value():
        return None
    return next((step for step in PRICE_STEPS if amount % step == 0), None)


def money_ladder(text: str, around: str | None = None) -> list[str]:
    """±10 %, half and double the amount, rounded and written like the original (on the price
    grid of 1,100/1,000/550/500 the amount sits on, when it sits on one).

    A free amount (0) has no neighbours of its own: those of ``around`` (the old price) are
    taken instead.
    """
    split = _split_amount(text)
    if split is None:
        return []
    match, amount = split
    if amount == 0:
        return money_ladder(around) if around and _split_amount(around) else []
    out = []
    step = _price_step(amount)
    values = []
    for factor in ("0.9", "1.1", "0.5", "2"):
        if step:  # Korean prices with VAT are multiples of 1,100 (or 550): stay on them
            units = (amount * Decimal(factor) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            values.append(units * step)
        else:
            values.append(_round_like(amount * Decimal(factor), match["num"]))
    if step and step * 20 >= amount:  # one step either side too, when 5 % or more away
        values += [amount - step, amount + step]
    for value in dict.fromkeys(values):
        if value > 0 and value != amount:
            number = _write_number(value, match["num"])
            out.append(f"{match['pre']}{number}{match['gap']}{match['unit']}")
    return out


def _neighbours(number: Decimal, ladder: tuple) -> list:
    """Ladder steps nearest ``number`` first, alternating below and above."""
    below = [n for n in ladder if n < number][::-1]
    above = [n for n in ladder if n > number]
    out: list = []
    while below or above:
        out += [below.pop(0)] if below else []
        out += [above.pop(0)] if above else []
    return out


def _near(number: Decimal, steps: list) -> list:
    """Keep the steps that stay near the key: from a quarter of it to three times it."""
    return [n for n in steps if number / 4 <= n <= number * 3]


def _plural(word: str, n) -> str:
    """An English count noun for ``n``: "entries" -> "entry" for 1, "ticket" -> "tickets"."""
    if n == 1:
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_UNCOUNTED = frozenset(("percent", "data", "credit", "money", "information", "speed", "time",
                        "access", "usage", "service"))
_EN_NOUN_END = frozenset(("of", "in", "on", "per", "a", "an", "each", "for", "from", "to",
                          "with", "at", "by", "every", "before", "after", "within"))


def _count_noun(words: list[str]) -> int | None:
    """Where the counted noun of an English unit phrase stands: "wrong entries" -> 1, "open
    tickets per day" -> 1; ``None`` when the phrase is not plain lowercase words."""
    head = []
    for word in words:
        if word in _EN_NOUN_END:
            break
        head.append(word)
    if not head or not all(re.fullmatch(r"[a-z][a-z-]{2,}", w) for w in head) \
            or head[-1] in _UNCOUNTED:
        return None
    return len(head) - 1


_COUNT_NOUNS = frozenset(("attempt", "time", "line", "device", "call", "contact", "number",
                          "referral", "digit", "claim", "person", "people", "character",
                          "document", "working", "business", "minute", "second", "sim", "app",
                          "account", "message", "text", "point", "step"))


def _with_unit(n, match: re.Match) -> str:
    words = match["unit"].split(" ")
    countable = words[0].rstrip("s") in _COUNT_NOUNS or words[0] in _DURATION_UNITS
    if countable and re.fullmatch(r"[a-z]{3,}", words[0]):
        # English count noun: "1 day", "7 days", "2 working days"
        if words[0] in ("working", "business") and len(words) > 1:
            words[1] = _plural(words[1], n)
        else:
            words[0] = _plural(words[0], n)
    elif (noun := _count_noun(words)) is not None:
        words[noun] = _plural(words[noun], n)  # "1 wrong entry", "2 open tickets"
    value = Decimal(n)
    number = f"{int(value):,}" if "," in match["num"] else f"{int(value)}"
    if value != value.to_integral_value():
        number = f"{value.normalize():f}"
    return f"{match['pre']}{number}{match['gap']}{' '.join(words)}"


NICE = ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "7", "8")


def nice_ladder(number: Decimal) -> tuple:
    """Round numbers around ``number``: 1, 1.5, 2, 2.5, 3, 4, 5 ... times powers of ten."""
    steps = {Decimal(n) * Decimal(10) ** power for power in range(-1, 7) for n in NICE}
    whole = number == number.to_integral_value()
    return tuple(sorted(n for n in steps if not whole or n == n.to_integral_value()))


def quantity_ladder(text: str, family: str | None = None) -> list[str]:
    """Neighbouring amounts with the same unit: ages, counts, or round sizes near the key."""
    split = _split_amount(text)
    if split is None:
        return []
    match, number = split
    if family == "age":
        return [_with_unit(n, match) for n in age_ladder(number)]
    if match["unit"].strip().casefold() in ("kbps", "kb/s"):  # 128/256/384/512 kbps
        return [_with_unit(n, match) for n in _near(number, _neighbours(number, KBPS))]
    if match["unit"].strip() in SPEED_UNITS:  # 300M, 1G beside 500M; never 501M
        return speed_ladder(number, match)
    if match["pre"].strip() in ("매월", "매달") and match["unit"].strip() == "일":
        days = [n for n in _neighbours(number, DAYS_OF_MONTH) if n != number]
        return [_with_unit(n, match) for n in days]  # 매월 15일, 25일 beside 20일: never 40일
    small = number == number.to_integral_value() and number <= 10
    if small and (family == "count" or number <= 5):
        steps = [number + d for d in (1, -1, 2, -2, 3) if number + d > 0]
        return [_with_unit(n, match) for n in steps]
    if number != number.to_integral_value():  # 5.9% -> 4.9%, 6.9%: the same decimals
        steps = [number + d for d in (-1, 1, -2, 2) if number + d > 0]
        return [_with_unit(n, match) for n in steps]
    near = _near(number, _neighbours(number, nice_ladder(number)))
    return [_with_unit(n, match) for n in near if apart(n, number)]


AGE_THRESHOLDS = (14, 19, 20, 65, 70)  # ages rules are set at besides the 5-year grid
AGE_REACH = 5  # an editor found 만 25세 beside a 19-year rule and 30 beside 20 unlikely


def age_ladder(key: Decimal) -> list[Decimal]:
    """Ages an age rule could plausibly name near ``key``, nearest first: the usual
    thresholds (14, 19, 20, 65, 70) and multiples of 5, within 5 years, never 24 beside 19
    nor 64 beside 65."""
    grid = {Decimal(n) for n in range(5, 121, 5)} | {Decimal(n) for n in AGE_THRESHOLDS}
    near = [n for n in grid if 1 < abs(n - key) <= AGE_REACH]
    near += [Decimal(n) for n in (14, 19, 20) if key < 25 and n != key]  # 19 beside 20: both
    return sorted(set(near), key=lambda n: (abs(n - key), n))


KBPS = (32, 64, 128, 256, 384, 512, 768)
SPEED_UNITS = {"M": "G", "G": "G", "Mbps": "Gbps", "Gbps": "Gbps"}  # unit -> its unit x 1000
SPEEDS_M = (1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2500, 5000, 10000)  # in M
DAYS_OF_MONTH = (1, 5, 10, 15, 20, 25)


def speed_ladder(number: Decimal, match: re.Match) -> list[str]:
    """Line speeds a plan could have near the key, written as the key is (M or G; Mbps or
    Gbps): 300M and 1G beside 500M."""
    unit = match["unit"].strip()
    big = SPEED_UNITS[unit]
    scale = 1000 if unit in ("G", "Gbps") else 1
    key = number * scale
    out = []
    for speed in _neighbours(key, SPEEDS_M)[:5]:
        if speed == key:
            continue
        value, written = (Decimal(speed) / 1000, big) if speed >= 1000 else (Decimal(speed),
                                                                            unit.replace("G", "M"))
        out.append(f"{match['pre']}{value.normalize():f}{match['gap']}{written}")
    return out
MIN_GAP = Decimal("0.1")  # a near value at least 10 % from the key: not 250 beside 256


def apart(candidate: Decimal, key: Decimal) -> bool:
    """Tell whether a near value is far enough from the key to be a real alternative (25
    beside 24, or 250 beside 256, reads as a near-duplicate)."""
    return key <= 10 or abs(candidate - key) >= key * MIN_GAP


def duration_ladder(text: str, contract: bool = False) -> list[str]:
    """Neighbouring durations of the same unit near the key: 1/2/3/5 working days, 12/24/36
    contract months, hours up to a day, ..."""
    split = _split_amount(text)
    if split is None:
        return []
    match, number = split
    unit = match["unit"].strip().casefold()
    if unit in WORKING_DAY_UNITS:
        ladder = WORKING_DAYS
    elif contract and _DURATION_UNITS.get(unit) == "month":
        ladder = CONTRACT_MONTHS
    else:  # "24시간 전", "48 hours before": the unit is the first word
        family = _DURATION_UNITS.get(unit) or _DURATION_UNITS.get(unit.split(" ")[0] if unit
                                                                 else "")
        if family is None:
            return []
        ladder = DURATION_LADDERS[family]
    steps = _neighbours(number, ladder)
    steps = steps if ladder is CONTRACT_MONTHS else _near(number, steps)
    return [_with_unit(n, match) for n in steps]


def swapped_digits(text: str) -> list[str]:
    """Same-format codes: each candidate changes one digit of the last digit group."""
    groups = list(re.finditer(r"\d+", text))
    if not groups:
        return []
    last = groups[-1]
    digits = last.group(0)
    out = []
    for position in range(len(digits) - 1, -1, -1):
        for delta in (1, -1, 2):
            if not 0 <= int(digits[position]) + delta <= 9:
                continue  # no wrapping round: 001 gives 002, never 091
            new = str(int(digits[position]) + delta)
            changed = digits[:position] + new + digits[position + 1:]
            if len(changed) > 2 and len(set(changed)) == 1:
                continue  # "1588-0000", "*111": a placeholder, not a real number
            out.append(text[:last.start()] + changed + text[last.end():])
        if len(out) >= 6:
            break
    return out


LADDERS = {
    "date": date_ladder,
    "money": lambda text, lang: money_ladder(text),
    "quantity": lambda text, lang: quantity_ladder(text),
    "duration": lambda text, lang: duration_ladder(text),
}
"""Fact type -> ``ladder(value, lang) -> [wrong value, ...]``."""
