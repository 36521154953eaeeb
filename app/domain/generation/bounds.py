"""Bounds, thresholds and windows: which wrong amounts make a sentence false.

"Customers with at least 3 years of service qualify": with 5 years in its place the sentence
is still true (a 5-year customer qualifies under the 3-year rule), so a true/false item keyed
False, or a cloze offering 5 years beside 3, has two defensible answers. Editors apply the
ordinary-language test ("Can a visitor park free for 30 minutes?" -- "yes", under a 1-hour
rule), so only an amount on the far side makes such a sentence false:

- **below** a minimum or a threshold: "at least", "or more", "이상", "초과", and a number in a
  condition ("after 3 wrong entries", "with 3 open tickets", "3회 틀리면");
- **above** a limit, a window or an allowance: "under 19", "만 19세 미만", "이하", "within 48
  hours", "이내", "안에", "까지", "up to", "at most", "최대", "for 30 days" ("locked for 24
  hours": 12 hours is part of it), "동안", and anything a customer *can* do ("can gift 2 times
  a month", "수 있습니다") unless a limit noun says it exactly ("감면 한도는 10,000원입니다");
- **either side** for an amount stated exactly: a price, a number of digits, a count, a
  contract term ("The contract term is 36 months").

:func:`wrong_side` reads the side from the sentence around the value; :func:`on_false_side`
tells whether a wrong amount lies there.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.domain.generation.values import amount, unit_words

BELOW, ABOVE = "below", "above"

_EN_BEFORE = {
    BELOW: re.compile(r"\b(at least|over|more than|minimum of|no less than|not less than|"
                      r"older than|longer than)\s+$", re.IGNORECASE),
    ABOVE: re.compile(r"\b(under|below|less than|fewer than|younger than|shorter than)\s+$",
                      re.IGNORECASE),
}
_EN_AFTER = {
    BELOW: re.compile(r"^\s*(\+|or (more|longer|over|above|older|later)\b|and (over|above|"
                      r"older|more)\b)", re.IGNORECASE),
    ABOVE: re.compile(r"^\s*(or (less|fewer|under|below|younger|shorter|earlier)\b|and "
                      r"(under|below|younger)\b)", re.IGNORECASE),
}
_EN_CONDITION = re.compile(r"\b(when|whenever|if|once|after|with)\b", re.IGNORECASE)
_EN_WINDOW = re.compile(r"\b(within|up to|at most|no more than|maximum of|for|until|free for"
                        r"|valid for|lasts?|during)\s+(the first\s+|a maximum of\s+)?$",
                        re.IGNORECASE)
_EN_CAN = re.compile(r"\b(can|may|is allowed to|are allowed to|is able to|are able to)\b",
                     re.IGNORECASE)
_KO_WINDOW_AFTER = re.compile(r"^\s*(이내|안에|안으로|까지|동안|내에|내로|간)")
_KO_WINDOW_BEFORE = re.compile(r"(최대|최장)\s*$")
_KO_CAN = re.compile(r"수 있|가능")
_LIMIT_NOUN = re.compile(r"한도|상한|하한|기준|\b(limit|maximum|minimum|cap|threshold)\b",
                         re.IGNORECASE)
_DATE = re.compile(r"\d{4}년|\d{4}-\d{2}-\d{2}|\b(January|February|March|April|May|June|July"
                   r"|August|September|October|November|December)\b", re.IGNORECASE)
_KO_BELOW = re.compile(r"^\s*(이상|넘|초과|부터)|최소\s*$")
_KO_ABOVE = re.compile(r"^\s*(미만|이하|아래)")
_KO_IN_VALUE = {BELOW: re.compile(r"이상|초과|최소"), ABOVE: re.compile(r"미만|이하")}
_EN_IN_VALUE = {BELOW: re.compile(r"\b(at least|or more|minimum|over|and over)\b", re.I),
                ABOVE: re.compile(r"\b(under|below|less than|or less)\b", re.I)}


_MINUTES = (("working day", 1440), ("business day", 1440), ("영업일", 1440), ("minute", 1),
            ("min", 1), ("분", 1), ("hour", 60), ("시간", 60), ("day", 1440), ("일", 1440),
            ("week", 10080), ("주일", 10080), ("주", 10080), ("month", 43200), ("개월", 43200),
            ("달", 43200), ("year", 525600), ("년", 525600))
_TIME = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(" + "|".join(
    re.escape(unit) for unit, _ in _MINUTES) + r")(?:s\b)?", re.IGNORECASE)


def measure(text: str) -> tuple[Decimal, str] | None:
    """An amount to compare, in one unit per kind: a length of time in minutes ("1 hour" and
    "30 minutes", "결제 후 24시간"), else the amount's number with its unit words."""
    found = _TIME.search(text)
    if found is not None:
        factor = next(f for unit, f in _MINUTES if found.group(2).casefold().startswith(unit))
        try:
            return Decimal(found.group(1).replace(",", "")) * factor, "time"
        except InvalidOperation:
            return None
    whole = amount(text)  # "1 attempt" beside "3 attempts": one unit
    return (whole[1], re.sub(r"(?<=[a-z])s\b", "", unit_words(text))) if whole else None


def _frame(text: str) -> str:
    """The words around an amount: "결제 후 #" for "결제 후 24시간", "" for "1 hour"."""
    found = _TIME.search(text)
    if found is not None:
        rest = text[:found.start()] + "#" + text[found.end():]
    else:
        whole = amount(text)
        rest = (whole[0] + "#") if whole else text
    return " ".join(re.sub(r"(?<=[a-z])s\b", "", rest.casefold()).split())


def wrong_side(text: str, value: str, lang: str) -> str | None:
    """The side of the value a wrong amount must lie on for ``text`` (a sentence holding
    ``value``) to be false: :data:`BELOW`, :data:`ABOVE`, or ``None`` for either side."""
    if measure(value) is None or _DATE.search(value):
        return None  # a name, a channel, a step, a date: any other one is false
    korean = lang.lower().startswith("ko")
    for side, pattern in (_KO_IN_VALUE if korean else _EN_IN_VALUE).items():
        if pattern.search(value):
            return side
    start = text.casefold().find(value.strip().casefold())
    if start < 0:
        return None
    before, after = text[:start], text[start + len(value.strip()):]
    if korean:
        return _korean_side(before, after, text)
    for side in (ABOVE, BELOW):
        if _EN_BEFORE[side].search(before) or _EN_AFTER[side].match(after):
            return side
    clause = re.split(r"[,;:]\s|\s[—–]\s", before)[-1]
    near = " ".join(clause.split()[-4:])  # "with 3 open tickets", "when a hotspot has 3 ..."
    if _EN_CONDITION.search(near) and not _EN_WINDOW.search(before):
        return BELOW
    if _EN_WINDOW.search(before):
        return ABOVE  # "within 48 hours", "locked for 24 hours", "up to 5 days"
    if _EN_CAN.search(text) and not _LIMIT_NOUN.search(text):
        return ABOVE  # "can gift 2 times a month"; but "the limit is 5,000" reads exactly
    return None


def _korean_side(before: str, after: str, text: str) -> str | None:
    if _KO_ABOVE.search(after[:4]) or _KO_ABOVE.search(before[-4:]):
        return ABOVE
    if _KO_BELOW.search(after[:4]) or _KO_BELOW.search(before[-4:]):
        return BELOW
    if _KO_WINDOW_AFTER.search(after[:5]) or _KO_WINDOW_BEFORE.search(before[-4:]):
        return ABOVE  # "48시간 이내", "7일 동안", "최대 2회", "2건까지"
    words = after.split(" ")[:3]  # the value's own word and the two after it
    if any(w.rstrip(",.").endswith("면") for w in words if w):
        return BELOW  # "3회 틀리면", "3건이 되면": a threshold
    if _KO_CAN.search(text) and not _LIMIT_NOUN.search(text):
        return ABOVE  # "월 2회 선물할 수 있습니다"; but "감면 한도는 10,000원입니다" reads exactly
    return None


def on_false_side(key: str, wrong: str, side: str | None) -> bool:
    """Whether ``wrong`` in place of ``key`` makes the sentence false: any amount when the
    value is exact, else an amount of the key's kind on ``side`` of it."""
    if side is None or _frame(key) != _frame(wrong):
        return True  # "첫 접속 후 24시간" beside "결제 후 24시간": another thing, not an amount
    mine, other = measure(key), measure(wrong)
    if mine is None or other is None or mine[1] != other[1]:
        return False  # not comparable: not certainly false
    return other[0] < mine[0] if side == BELOW else other[0] > mine[0]
