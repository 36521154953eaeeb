"""Cues an author writes into a fact without meaning to: the value's number inside a product
name ("How much data does WiBro Tab 20 give?" answers itself with 20 GB, and "10 GB" is false
on the name alone), and the English echo question ("An agent can waive the fee once in how
many months?"), which an editor rewrites with its question word first.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact
from app.domain.generation.normalise import body_sentences
from app.domain.generation.values import amount

_MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
                     "september", "october", "november", "december", "jan", "feb", "mar",
                     "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))
_NOT_NAMES = frozenset(("Step", "Stage", "Level", "Option", "Menu", "Section", "Article",
                        "Page", "Chapter", "Part", "Phase", "Press", "Dial", "Up", "From",
                        "Within", "After", "Before", "Under", "Over", "Only", "About", "At",
                        "By", "For", "In", "On", "To", "Until", "Max", "Min", "Tier",
                        "Type", "Team", "Group", "Grade", "Class", "No", "Zone", "Area",
                        "Room", "Floor", "Gate", "Version", "Round", "Week", "Day",
                        "최대", "최소", "월", "연", "약", "총", "매월", "매년", "매일", "하루",
                        "제", "만", "단", "딱", "단지", "이제", "기존", "현재"))


def value_in_name(fact: Fact) -> str | None:
    """The name in the fact's question, statement or label that holds the value's number
    ("WiBro Tab 20" for 20 GB, "와이브로 탭 20" for 20기가), or ``None``. A number in a date,
    a price or a count of its own ("From 20 May", "up to 20 lines") is no name."""
    found = amount(fact.value) if fact.type in ("quantity", "money", "duration", "text") else None
    if found is None or found[1] != found[1].to_integral_value():
        return None
    number = str(int(found[1]))
    name = re.compile(  # a capitalised word or a Korean one, then the number on its own
        r"(?<![\w.])(?P<name>[A-Z][A-Za-z-]*|[가-힣]{1,8})\s(?P<n>" + number + r")"
        r"(?!\d|[.,:]\d|%|\s*[-–~])(?=[\s?.!,]|$|(?:은|는|이|가|을|를|의|에서|으로|로)\s)")
    for text in (fact.ask or "", fact.say.replace(fact.value, " ") if fact.say else "",
                 fact.label):
        for match in name.finditer(text):
            word = match["name"]
            if word.casefold() in _MONTHS or word in _NOT_NAMES \
                    or word.casefold() == found[0].strip().casefold() \
                    or _unit_after(text, match, found[3]):  # "KRW 500": the value itself
                continue
            return f"{word} {number}"
    return None


def _unit_after(text: str, match: re.Match, unit: str) -> bool:
    """"Up to 20 lines" beside the value "20 lines", "3 개월입니다" beside "3개월": the number
    with the value's own unit after it is the value (or a bound of it), not a name."""
    rest = text[match.end():].lstrip()
    following = rest.split()[0].casefold().strip("?.,!") if rest.split() else ""
    mine = unit.split()[0].casefold() if unit.split() else ""
    return bool(mine) and (following.rstrip("s") == mine.rstrip("s")
                           or following.startswith(mine))


_WH = re.compile(r"\b(how|what|which|who|whom|whose|when|where|why)\b", re.IGNORECASE)
_LEADS = frozenset(("in", "at", "by", "for", "from", "to", "up", "within", "after", "before",
                    "until", "under", "over", "on", "with", "of", "about", "and", "or", "but",
                    "if", "once", "during", "since", "than", "between", "least", "most",
                    "more", "fewer", "less", "no", "exactly", "just"))
_AUX_FIRST = frozenset(("do", "does", "did", "is", "are", "was", "were", "can", "could",
                        "will", "would", "must", "should", "may", "might", "has", "have",
                        "had", "shall"))


def echo_question(ask: str) -> bool:
    """An English question whose question word comes after a clause of its own ("An agent
    can waive the fee once in how many months?"); "From 1 May, how much …?", "In how many
    days …?" and "Up to how many lines …?" lead with a question word."""
    words = ask.split()
    if re.search(r"[가-힣]", ask) or not words or words[0].casefold() in _AUX_FIRST:
        return False  # "Does an agent ask what …?": a yes/no question
    clause = ask.rsplit(",", 1)[-1]  # "For customers who joined before May, how much …?"
    found = _WH.search(clause)
    if found is None:
        return False
    before = clause[:found.start()].split()
    while before and before[-1].casefold() in _LEADS:
        before.pop()
    return len(before) >= 2


_STILL = re.compile(
    r"\b(?:keeps?|kept|continues?(?: to)?|still)\s+(?:using|use|uses|paying|pay|pays|getting|"
    r"gets?|needs?|logging|logs?|has|have|having|receives?|receiving|sees?|goes|go)\b"
    r"|\b(?:still|continues? to|remains?)\s+(?:applies|apply|valid|in force|available)\b"
    r"|계속|그대로|여전히|종전대로|기존대로", re.IGNORECASE)
_NO_LONGER = re.compile(r"(?:계속|그대로|여전히)[^.]*?(?:않|못|없)|\bno longer\b|"
                        r"\b(?:does not|do not|doesn't|don't|cannot|can't) (?:keep|continue)",
                        re.IGNORECASE)  # "기본 상담사가 계속 응대하지 않습니다"
_FUNCTION_WORDS = frozenset(("with", "their", "the", "a", "an", "and", "or", "of", "to", "for",
                             "by", "on", "in", "at", "his", "her", "its", "your", "our"))
_CLAUSE = re.compile(r"(?<=[;,])\s+|(?<=[가-힣]고)\s+|(?<=[가-힣]며)\s+|(?<=지만)\s+|(?<=는데)\s+")


def old_still_holds(body: str, old: str) -> str | None:
    """The clause of ``body`` that says the old value still holds for some ("on older
    phones the customer keeps using the KT ID and password", "기존 고객은 계속 5,000원을
    냅니다"), or ``None``: a false statement made of that old value is true for them, unless
    ``say=`` names whom the new value is for."""
    numbers = re.findall(r"\d[\d,.]*", old)
    words = [w for w in re.findall(r"[^\W\d_][\w-]*", old.casefold())
             if len(w) > 1 and w not in _FUNCTION_WORDS]
    if len(words) < 2 and not numbers:
        return None  # one word ("yes", "ID") tells nothing of a sentence
    # "…로 내리고, 가족 할인은 계속 적용됩니다": the discount still applies, not the old fee
    for sentence in (c for s in body_sentences(body) for c in _CLAUSE.split(s)):
        folded = sentence.casefold()
        if not _STILL.search(sentence) or _NO_LONGER.search(sentence) or not all(
                re.search(rf"(?<![\d,.]){re.escape(n)}(?![\d,])", sentence) for n in numbers):
            continue
        if sum(w in folded for w in words) >= 2 * len(words) / 3:  # numbers alone will do
            return " ".join(sentence.split())
    return None


_EN_COMMON = frozenset((
    "what", "which", "where", "when", "does", "have", "from", "with", "that", "this", "their",
    "they", "them", "there", "into", "onto", "your", "customer", "customers", "agent",
    "agents", "must", "will", "would", "should", "could", "about", "after", "before", "only",
    "every", "each", "more", "most", "less", "than", "then", "also", "just", "much", "many"))
_KO_PARTICLE = re.compile(r"(?:에서|으로|까지|부터|에게|은|는|이|가|을|를|의|에|로|와|과|도|만)$")


def _content_words(text: str, korean: bool) -> set[str]:
    numbers = set(re.findall(r"\d{3,}", text))  # "080", "1588": a number names a thing too
    if korean:
        return numbers | {_KO_PARTICLE.sub("", w) for w in re.findall(r"[가-힣]{2,}", text)
                          if len(_KO_PARTICLE.sub("", w)) >= 2}
    words = re.findall(r"[a-z][a-z-]{3,}", text.casefold())
    return numbers | {re.sub(r"(?<!s)s$", "", w) for w in words if w not in _EN_COMMON}


def clang(stem: str, key: str, wrongs: list[str], korean: bool) -> str | None:
    """A word of the question that the correct answer repeats and the wrong ones do not ("Where
    does a customer turn micropayments on?" beside "… → Micropayment settings" among menus that
    name nothing of it): a test-wise agent picks the option that echoes the question. Words
    every option has (the app a path starts in) do not count; a wrong option sharing a word
    too is no cue unless the key shares at least twice as many and two more ("투넘버 → 자동
    전환" under "투넘버 자동 전환 시간대" beside "… → 투넘버 요금")."""
    asked = _content_words(stem, korean)
    common = set.intersection(*(_content_words(option, korean) for option in (key, *wrongs)))
    mine = (_content_words(key, korean) & asked) - common
    theirs = max((len((_content_words(w, korean) & asked) - common) for w in wrongs), default=0)
    if not mine or (theirs and len(mine) < 2 * theirs + 1):
        return None
    return sorted(mine)[0]


def unscoped_change(body: str, fact: Fact) -> str | None:
    """The clause of the text keeping the old value for some, when the fact's question,
    statement and label name none of the words that set those cases apart ("on older phones
    …" beside "SIM login works on phones launched in 2030 or later": a statement saying "a
    KT mobile customer logs in with their SIM" is false for them, and "with their KT ID and
    password" is a right answer for them); ``None`` when there is no such clause or the fact
    names the scope ("… on a phone launched in 2030 or later …")."""
    if not fact.old_value:
        return None
    clause = old_still_holds(body, fact.old_value)
    if clause is None:
        return None
    korean = bool(re.search(r"[가-힣]", body))
    sentence = next((s for s in body_sentences(body) if clause in s), clause)
    scope = _content_words(sentence, korean) - _content_words(fact.old_value, korean) \
        - _content_words(fact.value, korean)
    named = _content_words(" ".join(t for t in (fact.ask, fact.say, fact.label) if t), korean)
    return None if scope & named else clause
