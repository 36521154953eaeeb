"""Which English statements may be built by splicing a value into a label.

A true/false statement or an explanation that pastes a value into a label reads only when the
label is a plain noun phrase ("The monthly fee is ₩30,000.") or a shape whose sentence is
known to be grammatical (a count, a condition followed by an action, a rule that ends on a
preposition and starts with a verb). A label that is a question, an embedded clause, a
verb phrase, or the author's ``ask=`` question cannot be answered by pasting a value into it
without a parser: rated on unseen bulletins, such sentences read "the agent must nothing,
book the replacement at once", "the new router reaches the customer an engineer visit",
"sees the credit at as a line on the next bill". :func:`spliced` names those cases; the
caller then uses the neutral frame, or makes no true/false item when the fact has another
item that asks the question plainly.
"""

from __future__ import annotations

import re

from app.domain.generation.labels import is_participle, plural_head, words

__all__ = ["UNSAFE_SHAPES", "ko_spliced", "noun_with_infinitive", "plain_answer", "same_shape",
           "spliced"]

# label shapes whose statements are only ever spliced (no grammar known to hold for them)
UNSAFE_SHAPES = frozenset(("question", "embedded", "ask", "article", "claim"))
_YES_NO = re.compile(r"(yes|no)\b(?=\s*[,.;]|\s*$)", re.IGNORECASE)  # not "no one"
# "the callback time ... is by 12:00": a value that starts with a preposition is an adverbial,
# not a complement of "is"
_PREPOSITION = frozenset(("by", "within", "at", "on", "in", "as", "to", "after", "before",
                          "until", "via", "through", "with", "for", "into", "over", "under"))
# "the routers covered are any router": a singular value after a plural subject
_SINGULAR = frozenset(("any", "a", "an", "one", "each", "every", "no"))
_VERB_FIRST = frozenset(("call", "send", "give", "go", "text", "reply", "answer", "pay",
                         "ring", "refund", "transfer", "visit", "respond", "book", "confirm"))


_DETERMINERS = frozenset(("the", "a", "an", "any", "every", "each", "their", "its", "your",
                          "our", "his", "her"))
_MEANS = frozenset(("by", "with", "via"))
_PEOPLE = frozenset(("anyone", "anybody", "everyone", "someone", "nobody", "no"))
_PLACES = frozenset(("at", "in", "on", "to", "from"))


def plain_answer(question: str, value: str) -> bool:
    """The few question-and-answer pairs whose statement is known to read: one value without
    a comma (no list, no clause) that is a noun phrase answering who ("The first agent owns a
    dispute."), a place answering where, a means ("by courier") or a participle ("picked up
    by courier") answering how. Everything else ("What must the agent do ...?" + "a remote
    reset", "How does the router reach the customer?" + "an engineer visit") is not spliced."""
    asked, said = words(question), words(value)
    if not asked or not said or "," in value or ";" in value or len(said) > 8:
        return False
    first = said[0]
    if asked[0] == "who":  # a person, a team, people ("customers with a postpaid line")
        plural = len(first) > 3 and first.endswith("s") and not first.endswith("ss")
        return first in _DETERMINERS | _PEOPLE or plural or value.strip()[:1].isupper()
    if asked[0] == "where":
        return first in _DETERMINERS or first in _PLACES
    if asked[0] == "how" and len(asked) > 1 and asked[1] not in ("long", "much", "many",
                                                                   "often", "soon", "far"):
        passive = asked[1] in ("is", "are") and is_participle(first, predicates=False)
        return first in _MEANS or passive
    return False


def noun_with_infinitive(label: str) -> bool:
    """A label that is a noun with an infinitive and a trailing particle ("Code to switch
    forwarding on", "Number to call back on"): no rule to complete, only a heading."""
    tokens = words(label)
    return len(tokens) >= 3 and tokens[0] not in _VERB_FIRST and "to" in tokens[1:3] \
        and tokens.index("to", 1) + 1 < len(tokens)


def spliced(label: str, kind: str, value: str, asked: str | None = None) -> bool:
    """Whether the English statement for ``label`` (of shape ``kind``; ``asked``: the
    author's question) holding ``value`` is a splice no rule makes grammatical (the caller
    uses the neutral frame or no statement)."""
    said = words(value)
    if not said:
        return False
    if kind in UNSAFE_SHAPES:
        if _YES_NO.match(value.strip()):
            return False  # a yes/no answer is said by its claim
        return kind == "article" or kind == "claim" or not plain_answer(asked or label, value)
    if kind == "open":
        return noun_with_infinitive(label)
    if kind == "noun":
        if said[0] in _PREPOSITION:
            return True
        return bool(plural_head(label)) and said[0] in _SINGULAR
    return False


_ANY_SHAPE = frozenset(("none", "nothing", "free", "no", "nil", "없음", "무료", "0원"))


def _value_shape(value: str) -> str:
    said = words(value)
    if not said or value.strip().casefold().rstrip(".") in _ANY_SHAPE:
        return "any"  # "There is no early repayment fee." beside "... is 2% of the balance"
    if said[0][:1].isdigit() or value.strip()[:1] in "₩$€£":
        return "number"
    return "adverbial" if said[0] in _PREPOSITION else "word"


def same_shape(key: str, wrong: str) -> bool:
    """A false statement's value reads in the key's slot: a number for a number ("Saturday
    phone hours are closed" beside "09:00 to 13:00" is not made), an adverbial for an
    adverbial."""
    if re.search(r"[가-힣]", key + wrong):
        return True  # Korean: "3년 약정을 새로 시작" beside "남은 기간이 이어짐" reads alike
    shapes = {_value_shape(key), _value_shape(wrong)}
    return len(shapes) == 1 or "any" in shapes


_KO_PARTICLE_END = re.compile(r"(으로|로|에서|에게|께)$")
_KO_TIME_HEAD = ("시점", "때", "날", "기한", "시각")
_KO_NOUNED = ("남", "냄", "됨", "음", "짐", "줌", "옴", "둠")  # not 포함, 감, 봄: nouns
_KO_VERB_END = re.compile(r"(합니다|됩니다|습니다|ㅂ니다|줍니다|냅니다)$")


def ko_spliced(label: str, kind: str, value: str, said: str) -> bool:
    """A Korean noun-label statement whose value does not fit "<label>은 <value>입니다": a value
    ending in a particle ("청구 시점은 다음 청구서로입니다"), a verb made a noun ("약정이
    끝남입니다"), a sentence that lost the label's head noun ("적용 약정 기간" said "적용에는 ...
    약정합니다"), or an action said under a label naming a moment ("청구 시점은 해지 당일 카드로
    즉시 결제합니다")."""
    if kind != "noun":
        return False
    if _KO_PARTICLE_END.search(value.strip().rstrip(".")):
        return True
    if value.strip().rstrip(".").endswith(("누구나", "아무나", "누구든지", "어디서나", "언제나")):
        return True  # "신청할 수 있는 사람은 … 손님 누구나입니다": a quantifier, no complement
    if said.rstrip(".").endswith(f"{value.strip()}입니다") and value.strip().endswith(_KO_NOUNED):
        return True  # "약정 기간은 약정이 끝남입니다": a verb made a noun before 입니다
    parts = label.split()
    head = parts[-1] if parts else ""
    before = parts[-2] if len(parts) > 1 else ""
    if before.endswith(("는", "은", "할", "될", "던", "을", "한", "된")):
        return False  # "변경이 반영되는 때": a clause names the moment, its verb reads
    if head.endswith((*_KO_TIME_HEAD, "기간")) and head not in said:
        return True  # "적용 약정 기간" said "적용에는 ... 약정합니다": the label taken apart
    return head.endswith((*_KO_TIME_HEAD, "기간")) \
        and bool(_KO_VERB_END.search(said.rstrip(".")))  # "기간은 … 약정합니다": a measure


_KO_NOTE_END = ("없음", "있음", "필수", "불가", "가능", "불가능", "보류", "금지", "필요", "불필요",
                "완료", "면제", "제외", "통보", "생략")
_KO_CLAUSE_MARK = re.compile(r"(\s시|때|경우|[하되으려이나지오주보내가]면|까지|부터)(\s|$)")
_PARTS = re.compile(r"\s*(?:,(?!\d)|(?<!\d),|;|·)\s*")
_EN_CLAUSE_MARK = re.compile(r"\b(if|when|unless|while|provided|except|but)\b", re.IGNORECASE)


def telegraphic(value: str) -> bool:
    """A value written as a note, not a phrase a sentence can end on.

    Several parts joined by commas, ";" or "·" of which one is a note
    ("…까지 보류, 미납·신용정보 통보 없음", "G-3, 고객 서명 필수",
    "…에도 청구, 미납 시 이용정지") or a condition ("form X, and a certificate if the
    holder is a family member"); or a Korean value ending in "-ㄹ 것"
    ("회선이 있을 것"). A plain list of things ("신분증 사본, 신고서, 확인원") is no
    note. No true/false statement is made from a note; a choice item may still offer it
    among parallel options."""
    text = value.strip().rstrip(".")
    words_ = text.split()
    if len(words_) > 1 and words_[-1] == "것" and _rieul_end(words_[-2]):
        return True
    parts = [p for p in _PARTS.split(text) if p]
    if len(parts) < 2:
        return False
    if re.search(r"[가-힣]", text):
        noted = any(p.endswith(_KO_NOTE_END) or _KO_CLAUSE_MARK.search(p) for p in parts)
        coded = any(re.fullmatch(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+", p) for p in parts)
        return noted or (coded and not all(re.fullmatch(r"[\w-]+", p) for p in parts))
    return any(_EN_CLAUSE_MARK.search(p) for p in parts)


def _rieul_end(word: str) -> bool:
    """The word ends on a syllable with the final ㄹ ("있을", "할"): an adnominal before 것."""
    code = ord(word[-1]) - 0xAC00 if word else -1
    return 0 <= code < 11172 and code % 28 == 8
