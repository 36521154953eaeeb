"""A question and its answer said as one plain sentence, for true/false items.

"고객이 분실한 휴대폰을 찾으면 어떻게 합니까?" + "본인 확인 후 바로 정지 해제" ->
"고객이 분실한 휴대폰을 찾으면 본인 확인 후 바로 정지 해제합니다."; "요금제 변경은 언제
적용됩니까?" + "다음 달 1일" -> "요금제 변경은 다음 달 1일에 적용됩니다.". The question word
is replaced by the value (with the particle the question word carried) and the polite
question ending becomes the statement ending. ``None`` when the question has no question
word this module knows: the caller then makes no statement rather than a framed one
("‘...?’에 대한 답은 ‘...’입니다" reads as a quiz about a quiz).
"""

from __future__ import annotations

import re

from app.domain.generation.korean import attach, predicate

_ENDINGS = (("입니까", "입니다"), ("합니까", "합니다"), ("됩니까", "됩니다"),
            ("습니까", "습니다"), ("하나요", "합니다"), ("되나요", "됩니다"),
            ("있나요", "있습니다"), ("없나요", "없습니다"), ("인가요", "입니다"), ("니까", "니다"))
# question word -> how the value replaces it (``{v}`` the value; a particle attached by form)
_WORDS = (
    ("어떻게", "how"), ("언제부터", "부터"), ("언제까지", "까지"), ("언제", "when"),
    ("어디에서", "에서"), ("어디서", "에서"), ("어디로", "로"), ("어디에", "에"), ("어디", ""),
    ("누구에게", "에게"), ("누가", "가"), ("누구", ""), ("무엇을", "를"), ("무엇이", "가"),
    ("무엇으로", "로"), ("무엇", ""), ("얼마나", ""), ("얼마", ""), ("며칠", ""),
)
_WHICH = re.compile(r"(?<![가-힣])어느 [가-힣]+?(이|가|을|를|에서|에게|에|으로|로|은|는)?(?=\s)")
_DURATION = re.compile(r"^\d[\d,.]*\s*(시간|분|초|일|영업일|주|주일|개월|달|년)$")
_TIME_END = re.compile(r"(부터|까지|에|전|후|즉시|안에|동안|중)$")


def _statement_end(text: str) -> str | None:
    for asked, said in _ENDINGS:
        if text.endswith(asked):
            return text[: -len(asked)] + said
    return None


def ko_answer_statement(question: str, value: str) -> str | None:
    """The Korean question answered by ``value`` as a statement, or ``None``."""
    text = question.strip().rstrip("?").strip()
    value = value.strip().rstrip(".")
    text = text.replace("몇 시부터 몇 시까지", "몇시")  # one span: "오전 9시부터 오후 6시까지"
    which = _WHICH.search(text)
    if which:  # "어느 팀이 처리합니까?" -> "요금팀이 처리합니다."
        particle = which.group(1) or ""
        filler = attach(value, particle) if particle in ("이", "가", "을", "를", "으로", "로",
                                                         "은", "는") else value + particle
        ending = _statement_end(text[which.end():].strip())
        before = text[:which.start()].rstrip()
        return " ".join(p for p in (before, filler, ending) if p) + "." if ending else None
    match = None
    for word, how in _WORDS:
        match = re.search(rf"(?<![가-힣]){word}(?![가-힣])", text) or (
            re.search(rf"(?<![가-힣]){word}", text) if how == "" else None)
        if match:
            break
    if match is None:
        found = re.search(r"(?<![가-힣])몇 ?[가-힣]+?(?=입니까|인가요|\s|$)|몇시", text)
        if found is None:
            return None
        word, how, match = found.group(0), "", found
    before, after = text[: match.start()].rstrip(), text[match.end():].strip()
    if how == "how":
        said = predicate(value)
        verb = re.fullmatch(r"(\S*?)(합니까|됩니까|하나요|되나요)", after.replace(" ", ""))
        if said is None or verb is None or verb.group(1) not in (
                "", "처리", "안내", "진행", "조치") and not value.endswith(verb.group(1)):
            return None  # "어떻게 전달합니까?" answered "... 전달": the same verb
        before = re.sub(r"(?<![가-힣])무엇(을|이)\s*$", "", before).rstrip()
        return f"{before} {said}.".strip()
    said = predicate(value)
    if said and how not in ("when", "부터", "까지"):  # the value is an action itself:
        topics = re.findall(r"([가-힣]+)[은는](?=\s|$)", before)
        if any(len(t) > 1 and t in value for t in topics):
            return None  # "요금은 … 전체 요금을 납부합니다": the noun said twice
        return f"{before} {said}.".strip()  # "고객은 … 해결될 때까지 담당합니다."
    if how == "when":  # a duration answers when as "2시간 안에", never "2시간에"
        filler = value if _TIME_END.search(value) else f"{value} 안에" \
            if _DURATION.match(value) else f"{value}에"
    elif how in ("부터", "까지", "에서", "에게"):
        filler = value if value.endswith(how) else f"{value}{how}"
    elif how:
        filler = attach(value, how)
    else:
        filler = value
    ending = _statement_end(after) if after else None
    if ending is None:
        return None
    if ending.startswith(("입니다", "니다")):  # the copula attaches: "55,000원입니다"
        filler, ending = filler + ending, ""
    return " ".join(part for part in (before, filler, ending) if part) + "."
