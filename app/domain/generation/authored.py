"""The author's own statement of a fact (``say="..."`` on the fact line).

A label is a name for a fact, not a sentence: pasted into templates it gives stems an editor
rewrites ("For the paper bills become opt-in, ..."), and only the author knows which service a
rule belongs to and from when it applies. ``say="From the June 2028 bill, a paper bill costs
KRW 1,000."`` is the fact said as agents should learn it, with the value written in it. The
true/false items and every explanation of the fact use it as it is; a false statement puts a
wrong value (``was:``, ``not:``, a near value) where the value stands, with the Korean
particle after it fitted to the new word. A yes/no fact's ``say`` is the sentence that is true
now; its false statement is the sentence negated at its verb, when the negation is certain
(:func:`negated`), and none otherwise.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation.claims import (
    SUBORDINATORS,
    claims,
    question_from_claim,
    third_person,
)
from app.domain.generation.korean import attach, has_batchim
from app.domain.generation.korean_claims import without_also
from app.domain.generation.labels import capitalise
from app.domain.generation.ladders import format_date, parse_date

_KO_PARTICLE = re.compile(r"^(으로|로|이|가|은|는|을|를|과|와)(?![가-힣])")
_KO_BASE = {"으로": "로", "로": "로", "이": "가", "가": "가", "은": "는", "는": "는", "을": "를",
            "를": "를", "과": "와", "와": "와"}


def sentence(text: str, lang: str) -> str:
    """``text`` capitalised (English) and ending in a full stop."""
    text = " ".join(text.split())
    if not lang.lower().startswith("ko"):
        text = capitalise(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def _written(fact: Fact) -> list[str]:
    """How the value may be written in the statement, longest first: as it is, and a date
    also as agents read it ("1 June 2028", "2028년 6월 1일")."""
    forms = {fact.value.strip()}
    if fact.type == "date" and (day := parse_date(fact.value)) is not None:
        forms |= {format_date(day, "en"), format_date(day, "ko")}
    return sorted((f for f in forms if f), key=len, reverse=True)


_AS_BEFORE = re.compile(r",? (as before|as now|as today|as it is now|unchanged)(?=[.,;]|$)|"
                        r"(지금과 같이|지금처럼|기존과 같이|기존처럼|예전과 같이|이전과 같이"
                        r"|변함없이) ",
                        re.IGNORECASE)
_KO_ENDING = re.compile(r"(까지|부터|에서|에게|으로|로|에|만|도)$")


def _find_value(said: str, form: str) -> tuple[int, int] | None:
    """Where ``form`` stands in ``said`` as a whole: not the "1년" inside "2031년", not the
    "3" of "13 days" (a digit or a letter touching a digit or letter end is another word)."""
    pattern = re.escape(form)
    if form[:1].isalnum():
        pattern = (r"(?<![0-9])" if form[:1].isdigit() else r"(?<![A-Za-z0-9])") + pattern
    if form[-1:].isdigit():
        pattern += r"(?![0-9])"
    elif form[-1:].isascii() and form[-1:].isalpha():
        pattern += r"(?![A-Za-z])"
    match = re.search(pattern, said, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def fits_slot(key: str, wrong: str) -> bool:
    """Whether ``wrong`` can stand where ``key`` stands in a Korean sentence: it brings no
    particle of its own the key lacks ("구매한 날 자정까지" where "24시간" stands before
    "동안")."""
    found = _KO_ENDING.search(wrong.strip())
    return found is None or key.strip().endswith(found.group(1))


def authored(doc: BulletinDoc, fact: Fact, value: str) -> str | None:
    """The author's statement with ``value`` where the fact's value stands; ``None`` when the
    fact has no ``say``, the statement does not write the value (a yes/no fact's), or a
    Korean value does not fit the slot (:func:`fits_slot`)."""
    if not fact.say:
        return None
    if doc.lang.lower().startswith("ko") and not fits_slot(fact.value, value):
        return None
    said = " ".join(fact.say.split())
    for form in _written(fact):
        found = _find_value(said, " ".join(form.split()))
        if found is None:
            continue
        start, end = found
        head, tail = said[:start], said[end:]
        if doc.lang.lower().startswith("ko") and value != said[start:end]:
            tail = _refit(value, tail)  # the author's own particle after the value is kept
        elif not doc.lang.lower().startswith("ko"):
            head = _en_determiner(head, value)
            only = re.search(r"\bonly\s+((?:on|for|to|in|at|by)\s+)?$", head, re.IGNORECASE)
            if _EN_QUANTIFIED.match(value) and only:  # "Only any …", "only on every day"
                head = head[:only.start()] + (only.group(1) or "")
        text = f"{head}{value}{tail}"
        if value != said[start:end]:  # a wrong value is no "as before": that would claim two
            text = _AS_BEFORE.sub("", text)  # things, one of them false
        return sentence(_dated(doc, fact, " ".join(text.split())), doc.lang)
    return None


_TIMED = re.compile(r"\b(19|20)\d\d\b|부터|\b(from|since|until|as of|starting)\b|\bnow\b|이제|"
                    r"앞으로|\b(January|February|March|April|May|June|July|August|September|"
                    r"October|November|December)\b|\d+월", re.IGNORECASE)


def _dated(doc: BulletinDoc, fact: Fact, text: str) -> str:
    """A changed fact's statement that names no time gets the effective date before it, as
    the generator's own statements do: the old value was right until then, so "…는 1대입니다"
    alone is no false statement."""
    if not fact.old_value or _TIMED.search(fact.say or ""):
        return text
    day = format_date(doc.effective, doc.lang)
    if doc.lang.lower().startswith("ko"):
        return f"{day}부터 {text}"
    first = text.split()[0] if text.split() else ""
    keep = (len(first) > 1 and first.isupper()) or any(c.isupper() for c in first[1:])
    return f"From {day}, {text if keep else text[:1].lower() + text[1:]}"


_EN_DETERMINER = re.compile(r"\b(a|an|the|their|his|her|its|our|your|my)\s+$", re.IGNORECASE)
_EN_DETERMINED = re.compile(r"^(a|an|the|their|his|her|its|our|your|my|no|one|two|three|"
                            r"each|every|any|some|all)\s", re.IGNORECASE)


def _en_determiner(head: str, value: str) -> str:
    """The determiner before a replaced English value: none when the value brings its own
    ("with their WiBro ID" -> "with a separate ID"), and "a"/"an" as the new word sounds."""
    before = _EN_DETERMINER.search(head)
    if before is None:
        return head
    if _EN_DETERMINED.match(value.strip()):
        return head[:before.start()]
    if before.group(1).casefold() in ("a", "an"):
        vowel = re.match(r"(?!one\b|one-|uni|use|usu|eu|ur)[aeiou]|hour|honest", value.strip(),
                         re.IGNORECASE)
        article = "an" if vowel else "a"
        if before.group(1)[0].isupper():
            article = article.capitalize()
        return head[:before.start()] + article + head[before.start() + len(before.group(1)):]
    return head


_EN_QUANTIFIED = re.compile(r"(any|every|all|each|both|either|daily)\b", re.IGNORECASE)
_KO_ANY = ("누구나", "언제나", "어디나", "무엇이나", "든지", "라도", "이든")


def _refit(value: str, tail: str) -> str:
    """The Korean particle right after a replaced value, in the form the new value takes
    ("1,000원이" -> "2,000원이", "3일이" -> "5일이", "문자로" -> "이메일로")."""
    match = _KO_PARTICLE.match(tail)
    if match is None or not value:
        return tail
    if value.endswith(_KO_ANY) and match.group(1) in ("이", "가", "은", "는", "을", "를"):
        return tail[match.end():]  # "가족 누구나 신청할 수", never "누구나가"
    fitted = attach(value, _KO_BASE[match.group(1)])[len(value):]
    return fitted + tail[match.end():]


# --- yes/no facts: the statement and its negation ------------------------------------------

_EN_AUX_NOT = re.compile(r"\b(is|are|was|were|must|should|will|may|can|could|would|has|have)"
                         r" not\b", re.IGNORECASE)
_EN_CANNOT = re.compile(r"\bcannot\b|\bcan't\b", re.IGNORECASE)
_EN_DO_NOT = re.compile(r"\b(do|does) not (\w+)", re.IGNORECASE)
_EN_UNSURE = re.compile(r"\b(no longer|never|neither|nor|n't|not only|no one|nobody|unless)\b",
                        re.IGNORECASE)


def negated(text: str, lang: str) -> str | None:
    """``text`` said the other way round ("can" <-> "cannot", "합니다" <-> "하지 않습니다"), or
    ``None`` when the negation is not certain (then no false statement is made)."""
    body = " ".join(text.split()).rstrip(".")
    korean = lang.lower().startswith("ko")
    found = _ko_negated(body) if korean else _en_negated(body)
    if found and korean:
        found = without_also(found)  # "고객도 … 없습니다" -> "고객은 … 없습니다"
    return sentence(found, lang) if found and found != body else None


def _en_negated(body: str) -> str | None:
    if re.search(r";|:\s|\bbut\b|,\s*and\b|\s[—–]\s", body):
        return None  # one clause turned round leaves the other contradicting it
    negatives = [m for pattern in (_EN_AUX_NOT, _EN_CANNOT, _EN_DO_NOT)
                 for m in pattern.finditer(body)]
    if len(negatives) > 1 or _EN_UNSURE.search(body.replace("cannot", "can")):
        return None
    if negatives and _subordinate(body, negatives[0].start()):
        return None  # "If the customer cannot pay, ...": not the main clause's verb
    if _EN_CANNOT.search(body):
        return _EN_CANNOT.sub(lambda m: "can" if m.group(0)[0] == "c" else "Can", body, 1)
    if _EN_AUX_NOT.search(body):
        return _EN_AUX_NOT.sub(lambda m: m.group(1), body, 1)
    if (match := _EN_DO_NOT.search(body)) is not None:
        verb = match.group(2)
        said = third_person(verb) if match.group(1).casefold() == "does" else verb
        return body[:match.start()] + said + body[match.end():]
    if re.search(r"\bnot\b|\bno\b", body, re.IGNORECASE):
        return None  # "no fee is charged": nothing to turn round at the verb
    masked, dates = _masked_dates(body)  # "19 May 2031" holds no modal "may"
    found = claims(masked, "en")
    if found is None or "not not" in found[1] or found[0].casefold() != masked.casefold():
        return None
    return _unmasked(found[1], dates)


_EN_DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                      r"September|October|November|December)(?: \d{4})?\b|\b(?:January|"
                      r"February|March|April|May|June|July|August|September|October|November|"
                      r"December) \d{1,2}(?:, \d{4})?\b")


def _masked_dates(body: str) -> tuple[str, list[str]]:
    dates = _EN_DATE.findall(body)
    for n, day in enumerate(dates):
        body = body.replace(day, f"Day{n}x", 1)
    return body, dates


def _unmasked(text: str, dates: list[str]) -> str:
    for n, day in enumerate(dates):
        text = text.replace(f"Day{n}x", day, 1).replace(f"day{n}x", day, 1)
    return text


def _subordinate(body: str, at: int) -> bool:
    """Whether position ``at`` falls in a subordinate clause: after "if", "when", ... with no
    comma closing it before ``at``."""
    for match in re.finditer(r"\b(\w+)\b", body[:at]):
        if match.group(1).casefold() in SUBORDINATORS and "," not in body[match.end():at]:
            return True
    return False


_KO_SWAPS = (("수 없습니다", "수 있습니다"), ("수 있습니다", "수 없습니다"),
             ("하지 않아도 됩니다", "해야 합니다"), ("해야 합니다", "하지 않아도 됩니다"),
             ("필요하지 않습니다", "필요합니다"), ("필요합니다", "필요하지 않습니다"),
             ("없습니다", "있습니다"), ("있습니다", "없습니다"))
_KO_B_FINAL, _KO_NO_FINAL, _KO_RIEUL = 17, 0, 8


_KO_CONCESSIVE = re.compile(r"(아도|어도|해도|라도|더라도)\s")
_KO_REGULAR_STEMS = frozenset("받입잡씻벗닫얻믿")  # ㄷ/ㅂ/ㅅ stems that conjugate regularly
_TO_AYA = {0: 0, 1: 1, 4: 4, 5: 5, 8: 9, 13: 14, 20: 6, 18: 4, 11: 10}  # 가 내 서 세 와 줘 려 써 돼


def _syllable(char: str) -> tuple[int, int, int] | None:
    code = ord(char) - 0xAC00
    return (code // 588, code % 588 // 28, code % 28) if 0 <= code < 11172 else None


def _compose(initial: int, medial: int, final: int = 0) -> str:
    return chr(0xAC00 + (initial * 21 + medial) * 28 + final)


def _ko_must(stem: str) -> str | None:
    """A verb stem with -아야/-어야: "가" -> "가야", "받" -> "받아야", "오" -> "와야",
    "주" -> "줘야", "하" -> "해야"; ``None`` for stems that may be irregular (듣, 돕, 짓, 부르)."""
    parts = _syllable(stem[-1:] or " ")
    if parts is None:
        return None
    initial, medial, final = parts
    if stem.endswith("하"):
        return stem[:-1] + "해야"
    if final:
        if final in (7, 17, 19) and stem[-1] not in _KO_REGULAR_STEMS:  # ㄷ ㅂ ㅅ
            return None
        return stem + ("아야" if medial in (0, 8) else "어야")
    if stem.endswith("르") or medial not in _TO_AYA:
        return None
    return stem[:-1] + _compose(initial, _TO_AYA[medial]) + "야"


_FROM_AYA = {9: 8, 14: 13, 10: 11, 6: 20}  # 와 -> 오, 줘 -> 주, 돼 -> 되, 려 -> 리


def _ko_stem_of_must(form: str) -> str | None:
    """The stem of a verb in its -아/-어 form before 야: "받아" -> "받", "와" -> "오", "해" ->
    "하", "가" -> "가"; ``None`` when it cannot be told."""
    if form.endswith("해"):
        return form[:-1] + "하"
    if len(form) >= 2 and form[-1] in "아어" and (_syllable(form[-2]) or (0, 0, 0))[2]:
        return form[:-1]  # 받아, 먹어: the stem has a final consonant
    parts = _syllable(form[-1:] or " ")
    if parts is None or parts[2]:
        return None
    initial, medial, _ = parts
    if medial in _FROM_AYA:
        return form[:-1] + _compose(initial, _FROM_AYA[medial])
    return form if medial in (0, 1, 4, 5) and form[-1] != "써" else None


def _ko_negated(body: str) -> str | None:
    if _KO_CONCESSIVE.search(re.sub(r"(지 않아도 됩니다|해도 됩니다)$", "", body)):
        return None  # "받아도 … 오르지 않습니다": its positive form reads as no rule
    if (match := re.search(r"(\S+)지 않아도 됩니다$", body)) is not None:
        must = _ko_must(match.group(1))  # "가지 않아도 됩니다" -> "가야 합니다"
        return body[:match.start()] + must + " 합니다" if must else None
    if (match := re.search(r"(\S+)야 합니다$", body)) is not None:
        stem = _ko_stem_of_must(match.group(1))  # "가야 합니다" -> "가지 않아도 됩니다"
        return body[:match.start()] + stem + "지 않아도 됩니다" if stem else None
    for ending, other in _KO_SWAPS:
        if body.endswith(ending):
            return body[: -len(ending)] + other
    if (match := re.search(r"(\S+?)(이|가) 아닙니다$", body)) is not None:
        return body[:match.start()] + match.group(1) + "입니다"  # "무료가 아닙니다" -> "무료입니다"
    if (match := re.search(r"(\S+)입니다$", body)) is not None:  # "무료입니다" -> "무료가 아닙니다"
        return body[:match.start()] + attach(match.group(1), "가") + " 아닙니다"
    if body.endswith("지 않습니다"):  # "부과되지 않습니다" -> "부과됩니다"
        return _ko_polite(body[: -len("지 않습니다")])
    if body.endswith("습니다"):  # "받습니다" -> "받지 않습니다"
        stem = body[: -len("습니다")]
        return f"{stem}지 않습니다" if stem and has_batchim(stem[-1]) else None
    if body.endswith("ㅂ니다") or not body.endswith("니다") or len(body) < 3:
        return None
    last = body[-3]  # "됩" in "부과됩니다": 되 with a final ㅂ
    code = ord(last) - 0xAC00
    if not 0 <= code < 11172 or code % 28 != _KO_B_FINAL or last == "입":
        return None
    stem = body[:-3] + chr(ord(last) - _KO_B_FINAL)
    return f"{stem}지 않습니다"


def _ko_polite(stem: str) -> str | None:
    """A verb stem in its 합니다 form: "부과되" -> "부과됩니다", "받" -> "받습니다"."""
    if not stem:
        return None
    last = stem[-1]
    code = ord(last) - 0xAC00
    if not 0 <= code < 11172:
        return None
    if code % 28 == _KO_NO_FINAL:
        return stem[:-1] + chr(ord(last) + _KO_B_FINAL) + "니다"
    if code % 28 == _KO_RIEUL:  # "걸" -> "겁니다", "열" -> "엽니다": the ㄹ drops
        return stem[:-1] + chr(ord(last) - _KO_RIEUL + _KO_B_FINAL) + "니다"
    return f"{stem}습니다"


def authored_claims(doc: BulletinDoc, fact: Fact) -> tuple[str, str | None] | None:
    """A yes/no fact's (true statement, false statement or ``None``) from its ``say``."""
    if not fact.say:
        return None
    return sentence(fact.say, doc.lang), negated(fact.say, doc.lang)


_KO_NEGATIVE_ENDS = ("지 않습니다", "수 없습니다", "없습니다", "않아도 됩니다", "불가능합니다",
                     "아닙니다")
_EN_LEAD = re.compile(r"^((?:from|after|before|on|since|until|for|in|at|by|during|within)\b[^,]*),"
                      r"\s+(.+)$", re.IGNORECASE)


def negative(text: str, lang: str) -> bool:
    """Whether the statement says that something is not so."""
    body = " ".join(text.split()).rstrip(".")
    if lang.lower().startswith("ko"):
        return body.endswith(_KO_NEGATIVE_ENDS)
    return any(p.search(body) for p in (_EN_AUX_NOT, _EN_CANNOT, _EN_DO_NOT))


def authored_question(doc: BulletinDoc, fact: Fact) -> tuple[str, bool] | None:
    """A yes/no fact without ``ask=`` asked from its ``say``: (the statement's positive form as
    a question, its answer), "Existing customers do not need to call." -> ("Do existing
    customers need to call?", No); ``None`` when it cannot be asked for certain."""
    if not fact.say or fact.ask:
        return None
    said = sentence(fact.say, doc.lang)
    no = negative(said, doc.lang)
    positive = negated(said, doc.lang) if no else said
    if positive is None:
        return None
    body = positive.rstrip(".")
    lead = None if doc.lang.lower().startswith("ko") else _EN_LEAD.match(body)
    asked = question_from_claim(capitalise(lead.group(2)) if lead else body, doc.lang)
    if asked is None:
        return None
    if lead:  # "From 1 June 2029, can customers keep their number?"
        asked = f"{lead.group(1)}, {asked[0].lower()}{asked[1:]}"
    return asked, not no
