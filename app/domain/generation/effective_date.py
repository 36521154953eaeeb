"""The bulletin's effective-date fact, asked about what takes effect.

"What is the effective date?" does not say what takes effect; an editor rewrites it. The
fact whose value is the bulletin's effective date is asked with the bulletin's title (the part
before a dash): "From what date does the change “Hub fees drop” apply?" /
"허브 요금 변경은 언제부터 적용됩니까?" (a title ending on a change noun, 변경/인하/확대 ...,
with the topic particle chosen for its last syllable; any other title, a topic or a sentence,
is quoted: "‘허브 요금이 내립니다’ 안내 내용은 ..."). A title that cannot
be used cleanly (too short, over 14 words or, quoted in Korean, over 6; with quotes of its
own) gets no date item at all.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation.claims import BASE_VERBS
from app.domain.generation.korean import attach
from app.domain.generation.labels import finite_verb_at, s_verb_at, words
from app.domain.generation.ladders import parse_date

_DASH = re.compile(r"\s+[—–-]\s+|:\s")
_QUOTES = re.compile(r"[\"“”‘’']")
_KO_CHANGE = re.compile(r"(변경|인하|인상|확대|축소|연장|단축|개편|도입|시행|폐지|신설|간소화|"
                        r"무료화|유료화|통합|전환|조정|완화|강화)$")
MAX_WORDS = 14  # a longer title in quotes reads as a paragraph, not a name
KO_MAX_QUOTED = 6
_KO_PARTICLE_END = re.compile(r"(으로|로|를|을|에|이|가)$")  # "5회선으로 확대": not a name


def is_effective_date(doc: BulletinDoc, fact: Fact) -> bool:
    """The fact is the bulletin's own effective date (a date fact with that value)."""
    return fact.type == "date" and not fact.ask \
        and parse_date(fact.value.strip()) == doc.effective


def _head(doc: BulletinDoc) -> str | None:
    head = _DASH.split(doc.title.strip(), maxsplit=1)[0].strip().rstrip(".")
    count = len(head.split())
    if _QUOTES.search(head) or count > MAX_WORDS or (count < 2 and len(head) < 4):
        return None
    return head


def _en_subject(head: str) -> tuple[str, str]:
    """("the change “WiBro Egg is now olleh Egg”", "does") for a title that says the change;
    ("the changes in “Roaming Day Pass”", "do") for a title that only names the topic."""
    tokens = words(head)
    plural_verb = any(w in BASE_VERBS and tokens[i - 1].endswith("s")
                      for i, w in enumerate(tokens) if i)  # "customers log into ..."
    if finite_verb_at(tokens) is not None or s_verb_at(tokens, 1) is not None or plural_verb:
        return f"the change “{head}”", "does"
    return f"the changes in “{head}”", "do"


def _ko_subject(head: str) -> str | None:
    before = head.split()[-2] if len(head.split()) > 1 else ""
    if _KO_CHANGE.search(head) and not _KO_PARTICLE_END.search(before):
        return attach(head, "는")  # "허브 요금 변경은"
    if len(head.split()) > KO_MAX_QUOTED:
        return None
    return f"‘{head}’ 안내 내용은"  # a topic ("화가 난 고객") or a short sentence: quoted


def _subject(doc: BulletinDoc) -> tuple[bool, str, str] | None:
    """(Korean?, the subject naming what takes effect, its English verb), or ``None`` when
    the title cannot be used."""
    head = _head(doc)
    if head is None:
        return None
    if doc.lang.lower().startswith("ko"):
        subject = _ko_subject(head)
        return (True, subject, "") if subject else None
    return (False, *_en_subject(head))


def effective_question(doc: BulletinDoc) -> str | None:
    """The stem asking from when the bulletin applies, or ``None`` (no usable title)."""
    found = _subject(doc)
    if found is None:
        return None
    korean, subject, verb = found
    if korean:
        return f"{subject} 언제부터 적용됩니까?"
    return f"From what date {verb} {subject} apply?"


def effective_statement(doc: BulletinDoc, value: str) -> str | None:
    """The statement that the bulletin applies from ``value`` (a date as options show it)."""
    found = _subject(doc)
    if found is None:
        return None
    korean, subject, verb = found
    if korean:
        return f"{subject} {value}부터 적용됩니다."
    return f"{subject[0].upper()}{subject[1:]} {'applies' if verb == 'does' else 'apply'} " \
           f"from {value}."
