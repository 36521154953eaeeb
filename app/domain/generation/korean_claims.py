"""Korean yes/no labels as claims: "주말 설치 추가 요금 부과" -> "주말 설치 추가 요금을
부과합니다" and its negation "... 부과하지 않습니다".

A Sino-Korean verbal noun at the end of the label gets its object particle (a time noun before
the object takes 에, 무료/자동 before the verb become 무료로/자동으로), 필요/가능 take 이/가, and
"-는지"/"-나요?"/"-해야 함" endings become 습니다 forms ("해야" is negated as "하지 않아도 됩니다",
never as a prohibition). ``None`` when the label is none of these.
"""

from __future__ import annotations

import re

from app.domain.generation.korean import attach, has_batchim
from app.domain.generation.korean import has_particle as ends_on_particle
from app.domain.generation.labels import ko_question_from_embedded

_KO_TRANSITIVE = ("녹음", "부과", "요청", "제안", "제공", "안내", "발급", "청구",
                  "면제", "확인", "요구", "접수", "지급", "환불", "체크", "연결",
                  "허용", "지원", "차단", "기록", "전달", "발송", "변경", "신청",
                  "해지", "사용", "이용", "받음", "할인", "추천", "설치",
                  "제출", "등록", "동의", "보관", "반납", "재발급")
_KO_POSTPOSITIONS = frozenset(("내", "중", "동안", "이내", "전", "후", "이후", "이전", "안", "밖",
                               "초과", "미만", "이상", "이하", "만료", "종료", "시"))
_KO_VERBAL = frozenset(("설치", "신청", "해지", "가입", "변경", "개통", "발송", "접수", "청구",
                        "부과", "방문", "사용", "이용", "납부", "환불"))
_KO_INTRANSITIVE = ("감소", "증가", "발생", "소멸")
# said in the passive with the label's noun as subject: "할인이 유지됩니다", never "유지합니다"
_KO_PASSIVE = ("유지", "적용", "포함", "연장", "갱신", "종료", "시작", "만료")
# a quoted instruction or purpose ("다시 전화하라고", "확인하도록") takes no object particle
_KO_QUOTED_END = ("라고", "다고", "자고", "냐고", "도록")
# words ending in 도 that are not "X + 도 (also)": nouns and "-아도/-어도" verb endings
_DO_NOUNS = ("속도", "한도", "제도", "정도", "용도", "온도", "빈도", "강도", "지도", "각도", "태도",
             "시도", "고도", "밀도", "농도", "난이도", "신뢰도", "만족도", "적도", "연도", "년도",
             "별도", "아도", "어도", "해도", "여도", "라도", "워도", "와도", "봐도", "줘도", "돼도")
_KO_STATE = ("필요", "가능", "불가", "불필요", "무료", "유료")
_KO_NEGATIVE = {"필요": "필요하지 않습니다", "가능": "불가능합니다", "불가": "가능합니다",
                "불필요": "필요합니다", "무료": "유료입니다", "유료": "무료입니다"}
_KO_POSITIVE = {"필요": "필요합니다", "가능": "가능합니다", "불가": "불가능합니다",
                "불필요": "필요하지 않습니다", "무료": "무료입니다", "유료": "유료입니다"}
_KO_ADVERBS = frozenset(("먼저", "다시", "바로", "직접", "따로", "함께", "미리", "모두", "항상",
                         "반드시", "별도로", "추가로", "자동으로", "즉시", "계속", "자동"))
_KO_PARTICLE_END = re.compile(r"(을|를|이|가|에게|에서|에|로|으로|과|와|도|은|는|의)$")
_KO_POLITE = ((r"있나요\??$", "있습니다", "없습니다"),
              (r"없나요\??$", "없습니다", "있습니다"),
              (r"있습니까\??$", "있습니다", "없습니다"),
              (r"합니까\??$", "합니다", "하지 않습니다"),
              (r"됩니까\??$", "됩니다", "되지 않습니다"),
              (r"하나요\??$", "합니다", "하지 않습니다"),
              (r"되나요\??$", "됩니다", "되지 않습니다"),
              (r"가능합니다$", "가능합니다", "불가능합니다"),
              (r"있습니다$", "있습니다", "없습니다"),
              (r"합니다$", "합니다", "하지 않습니다"),
              (r"습니까\??$", "습니다", "지 않습니다"),
              (r"(?<=해야 )함$", "합니다", "하지 않습니다"))



def korean_claims(label: str) -> tuple[str, str] | None:
    """The Korean label as (claim, its negation), or ``None``; the negation drops the
    label's "also" 도 ("모뎀도 수리되지 않습니다" -> "모뎀은 수리되지 않습니다")."""
    found = _claims(label)
    return (found[0], without_also(found[1])) if found else None


def without_also(sentence: str) -> str:
    """"침수된 모뎀도 수리되지 않습니다" -> "침수된 모뎀은 수리되지 않습니다" (도 after a noun,
    not the 도 of 속도/한도)."""
    def topic(match: re.Match) -> str:
        word = match.group(1)
        if (word + "도").endswith(_DO_NOUNS):
            return match.group(0)
        return attach(word, "는") + " "
    return re.sub(r"(?<![가-힣])([가-힣·]+)도 ", topic, sentence, count=1)


def _claims(label: str) -> tuple[str, str] | None:
    """(claim, negation) before the negation's 도 is dropped."""
    text = re.sub(r"도 되나요\??$", "도 됩니까?", label.rstrip("."))  # one permission form
    if text.endswith("여부"):
        text = text[:-2].rstrip()
    question = ko_question_from_embedded(text)
    if question:
        text = question
    if re.search(r"입니까\??$", text):  # "문자 수신이 무료입니까?"
        stem = re.sub(r"입니까\??$", "", text)
        return f"{stem}입니다", f"{attach(stem, '가')} 아닙니다"
    permitted = re.match(r"(.+?)(\S)(어도|아도) 됩니까\??$", text)
    if permitted and has_batchim(permitted.group(2)):  # "끊어도 됩니까?" -> "끊으면 안 됩니다"
        head = permitted.group(1) + permitted.group(2)
        ending = "면" if _final(permitted.group(2)) == 8 else "으면"  # 열면, 끊으면
        return f"{head}{permitted.group(3)} 됩니다", f"{head}{ending} 안 됩니다"
    if re.search(r"해도 됩니까\??$", text):  # "변경해도 됩니까?" -> "변경하면 안 됩니다"
        head = re.sub(r"해도 됩니까\??$", "", text)
        return f"{head}해도 됩니다", f"{head}하면 안 됩니다"
    if re.search(r"도 됩니까\??$", text):  # a permission whose stem is not read: no claim,
        return contracted_permission(text)  # never "-어도 되지 않습니다"
    plain = re.match(r"(.*)(\S)니까\??$", text)
    if plain and _final(plain.group(2)) == 17 and plain.group(2) not in "합됩습":
        syllable = chr(ord(plain.group(2)) - 17)  # "바뀝니까?" -> "바뀝니다" / "바뀌지 않습니다"
        return (f"{plain.group(1)}{plain.group(2)}니다",
                f"{plain.group(1)}{syllable}지 않습니다")
    for pattern, positive, negative in _KO_POLITE:
        if re.search(pattern, text):
            stem = re.sub(pattern, "", text)
            relieved = need_not(stem) if negative.startswith("하지") else None
            if relieved:  # "가입해야 하나요?", "내야 합니까?": "내지 않아도 됩니다"
                return stem + positive, relieved
            return stem + positive, stem + negative
    return _korean_verbal_noun(text)


# the vowel of a contracted "-아야/-어야" and the stem's own vowel (내야 <- 내다, 와야 <- 오다)
_CONTRACTED = {0: 0, 1: 1, 5: 5, 9: 8, 14: 13, 10: 11}  # 가/내/세/와/줘/돼; 켜, 써: not read


def need_not(stem: str) -> str | None:
    """"-아야/-어야 " (must) negated as "-지 않아도 됩니다" (need not), never "-야 하지
    않습니다": "위약금을 내야 " -> "위약금을 내지 않아도 됩니다", "받아야 " -> "받지 않아도
    됩니다", "등록해야 " -> "등록하지 않아도 됩니다"; a contracted stem not read with
    certainty ("켜야") gives "켜야 할 필요는 없습니다"; ``None`` without "-야 "."""
    found = re.match(r"(.*?)(\S)(아|어|여)?야 $", stem)
    if found is None:
        return None
    head, last, ending = found.groups()
    if last == "해" and not ending:
        return f"{head}하지 않아도 됩니다"
    if ending:  # 받아야, 먹어야: the stem is written out
        return f"{head}{last}지 않아도 됩니다"
    code = ord(last) - 0xAC00
    vowel = code // 28 % 21
    irregular = head[-1:] and _final(head[-1]) == 8 and code // 588 == 5  # 골라야 <- 고르다
    if not 0 <= code < 11172 or code % 28 or vowel not in _CONTRACTED or irregular:
        return f"{stem}할 필요는 없습니다"  # "켜야 할 필요는 없습니다": the stem is not read
    base = chr(0xAC00 + (code // 588) * 588 + _CONTRACTED[vowel] * 28)
    return f"{head}{base}지 않아도 됩니다"


def contracted_permission(text: str) -> tuple[str, str] | None:
    """"…알려 줘도 됩니까?" -> ("…알려 줘도 됩니다", "…알려 주면 안 됩니다"): a vowel stem
    contracted with -아도/-어도 (줘 <- 주, 봐 <- 보, 돼 <- 되, 내, 가); ``None`` when the stem is
    not read with certainty ("켜도", "써도"): the question is then asked as written."""
    found = re.match(r"(.*?)(\S)도 됩니까\??$", text)
    if found is None:
        return None
    head, last = found.groups()
    code = ord(last) - 0xAC00
    vowel = code // 28 % 21
    if not 0 <= code < 11172 or code % 28 or vowel not in _CONTRACTED:
        return None
    base = chr(0xAC00 + (code // 588) * 588 + _CONTRACTED[vowel] * 28)
    return f"{head}{last}도 됩니다", f"{head}{base}면 안 됩니다"


def _final(syllable: str) -> int:
    """The final-consonant index of a Hangul syllable (0: none, 17: ㅂ); -1 if not Hangul."""
    code = ord(syllable) - 0xAC00
    return code % 28 if 0 <= code < 11172 else -1


def _korean_verbal_noun(text: str) -> tuple[str, str] | None:
    head, _, last = text.rpartition(" ")
    if not head:
        return None
    action = head.rpartition(" ")
    if last in ("가능", "불가", "불가능") and action[2] in _KO_TRANSITIVE \
            and (not action[0] or action[0].endswith(("을", "를"))):
        # "서류를 발급 가능": "서류를 발급할 수 있습니다 / 없습니다"; else "발급이 불가능합니다",
        # never "가능하지 않습니다" (no object particle guessed: "해외 사용", "야간 방문")
        lead = f"{action[0]} " if action[0] else ""
        can, cannot = f"{lead}{action[2]}할 수 있습니다", f"{lead}{action[2]}할 수 없습니다"
        return (can, cannot) if last == "가능" else (cannot, can)
    if last in _KO_STATE:  # "보호자 동의" takes 가: its 의 is no particle
        has_particle = _KO_PARTICLE_END.search(head) and not head.endswith("의")
        subject = head if has_particle else attach(head, "가")
        return f"{subject} {_KO_POSITIVE[last]}", f"{subject} {_KO_NEGATIVE[last]}"
    objects = [w for w in head.split()[:-1] if w[-1:] in "을를" and ends_on_particle(w, "를")]
    if (last in _KO_PASSIVE or last in _KO_TRANSITIVE) and objects \
            and not head.endswith(("을", "를")):  # "전월 분을 소급 적용": the object is there,
        return f"{head} {last}합니다", f"{head} {last}하지 않습니다"  # no 소급이/소급을
    if last in _KO_PASSIVE and _person(head):  # "휴직자 적용": applied to them, not by them
        return f"{head}에게 {last}됩니다", f"{head}에게 {last}되지 않습니다"
    if last in _KO_PASSIVE:
        subject = _with_particle(head, "가")
        return f"{subject} {last}됩니다", f"{subject} {last}되지 않습니다"
    if last in _KO_TRANSITIVE or last in _KO_INTRANSITIVE:
        obj = _with_particle(head, "가" if last in _KO_INTRANSITIVE else "를")
        return f"{obj} {last}합니다", f"{obj} {last}하지 않습니다"
    return None


_KO_PERSON_ENDS = ("학생", "생", "자", "고객", "회원", "직원", "가족", "부모", "자녀")


def _person(word: str) -> bool:
    """A single bare noun naming people ("휴직자", "신입생", "법인 고객" is two words: no)."""
    return " " not in word and len(word) > 1 and word.endswith(_KO_PERSON_ENDS)


_KO_TIME_NOUNS = ("기간", "당일", "시점", "기간 중", "날", "주말", "평일", "야간", "공휴일")
_KO_MANNER = {"무료": "무료로", "유료": "유료로", "자동": "자동으로", "별도": "별도로",
              "추가": "추가로"}


def _with_particle(head: str, particle: str) -> str:
    """Attach the particle to the last noun of ``head``, before any adverbs after it; a time
    noun before that noun takes 에 ("분실 신고 기간 기본료" -> "분실 신고 기간에 기본료를")."""
    words = head.split(" ")
    for index, word in enumerate(words[:-1]):  # not "주말 설치": a compound
        if word.endswith(_KO_TIME_NOUNS) and not _KO_PARTICLE_END.search(word) \
                and words[index + 1] not in _KO_VERBAL and words[index + 1] not in _KO_MANNER \
                and words[index + 1] not in _KO_POSTPOSITIONS:  # "기간 내": no 에
            words[index] = f"{word}에"
    if words[-1] in _KO_MANNER and len(words) > 1:  # "주말 무료 설치" -> "주말에 무료로 설치"
        before = words[-2]
        if before.endswith(_KO_TIME_NOUNS):
            words[-2] = f"{before}에"
        elif not _KO_PARTICLE_END.search(before):  # "요금제 자동 변경" -> "요금제를 자동으로"
            words[-2] = attach(before, particle)
        return " ".join([*words[:-1], _KO_MANNER[words[-1]]])
    index = len(words) - 1
    while index > 0 and words[index] in _KO_ADVERBS:
        index -= 1
    if _KO_PARTICLE_END.search(words[index]) or words[index] in _KO_ADVERBS \
            or words[index].endswith(_KO_QUOTED_END):
        return head
    words[index] = attach(words[index], particle)
    return " ".join(words)
