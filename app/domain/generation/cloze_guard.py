"""Cloze sentences an editor accepts: whole, with their subject, and not self-contradictory.

A cloze stem is the bulletin's own sentence with the term blanked. Out of the bulletin it
must still say what it is about ("The code is valid for _____." does not: which code?), must
not be cut inside brackets ("… of notice (weekends."), and no option may make it contradict
itself ("월 0원(무료)의 발송 수수료가 부과됩니다"). No cloze is better than a doubtful one.
"""

from __future__ import annotations

import re

from app.domain.generation.values import amount

REFERENT_SHARE = 0.5  # at least half of the label's content words must be in the sentence
_STOP = frozenset(("the", "a", "an", "of", "for", "to", "in", "on", "at", "by", "with", "how",
                   "long", "much", "many", "what", "when", "where", "who", "which", "is", "are",
                   "can", "must", "may", "does", "do", "and", "or", "from", "before", "after",
                   "each", "every", "any", "their", "its", "customer", "customers"))
_CHARGED = re.compile(r"부과|청구|수수료|\bfee\b|\bcharged?\b|\bcosts?\b", re.IGNORECASE)
_FREE = re.compile(r"무료|\bfree\b|^\s*(월\s*)?[₩]?0\s*(원|won)?\b", re.IGNORECASE)


def _stems(text: str) -> set[str]:
    """Content-word stems: 5 letters of an English word, 2 syllables of a Korean one."""
    found = set()
    for word in re.findall(r"[\w'-]+", text.casefold()):
        if word in _STOP or len(word) < 2:
            continue
        found.add(word[:2] if re.match(r"[가-힣]", word) else word[:5])
    return found


def balanced(stem: str) -> bool:
    """Every bracket the sentence opens it closes."""
    return stem.count("(") == stem.count(")") and stem.count("[") == stem.count("]")


def has_referent(stem: str, label: str) -> bool:
    """At least half of the label's content words, or an English noun label's head word,
    are in the sentence (and a Korean label of 3 words or more keeps its first word): it
    says what it is about without the bulletin around it."""
    wanted = _stems(label)
    if not wanted:
        return True
    said = _stems(stem)
    head = _head(label)
    words = label.split()
    if re.search(r"[가-힣]", label) and len(words) >= 3 and not _stems(words[0]) & said:
        return False  # "필요한 서류는 _____" for "환불 신청에 필요한 서류": whose documents?
    return len(wanted & said) >= len(wanted) * REFERENT_SHARE or bool(head and head in said)


_WH = re.compile(r"^(how|what|when|where|who|which|why|whether|if)\b", re.IGNORECASE)
_BREAK = frozenset(("for", "of", "to", "in", "on", "at", "by", "with", "from", "that", "who",
                    "which", "when", "if", "before", "after", "per", "without"))


def _head(label: str) -> str | None:
    """An English noun label's head word stem ("Eligible plan" -> "plan"); ``None`` for a
    clause ("How long the passcode is valid") or a Korean label."""
    if _WH.match(label.strip()) or re.search(r"[가-힣]", label):
        return None
    head = None
    for word in re.findall(r"[\w'-]+", label.casefold()):
        if word in _BREAK:
            break
        head = word[:5]
    return head


def free_option(text: str) -> bool:
    """A free or zero amount ("0원", "월 0원(무료)", "free")."""
    found = amount(text)
    return bool(_FREE.search(text)) or (found is not None and found[1] == 0)


def contradicts(stem: str, option: str) -> bool:
    """A free option in a sentence about a charge: "a ₩0 fee is charged" reads as absurd."""
    return bool(_CHARGED.search(stem)) and free_option(option)


_COUNT_WORD = re.compile(r"(?:^|\s)(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*"
                         r"(?:개|가지|곳|군데)|\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+\w+",
                         re.IGNORECASE)


def count_cue(stem: str, term: str, wrongs: list[str]) -> bool:
    """The sentence counts the key's elements ("납부일이 매월 _____ 여섯 개로 늘어납니다"), and an
    option has another number of elements: only the key fits the count."""
    if not _COUNT_WORD.search(stem.replace(term, "")):
        return False
    size = len(_elements(term))
    return any(len(_elements(w)) != size for w in wrongs)


def _elements(text: str) -> list[str]:
    return [p for p in re.split(r"\s*[,;·]\s*|\s+(?:and|or|및|또는)\s+", text.strip()) if p]


_HEADING = re.compile(r"^((?:how|what|when|where|who|which|why)\b[^:.;,!?]{3,80}):\s",
                      re.IGNORECASE)
_DATED = re.compile(r"\b\d{4}\b|\d{4}년|\d+월\s*\d+일")


def heading_lead(stem: str) -> bool:
    """The sentence starts with a heading, a question word's clause of three words or more
    ("How customers join: dial _____ ..."): the bulletin's layout, not part of the sentence
    ("If they do not answer, try again: ..." is a sentence)."""
    found = _HEADING.match(stem)
    return bool(found) and len(found.group(1).split()) >= 3


def needs_date(stem: str) -> bool:
    """A changed fact's sentence that names no date: the old value was true once, so the
    sentence must say from when the key holds."""
    return not _DATED.search(stem)
