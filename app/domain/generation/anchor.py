"""The bulletin's subject put on a label that names no service of its own.

"할인율은 25%입니다" or "Can a customer already abroad sign up?" says nothing outside the
bulletin. A label is *generic* by shape: in Korean every word is built only from attribute
nouns (율, 금액, 기간, 최대, 월 ...) and numbers; in English it shares no word with the
subject and names nothing proper (no capitalised word after the first). Such a label takes
the subject the title names (its part before the dash, or the words before its verb):
"대학생 요금할인의 할인율은 …", "For the senior discount, can …". A title with no usable
subject (a sentence, over 5 words, a particle or verb ending in Korean) leaves the item as it
was.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import BulletinDoc
from app.domain.generation.labels import AUX, FINITE, s_verb_at, words

_DASH = re.compile(r"\s+[—–-]\s+|:\s")
MAX_SUBJECT_WORDS = 5
# Korean attribute nouns: a label made only of these (and numbers) names no service
_KO_GENERIC = ("할인", "율", "률", "금액", "액", "최대", "최소", "월", "연", "일", "기간", "기준",
               "적용", "사용", "이용", "한도", "요금", "조건", "대상", "횟수", "기한", "비율",
               "수수료", "가격", "비용", "시간", "범위", "나이", "연령", "상한", "하한", "단위",
               "월별", "매월", "기본", "총", "당")
_KO_NOT_NOUN = re.compile(r"(은|는|을|를|이|가|에|의|로|때|면|고|다|요|된|될)$")
_EN_STOP = frozenset(("the", "a", "an", "and", "or", "of", "for", "to", "in", "on", "with",
                      "by", "at", "is", "are", "be", "can", "it", "its", "this", "that"))


def _ko_generic_word(word: str) -> bool:
    """The word is a number or built from attribute nouns only ("할인율" = 할인 + 율)."""
    if re.fullmatch(r"[\d.,%]+\S{0,2}", word):
        return True
    rest = word
    while rest:
        piece = next((g for g in sorted(_KO_GENERIC, key=len, reverse=True)
                      if rest.startswith(g)), None)
        if piece is None:
            return False
        rest = rest[len(piece):]
    return True


def ko_generic(label: str) -> bool:
    """A Korean noun label made of attribute nouns only ("할인율", "월 최대 할인 금액")."""
    parts = label.split()
    return bool(parts) and all(_ko_generic_word(w) for w in parts)


def _stems(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[\w-]+", text.casefold()):
        if word not in _EN_STOP and len(word) > 2:
            found |= {word, word.removesuffix("s"), word.removesuffix("es")}
    return found


def en_generic(label: str, subject: str) -> bool:
    """An English label sharing no word with the subject and naming nothing proper."""
    tokens = label.split()
    proper = any(_titled(t) or t.isupper() and len(t) > 2 for t in tokens[1:])
    return bool(tokens) and not proper and not (_stems(label) & _stems(subject))


def _titled(word: str) -> bool:
    """"Day", "Wi-Fi": a capitalised word (a name), not an acronym ("ID") or a number."""
    return word[:1].isupper() and any(c.islower() for c in word[1:])


_EVENT = re.compile(r"(\b(change|changes|update|updates|notice|announcement|reminder)|"
                    r"(변경|인하|인상|개편|안내|공지|변경 사항))$", re.IGNORECASE)


def _head(doc: BulletinDoc) -> str:
    """The title's part before the dash; empty when too short to name anything ("T") or when
    it names an event ("Hub rules change", "허브 요금 변경"), not a service."""
    head = _DASH.split(doc.title.strip(), maxsplit=1)[0].strip().rstrip(".")
    too_short = len(head.split()) < 2 and len(head) < 4
    return "" if too_short or _EVENT.search(head) else head


def ko_subject(doc: BulletinDoc) -> str | None:
    """The title's subject when it is a short noun phrase ("대학생 요금할인"), else ``None``."""
    head = _head(doc).split()
    if not head or len(head) > MAX_SUBJECT_WORDS or any(_KO_NOT_NOUN.search(w) for w in head):
        return None
    return " ".join(head) if not re.search(r"[\"“”‘’'?]", " ".join(head)) else None


def en_subject(doc: BulletinDoc) -> str | None:
    """The title's subject with its article ("the senior discount", "the Roaming Day Pass",
    "Wi-Fi hotspot passes", "number porting"): the title's part before the dash when it has no
    verb, else the words before its verb; ``None`` when neither is a short noun phrase, or when
    the bulletin's text never uses the phrase itself (the evidence that it is a name and not a
    clause: "Paper bills become opt-in" has a verb no list knows)."""
    head = _head(doc)
    tokens = words(head)
    verb = next((i for i, w in enumerate(tokens) if i and (w in AUX or w in FINITE)), None)
    verb = verb if verb is not None else s_verb_at(tokens, 1)
    if verb is not None and verb >= len(tokens) - 1:
        verb = None  # "Wi-Fi hotspot passes": a plural noun last, no verb
    found = head.split()[:verb] if verb else head.split()
    if not found or len(found) > MAX_SUBJECT_WORDS or re.search(r"[\"“”‘’'?,]", " ".join(found)):
        return None
    if found[0].casefold() in ("the", "a", "an", "your", "our", "every", "each", "no"):
        return None  # "The first specialist who ... owns ...": a sentence about someone
    first, rest = found[0], found[1:]
    if first[:1].isupper() and first[1:].islower() and not any(_titled(w) for w in rest):
        first = first.lower()  # "Senior discount" -> "senior discount"; "Roaming Day Pass" stays
    phrase = " ".join([first, *rest])
    if not re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", doc.body, re.IGNORECASE):
        return None  # the bulletin never names it so: a title clause, not a name (fresh7)
    last = found[-1].casefold()
    bare = found[-1].islower() and last.endswith(("ing", "s")) and not last.endswith("ss")
    # a plural or a process ("family plans", "number porting"); a name keeps "the" ("Plus")
    return phrase if bare else f"the {phrase}"


def en_anchored(doc: BulletinDoc, label: str, text: str) -> str:
    """``text`` (a stem or statement of ``label``) with the bulletin's subject: "It ..." says
    the subject instead; a generic label's text gets "For <subject>, ..." (after a leading
    "From <date>, "); any other text is returned unchanged."""
    subject = en_subject(doc)
    if subject is None:
        return text
    lead = re.match(r"^((?:From|Since) [^,]+, )?(.*)$", text, re.DOTALL)
    dated, body = lead.group(1) or "", lead.group(2)
    if re.match(r"^(It|it)\b", body):
        said = f"{subject}{body[2:]}"
        return f"{dated}{said}" if dated else f"{said[:1].upper()}{said[1:]}"
    if re.search(r"\b(it|It)\b", body) and re.match(r"^(Can|Could|May|Must|Does|Is) it\b", body):
        return f"{dated}{body.split(' it ', 1)[0]} {subject} {body.split(' it ', 1)[1]}"
    if not en_generic(label, subject):
        return text
    first = body.split()[0] if body.split() else ""
    acronym = len(first) > 1 and first.isupper()
    body = body if acronym else f"{body[:1].lower()}{body[1:]}"
    return f"{dated}for {subject}, {body}" if dated else f"For {subject}, {body}"
