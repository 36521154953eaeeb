"""Limits an agent (or a customer) *can* reach: "분할 기간 an agent can grant without approval".

A label saying what can be granted, used or chosen, with an amount for its value, names a
limit: every smaller amount can be granted too. Asked "what is the period an agent can
grant?", the key 3 months beside 1 month is ambiguous (both can be granted). So such a fact
is asked for the maximum when the label does not say so already ("… 최대 몇 개월입니까?"), and
no smaller amount is offered as a wrong option or judged false (it is also true).
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact
from app.domain.generation.values import amount, unit_family

# a discretion: someone can grant, give, offer ... an amount ("Months an agent can grant")
_EN_CAN = re.compile(r"\b(can|may|could|(is|are) (allowed|able|permitted) to)\s+(\w+\s+)?"
                     r"(grant|give|offer|approve|waive|refund|allow|extend|credit|discount"
                     r"|split|authori[sz]e|lend|add|spend|transfer|defer|write off)\b",
                     re.IGNORECASE)
_EN_BOUND = re.compile(r"\b(most|max|maximum|up to|longest|largest|highest|limit|least|minimum"
                       r"|min|shortest|lowest|smallest|cap|ceiling|no more|no less)\b",
                       re.IGNORECASE)
_KO_CAN = re.compile(r"수 있는|가능한|해도 되는|줄 수|받을 수")
_KO_GRANT = re.compile(r"(줄|지급할|면제할|환불할|승인할|감면할|적립할|제공할) 수 있는")
_KO_BOUND = re.compile(r"최대|최소|최장|최단|까지|이내|이하|이상|미만|초과|한도|상한|하한")


def can_limit(fact: Fact, lang: str) -> bool:
    """The fact is a limit of what can be done, its value an amount, and neither its label
    nor its ``ask=`` nor its value says it is the maximum or the minimum.

    Korean: a count or a length of time that can be used or done ("바꿀 수 있는 횟수",
    "해지할 수 있는 기간"), or money or data someone can grant ("줄 수 있는 할인 금액"); never
    an age or a sum one qualifies with ("신청할 수 있는 미납액": a minimum)."""
    family = unit_family(fact.value)
    if amount(fact.value) is None or family in (None, "age"):
        return False
    korean = lang.lower().startswith("ko")
    can, bound = (_KO_CAN, _KO_BOUND) if korean else (_EN_CAN, _EN_BOUND)
    if korean and family not in ("count", "time"):
        can = _KO_GRANT
    if (_KO_BOUND if korean else _EN_BOUND).search(fact.value):
        return False  # "최대 5회선": the value says it
    texts = [text for text in (fact.label, fact.ask) if text]
    return any(can.search(t) for t in texts) and not any(bound.search(t) for t in texts)


def below_limit(fact: Fact, lang: str, wrong: str) -> bool:
    """A wrong option smaller than the key of a :func:`can_limit` fact asked without "at
    most" (English): also true (1 month can be granted when 3 can), so it is never offered
    nor judged false. A Korean question asks 최대, so a smaller amount is wrong there."""
    if lang.lower().startswith("ko") or not can_limit(fact, lang):
        return False
    key, other = amount(fact.value), amount(wrong)
    return other is not None and unit_family(wrong) == unit_family(fact.value) \
        and other[1] < key[1]


