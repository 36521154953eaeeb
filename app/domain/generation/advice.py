"""Warnings for the trainer: what the author of a bulletin can add so its facts generate well.

:func:`generation_warnings` reads the bulletin and its generated items (no generation of its
own) and names each fact that needs the author: no choice item because fewer than two wrong
options of the value's kind are known (add ``not:`` values), an old value whose length gives
the answer away (it is kept as an option all the same), a yes/no label that could not be
phrased as a statement (write ``ask="..."``), a label no question is made from (write
``ask="..."``; never "<label>: which is correct?"), and a key that stands out by its length or
its qualifiers among the author's values.
"""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import shorten

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft
from app.domain.generation.authored import negated
from app.domain.generation.context import GenerationContext
from app.domain.generation.cues import clang, echo_question, unscoped_change, value_in_name
from app.domain.generation.distractors import part_of, wrong_options
from app.domain.generation.effective_date import effective_question, is_effective_date
from app.domain.generation.gates import lengths_comparable
from app.domain.generation.korean_phrasing import noted_clauses, repeats_head
from app.domain.generation.neutral import is_neutral, unasked
from app.domain.generation.normalise import contains_text, unmark
from app.domain.generation.option_sets import KEY_LENGTH_CUE, qualified
from app.domain.generation.phrasing import (
    display_value,
    is_korean,
    is_yes_no,
    question_stem,
    said_as,
    told_before,
    yes_no_claims,
)
from app.domain.generation.recipes import MIN_WRONG
from app.domain.generation.splice import telegraphic
from app.domain.refusals import Problem

NEEDS_NOT, LONG_OLD = "advice_needs_not", "advice_long_old"  # refusal codes (app/domain/refusals)
OLD_IN_NEW, NEEDS_ASK = "advice_old_in_new", "advice_needs_ask"
OLD_IN_LABEL, NO_STATEMENT = "advice_old_in_label", "advice_no_statement"
NEUTRAL = "advice_neutral"


def generation_warnings(doc: BulletinDoc, items: Sequence[ItemDraft]) -> list[Problem]:
    """The warnings of :mod:`advice` for ``doc``'s facts, in fact order."""
    warnings = []
    for fact in doc.facts:
        mine = [item for item in items if item.fact == fact.key]
        if is_effective_date(doc, fact) and not fact.ask and not fact.say \
                and effective_question(doc) is None:
            warnings.append(Problem.of("advice_date_title", key=fact.key))
            continue  # the label is fine and dates have near values: only the title is amiss
        if name := value_in_name(fact):  # no item on purpose: the other advice is moot
            warnings.append(Problem.of("advice_value_in_name", key=fact.key, name=name))
            continue
        if sentence := unscoped_change(unmark(doc.body), fact):  # no item: nothing else
            warnings.append(Problem.of("advice_old_still_holds", key=fact.key,
                                       sentence=shorten(sentence, 100, placeholder=" …")))
            continue
        if not is_yes_no(fact) and not any(item.recipe == "choice" for item in mine):
            warnings += _no_choice(doc, fact)
        key = display_value(fact, fact.value, doc.lang)
        old = display_value(fact, fact.old_value, doc.lang) if fact.old_value else None
        if old and not is_yes_no(fact) and part_of(key, old):
            warnings.append(Problem.of(OLD_IN_NEW, key=fact.key))
        elif old and not is_yes_no(fact) and old_in_label(fact, old):
            warnings.append(Problem.of(OLD_IN_LABEL, key=fact.key))
        elif old and not is_yes_no(fact) and not lengths_comparable([key, old]):
            warnings.append(Problem.of(LONG_OLD, key=fact.key))
        if not fact.ask and any(is_neutral(item.stem) for item in mine):
            warnings.append(Problem.of(NEUTRAL, key=fact.key))
        if any(item.kind == "choice" and length_cue(item) for item in mine):
            warnings.append(Problem.of("advice_length_cue", key=fact.key))
        if is_yes_no(fact) and not fact.ask and yes_no_claims(doc, fact) is None:
            warnings.append(Problem.of(NEEDS_ASK, key=fact.key))
        if fact.old_value and not is_yes_no(fact) and not told_before(doc, fact):
            warnings.append(Problem.of("advice_old_not_in_text", key=fact.key,
                                       old=fact.old_value))

        for item in mine:
            if item.kind == "choice" and (word := clang(
                    item.stem, next(o.text for o in item.options if o.correct),
                    [o.text for o in item.options if not o.correct], is_korean(doc.lang))):
                warnings.append(Problem.of("advice_clang", key=fact.key, word=word))
        if fact.ask and echo_question(fact.ask):
            warnings.append(Problem.of("advice_ask_word_first", key=fact.key))
        if is_yes_no(fact) and fact.say and negated(fact.say, doc.lang) is None:
            warnings.append(Problem.of("advice_say_one_clause", key=fact.key))
        if not is_yes_no(fact) and not any(item.kind == "true_false" for item in mine) \
                and not said_as(doc, fact, key)[1]:
            warnings.append(Problem.of(_no_statement_code(doc, fact, key), key=fact.key))
    return warnings


def _no_statement_code(doc: BulletinDoc, fact: Fact, key: str) -> str:
    """Why no statement was made, as the author can fix it: a note of several parts, a Korean
    value repeating the label's head ("위약금" + "위약금의 30%"), else the label's shape."""
    if telegraphic(key) or (is_korean(doc.lang) and noted_clauses(key)):
        return "advice_note_value"
    if is_korean(doc.lang) and repeats_head(fact.label, key):
        return "advice_value_repeats_label"
    return NO_STATEMENT


def _no_choice(doc: BulletinDoc, fact: Fact) -> list[Problem]:
    """Why a fact has no choice item, saying exactly what to add: the question (``ask=``)
    when the label is not phrased with confidence, and how many more ``not:`` values when
    fewer than two wrong values of the value's kind are known."""
    found = []
    if not fact.ask and unasked(question_stem(doc, fact)):
        found.append(Problem.of("advice_write_ask", key=fact.key))
    key = display_value(fact, fact.value, doc.lang)
    have = len(wrong_options(doc, fact, GenerationContext(), key=key, sources=("old", "not")))
    if have < MIN_WRONG:
        found.append(Problem.of("advice_add_not", key=fact.key, have=have, n=MIN_WRONG - have))
    elif not found:  # the author's values are there but not of the key's kind or form
        found.append(Problem.of(NEEDS_NOT, key=fact.key))
    return found


def length_cue(item: ItemDraft) -> bool:
    """The key stands out among the options: much longer than every wrong option (1.8 times
    the characters, or two words and half again more than the longest), or the only one
    with a qualifier (a bracket, a comma or a semicolon) among options that have none."""
    key = next(o.text for o in item.options if o.correct)
    wrongs = [o.text for o in item.options if not o.correct]
    if not wrongs:
        return False
    size, count = len(" ".join(key.split())), len(key.split())
    longer = all(size > KEY_LENGTH_CUE * len(" ".join(w.split())) for w in wrongs)
    most = max(len(w.split()) for w in wrongs)  # "상담 화면 7번 메뉴 명의도용 신고" beside
    wordier = count >= most + 2 and count >= 1.5 * most  # "5번 메뉴 민원 접수": 2 words more
    return longer or wordier or (qualified(key) and not any(qualified(w) for w in wrongs))


def old_in_label(fact: Fact, old: str) -> bool:
    """The label (or ``ask``) prints the old value: "New name of KT Home Safe"."""
    return any(contains_text(text, old) for text in (fact.label, fact.ask) if text)


def old_not_offered(doc: BulletinDoc, fact: Fact) -> bool:
    """The old value cannot be a wrong option: still true (part of the new value) or printed
    in the question. Such facts carry a warning instead."""
    if not fact.old_value:
        return False
    key = display_value(fact, fact.value, doc.lang)
    old = display_value(fact, fact.old_value, doc.lang)
    return part_of(key, old) or old_in_label(fact, old)
