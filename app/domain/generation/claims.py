"""Yes/no facts as claims: "The disputed amount is held from collection" and its negation.

A yes/no fact's label states something that is now so or not so. A true/false item judges a
sentence, so the label is turned into a sentence (the *claim*) and, where the verb is known,
into its negation. English: a label with a finite verb ("114 agents can order a replacement
USIM") is negated at the verb; a noun phrase with a participle ("Separate Wi-Fi bundle
needed") gets "is"/"are"; an imperative ("Ask the customer to ...") becomes "you should ...".
Korean: a label ending in a Sino-Korean verbal noun ("주말 설치 추가 요금 부과", "결합상품 필요
여부") gets its particle and 합니다/하지 않습니다; "-는지" and "-나요?" endings become 습니다 forms.
:func:`claims` returns ``None`` when the label is none of these: the author then writes the
question with ``ask="..."``.
"""

from __future__ import annotations

import re

from app.domain.generation.korean import attach
from app.domain.generation.labels import (
    ARTICLES,
    AUX,
    FINITE,
    OPEN_END,
    capitalise,
    finite_verb_at,
    in_sentence,
    is_participle,
    ko_question_from_embedded,
    plural_head,
    s_verb_at,
    verb_base,
)

IMPERATIVES = frozenset((
    "ask", "call", "tell", "send", "give", "charge", "offer", "transfer", "check", "refund",
    "apply", "waive", "accept", "require", "record", "keep", "use", "hand", "issue", "book",
    "cancel", "end", "collect", "confirm", "contact", "enter", "add", "remove", "sign", "explain",
    "verify", "escalate", "suspend", "block", "allow", "create", "open", "close", "write",
    "note", "register", "process", "submit", "text", "connect", "install", "activate", "approve",
    "combine", "order", "offer", "recommend", "promise", "quote", "bill", "credit", "log",
    "read", "share", "change", "reset", "unlock", "see", "tell", "waive", "refund", "join",
))
BASE_VERBS = IMPERATIVES | frozenset((
    "roll", "carry", "expire", "renew", "count", "need", "pay", "work", "stay", "cost",
    "include", "cover", "last", "reach", "receive", "get", "keep", "run", "start", "end",
    "apply", "take", "go", "move", "continue", "return", "arrive", "lose", "earn", "accept",
    "slow", "drop", "stop", "expire", "happen", "need", "want", "leave", "come", "have",
))
_NEGATE_AUX = {"can": "cannot", "is": "is not", "are": "are not", "was": "was not",
               "were": "were not", "must": "must not", "may": "may not", "should": "should not",
               "will": "will not", "does": "does not", "do": "do not", "has": "has not",
               "have": "have not", "could": "could not", "would": "would not"}
_SINGULAR_START = ("separate", "additional", "extra", "new", "second", "single")
_KO_TRANSITIVE = ("부과", "요청", "제안", "제공", "안내", "발급", "청구", "면제", "확인", "요구",
                  "접수", "지급", "환불", "체크", "연결", "허용", "지원", "차단", "기록", "전달",
                  "발송", "변경", "신청", "해지", "사용", "이용", "적용", "받음", "할인", "추천",
                  "설치", "제출", "등록", "동의", "보관", "반납", "환불", "재발급")
_KO_INTRANSITIVE = ("감소", "증가", "유지", "발생", "종료", "시작", "연장", "만료", "갱신", "소멸")
_KO_STATE = ("필요", "가능", "불가", "불필요", "무료", "유료")
_KO_NEGATIVE = {"필요": "필요하지 않습니다", "가능": "가능하지 않습니다", "불가": "가능합니다",
                "불필요": "필요합니다", "무료": "유료입니다", "유료": "무료입니다"}
_KO_POSITIVE = {"필요": "필요합니다", "가능": "가능합니다", "불가": "가능하지 않습니다",
                "불필요": "필요하지 않습니다", "무료": "무료입니다", "유료": "유료입니다"}
_KO_ADVERBS = frozenset(("먼저", "다시", "바로", "직접", "따로", "함께", "미리", "모두", "항상",
                         "반드시", "별도로", "추가로", "자동으로", "즉시", "계속", "자동"))
_KO_PARTICLE_END = re.compile(r"(을|를|이|가|에게|에서|에|로|으로|과|와|도|은|는|의)$")
_KO_POLITE = ((r"있나요\??$", "있습니다", "없습니다"), (r"없나요\??$", "없습니다", "있습니다"),
              (r"있습니까\??$", "있습니다", "없습니다"), (r"합니까\??$", "합니다", "하지 않습니다"),
              (r"됩니까\??$", "됩니다", "되지 않습니다"), (r"하나요\??$", "합니다", "하지 않습니다"),
              (r"되나요\??$", "됩니다", "되지 않습니다"), (r"가능합니다$", "가능합니다", "가능하지 않습니다"),
              (r"있습니다$", "있습니다", "없습니다"), (r"합니다$", "합니다", "하지 않습니다"),
              (r"습니까\??$", "습니다", "지 않습니다"))


def claims(label: str, lang: str) -> tuple[str, str] | None:
    """The label as (claim, its negation), each a sentence without the final full stop."""
    if lang.lower().startswith("ko"):
        return _korean(label.strip())
    if label.strip().endswith("?"):
        return _from_question(label.strip().rstrip("?"))
    return _english(label.strip().rstrip("."))


def _from_question(question: str) -> tuple[str, str] | None:
    """"Can the promotion be combined with X?" -> "The promotion can be combined with X";
    "Does unused data roll over?" -> "Unused data rolls over"."""
    parts = question.split()
    lowered = [p.casefold() for p in parts]
    if len(parts) < 3 or lowered[0] not in _EN_MOVABLE:
        return None
    doing = lowered[0] in ("does", "do")  # "Does data used on the phone slow down?": the
    split = next((i for i in range(2, len(parts)) if lowered[i] in BASE_VERBS  # verb, not
                  or not doing and (lowered[i] in ("be", "have", "get")  # the participle
                                    or is_participle(lowered[i]))), None)
    if split is None:
        return None
    subject, rest = capitalise(" ".join(parts[1:split])), " ".join(parts[split:])
    if lowered[0] in ("does", "do"):
        verb = lowered[split] if lowered[0] == "do" else third_person(lowered[split])
        positive = " ".join([subject, verb, *parts[split + 1:]])
        negative = f"{subject} {lowered[0]} not {rest}"
        if negative.endswith(" too"):
            negative = negative[:-4] + " either"
        return positive, negative
    negative = _NEGATE_AUX.get(lowered[0], f"{lowered[0]} not")
    return f"{subject} {lowered[0]} {rest}", f"{subject} {negative} {rest}"


def third_person(verb: str) -> str:
    """"roll" -> "rolls", "carry" -> "carries", "reach" -> "reaches"."""
    if verb == "have":
        return "has"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "o")) else "s")


def _english(label: str) -> tuple[str, str] | None:
    parts = label.split()
    tokens = [p.casefold().strip(",.;:") for p in parts]
    if tokens and (tokens[0] in AUX or tokens[0] in FINITE) and len(tokens) > 1:
        # "Can be combined with ...", "Renews by itself": the subject is the change itself
        parts, tokens = ["It", in_sentence(parts[0]), *parts[1:]], ["it", *tokens]
    if not tokens:
        return None
    verb = finite_verb_at(tokens)
    if verb is None and len(tokens) > 2 and tokens[1] in BASE_VERBS and plural_head(parts[0]):
        rest = " ".join(parts[1:])  # "Parents get an alert ..." -> "Parents do not get ..."
        return label, f"{parts[0]} do not {rest}"
    if verb is None:
        verb = s_verb_at(tokens, 1, last=False)  # "Data used on the phone slows down too"
    if verb is not None:
        return _negate_at(parts, verb)
    participle = next((i for i, w in enumerate(tokens) if i and is_participle(w)
                       and tokens[i - 1] not in ARTICLES | OPEN_END), None)
    if participle is not None:
        subject = " ".join(parts[:participle])
        rest = " ".join(parts[participle:])
        be = "are" if plural_head(subject) else "is"
        return f"{_determiner(subject)} {be} {rest}", f"{_determiner(subject)} {be} not {rest}"
    if tokens[0] in IMPERATIVES and len(tokens) > 1:
        return f"you should {in_sentence(label)}", f"you should not {in_sentence(label)}"
    return None


def _determiner(subject: str) -> str:
    first = subject.split()[0]
    named = first[1:] != first[1:].lower()  # "Wi-Fi calling", "WiBro"
    if first.casefold() in ("the", "a", "an", "every", "all", "any") or first[:1].isdigit() \
            or first.casefold().endswith("ing") or named or plural_head(subject):
        return capitalise(subject)  # "Porting is ...", "International calls are ..."
    if first.casefold() in _SINGULAR_START:
        article = "An" if first[:1].lower() in "aeiou" else "A"
        return f"{article} {in_sentence(subject)}"
    return f"The {in_sentence(subject)}" if first[1:] == first[1:].lower() else f"The {subject}"


def _negate_at(parts: list[str], verb: int) -> tuple[str, str]:
    word = parts[verb].casefold()
    following = parts[verb + 1].casefold() if verb + 1 < len(parts) else ""
    if word in ("have", "has") and following == "to":  # "have to apply" -> "do not have to"
        negative = parts[:verb] + ["do not have" if word == "have" else "does not have"] \
            + parts[verb + 1:]
    elif word in _NEGATE_AUX:
        negative = parts[:verb] + [_NEGATE_AUX[word]] + parts[verb + 1:]
    elif word in AUX:  # cannot, can't: already negative
        positive_word = {"cannot": "can", "can't": "can"}.get(word, word)
        negative = parts[:verb] + [positive_word] + parts[verb + 1:]
    else:  # "applies" -> "does not apply"
        negative = parts[:verb] + ["does not", verb_base(word)] + parts[verb + 1:]
    if negative[-1].casefold() == "too":  # "does not slow down too" -> "... either"
        negative = [*negative[:-1], "either"]
    return " ".join(parts), " ".join(negative)


def _korean(label: str) -> tuple[str, str] | None:
    text = label.rstrip(".")
    if text.endswith("여부"):
        text = text[:-2].rstrip()
    question = ko_question_from_embedded(text)
    if question:
        text = question
    if re.search(r"입니까\??$", text):  # "문자 수신이 무료입니까?"
        stem = re.sub(r"입니까\??$", "", text)
        return f"{stem}입니다", f"{attach(stem, '가')} 아닙니다"
    for pattern, positive, negative in _KO_POLITE:
        if re.search(pattern, text):
            stem = re.sub(pattern, "", text)
            if stem.endswith("해야 ") and negative.startswith("하지"):  # "가입해야 하나요?"
                return stem + positive, stem[:-3] + "하지 않아도 됩니다"
            return stem + positive, stem + negative
    return _korean_verbal_noun(text)


def _korean_verbal_noun(text: str) -> tuple[str, str] | None:
    head, _, last = text.rpartition(" ")
    if not head:
        return None
    if last in _KO_STATE:
        subject = head if _KO_PARTICLE_END.search(head) else attach(head, "가")
        return f"{subject} {_KO_POSITIVE[last]}", f"{subject} {_KO_NEGATIVE[last]}"
    if last in _KO_TRANSITIVE or last in _KO_INTRANSITIVE:
        obj = _with_particle(head, "가" if last in _KO_INTRANSITIVE else "를")
        return f"{obj} {last}합니다", f"{obj} {last}하지 않습니다"
    return None


def _with_particle(head: str, particle: str) -> str:
    """Attach the particle to the last noun of ``head``, before any adverbs after it."""
    words = head.split(" ")
    index = len(words) - 1
    while index > 0 and words[index] in _KO_ADVERBS:
        index -= 1
    if _KO_PARTICLE_END.search(words[index]) or words[index] in _KO_ADVERBS:
        return head
    words[index] = attach(words[index], particle)
    return " ".join(words)


_KO_ASK = (("습니다", "습니까?"), ("합니다", "합니까?"), ("됩니다", "됩니까?"), ("입니다", "입니까?"),
           ("니다", "니까?"))
_EN_MOVABLE = frozenset(("is", "are", "can", "must", "may", "should", "will", "does", "do",
                         "has", "have", "could", "would"))


def question_from_claim(claim: str, lang: str) -> str | None:
    """A yes/no question from a claim: "A separate Wi-Fi bundle is needed" -> "Is a separate
    Wi-Fi bundle needed?"; "별도 결합상품이 필요합니다" -> "별도 결합상품이 필요합니까?"."""
    if lang.lower().startswith("ko"):
        for ending, asked in _KO_ASK:
            if claim.endswith(ending):
                return claim[: -len(ending)] + asked
        return None
    parts = claim.split()
    lowered = [p.casefold() for p in parts]
    if lowered[:2] == ["you", "should"]:
        return "Should you " + " ".join(parts[2:]) + "?"
    verb = finite_verb_at(lowered)
    if verb is None and len(parts) > 2 and lowered[1] in BASE_VERBS and plural_head(parts[0]):
        return f"Do {in_sentence(parts[0])} {' '.join(parts[1:])}?"
    if verb is None:
        verb = s_verb_at(lowered, 1, last=False)
    if verb is None:
        return None
    subject = " ".join([in_sentence(parts[0]), *parts[1:verb]])
    rest = " ".join(parts[verb + 1:])
    if lowered[verb] in ("have", "has") and rest.casefold().startswith("to "):
        return f"{'Do' if lowered[verb] == 'have' else 'Does'} {subject} have {rest}".rstrip() \
            + "?"
    if lowered[verb] in _EN_MOVABLE:
        return f"{capitalise(lowered[verb])} {subject} {rest}".rstrip() + "?"
    return f"Does {subject} {verb_base(lowered[verb])} {rest}".rstrip() + "?"


def claim_sentence(text: str, lang: str) -> str:
    """A claim written as a sentence: capitalised (English) and ending in a full stop."""
    body = capitalise(text) if not lang.lower().startswith("ko") else text
    return body if body.endswith((".", "?", "!")) else body + "."
