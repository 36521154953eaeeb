"""Korean particles (조사) whose form depends on the final consonant (받침) of the word before.

A word's *batchim class* decides the particle: ``"vowel"`` (no final consonant), ``"rieul"``
(final ㄹ: takes 로 like a vowel, but 을/이/은/과 like a consonant), ``"consonant"`` (any other
final consonant) or ``None`` when the last character is not a Hangul syllable (digits, Latin:
how it is read is not guessed). Where a blank ``_____`` is followed by a particle, the
particle must be the paired form (``(으)로``, ``을(를)``, ``이(가)``, ``은(는)``, ``와(과)``)
unless every option has the same known class and the particle fits that class.
"""

from __future__ import annotations

import re

BLANK = "_____"
_RIEUL = 8  # index of ㄹ among the 28 final-consonant slots

# particle -> (form after a consonant, form after a vowel, paired form)
_PAIRS = {
    "으로": ("으로", "로", "(으)로"), "로": ("으로", "로", "(으)로"),
    "을": ("을", "를", "을(를)"), "를": ("을", "를", "을(를)"),
    "이": ("이", "가", "이(가)"), "가": ("이", "가", "이(가)"),
    "은": ("은", "는", "은(는)"), "는": ("은", "는", "은(는)"),
    "과": ("과", "와", "와(과)"), "와": ("과", "와", "와(과)"),
}
_PAIRED = r"\(으\)로|을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)"
# 으로/로 keep their form before further particles (로는, 로도); the one-syllable particles
# count only when no Hangul follows, so 이다/가능 are not taken for particles.
_SINGLE = r"으로|로|(?:을|를|이|가|은|는)(?![가-힣])|(?:과|와)(?![가-힣]|의)|과의|와의"
_AFTER_BLANK = re.compile(rf"{re.escape(BLANK)}(?:(?P<paired>{_PAIRED})|(?P<single>{_SINGLE}))")


def _final_index(char: str) -> int | None:
    code = ord(char) - 0xAC00
    return code % 28 if 0 <= code < 11172 else None


def has_batchim(word: str) -> bool:
    """Tell whether the last Hangul syllable of ``word`` has a final consonant.

    Trailing blanks and punctuation are ignored; a word that does not end in Hangul has none.
    """
    final = _final_index(word.rstrip(" .,!?'\"’”)")[-1:] or " ")
    return bool(final)


# how a final digit is read: 0 공/영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
# (10 십, 100 백, 1000 천 read the same way as 0 for the particle: a final consonant)
_DIGIT_CLASS = {"0": "consonant", "1": "rieul", "2": "vowel", "3": "consonant", "4": "vowel",
                "5": "vowel", "6": "consonant", "7": "rieul", "8": "rieul", "9": "vowel"}


# the class of a Latin letter's Korean name (에이, 비, 씨 ... 엘, 엠, 엔, 알): its last sound
_LETTER_CLASS = {**{c: "vowel" for c in "ABCDEFGHIJKOPQSTUVWXYZ"}, "L": "rieul", "R": "rieul",
                 "M": "consonant", "N": "consonant"}
_ACRONYM_WORDS = {"PIN": "consonant", "SIM": "consonant", "USIM": "consonant",
                  "LAN": "consonant", "WAN": "consonant", "VAN": "consonant"}  # 핀, 유심, 랜
_SYMBOL_CLASS = {"#": "consonant", "*": "rieul"}  # 샵 (우물 정), 별
# a data or speed unit after a number, read as Korean reads it (메가, 기가, ...바이트, ...에스)
_UNIT_AFTER_NUMBER = re.compile(r"\d\s?(?:[KMGT]|[KMGT]B|[KMGT]bps|bps)$")


def batchim_class(word: str) -> str | None:
    """Return ``"vowel"``, ``"rieul"``, ``"consonant"`` or ``None`` (see the module docstring).

    A word ending in a digit is read as Korean reads the digit (114 -> 사: vowel)."""
    spoken = word.rstrip(" .,!?'\"’”)")
    last = spoken[-1:] or " "
    if last in _DIGIT_CLASS:
        return _DIGIT_CLASS[last]
    if last in _SYMBOL_CLASS:  # a short code: "*1114#" ends on 샵, "#7070*" on 별
        return _SYMBOL_CLASS[last]
    if _UNIT_AFTER_NUMBER.search(spoken):
        return "vowel"  # "500M" 메가, "1G" 기가, "10GB" 기가바이트, "5Mbps" 메가비피에스
    acronym = re.search(r"(?<![A-Za-z])([A-Z]{2,5})$", spoken)
    if acronym:  # read letter by letter ("ID" 아이디, "SMS" 에스엠에스), a few as words
        word = acronym.group(1)
        return _ACRONYM_WORDS.get(word) or _LETTER_CLASS.get(word[-1])
    if re.search(r"[a-z][A-Z]{2,}$", spoken):  # "VoLTE" 볼티이, "VoNR" 보엔알: the letters
        return _LETTER_CLASS.get(spoken[-1])
    final = _final_index(last)
    if final is None:
        return None
    return "vowel" if final == 0 else "rieul" if final == _RIEUL else "consonant"


def particle_for(word: str, particle: str) -> str:
    """Return the form of ``particle`` (any of its forms) that fits after ``word``.

    ``particle_for("수단", "는")`` is ``"은"``; the paired form when the class is unknown.
    """
    after_consonant, after_vowel, paired = _PAIRS[particle]
    cls = batchim_class(word)
    if cls is None:
        return paired
    if after_consonant == "으로":
        return after_consonant if cls == "consonant" else after_vowel
    return after_vowel if cls == "vowel" else after_consonant


def attach(word: str, particle: str) -> str:
    """Return ``word`` followed by the right form of ``particle``.

    A trailing parenthesis is skipped when choosing the form: ``이름(SSID)은``.
    """
    spoken = re.sub(r"\s*\([^()]*\)$", "", word) or word
    if has_particle(spoken, particle):
        return word  # "이미 낸 요금은": the label already ends on it, never "요금은은"
    return word + particle_for(spoken, particle)


_OWN_FORMS = {"는": ("은", "는"), "은": ("은", "는"), "를": ("을", "를"), "을": ("을", "를")}


def has_particle(word: str, particle: str) -> bool:
    """Tell whether ``word`` already ends on a topic or object particle, so that ``particle``
    (a case particle) is not added: a form that fits the syllable before it (은/을 after a
    final consonant, 는/를 after a vowel): "요금은", "서류를"; not "마을" (을 after a vowel)
    nor a one-syllable word."""
    if particle not in ("은", "는", "을", "를", "이", "가"):
        return False
    forms = _OWN_FORMS.get(word[-1:])
    if not forms or len(word) < 2:
        return False  # a word on 은/는/을/를 takes no second case particle ("서류를은")
    before = batchim_class(word[:-1])
    wanted = forms[0] if before in ("consonant", "rieul") else forms[1]
    return before is not None and word[-1] == wanted


def _base(single: str) -> str:
    return single[:-1] if single in ("과의", "와의") else single


def fix_particles(stem: str) -> str:
    """Rewrite a single particle right after ``_____`` into its paired form."""

    def paired(match: re.Match) -> str:
        single = match.group("single")
        if not single:
            return match.group(0)
        rest = "의" if single in ("과의", "와의") else ""
        return BLANK + _PAIRS[_base(single)][2] + rest

    return _AFTER_BLANK.sub(paired, stem)


def resolve_particles(stem: str, options: list[str]) -> str:
    """The paired particle after ``_____`` written in the one form every option takes
    ("_____을(를)" -> "_____을" when every option ends on a final consonant; "(으)로" -> "로"
    after vowels and ㄹ alike); kept paired when the options differ or one cannot be read."""

    def one(match: re.Match) -> str:
        paired = match.group("paired")
        if not paired:
            return match.group(0)
        base = "로" if paired == "(으)로" else paired[0]
        forms = {particle_for(re.sub(r"\s*\([^()]*\)$", "", o) or o, base) for o in options}
        form = forms.pop() if len(forms) == 1 else None
        return BLANK + form if form and "(" not in form else match.group(0)

    return _AFTER_BLANK.sub(one, stem)


def particle_problems(stem: str, options: list[str]) -> list[str]:
    """Return what is wrong with the particles after blanks in ``stem`` for these options."""
    problems = []
    for match in _AFTER_BLANK.finditer(stem):
        single = match.group("single")
        if not single:
            continue
        particle = _base(single)
        fits = {particle_for(option, particle) for option in options}
        if fits != {particle}:
            paired = _PAIRS[particle][2]
            problems.append(f"particle '{particle}' after the blank does not fit every option;"
                            f" write '{paired}'")
    return problems


# -- a value written as a noun phrase, said as a sentence -----------------------------------

_NOMINAL_M = frozenset("됨함짐냄끔옴줌김침림낌핌킴")  # 되+ㅁ, 하+ㅁ ...: verbs nominalised with ㅁ
_VERBAL_NOUNS = frozenset((
    "접수", "변경", "차감", "연결", "안내", "신청", "해지", "시작", "전화", "제안", "제공", "발급",
    "청구", "면제", "확인", "지급", "환불", "차단", "기록", "전달", "발송", "가입", "적용", "유지",
    "이용", "사용", "방문", "납부", "처리", "감면", "할인", "정지", "재발급", "설치", "이전",
    "제출", "등록", "동의", "발송", "보관", "반납", "해제", "요청", "재개", "복구", "개통", "취소",
    "결제", "충전", "인증", "교체", "수리", "회수", "배송", "출금", "입금", "송금", "연장", "승인",
    "담당", "응대", "상담", "관리", "대응", "진행", "검토", "회신", "통보", "배정", "해결",
    "서명", "작성", "입력", "선택", "예약", "문의", "수령", "구매", "교환", "반품", "설정",
    "재약정", "약정", "재가입", "재발송", "재설정", "재부팅", "점검", "수거", "회수", "부과",
))
_PASSIVE_BEFORE = ("자동", "자동으로")
_MANNER = {"무료": "무료로", "유료": "유료로", "별도": "별도로", "추가": "추가로"}
_B_FINAL = 17  # ㅂ among the 28 final-consonant slots
_M_FINAL = 16  # ㅁ


def _with_final(syllable: str, final: int) -> str:
    code = ord(syllable) - 0xAC00
    return chr(0xAC00 + code - code % 28 + final)


def predicate(value: str) -> str | None:
    """A value written as a noun phrase, ended as a polite sentence, or ``None``.

    "한 번에 냄" -> "한 번에 냅니다", "이어받음" -> "이어받습니다", "없음" -> "없습니다",
    "위약금 없이 해지 가능" -> "위약금 없이 해지할 수 있습니다", "바로 해지 접수" -> "바로 해지
    접수합니다", "일반 요금제로 자동 변경" -> "일반 요금제로 자동 변경됩니다".
    """
    text = value.strip().rstrip(".")
    if not text or not ("가" <= text[-1] <= "힣"):
        return None
    head, _, last = text.rpartition(" ")
    if last in ("가능", "불가"):
        ending = "할 수 있습니다" if last == "가능" else "할 수 없습니다"
        before = head.rpartition(" ")[2]
        if before[-2:] in _VERBAL_NOUNS or before in _VERBAL_NOUNS:
            return f"{head}{ending}"
        return f"{head} {ending}" if head else None
    if text[-1] == "음":
        return text[:-1] + "습니다"
    if text[-1] in _NOMINAL_M and _final_index(text[-1]) == _M_FINAL:
        return text[:-1] + _with_final(text[-1], _B_FINAL) + "니다"
    if last in _VERBAL_NOUNS and head:
        before_head, _, before = head.rpartition(" ")
        if before in _MANNER:  # "무료 교체" -> "무료로 교체합니다", never "무료를"
            lead = f"{before_head} " if before_head else ""
            return f"{lead}{_MANNER[before]} {last}합니다"
        passive = before in _PASSIVE_BEFORE
        if not passive and _bare_noun(before):  # "출국 전 매장 방문" -> "매장을 방문합니다"
            lead = f"{before_head} " if before_head else ""
            return f"{lead}{attach(before, '를')} {last}합니다"
        return f"{text}{'됩니다' if passive else '합니다'}"
    return None


_ADVERBS = frozenset(("바로", "직접", "자동", "먼저", "다시", "따로", "함께", "미리", "모두",
                      "새로",
                      "즉시", "계속", "자동으로", "전", "후", "때", "없이"))
_PARTICLE_END = re.compile(
    r"(을|를|이|가|에|에서|에게|로|으로|와|과|도|만|는|은|의|께|까지|부터|마다|보다|처럼)$")


_VERB_ENDING = re.compile(r"(고|다고|라고|서|며|면|거나|지만|도록|려고|니까|게)$")


def _bare_noun(word: str) -> bool:
    """A Hangul noun without a particle, the object of the verbal noun after it (not a verb
    form: "내고", "없다고" take no particle)."""
    return (bool(word) and "가" <= word[-1] <= "힣" and word not in _ADVERBS
            and word not in _VERBAL_NOUNS and not _PARTICLE_END.search(word)
            and not _VERB_ENDING.search(word))
