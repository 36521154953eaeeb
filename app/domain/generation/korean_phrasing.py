"""Korean questions and statements for a fact, by the label's shape and the value's form.

A noun label takes its particle and a question word chosen by meaning (``values.ko_what``);
a value written as a noun phrase ending in a verb is said as a sentence
(``korean.predicate``); labels that are a clause around the value ("…하는 방법", "…되는 때")
are said around it.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact
from app.domain.generation.answers import ko_answer_statement
from app.domain.generation.korean import attach, predicate
from app.domain.generation.labels import ko_question_from_embedded
from app.domain.generation.limits import can_limit
from app.domain.generation.splice import telegraphic
from app.domain.generation.values import is_path, ko_counted, ko_what

_KO_NAMING = ("방법", "방식", "순서", "절차", "기준", "조치", "내용", "이름", "명칭", "것", "조건")


def ko_question(fact: Fact, kind: str, exact: bool = False) -> str:
    """The Korean question for a fact, without any date."""
    label = fact.label.strip()
    if kind == "ask":
        return fact.ask.strip()
    if kind == "question":
        return label if label.endswith("?") else label + "?"
    if kind == "condition":
        return f"{label} 어떻게 처리합니까?"
    if kind == "embedded":
        asked = ko_question_from_embedded(label)
        return _topic_before_wh(asked) if asked else f"{label}에 대해 올바른 것은 무엇입니까?"
    when = _ko_when_question(label, fact.value)
    if when:
        return when
    what = "얼마입니까?" if repeats_head(label, fact.value) else ko_what(fact)
    if is_path(fact.value) and not label.split()[-1].endswith(_KO_NAMING):  # a place: "메뉴는
        # 어디입니까?"; "처리 순서" with "A → B" is a sequence of steps, asked 어떻게
        return f"{attach(label, '는')} {'정확히 ' if exact else ''}어디입니까?"
    acted = telegraphic(fact.value) or predicate(fact.value) and not fact.value.endswith("없음")
    if what in ("무엇입니까?", "얼마입니까?") and acted \
            and not label.split()[-1].endswith(_KO_NAMING):
        what = "어떻게 됩니까?"  # "남은 할부금은 어떻게 됩니까?" for "... 한 번에 냄"
    if _at_most(fact, what):  # "해 줄 수 있는 기간": 1개월도 되니 최대를 묻습니다
        what = f"최대 {ko_counted(fact.value) or what}"
    return f"{attach(label, '는')} {'정확히 ' if exact else ''}{what}"


def repeats_head(label: str, value: str) -> bool:
    """The value names the label's own head ("위약금" + "위약금의 30%"): "위약금은 위약금의 30%
    입니다" says nothing; the amount is asked (얼마), no statement is made."""
    last = label.split()[-1] if label.split() else ""
    return len(last) > 1 and value.strip().startswith(f"{last}의 ")


def noted_clauses(value: str) -> bool:
    """Comma-joined note clauses, one with its own subject ending on a nominalised verb
    ("기사가 회수함, 고객은 …"): no verb is chosen for the whole with certainty."""
    parts = [p.strip() for p in re.split(r",\s*(?!\d)", value)]
    return len(parts) > 1 and any(
        re.search(r"\S[이가] ", part) and _nominalised(part[-1]) for part in parts[:-1])


def _nominalised(syllable: str) -> bool:
    code = ord(syllable) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 16  # final ㅁ: 감, 함, 됨, 음


def _at_most(fact: Fact, what: str) -> bool:
    """A limit that can be granted (``limits.can_limit``) whose question counts: 최대 goes
    before 몇 개월/며칠/얼마, never before 언제 or 무엇."""
    counts = bool(ko_counted(fact.value)) or what.startswith(("얼마", "몇", "며칠"))
    return counts and can_limit(fact, "ko")


def _topic_before_wh(question: str) -> str:
    """"요금제 변경이 언제 적용됩니까?" -> "요금제 변경은 언제 적용됩니까?": a subject before the
    question word reads as the topic."""
    def topic(match: re.Match) -> str:
        return f"{attach(match.group(1), '는')} {match.group(3)}"

    return re.sub(r"(\S{2,})(이|가) (언제|어디|어떻게|누구|무엇|얼마)", topic, question, count=1)


_KO_ADNOMINAL = (("되는", "됩니다"), ("하는", "합니다"), ("있는", "있습니다"), ("없는", "없습니다"))


def _ko_when_question(label: str, value: str) -> str | None:
    """"결제 수단 변경이 반영되는 때" with "...부터" -> "결제 수단 변경이 언제부터 반영됩니까?"."""
    head, _, last = label.rpartition(" ")
    ending = re.search(r"(부터|까지)$", value.strip())
    if last == "때" and head.endswith("는") and not ending:  # "첫 회차를 내는 때" ->
        asked = ko_question_from_embedded(head + "지")  # "첫 회차를 언제 냅니까?"
        lead, _, verb = (asked or "").rpartition(" ")
        return _topic_before_wh(f"{lead} 언제 {verb}") if asked and lead else None
    if last != "때" or not head or not ending:
        return None
    subject, _, verb = head.rpartition(" ")
    if verb in ("하는", "되는") and subject:
        subject, _, before = subject.rpartition(" ")
        verb = f"{before} {verb}"
    for adnominal, polite in _KO_ADNOMINAL:
        if verb.endswith(adnominal):
            lead = f"{subject} " if subject else ""
            asked = polite[:-2] + "니까?"  # 됩니다 -> 됩니까?
            return f"{lead}언제{ending.group(1)} {verb[:-len(adnominal)]}{asked}"
    return None


def _ko_lead(label: str, value: str) -> str | None:
    """The label's words before the noun the value repeats, as a time or place to start the
    sentence from: "이사 후 약정 기간" with "남은 약정 기간이 이어짐" -> "이사 후에는"."""
    words = label.split()
    for index, word in enumerate(words):
        if index and len(word) > 1 and word in value:
            lead = words[index - 1]  # a time or a moment: "이사 후", "해지 전", "정지 중"
            return f"{' '.join(words[:index])}에는" if lead in _KO_MOMENTS else None
    return None


_KO_MOMENTS = frozenset(("후", "전", "뒤", "중", "동안", "이후", "이전", "다음", "때"))


def _ko_clause(label: str, value: str) -> str | None:
    """Labels that are a clause around the value: "데이터 차단을 해제하는 방법" + "앱에서 해제"
    -> "데이터 차단을 해제하려면 앱에서 해제합니다."; "변경이 반영되는 때" + "다음 달부터" ->
    "변경이 다음 달부터 반영됩니다."."""
    head, _, last = label.rpartition(" ")
    said = None if is_path(value) else predicate(value)
    if last == "방법" and head.endswith("하는") and said:
        thing = re.match(r"^(.+?)[을를] (\S+)하는$", head)
        if thing and (value.strip().endswith("됨") or value.strip().endswith(thing.group(2))):
            return f"{attach(thing.group(1), '는')} {said}."  # "안내 서비스는 ... 신청됩니다"
        return f"{head[:-2]}하려면 {said}."
    if last == "때" and head and re.search(r"(부터|까지)$", value.strip()):
        subject, _, verb = head.rpartition(" ")
        if verb in ("하는", "되는") and subject:  # "예약해야 하는": the verb is two words
            subject, _, before = subject.rpartition(" ")
            verb = f"{before} {verb}"
        for adnominal, polite in _KO_ADNOMINAL:
            if verb.endswith(adnominal):
                lead = f"{subject} " if subject else ""
                return f"{lead}{value.strip()} {verb[:-len(adnominal)]}{polite}."
    return None


_MONEY_NOUNS = ("료", "금", "비", "요금", "할부금", "위약금")
_UNDERGONE = ("청구", "감면", "면제", "할인", "환불", "부과", "적용", "차감", "이월", "지급")


def _charged(label: str, value: str) -> bool:
    """A fee as the topic and a verbal noun done to it: said in the passive (됩니다)."""
    last = label.split()[-1] if label.split() else ""
    return last.endswith(_MONEY_NOUNS) and value.strip().split()[-1] in _UNDERGONE


def ko_statement(fact: Fact, kind: str, value: str) -> str:
    """A Korean sentence: a value written as a noun phrase ending in a verb ("...냄", "해지
    가능", "바로 해지 접수") is said as one ("냅니다", "해지할 수 있습니다", "접수합니다")."""
    label = fact.label.strip()
    clause = _ko_clause(label, value)
    if clause:
        return clause
    parts = re.split(r",\s*(?!\d)", value)  # "3,000원" is a number, not a list
    listed = len(parts) > 1 and all(len(part.split()) <= 3 for part in parts)
    said = None if is_path(value) or listed or label.split()[-1].endswith(_KO_NAMING) \
        else predicate(value)  # "대리점, 고객센터 전화" is a list, not "...전화합니다"
    if kind == "noun" and said:
        # "이사 후 약정 기간" + "남은 약정 기간이 ..." -> "이사 후에는"
        lead = _ko_lead(label, value)
        if lead:
            return f"{lead} {said}."
    if kind == "noun" and said and _charged(label, value):
        said = value.strip() + "됩니다"  # "정지 중 기본료는 50% 감면됩니다": the fee undergoes it
    if kind == "noun":
        most = "최대 " if _at_most(fact, ko_what(fact)) and not said else ""  # "…최대 3개월"
        return f"{attach(label, '는')} {most}{said or value + '입니다'}."
    if kind == "condition":
        return f"{label} {said}." if said else f"{label}, 올바른 답은 ‘{value}’입니다."
    question = ko_question(fact, kind)
    return ko_answer_statement(question, value) or f"‘{question}’에 대한 답은 ‘{value}’입니다."
