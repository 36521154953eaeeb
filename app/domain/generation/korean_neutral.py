"""When a Korean label or value cannot be built into a sentence with confidence.

The neutral frame (neutral.py) is used instead of a sentence that pastes a telegraphic value
("반품 불가, 불량 심사로 안내") after a condition, repeats the subject ("고객이 … 고객이"),
repeats the label's verb ("신청할 때 … 신청합니다") or asks "어떻게 처리합니까?" of a timing
answer ("다음 달 청구서부터 적용").
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact

_TIMING = re.compile(r"(부터|이내|까지|이후|뒤에?|후에?)(\s|$)")
_STATE_END = ("불가", "가능", "불가능", "없음", "있음", "필요", "불필요", "안내 불가")
_SUBJECT = re.compile(r"(\S+[이가]) ")
_CONDITION_VERB = re.compile(r"(\S+?)(?:할 때|하면|하려면)$")


def ko_doubtful(fact: Fact, kind: str) -> bool:
    """A Korean condition label whose value answers when ("다음 달 청구서부터 적용"): the
    condition's "어떻게 처리합니까?" would ask the wrong thing."""
    return kind == "condition" and bool(_TIMING.search(fact.value.strip()))


def ko_doubtful_statement(fact: Fact, kind: str, value: str, said: str) -> bool:
    """A Korean statement that would read as telegraphic or redundant (see the module)."""
    if kind not in ("condition", "ask"):
        return False
    text = value.strip()
    if re.search(r",(?!\d)|、", text) or text.endswith(_STATE_END):
        return True
    subjects = _SUBJECT.findall(said)
    if len(subjects) != len(set(subjects)):
        return True
    condition = _CONDITION_VERB.search(fact.label.strip())  # "… 신청할 때" then "… 신청합니다"
    last = text.split()[-1] if text.split() else ""
    return bool(condition) and len(condition.group(1)) >= 2 \
        and last.startswith(condition.group(1)[-2:])


_PERMISSION_VALUES = frozenset(("가능", "불가", "불가능"))
_PERMISSION = ((re.compile(r"하지 않습니다(\.?)$"), r"할 수 없습니다\1"),
               (re.compile(r"합니다(\.?)$"), r"할 수 있습니다\1"),
               (re.compile(r"합니까\?$"), "할 수 있습니까?"))


def permission(fact: Fact) -> bool:
    """A Korean yes/no fact whose value says whether something may be done (가능/불가) and
    whose label does not already say so ("사용 가능한지")."""
    return not fact.ask and fact.value.strip() in _PERMISSION_VALUES \
        and "가능" not in fact.label and "수 있" not in fact.label


def as_permission(text: str) -> str:
    """"… 변경합니다" -> "… 변경할 수 있습니다"; "… 변경하지 않습니다" -> "… 변경할 수 없습니다";
    "… 변경합니까?" -> "… 변경할 수 있습니까?" (for a 가능/불가 fact)."""
    for pattern, replacement in _PERMISSION:
        if pattern.search(text):
            return pattern.sub(replacement, text)
    return text
