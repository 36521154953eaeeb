"""Warnings for the trainer: what the author of a bulletin can add so its facts generate well.

:func:`generation_warnings` reads the bulletin and its generated items (no generation of its
own) and names each fact that needs the author: no choice item because fewer than two wrong
options of the value's kind are known (add ``not:`` values), an old value whose length gives
the answer away (it is kept as an option all the same), a yes/no label that could not be
phrased as a statement (write ``ask="..."``), a label asked in the neutral frame
("<label>: which is correct?": an ``ask="..."`` would read better).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft
from app.domain.generation.distractors import part_of
from app.domain.generation.gates import lengths_comparable
from app.domain.generation.neutral import is_neutral
from app.domain.generation.normalise import contains_text
from app.domain.generation.phrasing import (
    display_value,
    framed,
    is_yes_no,
    statement,
    yes_no_claims,
)
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
        if not is_yes_no(fact) and not any(item.recipe == "choice" for item in mine):
            warnings.append(Problem.of(NEEDS_NOT, key=fact.key))
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
        if is_yes_no(fact) and not fact.ask and yes_no_claims(doc, fact) is None:
            warnings.append(Problem.of(NEEDS_ASK, key=fact.key))
        if not is_yes_no(fact) and not any(item.kind == "true_false" for item in mine) \
                and framed(statement(doc, fact, key)):
            warnings.append(Problem.of(NO_STATEMENT, key=fact.key))
    return warnings


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
