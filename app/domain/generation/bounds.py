"""Bounds and thresholds: which wrong amounts make a sentence false.

"Customers with at least 3 years of service qualify": with 5 years in its place the sentence
is still true (a 5-year customer qualifies under the 3-year rule), so a true/false item keyed
False, or a cloze offering 5 years beside 3, has two defensible answers. Only an amount on the
other side of the bound makes such a sentence false: below a minimum or a threshold ("at
least", "or more", "이상", "초과", and a number inside a condition: "after 3 wrong entries",
"with 3 open tickets", "3회 틀리면"), above the limit of those who qualify ("under 19", "만 19세
미만", "이하"). A cap ("up to", "at most", "최대", "까지") is read as stated exactly, as editors
read it, like any other amount ("the PIN has 6 digits", "within 7 days"): false on either side.
:func:`wrong_side` reads the side from the sentence around the value;
:func:`on_false_side` tells whether a wrong amount lies there.
"""

from __future__ import annotations

import re

from app.domain.generation.values import amount, unit_family

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
_KO_BELOW = re.compile(r"^\s*(이상|넘|초과|부터)|최소\s*$")
_KO_ABOVE = re.compile(r"^\s*(미만|이하|아래)")
_KO_IN_VALUE = {BELOW: re.compile(r"이상|초과|최소"), ABOVE: re.compile(r"미만|이하")}
_EN_IN_VALUE = {BELOW: re.compile(r"\b(at least|or more|minimum|over|and over)\b", re.I),
                ABOVE: re.compile(r"\b(under|below|less than|or less)\b", re.I)}


def wrong_side(text: str, value: str, lang: str) -> str | None:
    """The side of the value a wrong amount must lie on for ``text`` (a sentence holding
    ``value``) to be false: :data:`BELOW`, :data:`ABOVE`, or ``None`` for either side."""
    if amount(value) is None:
        return None  # a name, a channel, a step: any other one is false
    korean = lang.lower().startswith("ko")
    for side, pattern in (_KO_IN_VALUE if korean else _EN_IN_VALUE).items():
        if pattern.search(value):
            return side
    start = text.casefold().find(value.strip().casefold())
    if start < 0:
        return None
    before, after = text[:start], text[start + len(value.strip()):]
    if korean:
        return _korean_side(before, after)
    for side in (ABOVE, BELOW):
        if _EN_BEFORE[side].search(before) or _EN_AFTER[side].match(after):
            return side
    clause = re.split(r"[,;:]\s|\s[—–]\s", before)[-1]
    near = " ".join(clause.split()[-4:])  # "with 3 open tickets", "when a hotspot has 3 ..."
    return BELOW if _EN_CONDITION.search(near) else None


def _korean_side(before: str, after: str) -> str | None:
    if _KO_ABOVE.search(after[:4]) or _KO_ABOVE.search(before[-4:]):
        return ABOVE
    if _KO_BELOW.search(after[:4]) or _KO_BELOW.search(before[-4:]):
        return BELOW
    words = after.split(" ")[:3]  # the value's own word and the two after it
    if any(w.rstrip(",.").endswith("면") for w in words if w):
        return BELOW  # "3회 틀리면", "3건이 되면": a threshold
    return None


def on_false_side(key: str, wrong: str, side: str | None) -> bool:
    """Whether ``wrong`` in place of ``key`` makes the sentence false: any amount when the
    value is exact, else an amount of the key's kind on ``side`` of it."""
    if side is None:
        return True
    mine, other = amount(key), amount(wrong)
    if mine is None or other is None or unit_family(key) != unit_family(wrong):
        return False  # not comparable: not certainly false
    return other[1] < mine[1] if side == BELOW else other[1] > mine[1]
