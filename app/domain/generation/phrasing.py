"""Stems, statements and explanations, in English and Korean, phrased from the label's shape.

The label's shape (labels.py) decides the sentence: a noun phrase fills "what is the ...?", a
question is asked as it is, a condition gets "..., what do you do?", a rule ending on a
preposition is completed. ``ask="..."`` on the fact line replaces the question. A stem names
the effective date ("From 1 September 2010, ...") only for a fact that changed (it has a
``was:`` value): a fact that did not change is asked without a date.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation.anchor import en_anchored, en_subject, ko_generic, ko_subject
from app.domain.generation.authored import authored, authored_claims
from app.domain.generation.claims import (
    claim_sentence,
    claims,
    question_from_claim,
)
from app.domain.generation.count_labels import count_label_question
from app.domain.generation.effective_date import (
    effective_question,
    effective_statement,
    is_effective_date,
)
from app.domain.generation.english import (
    answer_statement,
)
from app.domain.generation.english_counts import (
    count_question,
    count_statement,
    counted,
    open_clause,
    split_bound,
)
from app.domain.generation.korean import attach
from app.domain.generation.korean_neutral import (
    as_permission,
    ko_doubtful,
    ko_doubtful_statement,
    permission,
)
from app.domain.generation.korean_phrasing import (
    ko_question,
    ko_statement,
    noted_clauses,
    repeats_head,
)
from app.domain.generation.label_forms import dated, parenthesised
from app.domain.generation.labels import (
    AUX,
    FINITE,
    capitalise,
    english_shape,
    in_sentence,
    ko_question_from_embedded,
    korean_shape,
    s_verb_at,
    words,
)
from app.domain.generation.ladders import format_date, parse_date
from app.domain.generation.neutral import (
    action_claims,
    action_label,
    action_question,
    do_not_inserted,
    doubtful_statement,
    en_doubtful,
    is_neutral,
    neutral_statement,
    neutral_stem,
    obligation,
    unphrased_label,
)
from app.domain.generation.normalise import contains_text, unmark
from app.domain.generation.noun_phrasing import (
    _acts,
    _be,
    _clause,
    _generic_plural,
    _the,
    en_question,
    verbish,
)
from app.domain.generation.splice import ko_spliced, spliced, telegraphic

TRUE_FALSE = {"en": ("True", "False"), "ko": ("맞음", "틀림")}
_BOOL_TEXT = {"en": ("Yes", "No"), "ko": ("예", "아니요")}
_TRUE_WORDS = frozenset(("yes", "y", "true", "예", "네", "맞다", "맞음", "있음", "필요", "필요함",
                         "가능"))
_FALSE_WORDS = frozenset(("no", "n", "false", "아니요", "아니오", "틀리다", "틀림", "없음",
                          "불필요", "필요 없음", "필요없음", "불가", "불가능"))
SCENARIO_DAYS_BEFORE = 7  # the scenario's "today": a week before the change


def is_korean(lang: str) -> bool:
    """Tell whether ``lang`` (BCP 47) is Korean."""
    return lang.lower().startswith("ko")


def parse_bool(value: str) -> bool | None:
    """Read a yes/no value (yes/no, true/false, 예/아니요, 가능/불가, ...); ``None`` if not."""
    word = " ".join(value.casefold().split()).rstrip(".")
    return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None


def is_yes_no(fact: Fact) -> bool:
    """A ``bool`` fact, or a text fact whose values are all yes/no words (가능/불가)."""
    if fact.type == "bool":
        return True
    values = [fact.value, *([fact.old_value] if fact.old_value else []), *fact.not_values]
    return fact.type == "text" and all(parse_bool(v) is not None for v in values)


def display_value(fact: Fact, value: str, lang: str) -> str:
    """Write a fact value as options show it: dates in the reader's form, bools as Yes/No."""
    if fact.type == "bool" and (truth := parse_bool(value)) is not None:
        yes, no = _BOOL_TEXT["ko" if is_korean(lang) else "en"]
        return yes if truth else no
    if fact.type == "date" and (day := parse_date(value)) is not None:
        return format_date(day, lang)
    return value.strip()


def flip_bool(value: str) -> str | None:
    """Return the opposite of a bool value ("yes" for "no"), or ``None``."""
    truth = parse_bool(value)
    return None if truth is None else ("no" if truth else "yes")


_TIME_VALUE = re.compile(
    r"^(on|at|in|after|before|from|within|until|by|next|every|any time|the (next|first|second"
    r"|last|day|date|same|following|end|start|beginning|month|week|morning|evening)|\d+)\b",
    re.IGNORECASE)


def shape(doc: BulletinDoc, fact: Fact) -> str:
    """The label's shape; ``ask`` when the author wrote the question. "When the reward
    appears" with a time for its value asks when, it is no condition."""
    if fact.ask:
        return "ask"
    if is_korean(doc.lang):
        return korean_shape(fact.label)
    found = english_shape(fact.label)
    if found == "condition" and fact.label.split()[0].casefold() == "when" \
            and _TIME_VALUE.match(fact.value.strip()):
        return "embedded"
    return found


def _date(doc: BulletinDoc) -> str:
    return format_date(doc.effective, doc.lang)


def _en_prefix(doc: BulletinDoc, fact: Fact, text: str, word: str = "From") -> str:
    """"From <date>, <text>" for a changed fact (dates excepted); the text alone otherwise."""
    if dated(fact):
        return f"{word} {_date(doc)}, {in_sentence(text)}"
    return capitalise(text)


def _ko_prefix(doc: BulletinDoc, fact: Fact, text: str) -> str:
    """"<date>부터 ..." for a changed fact; "<date> 시행 기준으로 ..." when the question asks
    when (언제), so two time adverbials do not meet ("3월 1일부터 ... 언제 적용됩니까?")."""
    if dated(fact):
        timed = _asks_when(text) or _ko_time_answer(fact)
        lead = f"{_date(doc)} 시행 기준으로" if timed else f"{_date(doc)}부터"
        return f"{lead} {text}"
    return text


def _asks_when(question: str) -> bool:
    """A clause asking when ("변경이 언제 적용됩니까?"), not "출금일은 언제입니까?"."""
    return bool(re.search(r"언제(?!입니까)", question))


def _ko_time_answer(fact: Fact) -> bool:
    """The fact's question is a clause asking when (언제 before a verb)."""
    kind = "ask" if fact.ask else korean_shape(fact.label)
    return fact.type != "date" and _asks_when(ko_question(fact, kind))


_FRAMES = ("the answer to “", "에 대한 답은 ‘", "올바른 답은 ‘", "Which of these describes")


def framed(text: str) -> bool:
    """Tell whether a statement fell back to quoting the question ("the answer to “...?” is:
    ...", "‘...?’에 대한 답은 ‘...’입니다"): a quiz about a quiz, not made when the fact has
    another item."""
    return any(frame in text for frame in _FRAMES)


def _topic(doc: BulletinDoc) -> str | None:
    """What an English bulletin is about, from its title: "Wi-Fi calling launches — ..." ->
    "Wi-Fi calling" (the words before the title's verb), or ``None``."""
    head = re.split(r"\s+[—–-]\s+|:\s", doc.title, maxsplit=1)[0]
    tokens = words(head)
    verb = next((i for i, w in enumerate(tokens) if i and (w in AUX or w in FINITE)), None)
    verb = verb if verb is not None else s_verb_at(tokens, 1)
    return " ".join(head.split()[:verb]) if verb and verb <= 4 else None


_KO_BRACKET = re.compile(r"^(\S.*\S)\s+\(([^()]*\s[^()]*)\)$")  # a clause, not "(SSID)"
_KO_CONDITION_WORDS = re.compile(r"\d|때|경우|마다|에\s|에$")  # "12개월에 한 번", "해지할 때"


def resolved(doc: BulletinDoc, fact: Fact) -> Fact:
    """The fact with "it" in its label replaced by what the bulletin is about; a Korean
    label's trailing condition in brackets put before it ("최대 금액 (12개월에 한 번)" ->
    "12개월에 한 번, 최대 금액"), a qualifier kept on its noun ("월 요금(부가세 포함)")."""
    if is_korean(doc.lang) and ko_generic(fact.label) and (subject := ko_subject(doc)) \
            and not _names_option(subject, fact):
        return replace(fact, label=f"{subject}의 {fact.label.strip()}")  # "…할인의 할인율"
    bracket = _KO_BRACKET.match(fact.label.strip()) if is_korean(doc.lang) else None
    if bracket and _KO_CONDITION_WORDS.search(bracket.group(2)):
        return replace(fact, label=f"{bracket.group(2)}, {bracket.group(1)}")
    if bracket:  # a qualifier ("부가세 포함") stays on its noun: "월 요금(부가세 포함)은"
        return replace(fact, label=f"{bracket.group(1)}({bracket.group(2)})")
    if not is_korean(doc.lang) and (qualified := parenthesised(fact.label)) != fact.label:
        fact = replace(fact, label=qualified)  # "Monthly cap per service (before VAT)"
    if is_korean(doc.lang) or not re.search(r"\bit\b", fact.label):
        return fact
    topic = _topic(doc)
    if not topic:
        return fact
    return replace(fact, label=re.sub(r"\bit\b", in_sentence(topic), fact.label))


def question_stem(doc: BulletinDoc, fact: Fact, exact: bool = False) -> str:
    """The stem asking for the fact's current value ("exact" for the near-miss item); the
    neutral frame when the label's shape is not recognised with confidence."""
    fact = resolved(doc, fact)
    if is_effective_date(doc, fact):  # what takes effect, named by the title (or no item)
        return effective_question(doc) or neutral_stem(fact.label, doc.lang)
    kind = shape(doc, fact)
    if is_korean(doc.lang):
        if ko_doubtful(fact, kind):
            return neutral_stem(fact.label, doc.lang, _since(doc, fact))
        return _ko_prefix(doc, fact, ko_question(fact, kind, exact))
    question = en_question(fact, kind, exact)
    if en_doubtful(fact, kind, question):
        return neutral_stem(fact.label, doc.lang, _since(doc, fact))
    if fact.ask:  # the author's question names what it is about: never "For <subject>, …"
        return _en_prefix(doc, fact, question)
    return _anchor(doc, fact, _en_prefix(doc, fact, question))


def _ko_anchor(doc: BulletinDoc, text: str) -> str:
    """A Korean claim with no subject of its own ("휴직자에게 적용됩니다") takes the bulletin's
    subject as its topic ("육아 할인은 휴직자에게 적용됩니다"), when the title names one."""
    passive = re.match(r"^\S+에게 \S+(됩니다|되지 않습니다|됩니까\??)\.?$", text)
    subject = ko_subject(doc) if passive else None  # not "고객에게 … 안내합니다": its own agent
    return f"{attach(subject, '는')} {text}" if subject else text


def _anchor(doc: BulletinDoc, fact: Fact, text: str) -> str:
    """An English stem or statement of a label naming no service, with the bulletin's subject
    (anchor.py); the effective date names its subject already."""
    if is_korean(doc.lang) or is_effective_date(doc, fact) or _names_option(en_subject(doc), fact):
        return text
    return en_anchored(doc, fact.ask or fact.label, text)


def _names_option(subject: str | None, fact: Fact) -> bool:
    """The subject prints one of the fact's values ("CallNote is now …" for a renamed service):
    put in the stem it would rule that option out, so the item is left unanchored."""
    values = [fact.value, fact.old_value or "", *fact.not_values]
    return bool(subject) and any(v.strip() and contains_text(subject, v) for v in values)


def _since(doc: BulletinDoc, fact: Fact) -> str | None:
    """The effective date a neutral frame names: only for a fact that changed."""
    return _date(doc) if dated(fact) else None


def statement(doc: BulletinDoc, fact: Fact, value: str, *, since: bool = False) -> str:
    """A sentence saying the fact's value is ``value`` (true or false, for true/false items);
    the neutral frame "<Label>: <value>." when no grammatical sentence is known."""
    return said_as(doc, fact, value, since=since)[0]


def said_as(doc: BulletinDoc, fact: Fact, value: str, *, since: bool = False,
            plain: bool = False) -> tuple[str, bool]:
    """(the statement, whether it is a sentence built from a form known to be grammatical).
    ``False`` means the neutral frame (always, with ``plain``): the true/false recipe then
    makes no statement when the fact has another item asking it plainly (see splice.py)."""
    if fact.say and not is_yes_no(fact):  # the author's own sentence, the value in its
        said = authored(doc, fact, value)  # place; a value that does not fit makes none
        return (said, True) if said is not None else (fact.say, False)
    fact = resolved(doc, fact)
    kind = shape(doc, fact)
    neutral = (neutral_statement(fact.label, value, doc.lang, _since(doc, fact)), False)
    if plain or telegraphic(value):  # a note ("…까지 보류, 통보 없음") is never a sentence
        return neutral
    if is_effective_date(doc, fact):
        said = effective_statement(doc, value)
        return (said, True) if said else neutral
    if is_korean(doc.lang):
        said = ko_statement(fact, kind, value)
        if ko_doubtful(fact, kind) or ko_doubtful_statement(fact, kind, value, said) \
                or repeats_head(fact.label, value) or noted_clauses(value) \
                or framed(said) or ko_spliced(fact.label, kind, value, said):
            return neutral
        return _ko_prefix(doc, fact, said), True
    if spliced(fact.label, kind, value, fact.ask or en_question(fact, kind)) \
            or (kind != "ask" and unphrased_label(fact.label, kind)) \
            or (not fact.ask and count_label_question(fact)):
        return neutral  # a count "can" be smaller too: no statement (count_labels.py)
    text = _en_statement(fact, kind, value)
    if (kind == "noun" and en_doubtful(fact, kind, en_question(fact, kind))) or framed(text) \
            or doubtful_statement(text, fact.label, kind, value):
        return neutral
    said = value.strip().rstrip(".")
    if f": {said}" in text and f" are: {said}" not in text:  # "Handed to ... at sign-up: ...":
        return neutral  # a heading; "The steps when ... are: restart it, ..." reads
    return _anchor(doc, fact, _en_prefix(doc, fact, text, "Since" if since else "From")), True


def _en_statement(fact: Fact, kind: str, value: str) -> str:
    label = fact.label.strip()
    if kind == "noun" and verbish(fact.value):  # "the steps ... are: verify identity, ..."
        return f"{_the(label)} {_be(label)}: {value}."
    if kind == "noun" and _clause(value):  # "The refund rule: refunds are paid within 5 days."
        return f"{_the(label)}: {value}."
    if kind == "noun" and value.strip().casefold() in ("none", "nothing"):
        return f"there {_be(label)} no {in_sentence(label)}."  # "there are no gifts ..."
    if kind == "noun" and counted(fact):
        bounded = split_bound(label.removeprefix("Number of "))[1]
        said = None if bounded else answer_statement(count_question(label), value)
        return said or count_statement(label, value)
    if kind == "noun":
        subject = in_sentence(label) if _generic_plural(label) else _the(label)
        return f"{subject} {_be(label)} {value}."
    if kind == "open":
        return f"{open_clause(label)} {value}."
    if kind == "condition" and not _acts(value):
        return f"{capitalise(label)}: {value}."  # "When a payment bounces: a ₩3,000 fee."
    if kind == "condition":
        return f"{capitalise(label)}, {value}."
    if kind in ("article", "claim"):
        return f"the rule for {in_sentence(label)} is: {value}."
    if kind == "participle":
        return f"{capitalise(label)}: {value}."
    question = en_question(fact, kind)
    answer = re.match(r"(yes|no)\b(?=\s*[,.;]|\s*$)", value.strip(), re.IGNORECASE)
    found = claims(question, "en") if answer else None
    if found:  # "No, they are charged at domestic rates" -> "Calls ... are not charged ..."
        return f"{found[0] if answer.group(1).casefold() == 'yes' else found[1]}."
    return answer_statement(question, value) or f"the answer to “{question}” is: {value}."


def _answer(value: str, lang: str) -> str:
    """A value written as the answer after its question: capitalised, with a full stop."""
    text = value.strip().rstrip(".")
    return f"{text}." if is_korean(lang) else f"{capitalise(text)}."


def yes_no_claims(doc: BulletinDoc, fact: Fact) -> tuple[str, str | None] | None:
    """A yes/no fact's (true sentence, false sentence), dated when it changed; or ``None``.
    With the author's ``say``, the false sentence is ``None`` when its negation is unsure."""
    if (written := authored_claims(doc, fact)) is not None:
        return written
    truth = parse_bool(fact.value)
    if action_label(fact, doc.lang):
        found = action_claims(fact.label, bool(truth), obligation(doc.body, fact.label))
        found = found if truth is not None else None
        return tuple(_anchor(doc, fact, _en_prefix(doc, fact, s)) for s in found) \
            if found else None
    found = claims(fact.ask or fact.label, doc.lang)
    if found is None or truth is None:
        return None
    positive, negative = found
    true, false = (positive, negative) if truth else (negative, positive)
    if is_korean(doc.lang):
        if permission(fact):  # "변경 불가": "변경할 수 없습니다", not "변경하지 않습니다"
            true, false = as_permission(true), as_permission(false)
        return tuple(claim_sentence(_ko_prefix(doc, fact, _ko_anchor(doc, s)), doc.lang)
                     for s in (true, false))
    return tuple(claim_sentence(_anchor(doc, fact, _en_prefix(doc, fact, s)), doc.lang)
                 for s in (true, false))


def yes_no_question(doc: BulletinDoc, fact: Fact) -> str:
    """A yes/no fact asked as a question answered Yes/No: the author's ``ask``, else the
    claim turned into a question ("Is a separate Wi-Fi bundle needed?"), else the label."""
    if action_label(fact, doc.lang):
        meaning = obligation(doc.body, fact.label) if parse_bool(fact.value) is False else None
        return _anchor(doc, fact, _en_prefix(doc, fact, action_question(fact.label, meaning)))
    written = (fact.ask or fact.label).strip()
    found = None if written.endswith("?") or fact.ask else claims(fact.label, doc.lang)
    asked = question_from_claim(found[0], doc.lang) if found else None
    if asked and is_korean(doc.lang) and permission(fact):
        asked = as_permission(asked)
    if not asked and found and not is_korean(doc.lang) and do_not_inserted(*found):
        asked = f"Do {in_sentence(found[0].rstrip('.'))}?"  # "Do sole traders qualify ...?"
    if asked and is_korean(doc.lang):
        return _ko_prefix(doc, fact, _ko_anchor(doc, asked))
    if asked:
        return _anchor(doc, fact, _en_prefix(doc, fact, asked))
    text = (fact.ask or fact.label).strip()
    if is_korean(doc.lang):
        question = ko_question_from_embedded(text) or text
        if not question.endswith("?"):
            question = f"다음 내용이 맞습니까? “{text}”"
        return _ko_prefix(doc, fact, question)
    if not text.endswith("?"):
        return _en_prefix(doc, fact, f"Is this so: “{capitalise(text)}”?")
    asked = _en_prefix(doc, fact, capitalise(text))
    return asked if fact.ask else _anchor(doc, fact, asked)


def scenario_stem(doc: BulletinDoc, fact: Fact) -> str:
    """A customer asks a week before the change: the right answer is still the old value."""
    day = format_date(doc.effective - timedelta(days=SCENARIO_DAYS_BEFORE), doc.lang)
    kind = shape(doc, fact)
    if is_korean(doc.lang):
        return (f"오늘은 {day}로, 이번 변경이 시행되기 일주일 전입니다. 고객이 "
                f"“{ko_question(fact, kind)}”라고 묻습니다. 오늘 기준으로 올바른 답은 무엇입니까?")
    return (f"It is {day}, a week before this change takes effect. A customer asks:"
            f" “{en_question(fact, kind)}” What is the right answer on that day?")


@lru_cache(maxsize=256)
def explanation(doc: BulletinDoc, fact: Fact) -> str:
    """One or two sentences: the correct value and, when there is one, what it was before."""
    if is_yes_no(fact):
        sentences = yes_no_claims(doc, fact)
        if sentences:
            return sentences[0]
        answer = _BOOL_TEXT["ko" if is_korean(doc.lang) else "en"][not parse_bool(fact.value)]
        said = f"{yes_no_question(doc, fact)} {answer}."  # the question and its answer
        if not fact.old_value:
            return said
        old = display_value(fact, fact.old_value, doc.lang)
        return f"{said} (이전: {old})" if is_korean(doc.lang) else f"{said} Before: {old}."
    value = display_value(fact, fact.value, doc.lang)
    said, sound = said_as(doc, fact, value, since=True)
    if fact.say and fact.old_value and contains_text(fact.say, fact.old_value):
        return said  # "… rises from KRW 0 to KRW 1,000.": the old value is said already
    asked = question_stem(doc, fact)
    if not sound and not is_neutral(asked):  # the question and its answer, never a splice
        said = f"{asked} {_answer(value, doc.lang)}"
    if not fact.old_value or not told_before(doc, fact):
        return said  # "Before: 10 lines" only where the bulletin says so
    old = display_value(fact, fact.old_value, doc.lang)
    return f"{said} (이전: {old})" if is_korean(doc.lang) else f"{said} Before: {old}."


def told_before(doc: BulletinDoc, fact: Fact) -> bool:
    """Whether the bulletin's text says the fact's old value (``was:``), as written or as
    agents read it (a date): an explanation says "Before: …" only then, and the author is
    told when it does not."""
    if not fact.old_value:
        return False
    text = unmark(doc.body)
    forms = [f for f in dict.fromkeys(
        (fact.old_value, display_value(fact, fact.old_value, doc.lang))) if f]
    if any(contains_text(text, form) for form in forms):
        return True
    if any(re.search(rf"(?<![\d,.]){re.escape(form)}", text) for form in forms
           if re.fullmatch(r"\d[\d,.]*\s?[가-힣]{1,3}", form)):
        return True  # "1개에서 3개로": a Korean particle may follow a short amount
    # said in other words: every number of it and half its words ("No separate
    # Wi-Fi bundle is needed" tells "a separate Wi-Fi bundle ID")
    said = text.casefold()
    numbers = re.findall(r"\d[\d,.]*", fact.old_value)
    words = [w for w in re.findall(r"[^\W\d_][\w-]*", fact.old_value.casefold()) if len(w) > 1]
    found = [w for w in words if w in said]
    return bool(words) and all(n in text for n in numbers) and len(found) >= 0.5 * len(words)
